"""Speed and size of successkit.serialization, in one run.

Two parts. The round trip of sample accounts, against a naive path. Then the
JSON a portfolio run writes (the scores and the findings of the sample
portfolio, as ``successkit score`` and ``successkit gaps`` write them): bytes
per account in each form, and the time of each step of writing, as ratios
between things measured side by side (``to_dict`` against ``json.dumps`` of the
same dicts, indented against one-line text, the optional ``orjson`` and
``msgspec`` encoders against the standard library's).

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

from successkit.detection import detect_portfolio
from successkit.model import Account
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import PortfolioScores, score_accounts
from successkit.serialization import _document, from_json, to_dict, to_json
from successkit.serialization._document import json_text


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


def _optional(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:
        return None


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def outputs(size: int, repeats: int) -> None:  # noqa: PLR0915 - one report, read top down
    """Bytes per account and time of writing the scores and findings of a portfolio run."""
    portfolio = sample_portfolio(size, as_of=DEMO_AS_OF)
    scores = score_accounts(portfolio, as_of=DEMO_AS_OF)
    found = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    gathered = PortfolioScores.of(scores, as_of=DEMO_AS_OF)
    values: list[Any] = [*scores, found]

    def dicts() -> list[dict[str, Any]]:
        return [to_dict(v) for v in values]

    def compact_dicts() -> list[dict[str, Any]]:
        return [to_dict(gathered, compact=True), to_dict(found, compact=True)]

    documents = dicts()
    compact_documents = compact_dicts()
    indented = json.dumps(documents, indent=2)
    one_line = json_text(documents)
    compact = json_text(compact_documents)
    per = len(portfolio.accounts)
    print(f"\nscores and findings of {per} sample accounts ({len(found.findings)} findings)")
    print(f"  bytes per account, indented (indent=2):  {len(indented) / per:8.0f}")
    print(f"  bytes per account, one line:             {len(one_line) / per:8.0f}")
    print(
        f"  bytes per account, compact form:         {len(compact) / per:8.0f}"
        f"  (one line / compact: {len(one_line) / len(compact):.2f}x)"
    )

    def timed(action: Any) -> float:
        return best_of(repeats, action, pause_gc=True)[0]

    def plain(action: Any) -> Any:
        """``action`` with the standard library's encoder alone (as without fast-json)."""

        def run() -> Any:
            saved = _document._ORJSON  # noqa: SLF001 - switched off for the comparison
            _document._ORJSON = False  # noqa: SLF001
            try:
                return action()
            finally:
                _document._ORJSON = saved  # noqa: SLF001

        return run

    to_dicts = timed(dicts)
    compact_to_dicts = timed(compact_dicts)
    dumps = timed(lambda: json.dumps(documents, separators=(",", ":")))
    dumps_indented = timed(lambda: json.dumps(documents, indent=2))
    to_jsons = timed(plain(lambda: [to_json(v) for v in values]))
    print(f"  to_dict of the values:           {_ms(to_dicts)}")
    print(
        f"  to_json of the values:           {_ms(to_jsons)}"
        f"  (to_json / (to_dict + dumps): {to_jsons / (to_dicts + dumps):.2f}x)"
    )
    print(
        f"  to_dict, compact form:           {_ms(compact_to_dicts)}"
        f"  (compact / full: {compact_to_dicts / to_dicts:.2f}x)"
    )
    print(
        f"  json.dumps of the full dicts:    {_ms(dumps)}"
        f"  (to_dict / dumps: {to_dicts / dumps:.2f}x)"
    )
    print(
        f"  json.dumps with indent=2:        {_ms(dumps_indented)}"
        f"  (indented / one line: {dumps_indented / dumps:.2f}x)"
    )
    orjson = _optional("orjson")
    if orjson is not None:
        fast = timed(lambda: orjson.dumps(documents))
        print(
            f"  orjson.dumps of the full dicts:  {_ms(fast)}  (dumps / orjson: {dumps / fast:.2f}x)"
        )
        print(f"  to_json (standard library) / orjson.dumps of the dicts: {to_jsons / fast:.2f}x")
    msgspec = _optional("msgspec")
    if msgspec is not None:
        encode = msgspec.json.Encoder().encode
        fast = timed(lambda: encode(documents))
        print(
            f"  msgspec encode of the dicts:     {_ms(fast)}"
            f"  (dumps / msgspec: {dumps / fast:.2f}x)"
        )
        print(f"  to_json (standard library) / msgspec encode of the dicts: {to_jsons / fast:.2f}x")
    # What the command line writes, from the values to the text, each way.
    before = timed(lambda: json.dumps(dicts(), indent=2))
    ways = {
        "one line, standard library": plain(lambda: json_text(dicts())),
        "compact, standard library": plain(lambda: json_text(compact_dicts())),
    }
    if orjson is not None:
        ways["one line, orjson"] = lambda: json_text(dicts())
        ways["compact, orjson"] = lambda: json_text(compact_dicts())
    print(f"  writing as before (indent=2):    {_ms(before)}")
    for name, action in ways.items():
        took = timed(action)
        print(f"  writing {name + ':':27}{_ms(took)}  (before / this: {before / took:.2f}x)")


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    round_trip(size, repeats)
    outputs(size, repeats)


def round_trip(size: int, repeats: int) -> None:
    """The round trip of sample accounts, planned against naive."""
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
