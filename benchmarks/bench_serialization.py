"""Round-trip speed of successkit.serialization against a naive path, in one run.

The naive path is what one writes without per-class plans: ``attrs.asdict`` and
``json.dumps`` with a ``default`` hook to write, and a recursive rebuild that
dispatches on the declared type of every value to read (type hints cached per
class, union members tried in turn). Both paths rebuild the accounts through
their validating constructors, and both results are checked equal to the input.
Each figure is the best of several runs with the garbage collector paused, as
``timeit`` does, so that a collection triggered by one path is not billed to
the other.

Run: ``python benchmarks/bench_serialization.py [ACCOUNTS] [REPEATS]``.
"""

from __future__ import annotations

import functools
import json
import sys
import types
import typing
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
from _timing import best_of

from successkit.model import Account
from successkit.samples import sample_portfolio
from successkit.serialization import from_json, to_json


def _naive_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, timedelta):
        return [value.days, value.seconds, value.microseconds]
    raise TypeError(type(value).__name__)


def naive_dumps(obj: Any) -> str:
    return json.dumps(attrs.asdict(obj), default=_naive_default)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def naive_build(tp: Any, value: Any) -> Any:  # noqa: C901 - naive on purpose
    if isinstance(tp, type) and attrs.has(tp):
        hints = _hints(tp)
        return tp(**{name: naive_build(hints[name], item) for name, item in value.items()})
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for member in args:
            try:
                return naive_build(member, value)
            except (TypeError, ValueError):  # noqa: PERF203
                continue
        raise ValueError(value)
    if origin is tuple:
        return tuple(naive_build(args[0], item) for item in value)
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is Decimal:
        return Decimal(value)
    if tp is timedelta:
        return timedelta(*value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    if tp is float and not isinstance(value, float):
        raise TypeError(value)
    return value


def naive_round_trip(accounts: tuple[Account, ...]) -> list[Account]:
    texts = [naive_dumps(a) for a in accounts]
    return [naive_build(Account, json.loads(t)) for t in texts]


def planned_round_trip(accounts: tuple[Account, ...]) -> list[Account]:
    texts = [to_json(a) for a in accounts]
    return [from_json(t, Account) for t in texts]


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    accounts = sample_portfolio(size, seed=3).accounts
    if naive_round_trip(accounts) != list(accounts):
        raise SystemExit("the naive path does not round-trip")
    if planned_round_trip(accounts) != list(accounts):
        raise SystemExit("successkit.serialization does not round-trip")
    naive, _ = best_of(repeats, lambda: naive_round_trip(accounts), pause_gc=True)
    planned, _ = best_of(repeats, lambda: planned_round_trip(accounts), pause_gc=True)
    naive_texts = [naive_dumps(a) for a in accounts]
    texts = [to_json(a) for a in accounts]
    phases = {
        "write": (
            best_of(repeats, lambda: [naive_dumps(a) for a in accounts], pause_gc=True)[0],
            best_of(repeats, lambda: [to_json(a) for a in accounts], pause_gc=True)[0],
        ),
        "read": (
            best_of(
                repeats,
                lambda: [naive_build(Account, json.loads(t)) for t in naive_texts],
                pause_gc=True,
            )[0],
            best_of(repeats, lambda: [from_json(t, Account) for t in texts], pause_gc=True)[0],
        ),
    }
    print(f"{size} accounts, {len(''.join(texts)) // 1024} KiB of JSON, best of {repeats} runs")
    print(f"naive   (asdict + json.dumps + typed rebuild): {naive * 1000:9.1f} ms")
    print(f"planned (to_json + from_json):                 {planned * 1000:9.1f} ms")
    for phase, (slow, fast) in phases.items():
        print(f"  {phase:5}: naive {slow * 1000:7.1f} ms, planned {fast * 1000:7.1f} ms")
    print(f"speed-up of the round trip: {naive / planned:.2f}x")


if __name__ == "__main__":
    main()
