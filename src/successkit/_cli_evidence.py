"""The evidence commands: ``successkit backtest`` and ``successkit fit``.

Both read the two tables every SaaS company has, a usage event log and the
history of contract terms (CSV or Parquet), or a ready observation table, and
build the observations the evidence package works on:

1. terms -> observations (one per account and month of an active period, each
   labelled with what happened within the horizon);
2. events -> usage measures as of each observation (``[as_of - window, as_of)``);
3. ``backtest`` scores them with a scorecard file and prints how well it ranked
   the outcome; ``fit`` learns a scorecard from them and writes it as TOML.

NumPy, pandas and scikit-learn come with the ``evidence`` extra and are only
imported when one of these commands runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from successkit._cli_tools import emit, read_scorecard, write_atomically
from successkit.errors import ValidationError

__all__ = ["add_backtest", "add_fit"]


_FORMATS = ("table", "json")
_OUTCOMES = ("churned", "renewed", "expanded", "contracted")
_NOT_MEASURES = {"account_id", "as_of", "period_start", *_OUTCOMES}


def _read_table(path_text: str, option: str) -> Any:
    """A CSV or Parquet file as a pandas DataFrame (by its suffix)."""
    from successkit.evidence._inputs import require  # noqa: PLC0415 - the extra, on use

    pd = require("pandas")
    path = Path(path_text)
    if not path.is_file():
        raise ValidationError(option, path_text, "an existing CSV or Parquet file")
    try:
        if path.suffix.lower() in {".parquet", ".pq"}:
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except (OSError, ValueError, ImportError) as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValidationError(
            option, path_text, f"a readable CSV or Parquet table ({detail})"
        ) from None


def _windows(text: str) -> tuple[int, ...]:
    """An argparse type: window lengths in days, such as ``30,90``."""
    try:
        days = tuple(int(part) for part in text.split(","))
    except ValueError:
        days = ()
    if not days or any(day < 1 for day in days):
        msg = f"expected whole numbers of days >= 1 separated by commas, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return days


def _add_inputs(parser: argparse.ArgumentParser, as_of: Callable[[str], datetime]) -> None:
    tables = parser.add_argument_group("tables (CSV or Parquet)")
    tables.add_argument("--terms", metavar="FILE", help="contract terms: account_id, start, end")
    tables.add_argument("--events", metavar="FILE", help="usage events: account_id, at, event")
    tables.add_argument(
        "--observations",
        metavar="FILE",
        help="your own observations: account_id, as_of, the outcome (and measures)",
    )
    parser.add_argument(
        "--as-of",
        type=as_of,
        help="the moment the history is known up to (required with --terms)",
    )
    parser.add_argument("--outcome", default="churned", help="the outcome column (churned)")
    parser.add_argument(
        "--horizon-days", type=int, default=30, help="days after an observation its outcome covers"
    )
    parser.add_argument(
        "--windows", type=_windows, default=(30, 90), help="usage windows in days (30,90)"
    )
    parser.add_argument("--format", choices=_FORMATS, default="table")
    parser.add_argument("--quiet", action="store_true", help="no progress on the terminal")


def add_backtest(subparsers: Any, as_of: Callable[[str], datetime]) -> None:
    """Register ``successkit backtest``."""
    parser = subparsers.add_parser(
        "backtest",
        help="check a scorecard against what happened",
        description=(
            "Score past observations with a scorecard and report how well it ranked the "
            "accounts that went on to churn: AUC with a bootstrap interval over accounts, "
            "lift, outcome rate per band and by decile."
        ),
    )
    parser.add_argument("--scorecard", required=True, metavar="FILE", help="a TOML or JSON card")
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="bootstrap resamples of accounts (1000)"
    )
    _add_inputs(parser, as_of)
    parser.set_defaults(run=_run_backtest)


def add_fit(subparsers: Any, as_of: Callable[[str], datetime]) -> None:
    """Register ``successkit fit``."""
    parser = subparsers.add_parser(
        "fit",
        help="learn a scorecard from history",
        description=(
            "Learn a plain, explainable scorecard from past observations (normalisation "
            "and direction per measure, weights from a regularised logistic regression, "
            "bands calibrated) and write it as TOML. With --train-before, the card is "
            "fitted on the observations before that date and backtested on the rest."
        ),
    )
    parser.add_argument(
        "--measures",
        type=lambda text: tuple(part.strip() for part in text.split(",") if part.strip()),
        help="the candidate measures, comma-separated (default: every measure column)",
    )
    parser.add_argument(
        "--train-before", type=as_of, help="fit before this moment, backtest from it on"
    )
    parser.add_argument("--id", default="fitted", help="the fitted scorecard's id")
    parser.add_argument("--output", metavar="FILE", help="write the scorecard here (TOML)")
    _add_inputs(parser, as_of)
    parser.set_defaults(run=_run_fit)


def _say(args: argparse.Namespace, text: str) -> None:
    """A progress line on a terminal's stderr (never in piped output)."""
    if not args.quiet and sys.stderr.isatty():
        sys.stderr.write(f"{text}\n")
        sys.stderr.flush()


def observation_table(args: argparse.Namespace) -> Any:
    """The observations the command works on, built from the tables given."""
    from successkit import evidence  # noqa: PLC0415 - the extra, on use

    if args.observations is not None:
        _say(args, "reading observations...")
        terms = None if args.terms is None else _read_table(args.terms, "--terms")
        frame = evidence.check_observations(
            _read_table(args.observations, "--observations"), terms=terms
        )
    elif args.terms is not None:
        if args.as_of is None:
            raise ValidationError("--as-of", None, "the moment the history is known up to")
        _say(args, "building observations from the contract terms...")
        frame = evidence.observations(
            _read_table(args.terms, "--terms"),
            as_of=args.as_of,
            horizon_days=args.horizon_days,
        )
    else:
        raise ValidationError("--terms", None, "a terms table, or --observations")
    if args.events is not None:
        _say(args, f"measuring usage over {len(frame):,} observations...")
        events = _read_table(args.events, "--events")
        frame = evidence.usage_measures(events, frame, windows=args.windows)
    if args.outcome not in frame.columns:
        raise ValidationError(
            "--outcome", args.outcome, f"a column of the observations {sorted(frame.columns)}"
        )
    return frame


def _json(document: Any) -> str:
    return json.dumps(document, default=str, allow_nan=False, indent=None)


def _as_data(result: Any) -> Any:
    return attrs.asdict(result, recurse=True, filter=lambda field, _: field.name != "roc")


def _run_backtest(args: argparse.Namespace) -> int:
    from successkit.evidence import backtest  # noqa: PLC0415 - the extra, on use

    card = read_scorecard(args.scorecard, shown=args.scorecard)
    frame = observation_table(args)
    _say(args, f"backtesting {card.id} on {len(frame):,} observations...")
    result = backtest(card, frame, outcome=args.outcome, bootstrap=args.bootstrap)
    if args.format == "json":
        emit([_json(_as_data(result))])
    else:
        emit(str(result).splitlines())
    return 0


def _run_fit(args: argparse.Namespace) -> int:
    from successkit.evidence import backtest, fit_scorecard  # noqa: PLC0415 - on use
    from successkit.evidence._inputs import as_of_mask  # noqa: PLC0415

    frame = observation_table(args)
    measures = args.measures or tuple(
        str(name)
        for name in frame.columns
        if name not in _NOT_MEASURES and frame[name].dtype.kind in "fiu"
    )
    train, test = frame, None
    if args.train_before is not None:
        before = as_of_mask(frame, args.train_before)
        train, test = frame[before], frame[~before]
    _say(args, f"fitting on {len(train):,} observations of {len(measures)} measures...")
    fitted = fit_scorecard(train, measures, outcome=args.outcome, id=args.id)
    held_out = None
    if test is not None and len(test):
        _say(args, f"backtesting on {len(test):,} held-out observations...")
        held_out = backtest(fitted.scorecard, test, outcome=args.outcome)
    if args.output is not None:
        write_atomically(args.output, fitted.scorecard.to_toml())
    if args.format == "json":
        document = {
            "scorecard": fitted.scorecard.to_dict(),
            "report": _as_data(fitted.report),
            "held_out": None if held_out is None else _as_data(held_out),
        }
        emit([_json(document)])
        return 0
    lines = str(fitted.report).splitlines()
    if held_out is not None:
        lines += ["", "On the held-out observations:", *str(held_out).splitlines()]
    if args.output is not None:
        lines += ["", f"Scorecard written to {args.output}"]
    emit(lines)
    return 0
