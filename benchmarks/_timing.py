"""Timing shared by the benchmark scripts (run as ``python benchmarks/NAME.py``)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_of(repeat: int, action: Callable[[], T], *, pause_gc: bool = False) -> tuple[float, T]:
    """The shortest of ``repeat`` timings of ``action`` (at least one), and its last result.

    With ``pause_gc``, the cyclic garbage collector is paused during each timing, as
    ``timeit`` does, so a collection triggered by earlier work is not charged here.
    """
    best = float("inf")
    result: T
    for _ in range(max(1, repeat)):
        if pause_gc:
            gc.collect()
            gc.disable()
        try:
            start = time.perf_counter()
            result = action()
            best = min(best, time.perf_counter() - start)
        finally:
            if pause_gc:
                gc.enable()
    return best, result
