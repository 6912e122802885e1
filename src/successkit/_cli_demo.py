"""The ``successkit demo`` command: a sample portfolio, a few accounts, the whole story.

It prints, for a handful of accounts of a deterministic sample portfolio, where
each goal stands, the health score with what it lacks, the findings by
severity, then the portfolio in numbers and what to try next.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from successkit import _cli_tools as tools
from successkit._display import INSUFFICIENT_EVIDENCE, NO_BAND
from successkit.model import Account, Goal, GoalStatus

if TYPE_CHECKING:
    from successkit.detection import Finding, PortfolioFindings
    from successkit.samples import Archetype
    from successkit.scoring import GroupResult, Score

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]  # noqa: SLF001

__all__ = ["DEFAULT_DEMO_SIZE", "add_demo", "findings_summary"]

EXIT_OK = 0


DEFAULT_DEMO_SIZE = 200


def add_demo(subparsers: Subparsers) -> None:
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
        type=tools.count,
        default=DEFAULT_DEMO_SIZE,
        metavar="N",
        help=f"accounts in the portfolio (default: {DEFAULT_DEMO_SIZE})",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="the portfolio's seed (default: 0)"
    )
    parser.add_argument(
        "--show",
        type=tools.positive,
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
        lines.extend(findings_summary(found))
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


def findings_summary(found: PortfolioFindings) -> list[str]:
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
