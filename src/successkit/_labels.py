"""One registry of display names and number formats, shared by every output.

The command line, the notebook HTML, the charts and ``str()`` all name a measure,
a finding kind or an evidence figure through :func:`label`, and print its value
through :func:`format_value`, so ``days_since_last_interaction`` reads "Days
since last interaction" and ``0.461653`` of a share reads "46%" everywhere.

A name nobody registered still reads well: ``weekly_active_users`` becomes
"Weekly active users" and its value is printed with up to three significant
digits. Register your own measures with :func:`register_label`.

Only the standard library is imported: the model, scoring and detection layers
all call this module.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Final, NamedTuple

__all__ = [
    "Label",
    "Unit",
    "format_figure",
    "format_value",
    "humanize",
    "label",
    "register_label",
    "severity_label",
    "unit_of",
]


class Unit(Enum):
    """How a value is printed for people."""

    NUMBER = "number"
    """Up to three significant digits: ``1234.5`` -> ``1,234.5``, ``0.4617`` -> ``0.462``."""
    SHARE = "share"
    """A share from 0 to 1, as a percentage: ``0.4617`` -> ``46%``."""
    PERCENT = "percent"
    """Already on 0-100, as a percentage: ``46.17`` -> ``46%``."""
    SIGNED_SHARE = "signed_share"
    """A difference of shares, signed, in points: ``-0.12`` -> ``-12 pts``."""
    DAYS = "days"
    """A duration in days: ``3.4`` -> ``3 days``."""
    COUNT = "count"
    """A whole count: ``3.0`` -> ``3``."""
    SIGNED = "signed"
    """A signed number such as an NPS: ``12.0`` -> ``+12``."""
    SCORE = "score"
    """A score, with one decimal: ``14.72`` -> ``14.7``."""
    MONEY = "money"
    """An amount of money, with thousands separators: ``24000`` -> ``24,000``."""


class Label(NamedTuple):
    """How one name is shown: its display name and its unit."""

    text: str
    """The display name, in sentence case: ``"Days since last interaction"``."""
    unit: Unit = Unit.NUMBER
    """How its values are printed."""


_LABELS: dict[str, Label] = {}

_BUILT_IN: Final = {
    # health measures
    "nps": ("NPS", Unit.SIGNED),
    "nps_average": ("Average likelihood to recommend (0-10)", Unit.NUMBER),
    "csat": ("CSAT", Unit.PERCENT),
    "csat_average": ("Average CSAT answer (1-5)", Unit.NUMBER),
    "goal_attainment": ("Goal attainment", Unit.SHARE),
    "goals_achieved": ("Goals achieved", Unit.SHARE),
    "condition_satisfaction": ("Conditions met", Unit.SHARE),
    "pace": ("Pace against time", Unit.SIGNED_SHARE),
    "milestone_progress": ("Milestones achieved", Unit.SHARE),
    "milestones_functional": ("Functional milestones achieved", Unit.SHARE),
    "milestones_operational": ("Operational milestones achieved", Unit.SHARE),
    "milestones_tactical": ("Tactical milestones achieved", Unit.SHARE),
    "milestones_strategic": ("Strategic milestones achieved", Unit.SHARE),
    "cadence_adherence": ("Cadence adherence", Unit.SHARE),
    "inbound_share": ("Inbound (reactive) share", Unit.SHARE),
    "days_since_last_interaction": ("Days since last interaction", Unit.DAYS),
    "support_tickets": ("Support tickets", Unit.COUNT),
    "adoption_rate": ("Adoption rate", Unit.SHARE),
    "tenure_days": ("Tenure", Unit.DAYS),
    "overdue_commitments": ("Overdue commitments", Unit.COUNT),
    "overdue_customer_commitments": ("Overdue customer commitments", Unit.COUNT),
    "overdue_vendor_commitments": ("Overdue vendor commitments", Unit.COUNT),
    "open_commitments": ("Open commitments", Unit.COUNT),
    "usage_count": ("Usage events", Unit.COUNT),
    "usage_sum": ("Usage total", Unit.NUMBER),
    "usage_tenure_days": ("Active period so far", Unit.DAYS),
    "usage_rate": ("Usage events per month", Unit.NUMBER),
    "usage_change": ("Change in usage events", Unit.SIGNED),
    "usage_distinct": ("Distinct features used", Unit.COUNT),
    "days_since_last_usage": ("Days since last use", Unit.DAYS),
    # groups, halves of CS = CO + CX, and score columns
    "outcomes": ("Outcomes (CO)", Unit.SCORE),
    "experience": ("Experience (CX)", Unit.SCORE),
    "value": ("Health", Unit.SCORE),
    "coverage": ("Coverage", Unit.SHARE),
    # evidence figures
    "days_overdue": ("Days overdue", Unit.DAYS),
    "days_to_renewal": ("Days to renewal", Unit.DAYS),
    "days_to_deadline": ("Days to deadline", Unit.DAYS),
    "days_silent": ("Days without an interaction", Unit.DAYS),
    "progress": ("Progress", Unit.SHARE),
    "share": ("Share", Unit.SHARE),
    "elapsed": ("Time elapsed", Unit.SHARE),
    "adherence": ("Cadence adherence", Unit.SHARE),
    "arr": ("ARR", Unit.MONEY),
    # what the evidence tools report
    "auc": ("AUC", Unit.NUMBER),
    "brier": ("Brier score", Unit.NUMBER),
    "churn_rate": ("Churn rate", Unit.SHARE),
    "lift": ("Lift", Unit.NUMBER),
}

_ACRONYMS: Final = {
    "nps": "NPS",
    "csat": "CSAT",
    "arr": "ARR",
    "mrr": "MRR",
    "qbr": "QBR",
    "csm": "CSM",
    "grr": "GRR",
    "nrr": "NRR",
    "id": "id",
}


def humanize(name: str) -> str:
    """A snake_case identifier in sentence case: ``weekly_active_users`` -> ``Weekly active users``.

    Known acronyms stay upper case (``nps_trend`` -> ``NPS trend``).
    """
    words = [_ACRONYMS.get(word, word) for word in name.replace("-", "_").split("_") if word]
    if not words:
        return name
    first = words[0]
    words[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(words)


def register_label(name: str, text: str, unit: Unit | str = Unit.NUMBER) -> Label:
    """Register how the measure or figure ``name`` is shown; returns the label.

    Args:
        name: the measure, group or figure name, as the data spell it.
        text: its display name.
        unit: how its values are printed (a :class:`Unit` or its value, e.g. ``"share"``).

    Raises:
        ValueError: ``name`` or ``text`` is empty, or ``unit`` is not a :class:`Unit`.
    """
    if not isinstance(name, str) or not name.strip():
        msg = f"a label needs a non-empty name, got {name!r}"
        raise ValueError(msg)
    if not isinstance(text, str) or not text.strip():
        msg = f"the label of {name!r} needs a non-empty text, got {text!r}"
        raise ValueError(msg)
    try:
        kind = Unit(unit)
    except ValueError:
        choices = ", ".join(u.value for u in Unit)
        msg = f"the unit of {name!r} must be one of {choices}, got {unit!r}"
        raise ValueError(msg) from None
    registered = Label(text.strip(), kind)
    _LABELS[name] = registered
    return registered


def _lookup(name: str) -> Label | None:
    found = _LABELS.get(name)
    if found is not None:
        return found
    built_in = _BUILT_IN.get(name)
    return None if built_in is None else Label(*built_in)


def label(name: str) -> str:
    """The display name of a measure, group, figure or finding kind."""
    found = _lookup(name)
    return found.text if found is not None else humanize(name)


def unit_of(name: str) -> Unit:
    """How the values of ``name`` are printed.

    Unregistered names ending in ``_days`` or starting with ``days_`` are days,
    those ending in ``_share`` shares; anything else is a plain number.
    """
    found = _lookup(name)
    if found is not None:
        return found.unit
    if name.endswith("_days") or name.startswith("days_"):
        return Unit.DAYS
    if name.endswith("_share"):
        return Unit.SHARE
    return Unit.NUMBER


def _number(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1000:  # noqa: PLR2004 - thousands get separators, no decimals
        return f"{value:,.0f}"
    if magnitude >= 100 or value == int(value):  # noqa: PLR2004
        return f"{value:.0f}"
    return f"{value:.3g}"


def _formatted(value: float, unit: Unit) -> str:
    formats = {
        Unit.SHARE: lambda v: f"{v:.0%}",
        Unit.PERCENT: lambda v: f"{v:.0f}%",
        Unit.SIGNED_SHARE: lambda v: f"{v * 100:+.0f} pts",
        Unit.DAYS: lambda v: f"{v:.0f} day" + ("" if round(v) in {1, -1} else "s"),
        Unit.COUNT: lambda v: f"{v:,.0f}",
        Unit.SIGNED: lambda v: f"{v:+.0f}",
        Unit.SCORE: lambda v: f"{v:.1f}",
        Unit.MONEY: lambda v: f"{v:,.0f}",
    }
    return formats.get(unit, _number)(value)


def format_value(name: str, value: float | None, *, missing: str = "n/a") -> str:
    """``value`` of the measure or figure ``name``, printed for people.

    Shares read as percentages, durations in days, counts as whole numbers;
    ``None`` (and NaN) read as ``missing``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    return _formatted(float(value), unit_of(name))


_FIGURE_UNITS: Final = {"share": Unit.SHARE, "days": Unit.DAYS, "percent": Unit.PERCENT}


def format_figure(name: str, value: float, unit: str = "") -> str:
    """An evidence figure for people: ``Days overdue: 12 days``, ``Progress: 40%``.

    The figure's own ``unit`` decides (``share``, ``days``); another unit, such
    as a currency, is written after the number; without one, the registry decides.
    """
    kind = _FIGURE_UNITS.get(unit)
    if kind is not None:
        shown = _formatted(float(value), kind)
    elif unit:
        shown = f"{_number(float(value))} {unit}"
    else:
        shown = format_value(name, value)
    return f"{label(name)}: {shown}"


_SEVERITY_WORDS: Final = {"info": "info", "warning": "warning", "critical": "critical"}


def severity_label(value: str) -> str:
    """The word for a severity value (``"critical"``), the same in every output."""
    return _SEVERITY_WORDS.get(value, value)
