"""Findings built by the library's own rules: converted as the classes convert, not validated again.

A built-in rule builds its findings from an account that was validated when it
was made, with values it computed itself; validating them again field by field
cost a fifth of detection. :func:`make_finding`, :func:`make_evidence` and :func:`make_figure`
take the same keywords as :class:`Finding`, :class:`Evidence` and :class:`Figure`
and give equal objects: they apply the conversions that change a value (a list
to a tuple, an ``int`` figure to a ``float``, a message folded onto one line)
and hand anything of an unexpected type to the validating constructor, which
then converts it or refuses it by name as usual (a naive moment included);
the items of the reference tuples are trusted to be what the rule read off the
account. Objects built by users, or read from files, always go through the
validating constructors.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from successkit._validation import to_tuple, unchecked
from successkit.detection._findings import Evidence, Figure, Finding, FindingKind, Severity
from successkit.model import Party

__all__ = ["from_plain", "make_evidence", "make_figure", "make_finding", "to_plain"]


def make_figure(*, name: str, value: float, unit: str = "") -> Figure:
    """A :class:`Figure` computed by a built-in rule."""
    if type(value) is int:
        value = float(value)
    checked = (
        type(value) is float
        and math.isfinite(value)
        and type(name) is str
        and bool(name)
        and type(unit) is str
    )
    return (unchecked(Figure) if checked else Figure)(name=name, value=value, unit=unit)


def _tuple(value: Iterable[object]) -> tuple[object, ...] | None:
    """``value`` as a tuple, or ``None`` when the validating constructor must see it."""
    if type(value) is tuple:
        return value
    if isinstance(value, (list, set, frozenset)) or hasattr(value, "__next__"):
        converted = to_tuple(value)
        return converted if type(converted) is tuple else None
    return None


def make_evidence(
    *,
    label: str,
    goal_id: str | None = None,
    milestone_ids: Iterable[str] = (),
    commitment_ids: Iterable[str] = (),
    interaction_moments: Iterable[datetime] = (),
    expectation_events: Iterable[str] = (),
    occurred_events: Iterable[str] = (),
    survey_moments: Iterable[datetime] = (),
    metrics: Iterable[str] = (),
    party: Party | None = None,
    at: datetime | None = None,
    figures: Iterable[Figure] = (),
) -> Evidence:
    """An :class:`Evidence` gathered by a built-in rule."""
    sequences = [
        milestone_ids,
        commitment_ids,
        interaction_moments,
        expectation_events,
        occurred_events,
        survey_moments,
        metrics,
        figures,
    ]
    exact = True
    for index, items in enumerate(sequences):
        if type(items) is not tuple:
            converted = _tuple(items)
            if converted is None:
                exact = False
            else:
                sequences[index] = converted
    checked = (
        exact
        and type(label) is str
        and bool(label)
        and (goal_id is None or type(goal_id) is str)
        and (party is None or type(party) is Party)
        and (at is None or (type(at) is datetime and at.tzinfo is not None))
    )
    return (unchecked(Evidence) if checked else Evidence)(
        label=label,
        goal_id=goal_id,
        milestone_ids=sequences[0],
        commitment_ids=sequences[1],
        interaction_moments=sequences[2],
        expectation_events=sequences[3],
        occurred_events=sequences[4],
        survey_moments=sequences[5],
        metrics=sequences[6],
        party=party,
        at=at,
        figures=sequences[7],
    )


def make_finding(
    *,
    kind: FindingKind,
    severity: Severity,
    account_id: str,
    as_of: datetime,
    message: str,
    next_step: str,
    evidence: Iterable[Evidence] = (),
    rule: str = "",
) -> Finding:
    """A :class:`Finding` of a built-in rule."""
    items = _tuple(evidence)
    text = " ".join(message.split()) if type(message) is str else message
    checked = (
        type(kind) is FindingKind
        and type(severity) is Severity
        and type(account_id) is str
        and bool(account_id)
        and type(as_of) is datetime
        and as_of.tzinfo is not None
        and type(text) is str
        and bool(text)
        and type(next_step) is str
        and bool(next_step)
        and type(rule) is str
        and items is not None
    )
    return (unchecked(Finding) if checked else Finding)(
        kind=kind,
        severity=severity,
        account_id=account_id,
        as_of=as_of,
        message=text,  # folded onto one line, as the class folds it
        next_step=next_step,
        evidence=evidence if items is None else items,
        rule=rule,
    )


# --- findings across a process boundary ------------------------------------------------
# Pickling attrs objects field by field costs more than detecting them; worker
# processes send plain tuples of plain values instead, rebuilt here unchanged.

PlainFinding = tuple[Any, ...] | Finding
"""A finding as plain values, or the finding itself when it is of a subclass."""


def _exact(found: Finding) -> bool:
    return type(found) is Finding and all(
        type(e) is Evidence and all(type(f) is Figure for f in e.figures) for e in found.evidence
    )


def _plain_evidence(item: Evidence) -> tuple[Any, ...]:
    return (
        item.label,
        item.goal_id,
        item.milestone_ids,
        item.commitment_ids,
        item.interaction_moments,
        item.expectation_events,
        item.occurred_events,
        item.survey_moments,
        item.metrics,
        None if item.party is None else item.party.value,
        item.at,
        tuple((f.name, f.value, f.unit) for f in item.figures),
    )


def to_plain(found: Finding) -> PlainFinding:
    """``found`` as a tuple of plain values (strings, numbers, datetimes, tuples)."""
    if not _exact(found):
        return found
    return (
        found.kind.value,
        found.severity.value,
        found.account_id,
        found.as_of,
        found.message,
        found.next_step,
        tuple(_plain_evidence(e) for e in found.evidence),
        found.rule,
    )


def _rebuilt_evidence(plain: tuple[Any, ...]) -> Evidence:
    # The values of evidence sent back unchanged.
    return unchecked(Evidence)(
        **dict(zip(_EVIDENCE_FIELDS, plain[:9], strict=True)),
        party=None if plain[9] is None else _PARTIES[plain[9]],
        at=plain[10],
        figures=tuple(_rebuilt_figure(*f) for f in plain[11]),
    )


def _rebuilt_figure(name: str, value: float, unit: str) -> Figure:
    return unchecked(Figure)(name=name, value=value, unit=unit)


def from_plain(plain: PlainFinding) -> Finding:
    """The finding :func:`to_plain` was given, equal to it in every field."""
    if isinstance(plain, Finding):
        return plain
    return unchecked(Finding)(  # the values of a finding sent back unchanged
        kind=_KINDS[plain[0]],
        severity=_SEVERITIES[plain[1]],
        account_id=plain[2],
        as_of=plain[3],
        message=plain[4],
        next_step=plain[5],
        evidence=tuple(_rebuilt_evidence(e) for e in plain[6]),
        rule=plain[7],
    )


_EVIDENCE_FIELDS = (
    "label",
    "goal_id",
    "milestone_ids",
    "commitment_ids",
    "interaction_moments",
    "expectation_events",
    "occurred_events",
    "survey_moments",
    "metrics",
)
_KINDS = {kind.value: kind for kind in FindingKind}
_SEVERITIES = {severity.value: severity for severity in Severity}
_PARTIES = {party.value: party for party in Party}
