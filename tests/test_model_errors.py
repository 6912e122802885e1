"""The errors module and the shared validators and converters."""

from __future__ import annotations

import copy
import math
import pickle
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import pytest

from successkit import _validation as v
from successkit.errors import (
    DetectionError,
    FieldError,
    MissingExtraError,
    ScoringError,
    SuccessKitError,
    ValidationError,
)

UTC = timezone.utc


# --- errors ------------------------------------------------------------------------


def test_validation_error_is_a_successkit_error_and_a_value_error() -> None:
    error = ValidationError("Contract.arr", -5, "an amount >= 0")
    assert isinstance(error, SuccessKitError)
    assert isinstance(error, ValueError)
    assert str(error) == "Contract.arr: got -5, expected an amount >= 0"
    assert (error.field, error.value, error.expected) == ("Contract.arr", -5, "an amount >= 0")
    assert error.errors == (FieldError("Contract.arr", -5, "an amount >= 0"),)
    with pytest.raises(ValueError, match=r"Contract\.arr"):
        raise error


def test_other_leaves_share_the_root() -> None:
    assert issubclass(ScoringError, SuccessKitError)
    assert issubclass(DetectionError, SuccessKitError)
    assert not issubclass(ScoringError, ValueError)


def test_from_errors_lists_every_field() -> None:
    errors = [
        FieldError("accounts[0].id", "", "a non-empty string"),
        FieldError("accounts[2].contract.arr", Decimal(-1), "an amount of money >= 0"),
        FieldError("accounts[3].surveys[0].score", 11, "a whole number from 0 to 10"),
    ]
    error = ValidationError.from_errors(errors)
    assert error.errors == tuple(errors)
    assert error.field == "accounts[0].id"
    assert error.value == ""
    message = str(error)
    assert message.splitlines() == [
        "3 invalid fields:",
        "  - accounts[0].id: got '', expected a non-empty string",
        "  - accounts[2].contract.arr: got -1, expected an amount of money >= 0",
        "  - accounts[3].surveys[0].score: got 11, expected a whole number from 0 to 10",
    ]
    single = ValidationError.from_errors((errors[0],))
    assert str(single) == "accounts[0].id: got '', expected a non-empty string"
    with pytest.raises(ValueError, match="at least one"):
        ValidationError.from_errors([])


def test_prefixed_moves_every_path() -> None:
    error = ValidationError.from_errors(
        [
            FieldError("id", "", "a non-empty string"),
            FieldError("[2]", 3, "a string"),
            FieldError("", 1, "x"),
        ]
    )
    moved = error.prefixed("accounts[4]")
    assert [e.field for e in moved.errors] == ["accounts[4].id", "accounts[4][2]", "accounts[4]"]
    assert [e.value for e in moved.errors] == ["", 3, 1]
    assert "accounts[4].id: got ''" in str(moved)
    assert [e.field for e in error.prefixed("").errors] == ["id", "[2]", ""]
    # The original is unchanged.
    assert error.field == "id"


def test_field_error_equality_repr_and_long_values() -> None:
    nan = math.nan
    assert FieldError("f", nan, "x") == FieldError("f", nan, "x")
    assert FieldError("f", 1, "x") != FieldError("f", 2, "x")
    assert FieldError("f", 1, "x") != FieldError("g", 1, "x")
    assert FieldError("f", 1, "x").__eq__("f") is NotImplemented
    assert hash(FieldError("f", 1, "x")) == hash(FieldError("f", 2, "x"))
    assert repr(FieldError("f", 1, "x")) == "FieldError('f', 1, 'x')"
    long = "y" * 200
    shown = str(FieldError("f", long, "short text"))
    # Cut in the middle: the end of a long text (a path, a file name) tells as much.
    assert shown == "f: got '" + "y" * 37 + "..." + "y" * 37 + "', expected short text"


def test_validation_errors_survive_pickling_and_copying() -> None:
    error = ValidationError.from_errors([FieldError("a", 1, "x"), FieldError("b", 2, "y")])
    for clone in (pickle.loads(pickle.dumps(error)), copy.copy(error), copy.deepcopy(error)):  # noqa: S301 - our own bytes
        assert type(clone) is ValidationError
        assert clone.errors == error.errors
        assert str(clone) == str(error)
    one = pickle.loads(pickle.dumps(ValidationError("f", 1, "x")))  # noqa: S301 - our own bytes
    assert str(one) == "f: got 1, expected x"


def test_missing_extra_error_names_the_extra() -> None:
    error = MissingExtraError("pandas", "pandas")
    assert isinstance(error, ImportError)
    assert isinstance(error, SuccessKitError)
    assert (error.extra, error.module) == ("pandas", "pandas")
    assert "pip install 'successkit[pandas]'" in str(error)
    assert "'pandas'" in str(error)
    clone = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert (clone.extra, clone.module, str(clone)) == ("pandas", "pandas", str(error))


# --- validators and converters -----------------------------------------------------


class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@attrs.define
class Box:
    """A stand-in for a model class: validators name ``Box.value``."""

    value: Any


def refusal(check: Any, value: Any) -> ValidationError:
    box = Box(value)
    with pytest.raises(ValidationError) as caught:
        check(box, attrs.fields(Box).value, value)
    assert caught.value.field == "Box.value"
    return caught.value


def accepts(check: Any, value: Any) -> bool:
    check(Box(value), attrs.fields(Box).value, value)
    return True


def test_converters() -> None:
    assert v.to_datetime(date(2026, 1, 2)) == datetime(2026, 1, 2, tzinfo=UTC)
    moment = datetime(2026, 1, 2, 3, tzinfo=UTC)
    assert v.to_datetime(moment) is moment
    assert v.to_optional_datetime(None) is None
    assert v.to_deadline(date(2026, 1, 2)) == datetime(2026, 1, 2, 23, 59, 59, tzinfo=UTC)
    assert v.to_deadline(moment) is moment
    assert v.to_float(3) == 3.0
    assert isinstance(v.to_float(Decimal("2.5")), float)
    assert v.to_float(True) is True
    assert v.to_float(10**400) == 10**400  # too large for a float: left for the validator
    assert v.to_optional_float(None) is None
    assert v.to_money(0.1) == Decimal("0.1")
    assert v.to_money(7) == Decimal(7)
    assert v.to_money(" 1.50 ") == Decimal("1.50")
    assert v.to_money("abc") == "abc"
    assert v.to_money(False) is False
    amount = Decimal(3)
    assert v.to_money(amount) is amount
    assert v.to_tuple([1, 2]) == (1, 2)
    assert v.to_tuple({"a"}) == ("a",)
    assert v.to_tuple("ab") == "ab"
    assert v.to_tuple({"a": 1}) == {"a": 1}
    assert v.to_tuple(5) == 5
    pair = (1, 2)
    assert v.to_tuple(pair) is pair
    assert v.coerce_enum(Colour, "red") is Colour.RED
    assert v.coerce_enum(Colour, Colour.BLUE) is Colour.BLUE
    assert v.coerce_enum(Colour, "green") == "green"
    assert v.coerce_enum(Colour, ["red"]) == ["red"]


def test_string_validators() -> None:
    assert refusal(v.non_empty_str, "  ").expected == "a non-empty string"
    assert refusal(v.non_empty_str, 3).value == 3
    assert refusal(v.optional_str, 3).expected == "a string or None"
    assert accepts(v.optional_str, None)
    assert refusal(v.is_str, None).expected == "a string"
    assert accepts(v.is_str, "")
    assert refusal(v.is_bool, 1).expected == "True or False"
    assert accepts(v.is_bool, False)
    with pytest.raises(ValidationError) as blank:
        v.str_tuple(Box(()), attrs.fields(Box).value, ("a", " "))
    assert blank.value.field == "Box.value[1]"


def test_number_validators() -> None:
    assert refusal(v.finite, math.nan).expected == "a finite number"
    assert refusal(v.finite, 1).value == 1  # ints are converted before, never accepted raw
    assert accepts(v.optional_finite, None)
    assert refusal(v.optional_finite, math.inf).expected == "a finite number"
    assert refusal(v.non_negative, -0.5).expected == "a finite number >= 0"
    assert refusal(v.non_negative, math.inf).expected == "a finite number >= 0"
    assert accepts(v.non_negative, 0.0)
    share = v.between(0, 1)
    assert accepts(share, 1)
    assert accepts(share, 0.5)
    for bad in (1.5, -0.1, math.nan, True, "0.5"):
        assert refusal(share, bad).expected == "a number between 0 and 1"
    assert refusal(v.positive_int, 0).expected == "a whole number >= 1"
    assert refusal(v.positive_int, True).expected == "a whole number >= 1"
    assert accepts(v.positive_int, 1)
    assert refusal(v.non_negative_int, -1).expected == "a whole number >= 0"
    assert refusal(v.non_negative_int, 1.0).expected == "a whole number >= 0"
    assert accepts(v.non_negative_int, 0)


def test_money_validators() -> None:
    assert accepts(v.money, Decimal(0))
    for bad in (Decimal(-1), Decimal("NaN"), Decimal("Infinity"), Decimal("sNaN"), 5):
        assert refusal(v.money, bad).expected == "an amount of money >= 0 (a finite decimal)"
    assert accepts(v.signed_money, Decimal(-1))
    assert (
        refusal(v.signed_money, Decimal("-Infinity")).expected
        == "an amount of money (a finite decimal)"
    )


def test_time_validators() -> None:
    aware = datetime(2026, 1, 1, tzinfo=UTC)
    assert accepts(v.aware_datetime, aware)
    assert (
        refusal(v.aware_datetime, datetime(2026, 1, 1)).expected
        == "a timezone-aware datetime (or a date)"
    )
    assert refusal(v.aware_datetime, "2026-01-01").value == "2026-01-01"
    assert accepts(v.optional_aware_datetime, None)
    assert refusal(v.optional_aware_datetime, datetime(2026, 1, 1)).field == "Box.value"
    assert accepts(v.positive_timedelta, timedelta(seconds=1))
    for bad in (timedelta(0), timedelta(days=-1), 5):
        assert refusal(v.positive_timedelta, bad).expected == "a duration longer than zero"
    assert accepts(v.non_negative_timedelta, timedelta(0))
    assert (
        refusal(v.non_negative_timedelta, timedelta(microseconds=-1)).expected
        == "a duration of zero or more"
    )
    assert v.ensure_aware(date(2026, 1, 1), "as_of") == aware
    assert v.ensure_aware(aware, "as_of") is aware
    with pytest.raises(ValidationError) as naive:
        v.ensure_aware(datetime(2026, 1, 1), "as_of")
    assert naive.value.field == "as_of"
    assert v.ensure_aware("2026-01-01", "when") == aware
    with pytest.raises(ValidationError) as text:
        v.ensure_aware("first of January", "when")
    assert text.value.field == "when"
    with pytest.raises(ValidationError) as naive_text:
        v.ensure_aware("2026-01-01T09:00", "when")
    assert naive_text.value.field == "when"


def test_choice_and_instance_validators() -> None:
    colour = v.member_of(Colour)
    assert accepts(colour, Colour.RED)
    assert refusal(colour, "green").expected == "one of 'red', 'blue'"
    maybe = v.optional_member_of(Colour)
    assert accepts(maybe, None)
    assert refusal(maybe, "green").expected == "one of 'red', 'blue'"
    number = v.instance_of(int, "a whole number")
    assert accepts(number, 3)
    assert refusal(number, "3").expected == "a whole number"
    maybe_number = v.optional_instance_of(int, "a whole number")
    assert accepts(maybe_number, None)
    assert refusal(maybe_number, 2.0).expected == "a whole number"
    assert v.enum_argument(Colour, "blue", "colour") is Colour.BLUE
    with pytest.raises(ValidationError) as caught:
        v.enum_argument(Colour, "green", "colour")
    assert str(caught.value) == "colour: got 'green', expected one of 'red', 'blue'"


def test_collection_validators() -> None:
    numbers = v.tuple_of(int, "whole numbers")
    assert accepts(numbers, (1, 2))
    assert refusal(numbers, [1, 2]).expected == "a sequence of whole numbers"
    with pytest.raises(ValidationError) as item:
        numbers(Box(()), attrs.fields(Box).value, (1, "2"))
    assert (item.value.field, item.value.value, item.value.expected) == (
        "Box.value[1]",
        "2",
        "whole numbers",
    )
    unique = v.unique_by(lambda x: x % 10, "last digit")
    assert accepts(unique, (1, 2, 3))
    with pytest.raises(ValidationError) as twice:
        unique(Box(()), attrs.fields(Box).value, (1, 2, 11))
    assert (twice.value.field, twice.value.value, twice.value.expected) == (
        "Box.value[2]",
        1,
        "a unique last digit",
    )
    assert v.where(Box(1), attrs.fields(Box).value) == "Box.value"
