"""Output people can read: labels, short str(), notebook HTML, tables out."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from successkit import HealthScorer
from successkit.detection import PortfolioFindings, detect_portfolio
from successkit.display import (
    Unit,
    format_figure,
    format_value,
    label,
    portfolio_table,
    register_label,
    worst_first,
)
from successkit.errors import ValidationError
from successkit.frames import findings_to_frame, scores_to_frame
from successkit.model import Portfolio
from successkit.samples import DEMO_AS_OF, new_customer, sample_portfolio
from successkit.scoring import Band, Score, score_accounts

SHORT = 200  # a str() is one line a person reads, not a dump


@cache
def portfolio() -> Portfolio:
    return sample_portfolio(24, seed=3, as_of=DEMO_AS_OF)


@cache
def scores() -> tuple[Score, ...]:
    return tuple(score_accounts(portfolio().accounts, as_of=DEMO_AS_OF, scorer=HealthScorer()))


@cache
def findings() -> PortfolioFindings:
    return detect_portfolio(portfolio().accounts, as_of=DEMO_AS_OF)


# --- the registry -------------------------------------------------------------------


def test_measures_read_as_words_not_identifiers() -> None:
    assert label("days_since_last_interaction") == "Days since last interaction"
    assert label("nps") == "NPS"
    assert label("success_gap") == "Success gap"
    assert label("weekly_active_users") == "Weekly active users"  # never registered


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("adoption_rate", 0.461653, "46%"),
        ("csat", 83.3333, "83%"),
        ("pace", -0.12, "-12 pts"),
        ("days_since_last_interaction", 6.4, "6 days"),
        ("days_since_last_interaction", 1.0, "1 day"),
        ("support_tickets", 3.0, "3"),
        ("nps", 12.0, "+12"),
        ("weekly_active_users", 0.461653, "0.462"),
        ("weekly_active_users", 12345.6, "12,346"),
        ("renewal_share", 0.5, "50%"),
        ("window_days", 30, "30 days"),
        ("adoption_rate", None, "n/a"),
        ("adoption_rate", math.nan, "n/a"),
    ],
)
def test_values_print_with_their_unit(name: str, value: float | None, shown: str) -> None:
    assert format_value(name, value) == shown


def test_figures_print_with_their_own_unit() -> None:
    assert format_figure("days_overdue", 12, "days") == "Days overdue: 12 days"
    assert format_figure("progress", 0.4, "share") == "Progress: 40%"
    assert format_figure("arr_at_risk", 24000, "USD") == "ARR at risk: 24,000 USD"


def test_registering_a_label_reaches_every_output() -> None:
    registered = register_label("weekly_logins_test", "Weekly log-ins", "count")
    assert registered.unit is Unit.COUNT
    assert label("weekly_logins_test") == "Weekly log-ins"
    assert format_value("weekly_logins_test", 41.6) == "42"


@pytest.mark.parametrize(
    ("name", "text", "unit"), [("", "x", "number"), ("x", " ", "number"), ("x", "X", "furlongs")]
)
def test_a_bad_label_is_refused(name: str, text: str, unit: str) -> None:
    with pytest.raises(ValueError, match=r"label|unit"):
        register_label(name, text, unit)


# --- str() and explain() ---------------------------------------------------------


def test_every_result_type_has_a_short_str() -> None:
    score = scores()[0]
    account = portfolio().accounts[0]
    status = account.goal_statuses(DEMO_AS_OF)[0]
    texts = [
        str(score),
        str(score.contributions[0]),
        str(score.groups[0]),
        str(score.quadrant),
        str(status),
        *(str(result) for result in status.conditions),
        str(findings()),
        str(findings().findings[0]),
        str(portfolio()),
        str(account),
        str(portfolio_table(scores())),
    ]
    for text in texts:
        assert "\n" not in text
        assert len(text) <= SHORT, text
        assert "(kind=" not in text
        assert "=Band." not in text  # no attrs repr
    assert str(score).startswith(f"{score.account_id}: health ")
    assert str(portfolio()).startswith("Portfolio of 24 accounts (")
    assert str(findings()).startswith(f"{len(findings().findings)} findings on 24 accounts")


def test_a_score_without_evidence_says_so_in_one_line() -> None:
    score = HealthScorer()(new_customer(as_of=DEMO_AS_OF), as_of=DEMO_AS_OF)
    assert score.band is None
    assert "(no band)" in str(score)
    assert "insufficient evidence" in str(score)


def test_the_version_header_reads_as_words() -> None:
    score = scores()[0]
    header = score.explain().splitlines()[0]
    assert header.startswith("health (outcomes v")
    assert "@" not in header
    assert " voutcomes" not in score._repr_html_()
    assert "outcomes v" in score._repr_html_()


def test_explain_names_measures_for_people() -> None:
    text = scores()[0].explain()
    assert "Days since last interaction" in text
    assert "days_since_last_interaction" not in text
    assert all(len(line) <= 100 for line in text.splitlines())


# --- notebook HTML --------------------------------------------------------------


def test_portfolio_and_findings_display_in_notebooks() -> None:
    html = portfolio()._repr_html_()
    assert html.count("<tr") == 25  # a header and one row per account
    assert portfolio().accounts[0].name in html
    found = findings()._repr_html_()
    assert "Success gap" in found or "Behind pace" in found
    assert "success_gap" not in found.replace("sk-", "")
    assert "showing 50 of" in found or len(findings().findings) <= 50


def test_portfolio_table_is_worst_first_with_names_and_halves() -> None:
    table = portfolio_table(scores(), accounts=portfolio())
    ordered = table.worst_first()
    ranks = [1 if s.band is None else 2 * s.band.rank for s in ordered]
    assert ranks == sorted(ranks)
    html = table._repr_html_()
    for column in ("name", "CO", "CX"):
        assert f">{column}</th>" in html
    worst = ordered[0]
    name = portfolio().get(worst.account_id or "").name
    assert html.index(worst.account_id or "") < html.index(ordered[-1].account_id or "")
    assert name in html
    assert "0.461653" not in html


def test_worst_first_puts_unknown_between_red_and_amber() -> None:
    kinds = sorted(
        [Band.GREEN, None, Band.RED, Band.AMBER],
        key=lambda band: worst_first(
            Score(
                value=5.0,
                band=band,
                scale=scores()[0].scale,
                scorer="t",
                evidence_gaps=() if band else ("no data",),
            )
        ),
    )
    assert kinds == [Band.RED, None, Band.AMBER, Band.GREEN]


def test_a_names_mapping_is_checked() -> None:
    with pytest.raises(ValidationError):
        type(portfolio_table(scores()))(scores=scores(), names={"a": 1})  # type: ignore[dict-item]


# --- tables out ----------------------------------------------------------------


@pytest.mark.parametrize("backend", ["pandas", "polars", "arrow"])
def test_scores_to_frame_has_one_row_per_score_and_flat_columns(backend: str) -> None:
    table = scores_to_frame(scores(), backend=backend, accounts=portfolio())  # type: ignore[arg-type]
    if backend != "pandas":
        table = table.to_pandas()
    assert len(table) == len(scores())
    assert {"account_id", "name", "value", "band", "outcomes", "experience"} <= set(table.columns)
    assert "nps_raw" in table.columns
    assert "nps_points" in table.columns
    assert "schema_version" not in table.columns
    first = scores()[0]
    row = table.iloc[0]
    assert row["account_id"] == first.account_id
    assert row["value"] == pytest.approx(first.value)
    assert str(row["as_of"].tz) == "UTC"


def test_scores_to_frame_keeps_nulls_typed_in_pandas() -> None:
    newcomer = HealthScorer()(new_customer(as_of=DEMO_AS_OF), as_of=DEMO_AS_OF)
    table = scores_to_frame([newcomer, scores()[0]])
    assert str(table["value"].dtype) == "Float64"
    assert table["band"].isna().tolist() == [True, False]
    assert table["has_evidence"].tolist() == [False, True]
    assert table.loc[0, "evidence_gaps"]


@pytest.mark.parametrize("backend", ["pandas", "polars", "arrow"])
def test_findings_to_frame_has_one_row_per_finding(backend: str) -> None:
    table = findings_to_frame(findings(), backend=backend)  # type: ignore[arg-type]
    rows = table.num_rows if backend == "arrow" else len(table)
    assert rows == len(findings().findings)
    names = table.column_names if backend == "arrow" else list(table.columns)
    assert names[:5] == ["account_id", "as_of", "severity", "severity_rank", "kind"]


def test_tables_refuse_what_is_not_a_score_or_a_finding() -> None:
    with pytest.raises(ValidationError, match=r"scores\[1\]"):
        scores_to_frame([scores()[0], "nope"])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"findings\[0\]"):
        findings_to_frame(["nope"])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="backend"):
        scores_to_frame(scores(), backend="excel")  # type: ignore[arg-type]


def test_empty_inputs_give_empty_tables() -> None:
    assert len(scores_to_frame([])) == 0
    assert findings_to_frame([], backend="arrow").num_rows == 0


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_any_number_prints_short_and_without_exponent_noise(value: float) -> None:
    for name in ("adoption_rate", "nps", "days_overdue", "weekly_active_users", "usage_sum"):
        shown = format_value(name, value)
        assert len(shown) <= 20
        assert "nan" not in shown


def test_moments_in_frames_are_utc() -> None:
    table = scores_to_frame(scores()[:1], backend="polars")
    assert table["as_of"][0] == DEMO_AS_OF.astimezone(timezone.utc)
    assert isinstance(table["as_of"][0], datetime)


# --- charts ----------------------------------------------------------------------


def test_the_quadrant_chart_names_the_accounts_needing_attention() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from successkit.plotting import quadrant_chart

    placed = [s for s in scores() if s.quadrant is not None]
    figure = quadrant_chart(placed, accounts=portfolio(), annotate=2)
    try:
        named = [
            t.get_text() for t in figure.axes[0].texts if (t.get_gid() or "").startswith("name-")
        ]
        worst = sorted(placed, key=worst_first)[:2]
        assert named == [portfolio().get(s.account_id or "").name for s in worst]
        with pytest.raises(ValidationError, match="annotate"):
            quadrant_chart(placed, annotate=-1)
    finally:
        plt.close("all")
