"""Hostile input: reading returns a valid value or raises ValidationError, nothing else."""

from __future__ import annotations

import copy
import json
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import STRATEGIES
from successkit.detection import PortfolioFindings, detect_portfolio
from successkit.errors import ValidationError
from successkit.model import Account, AllOf, Cadence, Contract, Goal, Portfolio
from successkit.samples import DEMO_AS_OF, Archetype, sample_account, sample_portfolio
from successkit.scoring import DEFAULT_HEALTH_SCORECARD, Score, Scorecard, score_accounts
from successkit.serialization import from_dict, from_json, json_schema, to_dict, to_json

ROOTS = ("data", "schema_version", "type", "document", "shared")

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1])
    | st.floats()  # NaN and infinities included
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def deep(levels: int) -> Any:
    value: Any = "bottom"
    for index in range(levels):
        value = [value] if index % 2 else {"a": value}
    return value


# Values that have broken readers before: each is hostile to some field type.
HOSTILE = [
    float("nan"),
    float("inf"),
    -float("inf"),
    10**400,
    True,
    "",
    " ",
    "zzz-unknown-enum-value",
    "2026-01-01T00:00:00",  # naive
    "2026-01-01",  # a date where a datetime is expected
    "0001-01-01T00:00:00+05:00",  # overflows once converted to UTC
    "9999-12-31T23:59:59-05:00",
    "2026-02-30T00:00:00+00:00",
    "1e999999999",
    "NaN",
    "-0",
    "P1M",
    "P99999999999D",
    {"_type": "Nope"},
    {"_type": "AllOf", "conditions": []},
    [],
    {},
    ("deep", 100),
    ("deep", 500),
]


def hostile(index: int) -> Any:
    """A fresh copy of ``HOSTILE[index]`` (mutations must not alter the shared list)."""
    value = HOSTILE[index]
    if isinstance(value, tuple):
        return deep(value[1])
    return copy.deepcopy(value)


def assert_valid_or_refused(read: Any, cls: type) -> None:
    try:
        value = read()
    except ValidationError as error:
        refused = error
    else:
        assert type(value) is cls
        return
    assert refused.errors
    assert str(refused)
    for field_error in refused.errors:
        assert field_error.field.startswith(ROOTS), field_error.field


def locations(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key-or-index) pair of a JSON document, depth first."""
    found: list[tuple[Any, Any]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        keys = list(current) if isinstance(current, dict) else range(len(current))
        for key in keys:
            found.append((current, key))
            child = current[key]
            if isinstance(child, (dict, list)):
                stack.append(child)
    return found


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        spots = locations(document)
        container, key = draw(st.sampled_from(spots))
        action = draw(st.sampled_from(["drop", "replace", "hostile", "add"]))
        if action == "drop":
            del container[key]
        elif action == "replace":
            container[key] = draw(json_values)
        elif action == "hostile":
            container[key] = hostile(draw(st.integers(0, len(HOSTILE) - 1)))
        elif isinstance(container, dict):
            container[draw(st.text(max_size=8))] = draw(json_values)
        else:
            container.append(draw(json_values))
    return document


def valid_documents() -> st.SearchStrategy[tuple[type, dict[str, Any]]]:
    """Documents of model values, in the full or the compact form."""
    classes = [Account, Goal, Contract, Cadence, AllOf, Portfolio]
    return st.tuples(st.sampled_from(classes), st.booleans()).flatmap(
        lambda case: STRATEGIES[case[0]].map(
            lambda value: (case[0], to_dict(value, compact=case[1]))
        )
    )


FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(case=valid_documents(), data=st.data())
def test_mutated_documents_are_read_or_refused(
    case: tuple[type, dict[str, Any]], data: st.DataObject
) -> None:
    cls, document = case
    bad = data.draw(mutated(document))
    assert_valid_or_refused(lambda: from_dict(bad, cls), cls)
    assert_valid_or_refused(lambda: from_json(json.dumps(bad), cls), cls)


SAMPLE = to_dict(sample_account(Archetype.SUCCESS_GAP, account_id="fuzz", seed=9))
SCORE = to_dict(
    score_accounts([sample_account(Archetype.ADVOCATE, account_id="s")], as_of=DEMO_AS_OF)[0]
)
SCORECARD = to_dict(DEFAULT_HEALTH_SCORECARD)
_PORTFOLIO = sample_portfolio(6, seed=2)
FINDINGS = to_dict(detect_portfolio(_PORTFOLIO, as_of=DEMO_AS_OF), compact=True)
COMPACT_SCORE = to_dict(score_accounts(_PORTFOLIO, as_of=DEMO_AS_OF)[0], compact=True)
COMPACT_ACCOUNT = to_dict(_PORTFOLIO.accounts[0], compact=True)


@FUZZ
@pytest.mark.parametrize(
    ("cls", "document"),
    [
        (Account, SAMPLE),
        (Score, SCORE),
        (Scorecard, SCORECARD),
        (PortfolioFindings, FINDINGS),
        (Score, COMPACT_SCORE),
        (Account, COMPACT_ACCOUNT),
    ],
    ids=["account", "score", "scorecard", "compact-findings", "compact-score", "compact-account"],
)
@given(data=st.data())
def test_mutated_realistic_documents_are_read_or_refused(
    cls: type, document: dict[str, Any], data: st.DataObject
) -> None:
    bad = data.draw(mutated(document))
    assert_valid_or_refused(lambda: from_dict(bad, cls), cls)
    assert_valid_or_refused(lambda: from_json(json.dumps(bad), cls), cls)


TEXT = to_json(sample_account(Archetype.CODE_RED, account_id="t"))


@FUZZ
@given(data=st.data())
def test_damaged_text_is_read_or_refused(data: st.DataObject) -> None:
    text = TEXT
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    insert = data.draw(st.text(alphabet='{}[]",:\\0123456789eE.-+ntfaluTZ\x00\ud800', max_size=6))
    damaged = text[:start] + insert + text[end:]
    assert_valid_or_refused(lambda: from_json(damaged, Account), Account)
    encoded = damaged.encode("utf-8", "surrogatepass")
    assert_valid_or_refused(lambda: from_json(encoded, Account), Account)


@pytest.mark.parametrize("cls", [Account, Goal, Score, Cadence, AllOf])
@given(value=json_values)
def test_arbitrary_json_values_are_refused_or_read(cls: type, value: Any) -> None:
    assert_valid_or_refused(lambda: from_dict(value, cls), cls)
    envelope = {"schema_version": 1, "type": cls.__name__, "data": value}
    assert_valid_or_refused(lambda: from_dict(envelope, cls), cls)
    assert_valid_or_refused(lambda: from_json(json.dumps(envelope), cls), cls)


@pytest.mark.parametrize("cls", [Account, Goal, Score, Contract])
@given(data=st.data())
def test_objects_with_plausible_keys_are_refused_or_read(cls: type, data: st.DataObject) -> None:
    keys = [*json_schema(cls)["$defs"][cls.__name__]["properties"], "zzz"]
    values = json_values | st.integers(0, len(HOSTILE) - 1).map(hostile)
    payload = data.draw(st.dictionaries(st.sampled_from(keys), values))
    envelope = {"schema_version": 1, "type": cls.__name__, "data": payload}
    assert_valid_or_refused(lambda: from_dict(envelope, cls), cls)


@given(raw=st.binary(max_size=64))
def test_arbitrary_bytes_are_refused_or_read(raw: bytes) -> None:
    assert_valid_or_refused(lambda: from_json(raw, Account), Account)


def test_very_deep_nesting_is_refused_before_parsing() -> None:
    for text in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        with pytest.raises(ValidationError, match="nested arrays and objects") as caught:
            from_json(text, Account)
        assert caught.value.field == "document"
    # Unbalanced openings would make the parser recurse: refused before parsing too.
    with pytest.raises(ValidationError, match="unbalanced brackets"):
        from_json("[" * 100_000, Account)


def test_nesting_just_below_the_parser_limit_is_refused_by_the_reader() -> None:
    depth = min(900, sys.getrecursionlimit() - 100)
    text = json.dumps({"schema_version": 1, "type": "Account", "data": {"id": deep(depth)}})
    with pytest.raises(ValidationError) as caught:
        from_json(text, Account)
    assert caught.value.field == "data.id"


def test_cyclic_python_data_is_refused() -> None:
    tree: dict[str, Any] = {"_type": "AllOf", "conditions": []}
    tree["conditions"].append(tree)
    envelope = {"schema_version": 1, "type": "AllOf", "data": {"conditions": [tree]}}
    with pytest.raises(ValidationError, match="nesting within max_depth"):
        from_dict(envelope, AllOf)
