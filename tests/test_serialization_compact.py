"""The compact form: its shape, its size on a portfolio run, and hostile compact documents.

Round trips of every class in both forms are in ``test_serialization.py``
(``assert_round_trip``); mutated compact documents in ``test_serialization_fuzz.py``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs
import pytest

from successkit.detection import PortfolioFindings, detect_portfolio
from successkit.errors import ValidationError
from successkit.model import Account, AllOf, Interaction, Portfolio, Relationship
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import PortfolioScores, score_accounts
from successkit.serialization import ReadLimits, from_dict, from_json, to_dict, to_json


@attrs.frozen(kw_only=True)
class Line:
    label: str
    amount: Decimal = Decimal(0)
    share: float = 0.0


@attrs.frozen(kw_only=True)
class Sheet:
    title: str
    lines: tuple[Line, ...] = ()
    tags: tuple[str, ...] = ()


def refusal(document: Any, cls: type = Sheet, **limits: Any) -> ValidationError:
    if limits:
        with pytest.raises(ValidationError) as caught:
            from_json(json.dumps(document), cls, limits=ReadLimits(**limits))
        return caught.value
    with pytest.raises(ValidationError) as caught:
        from_dict(document, cls)
    return caught.value


def test_the_compact_form_is_written_as_documented() -> None:
    sheet = Sheet(
        title="Quarterly business review",
        lines=(
            Line(label="Quarterly business review", amount=Decimal("12.50")),
            Line(label="renewal", share=-0.0),
        ),
        tags=("Quarterly business review", "renewal"),
    )
    assert to_dict(sheet, compact=True) == {
        "schema_version": 2,
        "type": "Sheet",
        "shared": ["Quarterly business review", "renewal"],
        "data": {
            "title": 0,
            # Columns, one per field. The amount is money: a string never shared,
            # since an integer there is an amount.
            "lines": {"label": [0, 1], "amount": ["12.50", "0"], "share": [0.0, -0.0]},
            "tags": [0, 1],
        },
    }
    assert from_json(to_json(sheet, compact=True), Sheet) == sheet
    # Defaults are left out, whole columns of them too; a table with every column
    # left out keeps its number of rows.
    plain = Sheet(title="t", lines=(Line(label="a"), Line(label="a", share=0.5)))
    assert to_dict(plain, compact=True)["data"] == {
        "title": "t",
        "lines": {"label": ["a", "a"], "share": [0.0, 0.5]},
    }
    assert to_dict(Sheet(title="t"), compact=True)["data"] == {"title": "t"}
    rows_only = {"schema_version": 2, "type": "Sheet", "data": {"title": "t", "lines": {"#": 0}}}
    assert from_dict(rows_only, Sheet) == Sheet(title="t")


def test_a_repeated_object_is_shared_once() -> None:
    touch = Interaction(at=DEMO_AS_OF, type="email", direction="outbound_proactive")
    account = Account(id="acme", relationship=Relationship(interactions=(touch, touch, touch)))
    document = to_dict(account, compact=True)
    text = json.dumps(document)
    assert text.count("outbound_proactive") == 1
    assert from_dict(document, Account) == account


def test_both_forms_read_back_equal_through_every_reader() -> None:
    portfolio = sample_portfolio(5, seed=1)
    text = to_json(portfolio, compact=True)
    assert from_json(text, Portfolio) == portfolio
    assert from_json(text.encode(), Portfolio) == portfolio
    assert from_dict(json.loads(text), Portfolio) == portfolio
    assert len(text) < len(to_json(portfolio)) / 2


def test_findings_and_scores_of_the_sample_portfolio_take_under_3_kb_per_account() -> None:
    portfolio = sample_portfolio(100)
    found = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    scores = PortfolioScores.of(score_accounts(portfolio, as_of=DEMO_AS_OF), as_of=DEMO_AS_OF)
    compact = len(to_json(found, compact=True)) + len(to_json(scores, compact=True))
    full = len(to_json(found)) + len(to_json(scores))
    assert compact / len(portfolio.accounts) <= 3_000
    assert compact < full / 3
    assert from_json(to_json(found, compact=True), PortfolioFindings) == found
    assert from_json(to_json(scores, compact=True), PortfolioScores) == scores


def test_a_full_document_may_not_hold_shared_values() -> None:
    document = {**to_dict(Sheet(title="t")), "shared": []}
    error = refusal(document)
    assert error.field == "document.shared"


@pytest.mark.parametrize(
    ("data", "shared", "field", "expected"),
    [
        ({"title": 0}, [], "data.title", "this document shares none"),
        ({"title": 3}, ["a"], "data.title", "an index from 0 to 0"),
        ({"title": -1}, ["a"], "data.title", "an index from 0 to 0"),
        # A shared value refers only to values before it: no cycle.
        ({"title": "t", "tags": 0}, [[0]], "data.tags[0]", "this document shares none"),
        ({"title": "t", "lines": {"#": -1}}, [], 'data.lines["#"]', "a whole number >= 0"),
        ({"title": "t", "lines": {"#": 2, "label": ["a"]}}, [], "data.lines.label", "2 values"),
        ({"title": "t", "lines": {"#": 1, "label": "a"}}, [], "data.lines.label", "an array"),
        ({"title": "t", "lines": {"#": 1, "colour": [1]}}, [], "data.lines.colour", "no such"),
        ({"title": "t", "lines": {"#": 1}}, [], "data.lines[0].label", "a required field"),
        ({"title": "t", "lines": {}}, [], 'data.lines["#"]', "a whole number >= 0"),
        (
            {"title": "t", "lines": {"label": ["a"], "share": [1.0, 2.0]}},
            [],
            "data.lines.share",
            "1 values",
        ),
        # Money is never shared: an integer there is an amount, read as such.
        (
            {"title": "t", "lines": [{"label": "a", "amount": 0.5}]},
            ["x"],
            "data.lines[0].amount",
            "decimal",
        ),
    ],
)
def test_broken_compact_documents_are_refused_at_their_path(
    data: Any, shared: Any, field: str, expected: str
) -> None:
    document = {"schema_version": 2, "type": "Sheet", "shared": shared, "data": data}
    error = refusal(document)
    assert [e.field for e in error.errors] == [field]
    assert expected in error.expected


def test_shared_must_be_an_array() -> None:
    error = refusal({"schema_version": 2, "type": "Sheet", "shared": {}, "data": {"title": "t"}})
    assert error.field == "shared"


def test_an_integer_where_a_number_belongs_is_a_number_not_a_reference() -> None:
    document = {
        "schema_version": 2,
        "type": "Sheet",
        "shared": ["a"],
        "data": {"title": 0, "lines": [{"label": 0, "amount": 0, "share": 0}]},
    }
    sheet = from_dict(document, Sheet)
    assert sheet.lines == (Line(label="a", amount=Decimal(0), share=0.0),)


def condition_chain(links: int, width: int) -> dict[str, Any]:
    """An AllOf document whose shared values each hold the one before ``width`` times."""
    shared: list[Any] = [{"_type": "Condition", "metric": "m", "comparison": ">=", "threshold": 1}]
    shared += [{"_type": "AllOf", "conditions": [index] * width} for index in range(links)]
    return {
        "schema_version": 2,
        "type": "AllOf",
        "shared": shared,
        "data": {"conditions": [len(shared) - 1]},
    }


def test_shared_values_cannot_expand_beyond_the_limits() -> None:
    # Each shared value holds the one before it twice: 2**40 conditions once expanded.
    error = refusal(condition_chain(25, 2), AllOf, max_values=100_000)
    assert "max_values" in error.expected
    rows = {"schema_version": 2, "type": "Sheet", "data": {"title": "t", "lines": {"#": 10**12}}}
    assert "max_values" in refusal(rows, max_values=100_000).expected


def test_a_chain_of_shared_values_is_refused_past_max_depth() -> None:
    error = refusal(condition_chain(200, 1), AllOf)
    assert "nesting within max_depth" in error.expected
    short = from_dict(condition_chain(10, 1), AllOf)
    assert from_json(to_json(short, compact=True), AllOf) == short


def test_portfolio_scores_hold_scores_of_their_moment() -> None:
    portfolio = sample_portfolio(3)
    scores = score_accounts(portfolio, as_of=DEMO_AS_OF)
    gathered = PortfolioScores.of(scores, as_of=DEMO_AS_OF)
    assert len(gathered) == 3
    assert gathered.scores == tuple(scores)
    with pytest.raises(ValidationError) as caught:
        PortfolioScores.of(scores, as_of=DEMO_AS_OF.replace(year=2025))
    assert caught.value.field == "PortfolioScores.scores[0].as_of"
