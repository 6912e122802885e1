"""The ``successkit`` command line.

Each subcommand is one ``_add_<name>(subparsers)`` function: it declares the
subcommand's arguments and sets ``run`` to the function doing the work, which
takes the parsed arguments and returns the exit code. Adding a command means
writing those two functions and listing the first in :data:`_COMMANDS`.

Exit codes: 0 when all went well, 1 when successkit refused something (the
message is printed as ``error: ...`` on stderr), 2 for a usage error, 3 for an
unexpected error (one line; ``--debug`` shows the traceback), 130 when
interrupted (Ctrl-C) and 141 when the reader of the output went away (a closed
pipe, as with ``| head``), which is not reported. No traceback is printed
unless ``--debug`` asks for it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from successkit import _cli_tools as tools
from successkit._cli_demo import add_demo, findings_summary
from successkit._version import __version__
from successkit.errors import SuccessKitError, ValidationError
from successkit.model import Account

if TYPE_CHECKING:
    from successkit.scoring import Score, Scorer

__all__ = ["build_parser", "main"]

Command = Callable[[argparse.Namespace], int]
"""What a subcommand runs: parsed arguments in, exit code out."""

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]  # noqa: SLF001

T = TypeVar("T")

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


# --- score, gaps, schema ----------------------------------------------------------------

PROGRESS_THRESHOLD = 2_000
"""Runs over more accounts than this show a progress bar (on a terminal, unless --quiet)."""

PROGRESS_AFTER = 1.0
"""Runs taking longer than this many seconds show a progress bar too."""

FORMATS = ("table", "json", "csv")


def _as_of(text: str) -> datetime:
    """An argparse type: an ISO date or a datetime with its offset (a date means 00:00 UTC)."""
    from successkit._validation import ensure_aware  # noqa: PLC0415

    try:
        parsed: object = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, datetime) and parsed.utcoffset() is None:
        if len(text) > len("YYYY-MM-DD"):
            msg = f"expected a date or a datetime with its UTC offset, got {text!r}"
            raise argparse.ArgumentTypeError(msg)
        parsed = parsed.date()
    if parsed is None:
        msg = f"expected an ISO date such as 2026-11-24, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    try:
        return ensure_aware(parsed, "--as-of")
    except ValidationError:
        msg = f"expected a moment that exists in UTC (years 1 to 9999), got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _add_input_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", metavar="FILE", help="accounts: a .json or .jsonl file, or a folder of CSV tables"
    )
    parser.add_argument(
        "--as-of",
        type=_as_of,
        required=True,
        metavar="WHEN",
        help="the moment to evaluate at: 2026-11-24 or 2026-11-24T12:00+00:00 (required)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--workers",
        type=tools.positive,
        default=None,
        metavar="N",
        help="score or detect in N worker processes (default: one process)",
    )
    tools.add_compact(parser)
    tools.add_tz(parser)
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="in a CSV folder, skip (with a warning) a .csv file that is not a table",
    )
    tools.add_output(parser)


def _add_score(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score accounts from a file with the health scorecard (or your own)",
        description="Score every account of FILE as of --as-of: CS = CO + CX on 0-20 by default.",
    )
    _add_input_arguments(parser)
    parser.add_argument(
        "--scorecard",
        metavar="CARD",
        help="a scorecard as a .toml or .json document (default: the health scorecard)",
    )
    parser.set_defaults(run=_run_score)


def _add_gaps(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "gaps",
        help="detect success gaps and other findings in accounts from a file",
        description="Run the default detection rules on every account of FILE as of --as-of.",
    )
    _add_input_arguments(parser)
    tools.add_gaps_filters(parser)
    parser.set_defaults(run=_run_gaps)


def _add_schema(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a successkit type",
        description="Print the JSON Schema (draft 2020-12) of TYPE, e.g. Account, Score, Finding.",
    )
    parser.add_argument("type", metavar="TYPE", nargs="?", help="a type name, e.g. Account")
    parser.add_argument("--list", action="store_true", help="list the type names and exit")
    parser.add_argument(
        "--compact",
        action="store_true",
        help="the schema of the compact form (what --compact writes)",
    )
    tools.add_output(parser)
    parser.set_defaults(run=_run_schema)


def _progress(label: str, *, quiet: bool) -> Callable[[int, int | None], None] | None:
    """A ``progress(done, total)`` callback drawing a bar on stderr, for a terminal only.

    The bar shows for a run of more than :data:`PROGRESS_THRESHOLD` items, or once
    the run has taken more than :data:`PROGRESS_AFTER` seconds.
    """
    import time  # noqa: PLC0415

    stream = sys.stderr
    if quiet or not stream.isatty():
        return None
    started = time.monotonic()
    state = {"shown": False}

    def draw(done: int, total: int | None) -> None:
        whole = total or done
        shown = state["shown"] or whole > PROGRESS_THRESHOLD
        shown = shown or time.monotonic() - started > PROGRESS_AFTER
        state["shown"] = shown
        if shown and (done % max(1, whole // 100) == 0 or done == whole):
            filled = 30 * done // whole
            bar = "#" * filled + "." * (30 - filled)
            stream.write(f"\r{label} [{bar}] {done}/{whole}")
            if done == whole:
                stream.write("\n")
            stream.flush()

    return draw


def _load(args: argparse.Namespace) -> tuple[Account, ...]:
    from successkit.loaders import load_accounts  # noqa: PLC0415

    return load_accounts(args.path, default_tz=args.tz, lenient=args.lenient)


def _scorer(args: argparse.Namespace) -> Scorer:
    from pathlib import Path  # noqa: PLC0415

    from successkit.scoring import HealthScorer, ScorecardScorer  # noqa: PLC0415

    if args.scorecard is None:
        return HealthScorer()
    return ScorecardScorer(
        scorecard=tools.read_scorecard(args.scorecard, shown=Path(args.scorecard).name)
    )


def _run_score(args: argparse.Namespace) -> int:
    tools.check_compact(args)
    from successkit.scoring import score_accounts  # noqa: PLC0415

    scorer = _scorer(args)
    accounts = _load(args)
    scores = score_accounts(
        accounts,
        as_of=args.as_of,
        scorer=scorer,
        workers=args.workers,
        progress=_progress("scoring", quiet=args.quiet),
    )
    if args.format == "json":
        tools.emit([tools.scores_json(scores, args.as_of, compact=args.compact)])
        return EXIT_OK
    names = tools.account_names(accounts)
    if args.format == "table":
        tools.emit(tools.score_table(scores, names))
        return EXIT_OK
    rows = [_score_row(score, names) for score in scores]
    header = (
        "account_id",
        "name",
        "value",
        "band",
        "outcomes",
        "experience",
        "quadrant",
        "coverage",
    )
    tools.emit(_csv(header, rows))
    return EXIT_OK


def _score_row(score: Score, names: dict[str, str]) -> tuple[str, ...]:
    groups = {g.name: g.value for g in score.groups}
    return (
        score.account_id or "",
        names.get(score.account_id or "", ""),
        score.shown_value(2),
        score.band_label,
        _blank(groups.get("outcomes")),
        _blank(groups.get("experience")),
        score.quadrant.quadrant.value if score.quadrant else "",
        f"{score.coverage:.2f}",
    )


def _blank(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _run_gaps(args: argparse.Namespace) -> int:
    from successkit.detection import (  # noqa: PLC0415
        RULES,
        Finding,
        PortfolioFindings,
        detect_portfolio,
    )
    from successkit.serialization import to_json  # noqa: PLC0415

    if args.list_rules:
        tools.emit(RULES.names())
        return EXIT_OK
    tools.check_compact(args)
    for name in args.rule or ():
        if name not in RULES:
            raise ValidationError("--rule", name, f"one of {', '.join(RULES.names())}")
    accounts = _load(args)
    detected = detect_portfolio(
        accounts,
        as_of=args.as_of,
        rules=args.rule,
        workers=args.workers,
        progress=_progress("detecting", quiet=args.quiet),
    )
    findings = tools.filter_findings(list(detected.findings), args.min_severity)
    findings.sort(key=Finding.sort_key)
    found = PortfolioFindings.of(findings, as_of=args.as_of, accounts=len(accounts))
    if args.format == "json":
        tools.emit([to_json(found, compact=args.compact, indent=tools.json_indent())])
        return EXIT_OK
    header = ("account_id", "severity", "kind", "message", "next_step")
    rows = [
        (f.account_id, f.severity.value, f.kind.value, f.message, f.next_step)
        for f in found.findings
    ]
    if args.format == "csv":
        tools.emit(_csv(header, rows))
        return EXIT_OK
    tools.emit(tools.findings_blocks(found.findings, tools.account_names(accounts)))
    tools.emit(["", *findings_summary(found)])
    return EXIT_OK


def _run_schema(args: argparse.Namespace) -> int:
    from successkit.serialization import json_schema, schema_types  # noqa: PLC0415

    known = schema_types()
    if args.list:
        tools.emit(sorted(known))
        return EXIT_OK
    if args.type is None:
        raise ValidationError("TYPE", "", f"one of {', '.join(sorted(known))} (or --list)")
    if args.type not in known:
        raise ValidationError("TYPE", args.type, f"one of {', '.join(sorted(known))}")
    tools.emit([json.dumps(json_schema(known[args.type], compact=args.compact), indent=2)])
    return EXIT_OK


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    import csv  # noqa: PLC0415
    import io  # noqa: PLC0415

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().splitlines()


# --- the parser and the entry point ---------------------------------------------------------


def _elsewhere(module: str, name: str) -> Callable[[Subparsers], None]:
    """The registrar of a command defined in a module of its own, imported when needed."""

    def register(subparsers: Subparsers) -> None:
        add: Callable[[Subparsers, Callable[[str], datetime]], None] = getattr(
            importlib.import_module(module), name
        )
        add(subparsers, _as_of)

    return register


def _add_sample(subparsers: Subparsers) -> None:
    tools.add_sample(subparsers, tools.emit)


_COMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    add_demo,
    _add_sample,
    _add_score,
    _add_gaps,
    _add_schema,
    _elsewhere("successkit._cli_evidence", "add_backtest"),
    _elsewhere("successkit._cli_evidence", "add_fit"),
    _elsewhere("successkit._cli_actions", "add_actions"),
    _elsewhere("successkit._cli_actions", "add_plan"),
)
"""Every subcommand's registrar, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The ``successkit`` argument parser, with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="successkit",
        description="Customer Success as code: goals, health scores and success gaps.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an unexpected error"
    )
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", title="commands"
    )
    for register in _COMMANDS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Args:
        argv: the arguments after the program name (default: ``sys.argv[1:]``).

    Returns:
        0 when all went well, 1 when successkit refused something (printed as
        ``error: <message>`` on stderr), 2 for a usage error, 3 for an
        unexpected error, 130 when interrupted, 141 when standard output was
        closed by its reader.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        # argparse exits on --help, --version and usage errors; report the code instead.
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return _interrupted()
    command: Command = args.run
    # Commands whose standard output --output captures (others, such as fit, write their own).
    output = getattr(args, "output", None) if getattr(args, "output_to_file", False) else None
    try:
        code = command(args) if output is None else _run_to_file(command, args, output)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except SuccessKitError as error:
        sys.stderr.write(f"error: {error}\n")
        return EXIT_REFUSED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as error:
        if args.debug:
            raise
        what = str(error).splitlines()[0] if str(error) else ""
        sys.stderr.write(
            f"error: unexpected {type(error).__name__}{': ' if what else ''}{what[:200]} "
            "(a bug in successkit; run again with --debug to see where)\n"
        )
        return EXIT_UNEXPECTED
    return code


def _run_to_file(command: Command, args: argparse.Namespace, output: str) -> int:
    """Run ``command`` with its standard output going to ``output``, written atomically."""
    import io  # noqa: PLC0415

    captured = io.StringIO()
    stdout, sys.stdout = sys.stdout, captured
    try:
        code = command(args)
    finally:
        sys.stdout = stdout
    if code == EXIT_OK:
        tools.write_atomically(output, captured.getvalue())
    return code


def _interrupted() -> int:
    sys.stderr.write("interrupted\n")
    return EXIT_INTERRUPTED


def _silence_stdout() -> None:
    """Point standard output at the null device, so the exit flush cannot fail again."""
    import os  # noqa: PLC0415

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (captured)
        pass
