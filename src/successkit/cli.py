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
import textwrap
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from successkit import _cli_tools as tools
from successkit._display import INSUFFICIENT_EVIDENCE, NO_BAND
from successkit._version import __version__
from successkit.errors import SuccessKitError, ValidationError
from successkit.model import Account, Goal, GoalStatus

if TYPE_CHECKING:
    from successkit.detection import Finding, PortfolioFindings
    from successkit.samples import Archetype
    from successkit.scoring import GroupResult, Score, Scorer

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


def _whole_number(text: str, *, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if value < low:
        msg = f"expected a whole number >= {low}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _count(text: str) -> int:
    """An argparse type: a whole number of zero or more."""
    return _whole_number(text, low=0)


def _positive(text: str) -> int:
    """An argparse type: a whole number of one or more."""
    return _whole_number(text, low=1)


# --- demo ---------------------------------------------------------------------------------

DEFAULT_DEMO_SIZE = 200


def _add_demo(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="show goal status for a few accounts of a sample portfolio",
        description=(
            "Build a deterministic sample portfolio and print, for a handful of its "
            "accounts, where each goal stands at a fixed moment: objective, "
            "conditions, achievement, deadline and pace."
        ),
    )
    parser.add_argument(
        "--size",
        type=_count,
        default=DEFAULT_DEMO_SIZE,
        metavar="N",
        help=f"accounts in the portfolio (default: {DEFAULT_DEMO_SIZE})",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="the portfolio's seed (default: 0)"
    )
    parser.add_argument(
        "--show",
        type=_positive,
        default=None,
        metavar="K",
        help="accounts to show, taken in turn from each archetype (default: one per archetype)",
    )
    parser.set_defaults(run=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    # Sample data and scoring are only needed here; other commands should not pay for them.
    from successkit import samples  # noqa: PLC0415
    from successkit.detection import detect_portfolio  # noqa: PLC0415
    from successkit.scoring import HealthScorer, score_accounts  # noqa: PLC0415

    as_of = samples.DEMO_AS_OF
    portfolio = samples.sample_portfolio(args.size, seed=args.seed, as_of=as_of)
    kinds = samples.portfolio_archetypes(args.size, seed=args.seed)
    picked = _pick(kinds, list(samples.Archetype), args.show)
    scores = score_accounts(portfolio.accounts, as_of=as_of, scorer=HealthScorer())
    found = detect_portfolio(portfolio.accounts, as_of=as_of)
    lines = _demo_heading(args.size, args.seed, as_of, shown=len(picked), each=args.show is None)
    for index in picked:
        account = portfolio.accounts[index]
        lines.extend(_account_lines(account, kinds[index], as_of))
        lines.extend(_health_lines(scores[index]))
        lines.extend(_finding_lines(found.for_account(account.id)))
    if args.show is None and scores:
        # A customer signed a fortnight ago: the honest score has no band yet.
        newcomer = samples.new_customer(as_of=as_of)
        lines.append("")
        lines.append(f"{newcomer.id}  {newcomer.name}  ({newcomer.segment}, signed 14 days ago)")
        lines.extend(_health_lines(HealthScorer()(newcomer, as_of=as_of)))
    if scores:
        lines.extend(_portfolio_lines(scores))
        lines.extend(_findings_summary(found))
        lines.extend(tools.demo_hint(args.size, args.seed))
    tools.emit(lines)
    return EXIT_OK


def _pick(kinds: Sequence[Archetype], order: Sequence[Archetype], show: int | None) -> list[int]:
    """Indices of the accounts to show: in turn from each archetype, in ``order``.

    ``show=None`` takes the first account of each archetype present.
    """
    positions: dict[Archetype, list[int]] = {kind: [] for kind in order}
    for index, kind in enumerate(kinds):
        positions[kind].append(index)
    present = [kind for kind in order if positions[kind]]
    limit = len(present) if show is None else min(show, len(kinds))
    picked: list[int] = []
    turn = 0
    while len(picked) < limit:
        for kind in present:
            if turn < len(positions[kind]) and len(picked) < limit:
                picked.append(positions[kind][turn])
        turn += 1
    return picked


def _demo_heading(size: int, seed: int, as_of: datetime, *, shown: int, each: bool) -> list[str]:
    moment = as_of.strftime("%Y-%m-%d %H:%M %Z")
    lines = [f"successkit demo: {size} sample accounts (seed {seed}), as of {moment}"]
    if shown == 0:
        return [*lines, "No accounts to show."]
    if each:
        lines.append("One account per archetype: its goals, then its health (CS = CO + CX).")
    else:
        lines.append(f"{shown} accounts taken in turn from each archetype: goals, then health.")
    return lines


def _account_lines(account: Account, archetype: Archetype, as_of: datetime) -> list[str]:
    """A blank line, the account's heading, then one line per goal."""
    kind = archetype.value.replace("_", " ")
    lines = ["", f"{account.id}  {account.name}  ({account.segment}, {kind})"]
    for goal, status in zip(account.goals, account.goal_statuses(as_of), strict=True):
        lines.append(_goal_line(goal, status))
    return lines


TITLE_WIDTH = 26


def _goal_line(goal: Goal, status: GoalStatus) -> str:
    """One line: the goal's title, its verdict, and progress against time elapsed."""
    title = goal.title
    if len(title) > TITLE_WIDTH:
        title = title[: TITLE_WIDTH - 3] + "..."
    return f"  - {title:<{TITLE_WIDTH}} {_verdict(status):<24} {_pace(status)}"


def _verdict(status: GoalStatus) -> str:
    """Achieved, or what stands in the way: the objective, the conditions, the deadline."""
    if status.achieved:
        return "achieved"
    if status.objective_met is None:
        verdict = "no value recorded"
    elif status.objective_met:
        verdict = f"met, conditions {status.conditions_state.value}"
    else:
        verdict = "not met"
    return f"{verdict}, overdue" if status.overdue else verdict


def _pace(status: GoalStatus) -> str:
    elapsed = f"{status.elapsed:.0%} of time"
    if status.progress is None:
        return f"?% done, {elapsed}"
    return f"{status.progress:.0%} done, {elapsed}"


def _health_lines(score: Score) -> list[str]:
    """The health (CS = CO + CX, band, quadrant) and the measures that gave the most."""
    outcomes, experience = score.group("outcomes"), score.group("experience")
    halves = f"CO {_half(outcomes)} + CX {_half(experience)}"
    quadrant = score.quadrant.quadrant.value.replace("_", " ") if score.quadrant else "unplaced"
    top = ", ".join(f"{c.measure} {c.points:.1f}" for c in score.top_contributions(3))
    if score.evidence_gaps:
        return [
            f"  health: {NO_BAND}  {halves}  {INSUFFICIENT_EVIDENCE}",
            *textwrap.wrap(
                f"lacking: {score.evidence_summary}",
                LINE_WIDTH,
                initial_indent="  ",
                subsequent_indent="    ",
            ),
        ]
    return [
        f"  health {score.shown_value(1):>4}/20 {score.band_label:<5}  {halves}  {quadrant}",
        _fit(f"  top: {top}"),
    ]


LINE_WIDTH = 80


def _fit(line: str, width: int = LINE_WIDTH) -> str:
    """``line`` cut to ``width`` characters at a word, ending in ``...`` when cut."""
    if len(line) <= width:
        return line
    cut = line.rfind(" ", 0, width - 2)
    return line[: cut if cut > 0 else width - 3].rstrip(" ,;:") + "..."


def _kind_names(kinds: Iterable[str]) -> str:
    """Kinds in order of first appearance, each once, with a count when repeated."""
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(
        name.replace("_", " ") + (f" x{count}" if count > 1 else "")
        for name, count in counts.items()
    )


def _finding_lines(findings: Sequence[Finding]) -> list[str]:
    """The account's problems by severity (most severe first), then its opportunities."""
    problems = [f for f in findings if not f.kind.is_opportunity]
    good = [f.kind.value for f in findings if f.kind.is_opportunity]
    by_severity: dict[str, list[str]] = {}
    for finding in problems:
        by_severity.setdefault(finding.severity.value, []).append(finding.kind.value)
    parts = [f"{severity}: {_kind_names(kinds)}" for severity, kinds in by_severity.items()]
    if not parts:
        parts = ["findings: none"]
    if good:
        parts.append(f"opportunities: {_kind_names(good)}")
    return [_fit("  " + "; ".join(parts))]


PEOPLE_KINDS = ("stakeholder_departed", "single_threaded", "customer_change")
"""The finding kinds about the people and the world of the customer, summarised apart."""


def _findings_summary(found: PortfolioFindings) -> list[str]:
    """The portfolio's problems by severity, the most frequent kinds, the people, the leads."""
    severities = ", ".join(f"{c.count} {c.severity.value}" for c in found.by_severity)
    counts = [c for c in found.by_kind if not c.kind.is_opportunity]
    kinds = sorted(counts, key=lambda c: (-c.count, c.kind.value))
    common = ", ".join(f"{c.kind.value.replace('_', ' ')} {c.count}" for c in kinds)
    lines = [
        f"Findings: {severities or 'none'}",
        _fit(f"  most frequent: {common or 'none'}"),
    ]
    # The people side is a leading signal: shown even when other kinds are more frequent.
    people = [c for c in counts if c.kind.value in PEOPLE_KINDS]
    if people:
        listed = ", ".join(f"{c.kind.value.replace('_', ' ')} {c.count}" for c in people)
        lines.append(_fit(f"  people: {listed}"))
    good = [c for c in found.by_kind if c.kind.is_opportunity]
    if good:
        listed = ", ".join(f"{c.kind.value.replace('_', ' ')} {c.count}" for c in good)
        lines.append(_fit(f"Opportunities: {listed}"))
    return lines


def _half(group: GroupResult) -> str:
    """A half of CS = CO + CX, or ``?`` when its data are not evidence enough."""
    return _number(group.value) if group.evidenced else "?"


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f}"


def _portfolio_lines(scores: Sequence[Score]) -> list[str]:
    """How the whole portfolio falls into bands and quadrants."""
    from successkit.scoring import Band, Quadrant  # noqa: PLC0415

    bands = dict.fromkeys(reversed(Band), 0)
    quadrants = dict.fromkeys(Quadrant, 0)
    unplaced = no_band = 0
    for score in scores:
        if score.band is None:
            no_band += 1
        else:
            bands[score.band] += 1
        if score.quadrant is None:
            unplaced += 1
        else:
            quadrants[score.quadrant.quadrant] += 1
    band_text = "  ".join(f"{band.value} {count}" for band, count in bands.items())
    if no_band:
        band_text += f"  {NO_BAND} ({INSUFFICIENT_EVIDENCE}) {no_band}"
    quadrant_text = "  ".join(
        f"{quadrant.value.replace('_', ' ')} {count}" for quadrant, count in quadrants.items()
    )
    if unplaced:
        quadrant_text += f"  unplaced {unplaced}"
    return [
        "",
        f"Portfolio of {len(scores)}: {band_text}",
        f"  {quadrant_text}",
    ]


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


def _workers(text: str) -> int:
    """An argparse type: a whole number of worker processes, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"expected a whole number of worker processes, 1 or more, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


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
        type=_workers,
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
    tools.emit(["", *_findings_summary(found)])
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
    _add_demo,
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
