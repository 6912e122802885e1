"""The command line's shared options and the ``sample`` command.

``--output FILE`` (written atomically), ``--tz ZONE`` for CSV times, the filters
of ``gaps``, ``schema --list``, tables that fit 100 columns, and ``successkit
sample``, which writes a sample portfolio as JSON, JSON Lines or CSV tables.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from successkit._labels import label
from successkit._writing import write_atomically
from successkit.errors import ValidationError

if TYPE_CHECKING:
    from successkit.detection import Finding
    from successkit.model import Account
    from successkit.scoring import GroupResult, Score, Scorecard

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]  # noqa: SLF001

__all__ = [
    "TABLE_WIDTH",
    "add_output",
    "add_sample",
    "add_tz",
    "count",
    "demo_hint",
    "emit",
    "filter_findings",
    "findings_blocks",
    "positive",
    "read_scorecard",
    "score_table",
    "time_zone",
    "write_atomically",
]

TABLE_WIDTH = 100
"""No line of a table printed for people is wider than this."""

DEMO_SIZE = 200
"""The portfolio size of the demo and of ``sample`` by default."""

_OFFSET = re.compile(r"^(?:UTC)?([+-])(\d{1,2}):?(\d{2})?$")


# --- whole numbers -----------------------------------------------------------------------


def whole_number(text: str, *, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if value < low:
        msg = f"expected a whole number >= {low}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def count(text: str) -> int:
    """An argparse type: a whole number of zero or more."""
    return whole_number(text, low=0)


def positive(text: str) -> int:
    """An argparse type: a whole number of one or more."""
    return whole_number(text, low=1)


# --- --output --------------------------------------------------------------------------


def add_output(parser: argparse.ArgumentParser) -> None:
    """Add ``--output FILE`` to a subcommand."""
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write the output to FILE (atomically: all of it or nothing) instead of stdout",
    )
    parser.set_defaults(output_to_file=True)


def add_compact(parser: argparse.ArgumentParser) -> None:
    """Add ``--compact`` (with ``--format json``) to a subcommand."""
    parser.add_argument(
        "--compact",
        action="store_true",
        help=(
            "with --format json: the compact form, one document for the run, about a third "
            "of the size (for machines; see docs/json-format.md)"
        ),
    )


def check_compact(args: argparse.Namespace) -> None:
    """Refuse ``--compact`` with a format it does not apply to.

    Raises:
        ValidationError: ``--compact`` was given without ``--format json``.
    """
    if args.compact and args.format != "json":
        raise ValidationError("--compact", args.format, "--format json (--compact shapes JSON)")


def json_indent() -> int | None:
    """How to lay out JSON: indented for people at a terminal, one line otherwise.

    One line (to a pipe, a file or ``--output``) is written by the fast encoders;
    indented text takes several times longer.
    """
    return 2 if sys.stdout.isatty() else None


def scores_json(scores: Sequence[Score], as_of: datetime, *, compact: bool) -> str:
    """The JSON ``successkit score`` writes.

    An array of Score documents; with ``compact``, one
    :class:`~successkit.scoring.PortfolioScores` document in the compact form.
    """
    from successkit._collector import collector_paused  # noqa: PLC0415
    from successkit.serialization import to_dict, to_json  # noqa: PLC0415
    from successkit.serialization._document import json_text  # noqa: PLC0415

    if compact:
        from successkit.scoring import PortfolioScores  # noqa: PLC0415

        gathered = PortfolioScores.of(scores, as_of=as_of)
        return to_json(gathered, compact=True, indent=json_indent())
    with collector_paused():  # one document per score: pause once for them all
        return json_text([to_dict(score) for score in scores], indent=json_indent())


def emit(lines: Iterable[str]) -> None:
    """Write ``lines`` to standard output (looked up now, so it can be captured)."""
    sys.stdout.write("".join(f"{line}\n" for line in lines))


def read_scorecard(path_text: str, *, shown: str) -> Scorecard:
    """The scorecard in a ``--scorecard`` file (TOML by its suffix, else JSON).

    Every error names the option and the file as ``shown``.

    Raises:
        ValidationError: the file is unreadable or not a valid scorecard.
    """
    from successkit.scoring._scorecard_io import read_scorecard_file  # noqa: PLC0415

    return read_scorecard_file(path_text, None, shown=f"--scorecard {shown}")


# --- --tz --------------------------------------------------------------------------------


def time_zone(text: str) -> tzinfo:
    """An argparse type: an IANA zone (``Europe/Paris``), ``UTC`` or an offset (``+02:00``)."""
    if text.upper() in {"UTC", "Z"}:
        return timezone.utc
    offset = _OFFSET.match(text.strip())
    if offset is not None:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta < timedelta(hours=24):
            return timezone(-delta if sign == "-" else delta)
    try:
        from zoneinfo import ZoneInfo  # noqa: PLC0415 - only when --tz is given

        return ZoneInfo(text)
    except (ValueError, OSError, LookupError):
        msg = f"expected a time zone such as Europe/Paris, UTC or +02:00, got {text}"
        raise argparse.ArgumentTypeError(msg) from None


def add_tz(parser: argparse.ArgumentParser) -> None:
    """Add ``--tz ZONE``: the zone of CSV timestamps written without an offset."""
    parser.add_argument(
        "--tz",
        type=time_zone,
        default=timezone.utc,
        metavar="ZONE",
        help="the zone of CSV times written without an offset: Europe/Paris, +02:00 (default: UTC)",
    )


# --- tables for people --------------------------------------------------------------------


def _cut(text: str, width: int) -> str:
    """``text`` within ``width`` characters, cut at a word and ending in ``...`` when cut."""
    if len(text) <= width:
        return text
    return textwrap.shorten(text, width=width, placeholder="...")


def _half_text(group: GroupResult | None) -> str:
    if group is None or group.value is None or not group.evidenced:
        return "?"
    return f"{group.value:.1f}"


def score_table(scores: Sequence[Score], names: dict[str, str]) -> list[str]:
    """Scores worst first, one line each, with the customer's name, within 100 columns."""
    from successkit._display import worst_first  # noqa: PLC0415

    header = f"{'account':<14} {'name':<24} {'health':>6} {'band':<8} {'CO':>4} {'CX':>4}  quadrant"
    lines = [header]
    for score in sorted(scores, key=worst_first):
        halves = {group.name: group for group in score.groups}
        co, cx = (_half_text(halves.get(name)) for name in ("outcomes", "experience"))
        quadrant = (
            label(score.quadrant.quadrant.value).lower() if score.quadrant is not None else ""
        )
        if score.evidence_gaps:
            quadrant = "insufficient evidence"
        account = score.account_id or ""
        lines.append(
            f"{_cut(account, 14):<14} {_cut(names.get(account, ''), 24):<24} "
            f"{score.value:>6.1f} {score.band_label:<8} {co:>4} {cx:>4}  {quadrant}"
        )
    return [_cut(line, TABLE_WIDTH) for line in lines]


def findings_blocks(findings: Sequence[Finding], names: dict[str, str]) -> list[str]:
    """One block per account, most severe first: each finding, then its next step."""
    if not findings:
        return ["No findings."]
    lines: list[str] = []
    order: dict[str, list[Finding]] = {}
    for finding in findings:
        order.setdefault(finding.account_id, []).append(finding)
    for account_id, found in order.items():
        name = names.get(account_id, "")
        lines.append(f"{account_id}  {name}".rstrip())
        for finding in found:
            head = f"  [{finding.severity.value}] {label(finding.kind.value)}: {finding.message}"
            lines.extend(textwrap.wrap(head, TABLE_WIDTH, subsequent_indent="      "))
            lines.extend(
                textwrap.wrap(
                    f"next step: {finding.next_step}",
                    TABLE_WIDTH,
                    initial_indent="      ",
                    subsequent_indent="      ",
                )
            )
        lines.append("")
    return lines[:-1]


# --- gaps filters ---------------------------------------------------------------------------


def add_gaps_filters(parser: argparse.ArgumentParser) -> None:
    """Add ``--min-severity`` and ``--rule`` to ``gaps``."""
    parser.add_argument(
        "--min-severity",
        choices=("info", "warning", "critical"),
        default="info",
        help="show findings of this severity or above (default: info, all)",
    )
    parser.add_argument(
        "--rule",
        action="append",
        default=None,
        metavar="NAME",
        help="run only this detection rule (repeat for several); see --list-rules",
    )
    parser.add_argument(
        "--list-rules", action="store_true", help="list the detection rules and exit"
    )


def filter_findings(findings: Iterable[Finding], min_severity: str) -> list[Finding]:
    """The findings at ``min_severity`` or above."""
    from successkit.detection import Severity  # noqa: PLC0415

    floor = Severity(min_severity)
    return [finding for finding in findings if finding.severity >= floor]


# --- demo ------------------------------------------------------------------------------


def demo_hint(size: int, seed: int) -> list[str]:
    """What to try after the demo: one line for the default demo (it fits one screen)."""
    score = "successkit gaps p.jsonl --as-of 2026-11-24"
    if (size, seed) == (DEMO_SIZE, 0):
        return ["", f"Try: successkit sample -o p.jsonl && {score}"]
    return ["", f"Try: successkit sample --size {size} --seed {seed} -o p.jsonl", f"  then {score}"]


# --- sample ------------------------------------------------------------------------------


def add_sample(subparsers: Subparsers, emit: Callable[[Iterable[str]], None]) -> None:
    """Register ``successkit sample``."""
    parser = subparsers.add_parser(
        "sample",
        help="write a sample portfolio to a file (JSON, JSON Lines) or a folder of CSV tables",
        description=(
            "Write the deterministic sample portfolio of the demo, to try the other commands "
            "on: a .json file (one Portfolio document), a .jsonl file (one Account per "
            "line) or a folder of CSV tables (--format csv)."
        ),
    )
    parser.add_argument(
        "--size", type=int, default=DEMO_SIZE, metavar="N", help=f"accounts ({DEMO_SIZE})"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="the seed (0)")
    parser.add_argument(
        "--format",
        choices=("json", "jsonl", "csv"),
        default=None,
        help="the format (default: from the suffix of --output; a folder for csv)",
    )
    parser.add_argument(
        "--output", "-o", required=True, metavar="PATH", help="the file (or folder for csv)"
    )

    def run(args: argparse.Namespace) -> int:
        return _run_sample(args, emit)

    parser.set_defaults(run=run)


def _run_sample(args: argparse.Namespace, emit: Callable[[Iterable[str]], None]) -> int:
    from successkit import samples  # noqa: PLC0415
    from successkit.serialization import to_json  # noqa: PLC0415

    if args.size < 0:
        raise ValidationError("--size", args.size, "a whole number >= 0")
    chosen = args.format or {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(
        Path(args.output).suffix.lower(), "csv"
    )
    portfolio = samples.sample_portfolio(args.size, seed=args.seed, as_of=samples.DEMO_AS_OF)
    if chosen == "json":
        write_atomically(args.output, to_json(portfolio, indent=2) + "\n")
    elif chosen == "jsonl":
        write_atomically(args.output, "".join(f"{to_json(a)}\n" for a in portfolio.accounts))
    else:
        from successkit._csv_export import write_csv_folder  # noqa: PLC0415

        write_csv_folder(portfolio.accounts, args.output)
    emit([f"wrote {len(portfolio.accounts)} sample accounts ({chosen}) to {args.output}"])
    return 0


def account_names(accounts: Iterable[Account]) -> dict[str, str]:
    """Each account's name by id (accounts without a name are left out)."""
    return {account.id: account.name for account in accounts if account.name}


def moment_text(moment: datetime) -> str:
    """A moment for people: ``2026-11-24 12:00 UTC``."""
    return moment.strftime("%Y-%m-%d %H:%M %Z").rstrip()
