"""Findings built by the built-in rules equal the validated ones; bad values are still refused."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from successkit import ValidationError
from successkit.detection import Evidence, Figure, Finding, FindingKind, Severity
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.model import Party

UTC = timezone.utc
AT = datetime(2026, 11, 24, 12, tzinfo=UTC)
_TEXT = st.text(min_size=1, max_size=10).filter(str.strip)
_MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
)
_IDS = st.lists(_TEXT, max_size=3) | st.lists(_TEXT, max_size=3).map(tuple)


@given(
    name=_TEXT,
    value=st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**9), 10**9),
    unit=st.text(max_size=4),
)
def test_a_built_figure_equals_the_validated_one(name: str, value: float, unit: str) -> None:
    built = make_figure(name=name, value=value, unit=unit)
    assert built == Figure(name=name, value=value, unit=unit)
    assert type(built.value) is float


@given(
    label=_TEXT,
    goal_id=st.none() | _TEXT,
    milestone_ids=_IDS,
    interaction_moments=st.lists(_MOMENTS, max_size=3),
    party=st.none() | st.sampled_from(Party),
    at=st.none() | _MOMENTS,
    values=st.lists(st.integers(0, 100), max_size=3),
)
def test_built_evidence_equals_the_validated_one(  # noqa: PLR0917 - drawn by Hypothesis
    label: str,
    goal_id: str | None,
    milestone_ids: list[str],
    interaction_moments: list[datetime],
    party: Party | None,
    at: datetime | None,
    values: list[int],
) -> None:
    fields = {
        "label": label,
        "goal_id": goal_id,
        "milestone_ids": milestone_ids,
        "interaction_moments": interaction_moments,
        "party": party,
        "at": at,
    }
    built = make_evidence(**fields, figures=[make_figure(name="n", value=v) for v in values])
    assert built == Evidence(**fields, figures=[Figure(name="n", value=v) for v in values])
    assert type(built.milestone_ids) is tuple


@given(
    kind=st.sampled_from(FindingKind),
    severity=st.sampled_from(Severity),
    message=st.text(min_size=1, max_size=30).filter(str.strip),
    pieces=st.lists(_TEXT, max_size=3),
)
def test_a_built_finding_equals_the_validated_one(
    kind: FindingKind, severity: Severity, message: str, pieces: list[str]
) -> None:
    fields = {
        "kind": kind,
        "severity": severity,
        "account_id": "acc-1",
        "as_of": AT,
        "message": message,
        "next_step": "Call them.",
        "rule": "r",
    }
    evidence = [Evidence(label=p) for p in pieces]
    built = make_finding(**fields, evidence=(e for e in evidence))
    assert built == Finding(**fields, evidence=evidence)
    assert hash(built) == hash(Finding(**fields, evidence=evidence))


def test_values_of_another_type_are_converted_as_the_classes_convert() -> None:
    built = make_finding(
        kind="success_gap",  # type: ignore[arg-type]
        severity="warning",  # type: ignore[arg-type]
        account_id="acc-1",
        as_of=date(2026, 11, 24),  # type: ignore[arg-type]
        message="Two\nlines",
        next_step="Act.",
    )
    assert built.kind is FindingKind.SUCCESS_GAP
    assert built.as_of == datetime(2026, 11, 24, tzinfo=UTC)
    assert built.message == "Two lines"
    assert (
        make_evidence(label="x", party="customer_outside_product").party
        is Party.CUSTOMER_OUTSIDE_PRODUCT
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: make_figure(name="x", value=float("nan")), "Figure.value"),
        (lambda: make_figure(name="", value=1.0), "Figure.name"),
        (lambda: make_evidence(label=""), "Evidence.label"),
        (lambda: make_evidence(label="x", at=datetime(2026, 1, 1)), "Evidence.at"),
        (
            lambda: make_finding(
                kind=FindingKind.SURPRISE,
                severity=Severity.INFO,
                account_id="",
                as_of=AT,
                message="m",
                next_step="n",
            ),
            "Finding.account_id",
        ),
        (
            lambda: make_finding(
                kind=FindingKind.SURPRISE,
                severity=Severity.INFO,
                account_id="a",
                as_of=AT,
                message="  ",
                next_step="n",
            ),
            "Finding.message",
        ),
    ],
)
def test_bad_values_are_still_refused_by_name(build: object, field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        build()  # type: ignore[operator]
