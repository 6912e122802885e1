"""The optional accelerator (the ``fast-json`` extra): the same text, with or without it."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import STRATEGIES
from successkit.detection import detect_portfolio
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.serialization import _document, to_json

pytest.importorskip("orjson")


def both(value: Any, **options: Any) -> tuple[str, str]:
    """The text of ``value`` written with orjson, then with the standard library alone."""
    fast = to_json(value, **options)
    saved = _document._ORJSON
    _document._ORJSON = False  # as when orjson is not installed
    try:
        plain = to_json(value, **options)
    finally:
        _document._ORJSON = saved
    return fast, plain


@attrs.frozen(kw_only=True)
class Odd:
    text: str = ""
    level: float = 0.0
    count: int = 0
    amount: Decimal = Decimal(0)


OPTIONS = [{}, {"indent": 2}, {"compact": True}, {"compact": True, "indent": 2}, {"indent": 4}]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize(
    "value",
    [
        Odd(text="Zoë says “great” \u2028 and \x7f"),
        Odd(level=1e-7),
        Odd(level=1.5212603486793025e-05),
        Odd(level=-0.0),
        Odd(level=1e16),
        Odd(level=5e-324),
        Odd(count=2**64),
        Odd(count=-(2**63) - 1),
        Odd(text="one-time e-5 0.00001 1e-7"),
        Odd(amount=Decimal("1E-7")),
    ],
)
def test_edge_values_give_the_same_text(value: Odd, options: dict[str, Any]) -> None:
    fast, plain = both(value, **options)
    assert fast == plain


@given(
    value=st.sampled_from(sorted(STRATEGIES, key=lambda cls: cls.__name__)).flatmap(
        lambda cls: STRATEGIES[cls]
    ),
    options=st.sampled_from(OPTIONS),
)
def test_every_model_value_gives_the_same_text(value: Any, options: dict[str, Any]) -> None:
    fast, plain = both(value, **options)
    assert fast == plain


@given(level=st.floats(allow_nan=False, allow_infinity=False), text=st.text(max_size=8))
def test_any_float_and_text_give_the_same_text(level: float, text: str) -> None:
    fast, plain = both(Odd(level=level, text=text))
    assert fast == plain


def test_a_portfolio_run_gives_the_same_text() -> None:
    portfolio = sample_portfolio(20)
    found = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    for value in (portfolio, found, portfolio.accounts[0]):
        for options in OPTIONS:
            fast, plain = both(value, **options)
            assert fast == plain


def test_orjson_writes_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    account = sample_portfolio(1).accounts[0]
    expected = to_json(account)

    def refuse(*_args: Any, **_kwargs: Any) -> str:
        raise AssertionError("the standard library should not be needed")

    monkeypatch.setattr(_document.json, "dumps", refuse)
    assert to_json(account) == expected
    assert to_json(account, indent=2).startswith('{\n  "schema_version": 1,')


def test_orjson_is_imported_only_when_json_is_written() -> None:
    check = "import sys, successkit, successkit.serialization;print('orjson' in sys.modules)"
    result = subprocess.run(  # noqa: S603 - a fixed command
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
