"""Rendering a success plan as Markdown and as HTML."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from successkit.actions._success_plan import (
    PARTY_TITLES,
    CommitmentStatus,
    PlanCommitment,
    PlanGoal,
    SuccessPlan,
)
from successkit.model import MilestoneKind, Party

__all__ = ["plan_html", "plan_markdown"]


def _day(moment: datetime | None) -> str:
    return "" if moment is None else moment.date().isoformat()


def _progress(goal: PlanGoal) -> str:
    return "?" if goal.progress is None else f"{goal.progress:.0%}"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.replace("|", "\\|").split())


def _commitment_state(item: PlanCommitment) -> str:
    if item.status is CommitmentStatus.DONE:
        return f"done {_day(item.done_at)}"
    return str(item.status.value)


def plan_markdown(plan: SuccessPlan) -> str:
    """The plan as Markdown: goals, milestones by kind, commitments by party, expectations."""
    title = plan.account_name or plan.account_id
    lines = [
        f"# Success plan: {_cell(title)}",
        "",
        f"As of {_day(plan.as_of)}.",
        "",
        "## Goals",
        "",
    ]
    if not plan.goals:
        lines.append("No goal recorded yet.")
    for goal in plan.goals:
        lines.append(
            f"- **{_cell(goal.title)}**: {_cell(goal.objective)}, "
            f"{_day(goal.start)} to {_day(goal.deadline)}; {goal.status}, "
            f"{_progress(goal)} of the target"
        )
        lines.extend(f"  - condition: {_cell(text)} ({state})" for text, state in goal.conditions)
    lines.extend(["", "## Milestones", ""])
    if not plan.milestones:
        lines.append("No milestone recorded yet.")
    for kind in MilestoneKind:
        items = plan.milestones_of_kind(kind)
        if not items:
            continue
        lines.extend([f"### {kind.value.capitalize()}", "", "| milestone | due | status |"])
        lines.append("| --- | --- | --- |")
        for m in items:
            state = f"reached {_day(m.achieved_at)}" if m.achieved_at else m.status.value
            lines.append(f"| {_cell(m.name)} | {_day(m.due)} | {state} |")
        lines.append("")
    lines.extend(["## Commitments", ""])
    for party in Party:
        held = plan.for_party(party)
        lines.extend([f"### {PARTY_TITLES[party]}", ""])
        if not held:
            lines.extend(["Nothing committed yet.", ""])
            continue
        lines.extend(["| commitment | owner | due | status |", "| --- | --- | --- | --- |"])
        lines.extend(
            f"| {_cell(c.description)} | {_cell(c.owner) or '-'} | {_day(c.due)} "
            f"| {_commitment_state(c)} |"
            for c in held
        )
        lines.append("")
    lines.extend(["## What to expect", ""])
    if not plan.expectations:
        lines.append("Nothing scheduled in the coming weeks.")
    lines.extend(
        f"- {_day(x.expected_at)}: {_cell(x.description or x.event)}" for x in plan.expectations
    )
    return "\n".join(lines).rstrip() + "\n"


_STYLE = """
body { font-family: system-ui, sans-serif; color: #1f2933; margin: 2rem auto; max-width: 72rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #d9e2ec; padding-bottom: 0.2rem;
     margin-top: 1.6rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.4rem; color: #486581; }
.as-of { color: #627d98; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin-bottom: 0.6rem; }
th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #e4e7eb; }
th { font-weight: 600; color: #486581; font-size: 0.85rem; }
.status { font-weight: 600; border-radius: 0.6rem; padding: 0.05rem 0.5rem; font-size: 0.85rem;
          white-space: nowrap; }
.date { white-space: nowrap; }
.done, .reached, .achieved, .on-pace { background: #e3f9e5; color: #207227; }
.overdue, .behind-pace, .conditions-unmet { background: #ffe3e3; color: #a61b1b; }
.open, .no-value-yet { background: #fff3c4; color: #8d2b0b; }
.parties { display: grid; grid-template-columns: repeat(auto-fit, minmax(30rem, 1fr));
           gap: 0 2rem; }
.empty { color: #829ab1; font-style: italic; }
"""


def _date(moment: datetime | None) -> str:
    return f'<span class="date">{_day(moment)}</span>'


def _badge(text: str) -> str:
    dated = text.startswith(("done ", "reached "))
    css = text.split(" ", maxsplit=1)[0] if dated else text.replace(" ", "-")
    return f'<span class="status {escape(css)}">{escape(text)}</span>'


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _goals_html(plan: SuccessPlan) -> list[str]:
    if not plan.goals:
        return ['<p class="empty">No goal recorded yet.</p>']
    rows = []
    for goal in plan.goals:
        conditions = "<br>".join(
            f"{escape(text)} ({escape(state)})" for text, state in goal.conditions
        )
        rows.append(
            (
                f"<strong>{escape(goal.title)}</strong><br>{escape(goal.objective)}",
                conditions or "-",
                f"{_date(goal.start)} to {_date(goal.deadline)}",
                f"{_badge(goal.status)}<br>{escape(_progress(goal))} of the target",
            )
        )
    return [_table(("goal", "conditions", "time frame", "status"), rows)]


def _milestones_html(plan: SuccessPlan) -> list[str]:
    parts: list[str] = []
    for kind in MilestoneKind:
        items = plan.milestones_of_kind(kind)
        if not items:
            continue
        rows = [
            (
                escape(m.name),
                _date(m.due),
                _badge(f"reached {_day(m.achieved_at)}" if m.achieved_at else m.status.value),
            )
            for m in items
        ]
        parts.extend(
            [
                f"<h3>{escape(kind.value.capitalize())}</h3>",
                _table(("milestone", "due", "status"), rows),
            ]
        )
    return parts or ['<p class="empty">No milestone recorded yet.</p>']


def _commitments_html(plan: SuccessPlan) -> list[str]:
    parts = ['<div class="parties">']
    for party in Party:
        items = plan.for_party(party)
        parts.append(f"<section><h3>{escape(PARTY_TITLES[party])}</h3>")
        if items:
            rows = [
                (
                    escape(c.description),
                    escape(c.owner or "-"),
                    _date(c.due),
                    _badge(_commitment_state(c)),
                )
                for c in items
            ]
            parts.append(_table(("commitment", "owner", "due", "status"), rows))
        else:
            parts.append('<p class="empty">Nothing committed yet.</p>')
        parts.append("</section>")
    parts.append("</div>")
    return parts


def plan_html(plan: SuccessPlan, *, standalone: bool = True) -> str:
    """The plan as HTML: a whole page, or (``standalone=False``) a fragment for notebooks."""
    title = escape(plan.account_name or plan.account_id)
    expectations = (
        "<ul>"
        + "".join(
            f"<li><strong>{_day(x.expected_at)}</strong>: {escape(x.description or x.event)}</li>"
            for x in plan.expectations
        )
        + "</ul>"
        if plan.expectations
        else '<p class="empty">Nothing scheduled in the coming weeks.</p>'
    )
    body = "\n".join(
        [
            f"<h1>Success plan: {title}</h1>",
            (
                f'<p class="as-of">As of {_day(plan.as_of)}: '
                "what each side has committed to, and by when.</p>"
            ),
            "<h2>Goals</h2>",
            *_goals_html(plan),
            "<h2>Milestones</h2>",
            *_milestones_html(plan),
            "<h2>Commitments</h2>",
            *_commitments_html(plan),
            "<h2>What to expect</h2>",
            expectations,
        ]
    )
    if not standalone:
        return f'<div class="successkit-plan"><style>{_STYLE}</style>{body}</div>'
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Success plan: {title}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
