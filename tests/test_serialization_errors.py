"""successkit.serialization: every refusal names the path, the value and the expectation."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any, Literal

import attrs
import pytest

from successkit.errors import ValidationError
from successkit.model import (
    Account,
    AllOf,
    Cadence,
    Comparison,
    Condition,
    Contract,
    Interaction,
    Relationship,
    SurveyAnswer,
)
from successkit.scoring import Score, health_score
from successkit.serialization import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    SCHEMA_VERSION,
    ReadLimits,
    from_dict,
    from_json,
    json_schema,
    parse_json,
    to_dict,
    to_json,
)

UTC = timezone.utc


def small_account() -> Account:
    return Account(
        id="acme",
        name="Acme",
        segment="smb",
        contract=Contract(
            arr=Decimal("12000.50"),
            start=datetime(2026, 1, 1, tzinfo=UTC),
            renewal_date=datetime(2027, 1, 1, tzinfo=UTC),
        ),
        relationship=Relationship(
            interactions=tuple(
                Interaction(
                    at=datetime(2026, 3, day, tzinfo=UTC),
                    type="email",
                    direction="outbound_proactive",
                )
                for day in range(1, 6)
            )
        ),
        surveys=(SurveyAnswer(kind="nps", score=9, at=datetime(2026, 4, 1, tzinfo=UTC)),),
    )


def refusal(document: Any, cls: type = Account, **limits: Any) -> ValidationError:
    read = from_json if isinstance(document, (str, bytes)) else from_dict
    with pytest.raises(ValidationError) as caught:
        read(document, cls, **limits)
    return caught.value


def fields(error: ValidationError) -> dict[str, Any]:
    return {e.field: e.value for e in error.errors}


# --- many problems, one error -----------------------------------------------------


def test_every_offending_field_is_named_at_once() -> None:
    document = to_dict(small_account())
    data = document["data"]
    data["relationship"]["interactions"][3]["at"] = "2026-03-04T00:00:00"
    data["relationship"]["interactions"][1]["type"] = "fax"
    del data["id"]
    data["colour"] = "red"
    data["surveys"][0]["score"] = "9"
    error = refusal(json.dumps(document))
    assert set(fields(error)) == {
        "data.id",
        "data.colour",
        "data.relationship.interactions[1].type",
        "data.relationship.interactions[3].at",
        "data.surveys[0].score",
    }
    assert str(error).startswith("5 invalid fields:")
    by_field = {e.field: e for e in error.errors}
    assert by_field["data.id"].expected == "a string (a required field)"
    assert repr(by_field["data.id"].value) == "<missing>"
    assert by_field["data.relationship.interactions[1].type"].value == "fax"
    assert "'email'" in by_field["data.relationship.interactions[1].type"].expected
    assert "no such field in Account" in by_field["data.colour"].expected
    assert "UTC offset" in by_field["data.relationship.interactions[3].at"].expected


def test_a_model_check_is_placed_at_its_json_path() -> None:
    document = to_dict(small_account())
    document["data"]["contract"]["renewal_date"] = "2025-01-01T00:00:00+00:00"
    error = refusal(document)
    assert error.field == "data.contract.renewal_date"
    assert error.value == datetime(2025, 1, 1, tzinfo=UTC)
    assert error.expected.startswith("a date after the start")
    document = to_dict(small_account())
    document["data"]["surveys"][0]["score"] = 11
    error = refusal(document)
    assert fields(error) == {"data.surveys[0].score": 11}
    assert error.expected == "a whole number from 0 to 10"


def test_problems_are_listed_up_to_a_hundred() -> None:
    document = to_dict(small_account())
    interaction = document["data"]["relationship"]["interactions"][0]
    document["data"]["relationship"]["interactions"] = [{**interaction, "type": "fax"}] * 150
    error = refusal(document)
    assert len(error.errors) == 101
    assert error.errors[100].field == "data"
    assert error.errors[100].value == "and more problems"
    assert error.errors[100].expected.endswith("reading stopped after the first 100)")


def test_a_class_that_refuses_with_another_error_is_still_located() -> None:
    document = to_dict(health_score(6.5, 8.2))
    document["data"]["value"] = 25.0  # off the 0-20 scale: Score raises ScoringError
    error = refusal(document, Score)
    assert error.field == "data"
    assert error.expected.startswith("a valid Score (scorer 'health'")


# --- the envelope -----------------------------------------------------------------


def test_a_newer_schema_version_is_refused_with_the_versions_read() -> None:
    document = {**to_dict(small_account()), "schema_version": SCHEMA_VERSION + 1}
    document["data"] = {"shape": "of the future"}  # not even looked at
    error = refusal(document)
    assert fields(error) == {"schema_version": SCHEMA_VERSION + 1}
    assert f"schema versions 1 to {SCHEMA_VERSION}" in error.expected
    assert "newer successkit" in error.expected


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, True, None])
def test_other_schema_versions_are_refused(version: Any) -> None:
    document = {**to_dict(small_account()), "schema_version": version}
    assert fields(refusal(document)) == {"schema_version": version}


def test_the_envelope_is_checked() -> None:
    good = to_dict(small_account())
    assert fields(refusal({**good, "type": "Goal"})) == {"type": "Goal"}
    assert refusal({**good, "type": "Goal"}).expected == "'Account' (the class being read)"
    assert set(fields(refusal({"schema_version": 1, "type": "Account"}))) == {"data"}
    extra = refusal({**good, "note": 1, "": 2})
    assert fields(extra) == {"document.note": 1, 'document[""]': 2}
    for not_a_document in (None, [], "Account", 3):
        assert refusal(not_a_document).field == "document"


def test_unknown_and_mistagged_fields_are_named() -> None:
    document = to_dict(Condition(metric="m", comparison=">", threshold=1))
    document["data"][7] = "seven"
    document["data"]["_type"] = "AllOf"
    error = refusal(document, Condition)
    assert fields(error) == {"data[7]": "seven", "data._type": "AllOf"}
    document = to_dict(AllOf(conditions=(Condition(metric="m", comparison=">", threshold=1),)))
    document["data"]["conditions"][0]["_type"] = "Nope"
    assert fields(refusal(document, AllOf)) == {"data.conditions[0]._type": "Nope"}
    del document["data"]["conditions"][0]["_type"]
    assert set(fields(refusal(document, AllOf))) == {"data.conditions[0]._type"}
    document["data"]["conditions"][0] = ["not", "an", "object"]
    assert set(fields(refusal(document, AllOf))) == {"data.conditions[0]"}


def test_the_tag_is_accepted_on_any_object_when_it_names_its_class() -> None:
    document = to_dict(Cadence(every=1, unit="weeks"))
    document["data"]["_type"] = "Cadence"
    assert from_dict(document, Cadence) == Cadence(every=1, unit="weeks")


def test_optional_fields_may_be_omitted_and_take_their_defaults() -> None:
    document = {"schema_version": 1, "type": "Account", "data": {"id": "x"}}
    assert from_dict(document, Account) == Account(id="x")


# --- values -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Ledger:
    amount: Decimal = Decimal(0)
    count: int = 0
    ratio: float = 0.0
    day: date = date(2026, 1, 1)
    moment: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    wait: timedelta = timedelta(0)
    pair: tuple[int, int] = (0, 0)
    nothing: None = None
    labels: dict[str, int] = attrs.field(factory=dict)
    hidden: int = attrs.field(default=0, init=False)


def ledger(**data: Any) -> dict[str, Any]:
    return {"schema_version": 1, "type": "Ledger", "data": data}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "12,000"),
        ("amount", "NaN"),
        ("amount", "Infinity"),
        ("amount", 12.5),  # a float would lose money
        ("amount", "1e1000000"),
        ("amount", "1e99999999999999999999999"),
        ("amount", True),
        ("count", 1.0),
        ("count", "1"),
        ("count", True),
        ("ratio", float("nan")),
        ("ratio", 10**400),
        ("ratio", "1"),
        ("ratio", False),
        ("day", "2026-02-30"),
        ("day", "2026-1-1"),
        ("day", 20260101),
        ("moment", "2026-01-01T00:00:00"),
        ("moment", "2026-01-01"),
        ("moment", "2026-01-01 00:00:00+00:00"),
        ("moment", "0001-01-01T00:00:00+05:00"),
        ("moment", "2026-13-01T00:00:00+00:00"),
        ("moment", "2026-01-01T00:00:00+24:00"),
        ("wait", "P999999999DT24H"),
        ("wait", 3600),
        ("pair", [1]),
        ("pair", [1, "2"]),
        ("pair", "12"),
        ("nothing", 0),
        ("labels", {"a": "1"}),
        ("labels", []),
    ],
)
def test_bad_values_are_refused_at_their_path(field: str, value: Any) -> None:
    error = refusal(ledger(**{field: value}), Ledger)
    assert all(e.field.startswith(f"data.{field}") for e in error.errors)


def test_values_are_read_as_documented() -> None:
    read = from_dict(
        ledger(
            amount=12000,
            moment="2026-05-01T08:00:00Z",
            wait="P1DT0.5S",
            pair=[1, 2],
            labels={"b": 2, "a": 1},
            ratio=3,
        ),
        Ledger,
    )
    assert type(read.ratio) is float
    assert read.ratio == 3.0
    assert to_dict(Ledger(ratio=2))["data"]["ratio"] == 2.0  # type: ignore[arg-type]
    assert read.amount == Decimal(12000)
    assert read.moment == datetime(2026, 5, 1, 8, tzinfo=UTC)
    assert read.wait == timedelta(days=1, milliseconds=500)
    assert read.pair == (1, 2)
    assert read.labels == {"a": 1, "b": 2}


def test_fields_not_given_to_init_are_not_written() -> None:
    assert "hidden" not in to_dict(Ledger())["data"]
    assert "hidden" not in json_schema(Ledger)["$defs"]["Ledger"]["properties"]


def test_values_that_cannot_be_written_are_named() -> None:
    bad = Ledger(
        amount=Decimal("NaN"),
        count="3",  # type: ignore[arg-type]
        day=datetime(2026, 1, 1, tzinfo=UTC),
        wait=3,  # type: ignore[arg-type]
        pair=(1,),  # type: ignore[arg-type]
        nothing=0,  # type: ignore[arg-type]
        labels={1: 2},  # type: ignore[dict-item]
    )
    with pytest.raises(ValidationError) as caught:
        to_dict(bad)
    assert set(fields(caught.value)) == {
        "Ledger.amount",
        "Ledger.count",
        "Ledger.day",
        "Ledger.wait",
        "Ledger.pair",
        "Ledger.nothing",
        "Ledger.labels",
    }
    assert to_dict(Ledger(amount=7))["data"]["amount"] == "7"  # type: ignore[arg-type]


def test_a_value_of_a_class_outside_the_union_is_refused() -> None:
    tree = AllOf(conditions=(Condition(metric="m", comparison=">", threshold=1),))
    object.__setattr__(tree, "conditions", ("not a condition",))
    with pytest.raises(ValidationError) as caught:
        to_dict(tree)
    assert caught.value.field == "AllOf.conditions[0]"
    assert caught.value.expected == "one of 'Condition', 'AllOf', 'AnyOf'"
    object.__setattr__(tree, "conditions", "abc")
    with pytest.raises(ValidationError, match="an array of"):
        to_dict(tree)


def test_a_nested_class_of_the_wrong_type_is_refused_on_writing() -> None:
    account = small_account()
    object.__setattr__(account, "contract", "a contract")
    with pytest.raises(ValidationError) as caught:
        to_dict(account)
    assert caught.value.field == "Account.contract"


@attrs.frozen
class Odd:
    text: Annotated[str, {"unhashable": ["metadata"]}]


def test_annotations_that_cannot_be_hashed_are_read_through() -> None:
    assert from_json(to_json(Odd("x")), Odd) == Odd("x")


@attrs.frozen
class Checked:
    low: int
    high: int

    def __attrs_post_init__(self) -> None:
        if self.low > self.high:
            raise ValidationError("bounds", (self.low, self.high), "low <= high")
        if self.low < 0:
            raise ValidationError("Checked", self.low, "a low >= 0")


def test_model_errors_naming_no_field_of_theirs_stay_readable() -> None:
    error = refusal(
        {"schema_version": 1, "type": "Checked", "data": {"low": 3, "high": 1}}, Checked
    )
    assert error.field == "data.bounds"
    error = refusal(
        {"schema_version": 1, "type": "Checked", "data": {"low": -1, "high": 1}}, Checked
    )
    assert error.field == "data"


def make_twin(label: str) -> type:
    @attrs.frozen
    class Twin:
        value: int = 0

    Twin.__doc__ = label
    return Twin


FirstTwin, SecondTwin = make_twin("one"), make_twin("two")


@attrs.frozen
class Twins:
    first: FirstTwin  # type: ignore[valid-type]
    second: SecondTwin  # type: ignore[valid-type]


@attrs.frozen
class EitherTwin:
    twin: FirstTwin | SecondTwin  # type: ignore[valid-type]


def test_two_classes_of_one_name_cannot_share_a_schema_or_a_union() -> None:
    with pytest.raises(TypeError, match="two types are named 'Twin'"):
        json_schema(Twins)
    with pytest.raises(TypeError, match="share a name"):
        to_dict(EitherTwin(FirstTwin()))


# --- limits -----------------------------------------------------------------------


def test_limits_must_be_positive_whole_numbers() -> None:
    text = to_json(small_account())
    for name, value in (
        ("max_bytes", 0),
        ("max_depth", -1),
        ("max_depth", True),
        ("max_bytes", 1.5),
    ):
        with pytest.raises(ValidationError) as caught:
            from_json(text, Account, **{name: value})
        assert caught.value.field == name
    with pytest.raises(ValidationError, match="max_depth"):
        to_dict(small_account(), max_depth=0)
    with pytest.raises(ValidationError, match="max_depth"):
        from_dict(to_dict(small_account()), Account, max_depth=0)
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024
    assert DEFAULT_MAX_DEPTH == 64


def test_size_is_measured_in_utf8_bytes_before_parsing() -> None:
    text = json.dumps(
        {"schema_version": 1, "type": "Account", "data": {"id": "é" * 60}}, ensure_ascii=False
    )
    assert len(text) < 150 < len(text.encode())
    error = refusal(text, max_bytes=150)
    assert error.field == "document"
    assert error.expected.startswith("at most 150 bytes")
    assert error.value == f"{len(text.encode())} bytes"
    assert refusal(text.encode(), max_bytes=150).field == "document"
    assert from_json(text, Account, max_bytes=len(text.encode())).id == "é" * 60
    assert refusal(b"\xef\xbb\xbf\xff").expected == "UTF-8 text"
    with pytest.raises(ValidationError, match=r"JSON text \(a str or bytes\)"):
        from_json(12345, Account)  # type: ignore[arg-type]


def test_a_byte_order_mark_is_accepted_in_bytes() -> None:
    assert (
        from_json(b"\xef\xbb\xbf" + to_json(small_account()).encode(), Account) == small_account()
    )


def test_depth_is_limited_before_parsing_when_the_document_is_large() -> None:
    nested = "[" * 2000 + "]" * 2000
    error = refusal(nested)
    assert error.field == "document"
    assert error.expected == "at most 64 nested arrays and objects (raise max_depth to read it)"
    # Brackets inside strings are not nesting.
    text = json.dumps({"schema_version": 1, "type": "Account", "data": {"id": "[" * 5000}})
    assert from_json(text, Account).id == "[" * 5000
    escaped = json.dumps({"schema_version": 1, "type": "Account", "data": {"id": '\\"[' * 2000}})
    assert from_json(escaped, Account).id == '\\"[' * 2000


def test_nesting_beyond_the_parser_recursion_is_refused_even_with_a_huge_limit() -> None:
    loose = ReadLimits(min_bytes_per_container=1)
    error = refusal("[" * 50_000 + "]" * 50_000, max_depth=10**6, limits=loose)
    assert error.field == "document"
    assert "recursion" in error.expected


def test_writing_or_reading_beyond_python_recursion_is_refused() -> None:
    tree: Any = Condition(metric="m", comparison=">", threshold=0)
    for _ in range(3000):
        tree = AllOf(conditions=(tree,))
    with pytest.raises(ValidationError, match="nested less deeply"):
        to_dict(tree, max_depth=10**6)
    cyclic: dict[str, Any] = {"_type": "AllOf", "conditions": []}
    cyclic["conditions"].append(cyclic)
    with pytest.raises(ValidationError, match="nested less deeply"):
        from_dict({"schema_version": 1, "type": "AllOf", "data": cyclic}, AllOf, max_depth=10**6)


def test_a_value_too_deep_for_the_limit_is_refused_where_it_gets_too_deep() -> None:
    # The envelope is level 1 and the account level 2: every array or object in
    # the account would be level 3.
    error = refusal(to_dict(small_account()), max_depth=2)
    assert fields(error) == {
        "data.contract": "{...}",
        "data.desired_outcomes": "[...]",
        "data.relationship": "{...}",
        "data.surveys": "[...]",
        "data.lifecycle": "[...]",
        "data.terms": "[...]",
        "data.contacts": "[...]",
    }
    assert error.expected == "nesting within max_depth"
    with pytest.raises(ValidationError) as caught:
        to_dict(small_account(), max_depth=1)
    assert caught.value.field == "Account"
    assert caught.value.value == "Account(...)"


def test_deeply_nested_values_are_shown_in_short() -> None:
    tower: Any = "bottom"
    for _ in range(900):
        tower = [tower]
    error = refusal({"schema_version": 1, "type": "Account", "data": {"id": tower}})
    assert error.field == "data.id"
    assert error.value == "[...]"
    assert "got '[...]', expected a string" in str(error)
    small = [[1, 2], {"a": [3]}]
    assert refusal({"schema_version": 1, "type": "Account", "data": {"id": small}}).value == small


def test_repeated_keys_and_broken_json_are_refused() -> None:
    error = refusal('{"schema_version": 1, "schema_version": 2}')
    assert error.field == "document"
    assert error.value == "schema_version"
    assert error.expected == "an object without repeated keys"
    error = refusal('{"schema_version": 1,, }')
    assert error.expected.startswith(
        "valid JSON (Expecting property name enclosed in double quotes"
    )
    error = refusal("1" * 5000)
    assert error.expected.startswith("valid JSON (Exceeds the limit")
    error = refusal('{"schema_version": NaN}')
    assert error.field == "schema_version"


def test_parse_json_applies_the_same_guards() -> None:
    assert parse_json('{"a": [1, 2]}') == {"a": [1, 2]}
    with pytest.raises(ValidationError, match="nested"):
        parse_json("[" * 2000 + "]" * 2000)
    with pytest.raises(ValidationError, match="bytes"):
        parse_json("[1, 2, 3]", max_bytes=3)


def test_an_unknown_key_in_place_of_an_optional_field_is_named() -> None:
    # Same number of keys as fields, one optional field replaced by a stranger.
    document = to_dict(Cadence(every=1, unit="weeks"))
    del document["data"]["grace"]
    document["data"]["grase"] = "P1D"
    assert fields(refusal(document, Cadence)) == {"data.grase": "P1D"}
    del document["data"]["grase"]
    document["data"]["every"] = 0  # the model's own check, with grace omitted
    assert fields(refusal(document, Cadence)) == {"data.every": 0}


@attrs.frozen
class Weird:
    value: Literal[[1]]  # type: ignore[valid-type]


def test_unhashable_unsupported_annotations_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot write the type"):
        json_schema(Weird)


def test_an_enum_field_holding_another_value_is_refused_on_writing() -> None:
    @attrs.frozen
    class Toned:
        comparison: Comparison

    with pytest.raises(ValidationError) as caught:
        to_dict(Toned(">="))  # type: ignore[arg-type]
    assert caught.value.field == "Toned.comparison"
    assert caught.value.expected.startswith("one of '>=', '>'")


def test_what_reading_would_refuse_writing_refuses() -> None:
    start, renewal = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    huge = Contract(arr=Decimal("1E+1000000"), start=start, renewal_date=renewal)
    with pytest.raises(ValidationError) as caught:
        to_json(huge)
    assert caught.value.field == "Contract.arr"
    assert caught.value.expected == "a decimal with an exponent within +/-999999"
    edge = Interaction(
        at=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        type="email",
        direction="inbound_reactive",
    )
    with pytest.raises(ValidationError) as caught:
        to_json(edge)
    assert caught.value.field == "Interaction.at"
    assert caught.value.expected == "a moment within years 1 to 9999 once converted to UTC"
    document = to_dict(small_account())
    document["data"]["relationship"]["interactions"][0]["at"] = "0001-01-01T00:00:00+05:00"
    assert refusal(document).expected == "a moment within years 1 to 9999 once converted to UTC"
    later = Interaction(
        at=datetime(1, 1, 1, 12, tzinfo=timezone(timedelta(hours=5))),
        type="email",
        direction="inbound_reactive",
    )
    assert from_json(to_json(later), Interaction) == later
    with pytest.raises(ValidationError, match="numbers JSON can hold"):
        to_json(Cadence(every=10**5000, unit="days"))
