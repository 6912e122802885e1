"""Running a per-account task over a portfolio in chunks, in this process or in worker processes.

:func:`run_in_chunks` cuts the accounts into chunks, runs ``task(chunk, *extra)``
on each (a top-level function, returning one list per chunk) and returns the
results in the input order, whatever order the chunks finish in. With
``workers`` above one the chunks run in a :class:`~concurrent.futures.ProcessPoolExecutor`.
Where the platform forks (Linux), the workers inherit the accounts from this
process and receive only the bounds of their chunk, since pickling an account
costs more than scoring it; elsewhere each chunk is pickled to its worker.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

from successkit._collector import collector_paused
from successkit.errors import ValidationError

__all__ = ["check_workers", "collector_paused", "run_in_chunks"]

T = TypeVar("T")
R = TypeVar("R")

_CHUNK = 250
"""The most accounts in one chunk: small enough to report progress and balance the workers."""

_JOB: tuple[Callable[..., list[Any]], Sequence[Any], tuple[Any, ...]] | None = None
"""The task of the pool being started, inherited by forked workers."""


def check_workers(workers: object) -> int:
    """The number of worker processes asked for (``None`` is one: this process).

    Raises:
        ValidationError: ``workers`` is not ``None`` or a whole number >= 1.
    """
    if workers is None:
        return 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValidationError("workers", workers, "a whole number >= 1, or None")
    return workers


def _bounds(total: int, workers: int) -> list[tuple[int, int]]:
    # Four chunks per worker at least, so one slow chunk does not leave a worker idle.
    size = max(1, min(_CHUNK, -(-total // (workers * 4))))
    return [(start, min(total, start + size)) for start in range(0, total, size)]


def _run_inherited(start: int, stop: int) -> list[Any]:
    if _JOB is None:  # pragma: no cover - only reachable if a worker was not forked
        msg = "the worker did not inherit its task"
        raise RuntimeError(msg)
    task, items, extra = _JOB
    with collector_paused():
        return task(items[start:stop], *extra)


def _run_sent(
    task: Callable[..., list[R]], chunk: Sequence[Any], extra: tuple[Any, ...]
) -> list[R]:
    with collector_paused():
        return task(chunk, *extra)


def _can_fork() -> bool:
    # Forking a process that runs other threads can deadlock the child; pickle then.
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _check_sendable(extra: tuple[Any, ...], what: str) -> None:
    try:
        pickle.dumps(extra)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        raise ValidationError(
            what,
            type(error).__name__,
            "objects that can be sent to worker processes (defined at the top level of "
            "a module, no lambdas or local functions), or workers=None",
        ) from None


def run_in_chunks(
    task: Callable[..., list[R]],
    items: Sequence[T],
    extra: tuple[Any, ...],
    *,
    workers: int,
    progress: Callable[[int, int | None], None] | None,
    what: str,
    finish: Callable[[R], Any] | None = None,
) -> list[Any]:
    """``task(chunk, *extra)`` over ``items`` in chunks, concatenated in input order.

    Args:
        task: a top-level function of a chunk (and ``extra``) returning a list.
        items: the accounts.
        extra: the other arguments of ``task`` (the moment, the scorer or rules).
        workers: how many worker processes (1: in this process).
        progress: called as ``progress(done, total)`` as each chunk finishes.
        what: the argument named when ``extra`` cannot be sent to a worker.
        finish: applied in this process to each item a worker returns, as its
            chunk arrives (while the workers go on with the others).

    Raises:
        ValidationError: ``extra`` cannot be pickled to worker processes.
    """
    total = len(items)
    bounds = _bounds(total, workers)
    if workers == 1 or len(bounds) <= 1:
        results = task(items, *extra)
        if progress is not None:
            progress(total, total)
        return results if finish is None else [finish(item) for item in results]
    _check_sendable(extra, what)
    chunks: list[list[Any]] = [[] for _ in bounds]
    done = 0
    with collector_paused():
        for index, result in _in_pool(task, items, extra, bounds, workers):
            chunks[index] = result if finish is None else [finish(item) for item in result]
            start, stop = bounds[index]
            done += stop - start
            if progress is not None:
                progress(done, total)
    return [item for chunk in chunks for item in chunk]


def _in_pool(
    task: Callable[..., list[R]],
    items: Sequence[Any],
    extra: tuple[Any, ...],
    bounds: list[tuple[int, int]],
    workers: int,
) -> Iterator[tuple[int, list[R]]]:
    """Yield ``(chunk index, result)`` as the worker processes finish the chunks."""
    global _JOB  # noqa: PLW0603 - read by the forked workers, cleared once they are done
    forked = _can_fork()
    context = multiprocessing.get_context("fork") if forked else None
    pending: dict[Future[list[R]], int] = {}
    if forked:
        _JOB = (task, items, extra)
        # The workers' collector would otherwise walk every inherited account,
        # copying the pages it touches; frozen objects are left alone.
        gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(bounds)), mp_context=context) as pool:
            for index, (start, stop) in enumerate(bounds):
                if forked:
                    future = pool.submit(_run_inherited, start, stop)
                else:
                    future = pool.submit(_run_sent, task, items[start:stop], extra)
                pending[future] = index
            try:
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        yield pending.pop(future), future.result()
            except BaseException:
                # One chunk failed: the others' work would be thrown away.
                for future in pending:
                    future.cancel()
                raise
    finally:
        _JOB = None
        if forked:
            gc.unfreeze()
