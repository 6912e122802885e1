"""The ``successkit`` command line.

Each subcommand is one ``_add_<name>(subparsers)`` function: it declares the
subcommand's arguments and sets ``run`` to the function doing the work, which
takes the parsed arguments and returns the exit code. Adding a command means
writing those two functions and listing the first in :data:`_COMMANDS`.

Exit codes: 0 when all went well, 1 when successkit refused something (the
message is printed as ``error: ...`` on stderr), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from successkit._version import __version__
from successkit.errors import SuccessKitError
from successkit.model import Account, Goal, GoalStatus

if TYPE_CHECKING:
    from successkit.samples import Archetype

__all__ = ["build_parser", "main"]

Command = Callable[[argparse.Namespace], int]
"""What a subcommand runs: parsed arguments in, exit code out."""

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]  # noqa: SLF001

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


def _emit(lines: Iterable[str]) -> None:
    """Write ``lines`` to standard output (looked up now, so it can be captured)."""
    sys.stdout.write("".join(f"{line}\n" for line in lines))


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
    # Sample data is only needed here; other commands should not pay for it.
    from successkit import samples  # noqa: PLC0415

    as_of = samples.DEMO_AS_OF
    portfolio = samples.sample_portfolio(args.size, seed=args.seed, as_of=as_of)
    kinds = samples.portfolio_archetypes(args.size, seed=args.seed)
    picked = _pick(kinds, list(samples.Archetype), args.show)
    lines = _demo_heading(args.size, args.seed, as_of, shown=len(picked), each=args.show is None)
    for index in picked:
        lines.extend(_account_lines(portfolio.accounts[index], kinds[index], as_of))
    _emit(lines)
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
        lines.append("One account per archetype; where each goal stands at that moment.")
    else:
        lines.append(f"{shown} accounts taken in turn from each archetype; their goals then.")
    lines.append("")
    return lines


def _account_lines(account: Account, archetype: Archetype, as_of: datetime) -> list[str]:
    """The account's heading, then each goal's status."""
    kind = archetype.value.replace("_", " ")
    lines = [f"{account.id}  {account.name}  ({account.segment}, {kind})"]
    for goal, status in zip(account.goals, account.goal_statuses(as_of), strict=True):
        lines.extend(_goal_lines(goal, status))
    return lines


def _goal_lines(goal: Goal, status: GoalStatus) -> list[str]:
    """Three lines: the goal, its verdicts, its pace."""
    return [
        f"  - {goal.title}: {goal.objective.describe()}",
        (
            f"    objective met: {_yes_no(status.objective_met)}"
            f"  conditions: {_conditions(status)}"
            f"  achieved: {_yes_no(status.achieved)}"
            f"  overdue: {_yes_no(status.overdue)}"
        ),
        f"    {_pace(status)}",
    ]


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "unknown"
    return "yes" if value else "no"


def _conditions(status: GoalStatus) -> str:
    """How many conditions are met, unmet and unknown, leaving out the zeros."""
    if not status.conditions:
        return "none"
    counts: dict[str, int] = {}
    for result in status.conditions:
        counts[result.state.value] = counts.get(result.state.value, 0) + 1
    return ", ".join(
        f"{counts[state]} {state}" for state in ("met", "unmet", "unknown") if state in counts
    )


def _pace(status: GoalStatus) -> str:
    elapsed = f"elapsed {status.elapsed:.0%}"
    if status.progress is None or status.pace is None:
        return f"progress unknown (no value recorded) vs {elapsed}"
    points = round(status.pace * 100)
    if points > 0:
        verdict = f"ahead by {points} pts"
    elif points < 0:
        verdict = f"behind by {-points} pts"
    else:
        verdict = "on pace"
    return f"progress {status.progress:.0%} vs {elapsed}: {verdict}"


# --- the parser and the entry point ---------------------------------------------------------

_COMMANDS: tuple[Callable[[Subparsers], None], ...] = (_add_demo,)
"""Every subcommand's registrar, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The ``successkit`` argument parser, with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="successkit",
        description="Customer Success as code: goals, health scores and success gaps.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
        ``error: <message>`` on stderr), 2 for a usage error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        # argparse exits on --help, --version and usage errors; report the code instead.
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    command: Command = args.run
    try:
        return command(args)
    except SuccessKitError as error:
        sys.stderr.write(f"error: {error}\n")
        return EXIT_REFUSED
