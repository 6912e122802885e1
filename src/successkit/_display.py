"""HTML for notebooks: compact, coloured summaries of scores, goals, accounts and findings.

Jupyter shows an object through its ``_repr_html_`` method; the classes delegate
to the builders here, importing this module only when a notebook asks. Every
piece of text that comes from data (ids, names, measures, messages) is
HTML-escaped, and numbers are printed with the same formats as the plain-text
explanations (``Score.explain``), so a notebook and a log say the same thing.

Only the standard library is imported at run time: the model classes call these
builders, and the model must not pull the scoring or detection layers in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Final

from successkit._labels import format_figure, format_value, label

if TYPE_CHECKING:
    from collections.abc import Mapping

    from successkit.detection import Finding, PortfolioFindings
    from successkit.model import Account, ConditionResult, GoalStatus, Portfolio
    from successkit.scoring import Band, Contribution, Score

__all__ = [
    "BAND_COLOURS",
    "INSUFFICIENT_EVIDENCE",
    "NO_BAND",
    "QUADRANT_LABELS",
    "SEVERITY_COLOURS",
    "account_html",
    "accounts_html",
    "band_chip",
    "finding_html",
    "findings_html",
    "goal_state",
    "goal_status_html",
    "portfolio_html",
    "score_html",
    "version_text",
    "worst_first",
]

NO_BAND: Final = "no band"
"""What a score without enough evidence shows where a band would be."""

INSUFFICIENT_EVIDENCE: Final = "insufficient evidence"
"""The marker of a score whose data do not support a band."""

BAND_COLOURS: Final = {"red": "#d64545", "amber": "#f0a030", "green": "#3a9d5d"}
"""Fill colour of each band, by the band's value; shared with the plots."""

# Amber is light: dark text on it reads better than white.
_CHIP_TEXT: Final = {"red": "#ffffff", "amber": "#1a1a1a", "green": "#ffffff"}

SEVERITY_COLOURS: Final = {"info": "#5b7fa6", "warning": "#f0a030", "critical": "#d64545"}
"""Fill colour of each finding severity, by the severity's value."""

QUADRANT_LABELS: Final = {
    "advocate": "Advocates",
    "false_promoter": "False promoters",
    "unhappy_achiever": "Unhappy achievers",
    "code_red": "Code red",
}
"""How each quadrant is named for people, by the quadrant's value."""

_MUTED: Final = "#6b6b6b"
_BOX: Final = (
    "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;"
    "line-height:1.45;border:1px solid #d9d9d9;border-radius:6px;padding:8px 12px;"
    "display:inline-block;max-width:760px"
)
_TABLE: Final = "border-collapse:collapse;margin-top:6px;font-size:12px"
_CELL: Final = "padding:2px 8px;border-bottom:1px solid #eeeeee;text-align:left"
_NUMBER_CELL: Final = "padding:2px 8px;border-bottom:1px solid #eeeeee;text-align:right"


def _chip(text: str, fill: str, ink: str, css_class: str) -> str:
    return (
        f'<span class="{css_class}" style="background:{fill};color:{ink};'
        f'padding:1px 7px;border-radius:9px;font-weight:600">{escape(text)}</span>'
    )


def band_chip(band_value: str | None) -> str:
    """A coloured label for a band, given the band's value (``"red"``, ...).

    ``None`` (a score without enough evidence) gets a grey "no band" label.
    """
    if band_value is None:
        return _chip(NO_BAND, _MUTED, "#ffffff", "sk-band sk-band-none")
    return _chip(
        band_value,
        BAND_COLOURS.get(band_value, _MUTED),
        _CHIP_TEXT.get(band_value, "#ffffff"),
        f"sk-band sk-band-{escape(band_value)}",
    )


def _band_value(band: Band | None) -> str | None:
    return None if band is None else band.value


def _moment(moment: datetime) -> str:
    zone = moment.tzname() or moment.strftime("%z")
    return escape(f"{moment:%Y-%m-%d %H:%M} {zone}")


def _muted(text: str) -> str:
    return f'<span style="color:{_MUTED}">{text}</span>'


def _row(cells: Iterable[tuple[str, bool]], css_class: str = "") -> str:
    # Each cell is (already escaped HTML, whether it holds a number).
    attribute = f' class="{css_class}"' if css_class else ""
    body = "".join(
        f'<td style="{_NUMBER_CELL if numeric else _CELL}">{html}</td>' for html, numeric in cells
    )
    return f"<tr{attribute}>{body}</tr>"


def _header(names: Sequence[str], numeric: Sequence[bool]) -> str:
    cells = "".join(
        f'<th style="{_NUMBER_CELL if right else _CELL}">{escape(name)}</th>'
        for name, right in zip(names, numeric, strict=True)
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _percent(share: float) -> str:
    return f"{share:.0%}"


def version_text(version: str) -> str:
    """A scorer version for people: ``v2``, or ``(outcomes v1 + experience v1)`` for a composite."""
    if "@" not in version:
        return f"v{version}" if version[:1].isdigit() else f"({version})"
    parts = [part.partition("@") for part in version.split("+")]
    named = " + ".join(f"{name} v{number}" if sep else name for name, sep, number in parts)
    return f"({named})"


def worst_first(score: Score) -> tuple[int, float, str]:
    """A sort key putting the scores that need attention first.

    Red first, then scores without a band (nobody knows: look), then amber and
    green; within a band the lowest value first, then by account id.
    """
    rank = 1 if score.band is None else 2 * score.band.rank
    return (rank, score.value, score.account_id or "")


# --- scores -----------------------------------------------------------------------


def _contribution_row(item: Contribution) -> str:
    if item.missing:
        handling = item.handling.value if item.handling is not None else "unhandled"
        raw = f'<em style="color:{_MUTED}">missing ({escape(handling)})</em>'
        css_class = "sk-missing"
    else:
        raw = escape(format_value(item.measure, item.raw, missing=""))
        css_class = ""
    return _row(
        (
            (escape(label(item.measure)), False),
            (escape(label(item.group) if item.group else ""), False),
            (raw, False),
            (escape(_percent(item.effective_weight)), True),
            (escape(f"{item.points:.2f}"), True),
        ),
        css_class,
    )


def score_html(score: Score) -> str:
    """A compact card: value, band, scorer, moment, quadrant, override and contributions."""
    who = escape(score.account_id) if score.account_id is not None else "given values"
    head = (
        f"<strong>{who}</strong> &middot; "
        f'<span class="sk-value" style="font-size:1.35em;font-weight:700">'
        f"{score.shown_value(1)}</span> on {escape(str(score.scale))} "
        f"{band_chip(_band_value(score.band))}"
    )
    if score.evidence_gaps:
        head += f" {_muted('(partial value)')}"
    details = [f"{escape(score.scorer)} {escape(version_text(score.version))}"]
    if score.as_of is not None:
        details.append(f"as of {_moment(score.as_of)}")
    details.append(f"coverage {_percent(score.coverage)}")
    lines = [f"<div>{head}</div>", f"<div>{_muted(' &middot; '.join(details))}</div>"]
    if score.evidence_gaps:
        lines.append(
            f'<div class="sk-evidence"><strong>{INSUFFICIENT_EVIDENCE}</strong>: '
            f"{escape('; '.join(score.evidence_gaps))}</div>"
        )
    if score.quadrant is not None:
        position = score.quadrant
        label = QUADRANT_LABELS.get(position.quadrant.value, position.quadrant.value)
        lines.append(
            f'<div class="sk-quadrant">quadrant: <strong>{escape(label)}</strong> '
            f"(outcomes {position.outcomes:.1f}, experience {position.experience:.1f}) "
            f"&mdash; {escape(position.quadrant.summary)}</div>"
        )
    if score.override is not None:
        override = score.override
        lines.append(
            f'<div class="sk-override">overridden by {escape(override.author)} '
            f"({escape(override.reason)}) until {_moment(override.expires_at)}; computed "
            f"{score.computed_value:.1f} {band_chip(_band_value(score.computed_band))}</div>"
        )
    if score.contributions:
        rows = "".join(_contribution_row(item) for item in score.contributions)
        header = _header(
            ("measure", "group", "value", "weight", "points"), (False, False, False, True, True)
        )
        lines.append(f'<table style="{_TABLE}">{header}<tbody>{rows}</tbody></table>')
    return f'<div class="sk sk-score" style="{_BOX}">{"".join(lines)}</div>'


def _half(score: Score, name: str) -> str:
    for group in score.groups:
        if group.name == name:
            value = group.value
            return "?" if value is None or not group.evidenced else f"{value:.1f}"
    return ""


def portfolio_html(
    scores: Sequence[Score], *, max_rows: int, names: Mapping[str, str] | None = None
) -> str:
    """A table of scores, worst first, under a count of accounts per band.

    ``names`` maps account ids to the customers' names, shown next to the ids.
    """
    counts: dict[str | None, int] = dict.fromkeys(BAND_COLOURS, 0)
    for score in scores:
        counts[_band_value(score.band)] = counts.get(_band_value(score.band), 0) + 1
    summary = " ".join(
        f"{band_chip(band)} {count}" for band, count in counts.items() if band or count
    )
    head = (
        f"<div><strong>{len(scores)} accounts</strong> &middot; {summary} "
        f"{_muted('&middot; worst first')}</div>"
    )
    header = _header(
        ("account", "name", "health", "band", "CO", "CX", "quadrant", "coverage"),
        (False, False, True, False, True, True, False, True),
    )
    known = names or {}
    rows = []
    for score in sorted(scores, key=worst_first)[:max_rows]:
        quadrant = (
            QUADRANT_LABELS.get(score.quadrant.quadrant.value, score.quadrant.quadrant.value)
            if score.quadrant is not None
            else ""
        )
        account = score.account_id or ""
        rows.append(
            _row(
                (
                    (escape(account), False),
                    (escape(known.get(account, "")), False),
                    (score.shown_value(1), True),
                    (band_chip(_band_value(score.band)), False),
                    (_half(score, "outcomes"), True),
                    (_half(score, "experience"), True),
                    (escape(quadrant), False),
                    (_percent(score.coverage), True),
                )
            )
        )
    more = ""
    if len(scores) > max_rows:
        more = (
            f'<div class="sk-more">{_muted(f"showing {max_rows} of {len(scores)} accounts")}</div>'
        )
    table = f'<table style="{_TABLE}">{header}<tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="sk sk-portfolio" style="{_BOX}">{head}{table}{more}</div>'


# --- goals and accounts ---------------------------------------------------------


def goal_state(status: GoalStatus) -> tuple[str, str]:
    """The word and colour that sum a goal status up."""
    if status.achieved:
        return "achieved", BAND_COLOURS["green"]
    if status.overdue:
        return "overdue", BAND_COLOURS["red"]
    if status.conditions_state.value == "unmet":
        # The number may be met, yet the customer will not feel successful.
        return "conditions unmet", BAND_COLOURS["amber"]
    if status.on_pace is None:
        return "progress unknown", _MUTED
    if status.on_pace:
        return "on pace", BAND_COLOURS["green"]
    return "behind pace", BAND_COLOURS["amber"]


def _condition_row(result: ConditionResult) -> str:
    colours = {"met": BAND_COLOURS["green"], "unmet": BAND_COLOURS["red"], "unknown": _MUTED}
    state = result.state.value
    observed = "not recorded" if result.observed is None else f"{result.observed:g}"
    mark = (
        f'<span style="color:{colours.get(state, _MUTED)};font-weight:600">{escape(state)}</span>'
    )
    return _row(
        ((escape(str(result.condition)), False), (mark, False), (escape(observed), True)),
        f"sk-condition sk-{escape(state)}",
    )


def goal_status_html(status: GoalStatus) -> str:
    """Where a goal stands: its state, value, progress against time, and each condition."""
    word, colour = goal_state(status)
    ink = _CHIP_TEXT["amber"] if colour == BAND_COLOURS["amber"] else "#ffffff"
    state_chip = _chip(word, colour, ink, "sk-goal-state")
    value = "not recorded" if status.value is None else f"{status.value:g}"
    progress = "unknown" if status.progress is None else _percent(status.progress)
    facts = [
        f"value {escape(value)}",
        f"progress {progress}",
        f"time elapsed {_percent(status.elapsed)}",
    ]
    if status.pace is not None:
        facts.append(f"pace {status.pace:+.0%}")
    objective = {True: "met", False: "not met", None: "unknown"}[status.objective_met]
    facts.append(f"objective {objective}")
    facts.append(f"conditions {escape(status.conditions_state.value)}")
    lines = [
        (
            f"<div><strong>{escape(status.goal_id)}</strong> {state_chip} "
            f"{_muted('as of ' + _moment(status.as_of))}</div>"
        ),
        f"<div>{' &middot; '.join(facts)}</div>",
    ]
    if status.conditions:
        header = _header(("condition", "state", "observed"), (False, False, True))
        rows = "".join(_condition_row(result) for result in status.conditions)
        lines.append(f'<table style="{_TABLE}">{header}<tbody>{rows}</tbody></table>')
    return f'<div class="sk sk-goal-status" style="{_BOX}">{"".join(lines)}</div>'


def account_html(account: Account) -> str:
    """Who the customer is, what they pay, their goals and how much history is recorded.

    Nothing here depends on a moment: scores and goal statuses need an ``as_of``
    and have their own display.
    """
    title = escape(account.name or account.id)
    where = _muted(f"{escape(account.id)} &middot; {escape(account.segment)}")
    head = f"<strong>{title}</strong> {where}"
    lines = [f"<div>{head}</div>"]
    contract = account.contract
    if contract is not None:
        lines.append(
            f'<div class="sk-contract">ARR {contract.arr:,.2f} {escape(contract.currency)} '
            f"&middot; renews {contract.renewal_date:%Y-%m-%d}</div>"
        )
    if account.goals:
        items = "".join(
            f"<li>{escape(goal.title)} {_muted('by ' + f'{goal.timeframe.deadline:%Y-%m-%d}')}</li>"
            for goal in account.goals
        )
        lines.append(f'<div>goals:</div><ul style="margin:2px 0 2px 18px;padding:0">{items}</ul>')
    context = account.relationship.context
    counts = (
        ("interactions", len(account.relationship.interactions)),
        ("milestones", len(context.milestones)),
        ("commitments", len(context.accountability.commitments)),
        ("expectations", len(context.orchestration.expectations)),
        ("metric observations", len(context.observations)),
        ("survey answers", len(account.surveys)),
        ("lifecycle events", len(account.lifecycle)),
    )
    lines.append(
        '<div class="sk-counts">'
        + _muted(" &middot; ".join(f"{count} {name}" for name, count in counts))
        + "</div>"
    )
    return f'<div class="sk sk-account" style="{_BOX}">{"".join(lines)}</div>'


def accounts_html(portfolio: Portfolio, *, max_rows: int = 50) -> str:
    """A portfolio of accounts: one row each, with segment, ARR, renewal and record counts."""
    segments: dict[str, int] = {}
    for account in portfolio.accounts:
        segments[account.segment] = segments.get(account.segment, 0) + 1
    by_segment = ", ".join(f"{escape(name)} {count}" for name, count in sorted(segments.items()))
    head = f"<div><strong>{len(portfolio.accounts)} accounts</strong> {_muted(by_segment)}</div>"
    header = _header(
        ("account", "name", "segment", "ARR", "renews", "goals", "interactions"),
        (False, False, False, True, False, True, True),
    )
    rows = []
    for account in portfolio.accounts[:max_rows]:
        contract = account.contract
        arr = "" if contract is None else f"{contract.arr:,.0f} {contract.currency}"
        renews = "" if contract is None else f"{contract.renewal_date:%Y-%m-%d}"
        rows.append(
            _row(
                (
                    (escape(account.id), False),
                    (escape(account.name), False),
                    (escape(account.segment), False),
                    (escape(arr), True),
                    (escape(renews), False),
                    (str(len(account.desired_outcomes)), True),
                    (str(len(account.relationship.interactions)), True),
                )
            )
        )
    more = ""
    if len(portfolio.accounts) > max_rows:
        shown = f"showing {max_rows} of {len(portfolio.accounts)} accounts"
        more = f'<div class="sk-more">{_muted(shown)}</div>'
    table = f'<table style="{_TABLE}">{header}<tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="sk sk-portfolio-accounts" style="{_BOX}">{head}{table}{more}</div>'


# --- findings --------------------------------------------------------------------


def finding_html(finding: Finding) -> str:
    """A finding: severity, kind, message, next step and the evidence with its numbers."""
    severity = finding.severity.value
    chip = _chip(
        severity,
        SEVERITY_COLOURS.get(severity, _MUTED),
        "#1a1a1a" if severity == "warning" else "#ffffff",
        f"sk-severity sk-severity-{escape(severity)}",
    )
    lines = [
        (
            f"<div>{chip} <strong>{escape(label(finding.kind.value))}</strong> "
            f"{_muted(escape(finding.account_id) + ' &middot; as of ' + _moment(finding.as_of))}"
            "</div>"
        ),
        f'<div class="sk-message">{escape(finding.message)}</div>',
        f'<div class="sk-next-step">next step: {escape(finding.next_step)}</div>',
    ]
    for evidence in finding.evidence:
        figures = ", ".join(
            escape(format_figure(figure.name, figure.value, figure.unit))
            for figure in evidence.figures
        )
        suffix = f" ({figures})" if figures else ""
        lines.append(
            f'<div class="sk-evidence">{_muted("&bull; " + escape(evidence.label) + suffix)}</div>'
        )
    return f'<div class="sk sk-finding" style="{_BOX}">{"".join(lines)}</div>'


def _severity_chip(severity: str) -> str:
    return _chip(
        severity,
        SEVERITY_COLOURS.get(severity, _MUTED),
        "#1a1a1a" if severity == "warning" else "#ffffff",
        f"sk-severity sk-severity-{escape(severity)}",
    )


def findings_html(found: PortfolioFindings, *, max_rows: int = 50) -> str:
    """A portfolio's findings, most severe first: the counts, then one row per finding."""
    counts = " ".join(f"{_severity_chip(c.severity.value)} {c.count}" for c in found.by_severity)
    head = (
        f"<div><strong>{len(found.findings)} findings</strong> on {found.accounts} accounts "
        f"{_muted('as of ' + _moment(found.as_of))} {counts}</div>"
    )
    header = _header(
        ("severity", "account", "finding", "message", "next step"),
        (False, False, False, False, False),
    )
    rows = [
        _row(
            (
                (_severity_chip(finding.severity.value), False),
                (escape(finding.account_id), False),
                (escape(label(finding.kind.value)), False),
                (escape(finding.message), False),
                (escape(finding.next_step), False),
            )
        )
        for finding in found.findings[:max_rows]
    ]
    more = ""
    if len(found.findings) > max_rows:
        shown = f"showing {max_rows} of {len(found.findings)} findings"
        more = f'<div class="sk-more">{_muted(shown)}</div>'
    table = f'<table style="{_TABLE}">{header}<tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="sk sk-findings" style="{_BOX}">{head}{table}{more}</div>'
