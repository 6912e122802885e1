"""successkit.serialization: lossless round trips, the document format and JSON Schema."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import STRATEGIES, finite_floats
from successkit.detection import PortfolioFindings, detect, detect_portfolio
from successkit.model import (
    Account,
    AllOf,
    AnyOf,
    Cadence,
    Comparison,
    Condition,
    Contract,
    Goal,
    Interaction,
    Objective,
    Portfolio,
    TimeFrame,
)
from successkit.samples import DEMO_AS_OF, Archetype, sample_account, sample_portfolio
from successkit.scoring import (
    DEFAULT_HEALTH_SCORECARD,
    HealthScorer,
    Score,
    Scorecard,
    health_score,
    score_accounts,
    trend,
)
from successkit.serialization import (
    SCHEMA_VERSION,
    TYPE_TAG,
    from_dict,
    from_json,
    json_schema,
    schema_types,
    to_dict,
    to_json,
)

UTC = timezone.utc
MODEL_CLASSES = sorted(STRATEGIES, key=lambda cls: cls.__name__)


@functools.cache
def validator(cls: type, *, compact: bool = False) -> jsonschema.Draft202012Validator:
    schema = json_schema(cls, compact=compact)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def assert_round_trip(value: Any) -> None:
    """The properties every written value has, in both forms: lossless, stable, schema-valid."""
    for compact in (False, True):
        text = to_json(value, compact=compact)
        back = from_json(text, type(value))
        assert back == value
        assert type(back) is type(value)
        # Stable: reading and writing again changes nothing, in either form.
        assert to_json(back, compact=compact) == text
        assert to_json(back, compact=not compact) == to_json(value, compact=not compact)
        document = to_dict(value, compact=compact)
        assert json.loads(text) == document
        assert from_dict(document, type(value)) == value
        validator(type(value), compact=compact).validate(document)


# --- round trips ------------------------------------------------------------------


# Accounts and portfolios hold every other class: the costliest examples to draw and
# check, so they get fewer (each is a whole account) and the rest keep the profile's.
COMPOSITES = (Account, Portfolio)


@pytest.mark.parametrize(
    "cls", [c for c in MODEL_CLASSES if c not in COMPOSITES], ids=lambda cls: cls.__name__
)
@given(data=st.data())
def test_every_model_class_round_trips(cls: type, data: st.DataObject) -> None:
    assert_round_trip(data.draw(STRATEGIES[cls]))


@pytest.mark.parametrize("cls", COMPOSITES, ids=lambda cls: cls.__name__)
@settings(max_examples=30)
@given(data=st.data())
def test_accounts_and_portfolios_round_trip(cls: type, data: st.DataObject) -> None:
    assert_round_trip(data.draw(STRATEGIES[cls]))


def test_sample_accounts_of_every_archetype_round_trip() -> None:
    for index, archetype in enumerate(Archetype):
        assert_round_trip(sample_account(archetype, account_id=f"acc-{index}", seed=index))


def test_a_sample_portfolio_round_trips_as_one_document() -> None:
    assert_round_trip(sample_portfolio(12, seed=5))


def test_scores_findings_and_scorecards_round_trip() -> None:
    portfolio = sample_portfolio(len(Archetype), seed=2)
    scores = score_accounts(portfolio, as_of=DEMO_AS_OF)
    assert scores
    for score in scores:
        assert score.contributions  # the explanation travels with the score
        assert_round_trip(score)
    assert_round_trip(DEFAULT_HEALTH_SCORECARD)
    findings = [f for account in portfolio for f in detect(account, as_of=DEMO_AS_OF)]
    assert findings
    for finding in findings:
        assert_round_trip(finding)
    report = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    assert isinstance(report, PortfolioFindings)
    assert_round_trip(report)
    account = portfolio.accounts[0]
    dates = [DEMO_AS_OF - timedelta(days=30 * n) for n in (2, 1, 0)]
    assert_round_trip(trend(account, HealthScorer(), dates))


@given(outcomes=st.floats(0, 10), experience=st.floats(0, 10))
def test_health_scores_of_any_halves_round_trip(outcomes: float, experience: float) -> None:
    assert_round_trip(health_score(outcomes, experience))


# --- the document format, derived from the documented rules -----------------------


def test_a_contract_is_written_as_documented() -> None:
    contract = Contract(
        arr=Decimal("12000.50"),
        start=datetime(2026, 1, 1, tzinfo=UTC),
        renewal_date=datetime(2027, 1, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))),
        currency="EUR",
    )
    expected = {
        "schema_version": 1,
        "type": "Contract",
        "data": {
            "arr": "12000.50",
            "start": "2026-01-01T00:00:00+00:00",
            "renewal_date": "2027-01-01T09:30:00+02:00",
            "currency": "EUR",
        },
    }
    assert to_dict(contract) == expected
    assert to_json(contract) == (
        '{"schema_version":1,"type":"Contract","data":{"arr":"12000.50",'
        '"start":"2026-01-01T00:00:00+00:00","renewal_date":"2027-01-01T09:30:00+02:00",'
        '"currency":"EUR"}}'
    )
    # The full form is version 1 (any successkit reads it); the compact form is 2.
    assert SCHEMA_VERSION == 2
    assert to_dict(contract, compact=True)["schema_version"] == 2


def test_unions_of_classes_carry_their_tag() -> None:
    tree = AllOf(
        conditions=(
            Condition(metric="a", comparison=">=", threshold=1),
            AnyOf(conditions=(Condition(metric="b", comparison="<", threshold=2.5),)),
        )
    )
    assert TYPE_TAG == "_type"
    assert to_dict(tree)["data"] == {
        "conditions": [
            {
                "_type": "Condition",
                "metric": "a",
                "comparison": ">=",
                "threshold": 1.0,
                "description": "",
            },
            {
                "_type": "AnyOf",
                "conditions": [
                    {
                        "_type": "Condition",
                        "metric": "b",
                        "comparison": "<",
                        "threshold": 2.5,
                        "description": "",
                    }
                ],
            },
        ]
    }


def test_enums_are_written_by_value() -> None:
    interaction = Interaction(
        at=datetime(2026, 3, 2, 15, tzinfo=UTC), type="meeting_1_1", direction="inbound_reactive"
    )
    data = to_dict(interaction)["data"]
    assert data["type"] == "meeting_1_1"
    assert data["direction"] == "inbound_reactive"
    assert data["participants"] == []
    assert data["id"] is None


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(days=1, hours=2, minutes=30), "P1DT2H30M"),
        (timedelta(seconds=0.25), "PT0.25S"),
        (timedelta(microseconds=1), "PT0.000001S"),
        (timedelta(days=3), "P3D"),
        (timedelta(hours=49), "P2DT1H"),
        (-timedelta(days=3), "-P3D"),
        (-timedelta(seconds=90), "-PT1M30S"),
    ],
)
def test_durations_are_iso_8601_in_days_hours_minutes_seconds(
    duration: timedelta, text: str
) -> None:
    record = Timing(wait=duration)
    assert to_dict(record)["data"]["wait"] == text
    assert from_json(to_json(record), Timing).wait == duration


def test_weeks_are_read_but_months_are_not() -> None:
    def document(wait: str) -> dict[str, Any]:
        return {"schema_version": 1, "type": "Timing", "data": {"wait": wait}}

    assert from_dict(document("P2W"), Timing).wait == timedelta(days=14)
    assert from_dict(document("P1WT1H"), Timing).wait == timedelta(days=7, hours=1)
    for text in ("P1M", "P1Y", "P", "PT", "1 day", "P1.5D", "PT1H2S3M"):
        with pytest.raises(ValueError, match=r"data\.wait"):
            from_dict(document(text), Timing)


def test_cadence_grace_is_a_duration() -> None:
    cadence = Cadence(every=2, unit="weeks", grace=timedelta(days=2, hours=12))
    assert to_dict(cadence)["data"] == {"every": 2, "unit": "weeks", "grace": "P2DT12H"}


@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_floats_round_trip_bit_for_bit(value: float) -> None:
    back = from_json(to_json(Reading(label="x", level=value)), Reading).level
    assert back.hex() == value.hex()  # also keeps the sign of zero


def test_money_is_exact() -> None:
    contract = Contract(
        arr=Decimal("0.10") + Decimal("0.20"),
        start=date(2026, 1, 1),
        renewal_date=date(2027, 1, 1),
    )
    text = to_json(contract)
    assert '"arr":"0.30"' in text
    assert from_json(text, Contract).arr == Decimal("0.30")


def test_equal_values_give_identical_text() -> None:
    first = sample_account(Archetype.ADVOCATE, account_id="a", seed=1)
    second = sample_account(Archetype.ADVOCATE, account_id="a", seed=1)
    assert first == second
    assert first is not second
    assert to_json(first) == to_json(second)
    assert to_json(Reading(label="m", scores={"b": 1.0, "a": 2.0})) == to_json(
        Reading(label="m", scores={"a": 2.0, "b": 1.0})
    )


def test_mapping_keys_are_written_sorted() -> None:
    data = to_dict(Reading(label="m", scores={"b": 1.0, "a": 2.0, "c": 3.0}))["data"]
    assert list(data["scores"]) == ["a", "b", "c"]


def test_indent_changes_layout_not_content() -> None:
    account = sample_account(Archetype.FALSE_PROMOTER, account_id="f", seed=3)
    pretty = to_json(account, indent=2)
    assert "\n  " in pretty
    assert json.loads(pretty) == json.loads(to_json(account))
    assert from_json(pretty, Account) == account


def test_text_is_ascii_and_non_ascii_text_survives() -> None:
    record = Reading(label="Café 北京 \u2603 \U0001f600", level=1.0)
    text = to_json(record)
    assert text.isascii()
    assert from_json(text, Reading) == record
    assert from_json(text.encode(), Reading) == record


# --- any attrs class of the supported shape ---------------------------------------


class Tone(Enum):
    LOW = 1
    HIGH = 2


@attrs.frozen(kw_only=True)
class Reading:
    """A generic record using every supported field shape."""

    label: str
    level: float = 0.0
    scores: Mapping[str, float] = attrs.field(factory=dict)
    pair: tuple[int, str] = (0, "")
    nothing: tuple[()] = ()
    day: date | None = None
    tone: Tone = Tone.LOW
    note: Annotated[str, "free text"] = ""
    flags: dict[str, bool] = attrs.field(factory=dict)
    empty: None = None


@attrs.frozen(kw_only=True)
class Timing:
    wait: timedelta


@attrs.frozen(kw_only=True)
class Holder:
    reading: Reading | None = None
    readings: tuple[Reading | Timing, ...] = ()


readings = st.builds(
    Reading,
    label=st.text(),
    level=finite_floats(),
    scores=st.dictionaries(st.text(max_size=5), finite_floats(), max_size=3),
    pair=st.tuples(st.integers(), st.text(max_size=5)),
    day=st.none() | st.dates(),
    tone=st.sampled_from(Tone),
    note=st.text(max_size=5),
    flags=st.dictionaries(st.text(max_size=3), st.booleans(), max_size=3),
)
timings = st.builds(Timing, wait=st.timedeltas())


@given(
    holder=st.builds(
        Holder,
        reading=st.none() | readings,
        readings=st.lists(readings | timings, max_size=3).map(tuple),
    )
)
def test_any_attrs_class_of_the_supported_shape_round_trips(holder: Holder) -> None:
    assert_round_trip(holder)


def test_a_generic_record_is_written_as_documented() -> None:
    record = Reading(
        label="x",
        level=0.5,
        scores={"k": 1.5},
        pair=(3, "y"),
        day=date(2026, 2, 1),
        tone=Tone.HIGH,
    )
    assert to_dict(record)["data"] == {
        "label": "x",
        "level": 0.5,
        "scores": {"k": 1.5},
        "pair": [3, "y"],
        "nothing": [],
        "day": "2026-02-01",
        "tone": 2,
        "note": "",
        "flags": {},
        "empty": None,
    }
    holder = Holder(readings=(Timing(wait=timedelta(hours=1)),))
    assert to_dict(holder)["data"]["readings"] == [{"_type": "Timing", "wait": "PT1H"}]


@attrs.frozen
class Mixed:
    value: int | str


@attrs.frozen
class Listed:
    values: list[int]


@attrs.frozen
class Tagged:
    kind: str = attrs.field(alias="_type")


class Pairing(Enum):
    BOTH = (1, 2)


@attrs.frozen
class Paired:
    pairing: Pairing


@attrs.frozen
class Unresolved:
    value: NotDefinedAnywhere  # type: ignore[name-defined]  # noqa: F821


@pytest.mark.parametrize(
    ("cls", "reason"),
    [
        (Mixed, "union"),
        (Listed, "cannot write the type"),
        (Tagged, "_type"),
        (Paired, "not JSON"),
        (Unresolved, "type hints"),
    ],
)
def test_unsupported_classes_are_refused_with_a_reason(cls: type, reason: str) -> None:
    with pytest.raises(TypeError, match=reason):
        json_schema(cls)
    with pytest.raises(TypeError, match=reason):
        from_dict({}, cls)


def test_only_attrs_instances_are_written() -> None:
    with pytest.raises(TypeError, match="attrs classes"):
        to_dict({"id": "a"})
    with pytest.raises(TypeError, match="attrs classes"):
        from_json("{}", dict)


# --- writing refuses what could not be read back ----------------------------------


def test_writing_names_every_field_that_cannot_be_written() -> None:
    status = Holder(
        reading=Reading(label="x", level=math.nan, scores={"k": 1.0, "a b": math.inf}),
        readings=(Timing(wait="soon"),),  # type: ignore[arg-type]
    )
    with pytest.raises(ValueError, match="3 invalid fields") as caught:
        to_json(status)
    fields = {e.field for e in caught.value.errors}
    assert fields == {
        "Holder.reading.level",
        'Holder.reading.scores["a b"]',  # a key that is not a name is quoted
        "Holder.readings[0].wait",
    }
    assert {e.field: e.expected for e in caught.value.errors}["Holder.reading.level"] == (
        "a finite number"
    )


def test_naive_datetimes_are_refused_on_writing() -> None:
    @attrs.frozen
    class Moment:
        at: datetime

    with pytest.raises(ValueError, match="timezone-aware") as caught:
        to_dict(Moment(datetime(2026, 1, 1)))
    assert caught.value.field == "Moment.at"


def test_writing_refuses_what_reading_would_refuse_as_too_deep() -> None:
    tree: Any = Condition(metric="m", comparison=">", threshold=0)
    for _ in range(40):
        tree = AllOf(conditions=(tree,))
    # Each level is an object and an array: 1 (envelope) + 2 x 40 + 1 levels.
    with pytest.raises(ValueError, match="nesting within max_depth"):
        to_json(tree)
    text = to_json(tree, max_depth=82)
    assert from_json(text, AllOf, max_depth=82) == tree
    with pytest.raises(ValueError, match="nesting within max_depth"):
        from_json(text, AllOf, max_depth=81)


# --- JSON Schema ------------------------------------------------------------------


def test_schema_types_lists_the_public_value_classes() -> None:
    types = schema_types()
    for name in ("Account", "Portfolio", "Goal", "Condition", "Score", "Scorecard", "Finding"):
        assert types[name].__name__ == name
    assert types["Account"] is Account
    assert types["Score"] is Score
    assert types["Scorecard"] is Scorecard
    # Scorers holding any callable are behaviour, not values.
    assert "SegmentedScorer" not in types
    assert "WithOverrides" not in types
    assert list(types) == sorted(types)
    with pytest.raises(TypeError):
        types["Extra"] = Account  # type: ignore[index]


@pytest.mark.parametrize("name", list(schema_types()))
def test_every_public_type_has_a_valid_schema(name: str) -> None:
    schema = json_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["type"] == {"const": name}
    assert schema["additionalProperties"] is False
    for definition in schema["$defs"].values():
        if definition.get("type") == "object":
            assert definition["additionalProperties"] is False


def test_schema_details_follow_the_classes() -> None:
    schema = json_schema(Goal)
    defs = schema["$defs"]
    assert defs["Goal"]["required"] == ["id", "objective", "timeframe"]  # no deadline, no goal
    assert defs["Objective"]["required"] == ["metric", "target"]
    assert defs["ObjectiveDirection"]["enum"] == ["raise", "lower", "reach"]
    assert defs["Comparison"]["enum"] == [c.value for c in Comparison]
    assert defs["Objective"]["properties"]["direction"] == {
        "$ref": "#/$defs/ObjectiveDirection",
        "default": "raise",
    }
    conditions = defs["Goal"]["properties"]["conditions"]["items"]["oneOf"]
    assert conditions == [
        {"$ref": "#/$defs/AllOf", "required": ["_type"]},
        {"$ref": "#/$defs/AnyOf", "required": ["_type"]},
        {"$ref": "#/$defs/Condition", "required": ["_type"]},
    ]
    assert json_schema("Goal") == schema
    schema["$defs"].clear()  # a fresh copy each time
    assert json_schema(Goal)["$defs"]


def test_the_schema_refuses_what_the_reader_refuses() -> None:
    account = sample_account(Archetype.ADVOCATE, account_id="s", seed=4)
    check = validator(Account)
    document = to_dict(account)
    check.validate(document)
    unknown = json.loads(json.dumps(document))
    unknown["data"]["colour"] = "red"
    untagged = json.loads(json.dumps(document))
    del untagged["data"]["desired_outcomes"][0]["goal"]["conditions"][0][TYPE_TAG]
    naive = json.loads(json.dumps(document))
    naive["data"]["contract"]["start"] = "2026-01-01T00:00:00"
    newer = {**document, "schema_version": SCHEMA_VERSION + 1}
    for bad in (unknown, untagged, naive, newer):
        assert not check.is_valid(bad)
        with pytest.raises(ValueError, match="got"):
            from_dict(bad, Account)


def test_an_unknown_type_name_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="one of Account") as caught:
        json_schema("Acount")
    assert caught.value.field == "type"


def test_goal_status_as_of_round_trips_through_scoring() -> None:
    account = sample_account(Archetype.SUCCESS_GAP, account_id="g", seed=2)
    for status in account.goal_statuses(DEMO_AS_OF):
        assert_round_trip(status)
    goal = account.goals[0]
    assert isinstance(goal.objective, Objective)
    assert isinstance(goal.timeframe, TimeFrame)
