"""Logging and progress: the ``successkit`` logger and the ``progress`` callbacks.

The library logs through ``logging.getLogger("successkit")`` (and its children),
which has a :class:`logging.NullHandler`: nothing is printed unless the
application configures logging. What it records are *fallbacks*, things done in
place of what was asked: a segment without its own scorer scored by the
default, a missing measure whose weight went to the others, a file skipped.

Long operations take ``progress``: a callable called as ``progress(done, total)``
after each item, ``total`` being ``None`` when the input has no length. A
``tqdm`` bar fits through :func:`tqdm_progress`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["Progress", "check_progress", "logger", "report_progress", "tqdm_progress"]

T = TypeVar("T")

Progress = Callable[[int, "int | None"], None]
"""``progress(done, total)``: called after each item; ``total`` is ``None`` when unknown."""

logger = logging.getLogger("successkit")
logger.addHandler(logging.NullHandler())


def report_progress(items: Iterable[T], progress: Any) -> Iterator[T]:
    """Yield ``items``, calling ``progress(done, total)`` after each one (if given).

    Raises:
        TypeError: ``progress`` is given but is not callable.
    """
    if progress is None:
        yield from items
        return
    check_progress(progress)
    total = len(items) if hasattr(items, "__len__") else None  # type: ignore[arg-type]
    for done, item in enumerate(items, start=1):
        yield item
        progress(done, total)


def check_progress(progress: Any) -> Progress | None:
    """``progress`` itself, once checked to be ``None`` or a callable.

    Raises:
        TypeError: ``progress`` is given but is not callable.
    """
    if progress is not None and not callable(progress):
        msg = f"progress must be a callable progress(done, total), got {type(progress).__name__}"
        raise TypeError(msg)
    return progress  # type: ignore[no-any-return]


def tqdm_progress(bar: Any) -> Progress:
    """A ``progress`` callback moving a ``tqdm`` bar (anything with ``update`` and ``total``).

    ``tqdm`` is not a dependency: make the bar yourself, e.g.
    ``score_accounts(accounts, as_of=..., progress=tqdm_progress(tqdm()))``.
    """
    seen = 0

    def advance(done: int, total: int | None) -> None:
        nonlocal seen
        if total is not None and getattr(bar, "total", None) != total:
            bar.total = total
        bar.update(done - seen)
        seen = done

    return advance
