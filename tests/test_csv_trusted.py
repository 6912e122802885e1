"""Values built from checked CSV cells without their validators equal those built with them."""

from __future__ import annotations

from datetime import timezone
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from successkit import model
from successkit._csv_columns import TABLES, CellError
from successkit._csv_rows import feeds
from successkit._csv_trusted import CROSS_CHECKED, TRUSTED, trusted, trusted_from_row
from successkit.errors import ValidationError

# The table each trusted class is read from.
SOURCES = {
    "Interaction": "interactions.csv",
    "MetricObservation": "observations.csv",
    "ContextChange": "changes.csv",
    "Commitment": "commitments.csv",
    "Expectation": "expectations.csv",
    "EventOccurrence": "events.csv",
    "ProgressMilestone": "milestones.csv",
    "SurveyAnswer": "surveys.csv",
}
BUILT = sorted(TRUSTED | CROSS_CHECKED.keys())

CELLS = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        [
            "2026-03-02",
            "2026-03-02T15:00:00+01:00",
            "2026-03-02 15:00",
            "2026-03-02T15:00:00.5Z",
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:59:59-12:00",
            "1e3",
            "-0.5",
            "nan",
            "call",
            "meeting_1_1",
            "inbound_reactive",
            "team",
            "contact_left",
            "functional",
            "vendor_for_customer",
            "a;b",
            "nps",
            "csat",
            "0",
            "1",
            "5",
            "6",
            "10",
            "11",
            "-1",
            ";",
            " x ",
        ]
    ),
)


def test_every_trusted_class_is_read_from_a_table() -> None:
    assert set(SOURCES) == TRUSTED | CROSS_CHECKED.keys()
    assert not TRUSTED & CROSS_CHECKED.keys()


@pytest.mark.parametrize("name", BUILT)
def test_a_trusted_class_has_only_the_fields_its_columns_check(name: str) -> None:
    """Adding a field or a check across fields to one of these classes must be seen here."""
    cls = getattr(model, name)
    assert trusted(cls) is not cls
    columns = TABLES[SOURCES[name]]
    fed = {field for _parser, _required, field in columns.values() if field}
    assert {f.name for f in attrs.fields(cls)} == fed
    assert not hasattr(cls, "__attrs_post_init__")


def test_the_survey_answer_s_one_check_across_fields_is_the_one_repeated() -> None:
    # The score's validator reads the kind: the check CROSS_CHECKED repeats.
    score = attrs.fields(model.SurveyAnswer).score
    assert score.validator is not None
    assert score.validator.__name__ == "_check_score"  # type: ignore[attr-defined]
    assert score.converter is None


def _values(file: str, cells: dict[str, str]) -> dict[str, Any] | None:
    """The values of a row of ``file`` with ``cells`` by column, or ``None`` if one is refused."""
    columns = TABLES[file]
    values: dict[str, Any] = {}
    for column, (parse, required, _field) in columns.items():
        cell = cells.get(column, "").strip()
        if not cell:
            if required:
                return None
            continue
        try:
            values[column] = parse(cell, timezone.utc)
        except CellError:
            return None
    return values


def _fields(file: str, values: dict[str, Any]) -> dict[str, Any]:
    """The fields a row's values feed."""
    values = dict(values)
    dropped, renamed = feeds(TABLES[file])
    for column in dropped:
        values.pop(column, None)
    for column, field in renamed:
        if column in values:
            values[field] = values.pop(column)
    return values


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(BUILT), data=st.data())
def test_trusted_and_validated_construction_agree(name: str, data: st.DataObject) -> None:
    file = SOURCES[name]
    cells = {column: data.draw(CELLS, label=column) for column in TABLES[file]}
    values = _values(file, cells)
    if values is None:
        return
    fields = _fields(file, values)
    cls = getattr(model, name)
    feeding = {c: f for c, (_p, _r, f) in TABLES[file].items() if f}
    direct = trusted_from_row(cls, feeding)
    assert direct is not None
    try:
        expected = cls(**fields)
    except ValidationError:
        expected = None
    if expected is None:
        # Only a check across fields can refuse what the parsers accepted, and
        # then both ways refuse: the direct one leaves the row to the constructor.
        assert name in CROSS_CHECKED, f"{name} refused cells its parsers accepted"
        assert direct(values) is None
        with pytest.raises(ValidationError, match=r"SurveyAnswer\.score"):
            trusted(cls)(**fields)
        return
    for built in (trusted(cls)(**fields), direct(values)):
        assert type(built) is cls
        assert built == expected
        assert hash(built) == hash(expected)
        assert repr(built) == repr(expected)
        assert attrs.asdict(built, recurse=False) == attrs.asdict(expected, recurse=False)


def test_missing_or_unknown_fields_go_through_the_constructor() -> None:
    make = trusted(model.MetricObservation)
    with pytest.raises(TypeError):
        make(metric="m", value=1.0)
    with pytest.raises(TypeError):
        make(metric="m", value=1.0, at="2026-01-01", colour="red")


def test_a_row_missing_a_required_value_is_left_to_the_constructor() -> None:
    direct = trusted_from_row(
        model.MetricObservation, {"metric": "metric", "value": "value", "at": "at"}
    )
    assert direct is not None
    assert direct({"metric": "m", "value": 1.0}) is None
    assert trusted_from_row(model.MetricObservation, {"metric": "metric"}) is None
    assert trusted_from_row(model.SurveyAnswer, {"score": "score"}) is None


def test_other_makers_are_left_as_they_are() -> None:
    assert trusted(model.Contact) is model.Contact
    assert trusted(model.LifecycleEvent) is model.LifecycleEvent
    assert trusted(len) is len
