"""Notebook display: the HTML of scores, goal statuses, accounts, findings and portfolios."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import AS_OF
from strategies import accounts, goal_statuses
from successkit import (
    Account,
    Condition,
    ConditionResult,
    ConditionState,
    Context,
    Contract,
    DesiredOutcome,
    Goal,
    GoalStatus,
    Interaction,
    Objective,
    ProgressMilestone,
    Relationship,
    TimeFrame,
    ValidationError,
)
from successkit._display import BAND_COLOURS, SEVERITY_COLOURS, score_html
from successkit.detection import Evidence, Figure, Finding
from successkit.display import PortfolioTable, portfolio_table
from successkit.scoring import (
    Band,
    Contribution,
    MissingPolicy,
    Override,
    Quadrant,
    Scale,
    Score,
    health_score,
)

UTC = timezone.utc
# Every tag the builders write; anything else would be markup injected by data.
OUR_TAGS = {"div", "span", "strong", "em", "table", "thead", "tbody", "tr", "th", "td", "ul", "li"}
HOSTILE = "<script>alert('x')</script> & \"co\""


class _Reader(HTMLParser):
    """Collects the tags and the visible text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.classes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.classes.extend((value or "") for name, value in attrs if name == "class")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def visible_text(html: str) -> str:
    return " ".join(" ".join(read(html).text).split())


def rows(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<tr class="[^"]*\b{css_class}\b[^"]*">.*?</tr>', html)


def contribution(measure: str, points: float, **changes: object) -> Contribution:
    fields: dict[str, object] = {
        "measure": measure,
        "raw": 1.0,
        "normalized": 0.5,
        "weight": 1.0,
        "effective_weight": 0.5,
        "points": points,
        "missing": False,
        "handling": None,
        "group": None,
    }
    fields.update(changes)
    return Contribution(**fields)  # type: ignore[arg-type]


# --- scores -----------------------------------------------------------------------


def test_the_worked_example_shows_its_own_numbers() -> None:
    # ROI 6.5 + experience 8.2 = 14.7 on 0-20: amber, both halves >= 5: advocate.
    html = health_score(6.5, 8.2)._repr_html_()
    text = visible_text(html)
    assert "14.7 on 0-20 amber" in text
    assert f"background:{BAND_COLOURS['amber']}" in html
    assert "quadrant: Advocates (outcomes 6.5, experience 8.2)" in text
    assert "Outcomes (CO) Outcomes (CO) 6.5 50% 6.50" in text
    assert "Experience (CX) Experience (CX) 8.2 50% 8.20" in text
    assert "coverage 100%" in text
    assert "given values" in text  # no account behind a score of given numbers


@pytest.mark.parametrize(
    ("outcomes", "experience", "band"),
    [(2, 3, Band.RED), (5, 6, Band.AMBER), (9, 9, Band.GREEN)],
)
def test_each_band_has_its_colour(outcomes: float, experience: float, band: Band) -> None:
    html = score_html(health_score(outcomes, experience))
    chip = re.search(r'<span class="sk-band sk-band-(\w+)" style="background:([^;]+);', html)
    assert chip is not None
    assert chip.groups() == (band.value, BAND_COLOURS[band.value])


def test_the_band_colours_differ_and_read_as_their_names() -> None:
    assert len(set(BAND_COLOURS.values())) == 3
    red, green = BAND_COLOURS["red"], BAND_COLOURS["green"]
    # The red colour is mostly red, the green one mostly green.
    assert int(red[1:3], 16) > max(int(red[3:5], 16), int(red[5:7], 16))
    assert int(green[3:5], 16) > max(int(green[1:3], 16), int(green[5:7], 16))


@given(
    st.floats(min_value=0, max_value=10, allow_nan=False),
    st.floats(min_value=0, max_value=10, allow_nan=False),
)
def test_the_value_and_band_shown_follow_cs_equals_co_plus_cx(
    outcomes: float, experience: float
) -> None:
    total = outcomes + experience
    band = "green" if total >= 15 else "amber" if total >= 10 else "red"
    score = health_score(outcomes, experience)
    html = score_html(score)
    value = re.search(r'class="sk-value"[^>]*>([^<]+)<', html)
    assert value is not None
    # The value shown never reads as another band (9.97 red shows 9.9, not 10.0).
    assert value.group(1) == score.shown_value(1)
    assert abs(float(value.group(1)) - total) < 0.1 + 1e-9
    shown = float(value.group(1))
    assert band == ("green" if shown >= 15 else "amber" if shown >= 10 else "red")
    assert f"sk-band-{band}" in html


def test_data_is_escaped() -> None:
    score = Score(
        value=4.0,
        band=Band.RED,
        scale=Scale(min=0, max=20),
        scorer="card<&>",
        version="1<b>",
        account_id=HOSTILE,
        contributions=(contribution("<i>nps</i>", 4.0, group="<g>"),),
    )
    html = score_html(score)
    reader = read(html)
    assert set(reader.tags) <= OUR_TAGS
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    text = visible_text(html)
    assert HOSTILE in text
    assert "card<&> v1<b>" in text
    assert "<i>nps</i> <g>" in text


def test_missing_measures_are_marked() -> None:
    score = Score(
        value=6.0,
        band=Band.RED,
        scale=Scale(min=0, max=20),
        scorer="card",
        contributions=(
            contribution("nps", 5.0),
            contribution(
                "csat", 1.0, raw=None, missing=True, handling=MissingPolicy.NEUTRAL, group="cx"
            ),
            contribution(
                "usage",
                0.0,
                raw=None,
                normalized=None,
                effective_weight=0.0,
                missing=True,
                handling=MissingPolicy.EXCLUDE,
            ),
        ),
    )
    html = score_html(score)
    marked = rows(html, "sk-missing")
    assert len(marked) == 2
    assert "CSAT" in marked[0]
    assert "missing (neutral)" in marked[0]
    assert "Usage" in marked[1]
    assert "missing (exclude)" in marked[1]
    plain = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1])
    assert len(plain) == 1  # the row of nps, which has data, is not marked
    assert "NPS" in plain[0]
    assert "missing" not in plain[0]


def test_an_override_shows_who_why_and_what_was_computed() -> None:
    override = Override(
        account_id="acc-1",
        value=16.0,
        reason="renewal signed <today>",
        author="Dana",
        created_at=AS_OF - timedelta(days=1),
        expires_at=AS_OF + timedelta(days=30),
    )
    score = Score(
        value=16.0,
        band=Band.GREEN,
        scale=Scale(min=0, max=20),
        scorer="health",
        account_id="acc-1",
        as_of=AS_OF,
        computed_value=8.25,
        computed_band=Band.RED,
        override=override,
    )
    html = score_html(score)
    text = visible_text(html)
    assert "16.0 on 0-20 green" in text
    assert "as of 2026-11-24 12:00 UTC" in text
    assert "overridden by Dana (renewal signed <today>) until 2026-12-24 12:00 UTC" in text
    assert "computed 8.2 red" in text  # 8.25 rounds half to even
    assert "sk-band-red" in html.split("sk-override")[1]


def test_a_score_without_contributions_has_no_table() -> None:
    score = Score(value=3.0, band=Band.RED, scale=Scale(min=0, max=20), scorer="plain")
    html = score_html(score)
    assert "<table" not in html
    assert "quadrant" not in html


# --- goal statuses ----------------------------------------------------------------


def status(**changes: object) -> GoalStatus:
    fields: dict[str, object] = {
        "goal_id": "new-sales",
        "as_of": AS_OF,
        "value": 25.0,
        "objective_met": False,
        "conditions_state": ConditionState.UNKNOWN,
        "conditions": (),
        "achieved": False,
        "overdue": False,
        "progress": 0.25,
        "elapsed": 0.5,
    }
    fields.update(changes)
    return GoalStatus(**fields)  # type: ignore[arg-type]


def state_of(html: str) -> str:
    found = re.search(r'class="sk-goal-state" style="background:([^;]+);[^>]*>([^<]+)<', html)
    assert found is not None
    return f"{found.group(2)} {found.group(1)}"


def test_a_goal_behind_pace() -> None:
    html = status()._repr_html_()
    # progress 25% with half the time gone: 25% - 50% = -25% pace.
    assert state_of(html) == f"behind pace {BAND_COLOURS['amber']}"
    text = visible_text(html)
    assert "value 25 · progress 25% · time elapsed 50% · pace -25%" in text
    assert "objective not met · conditions unknown" in text
    assert "as of 2026-11-24 12:00 UTC" in text


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {
                "achieved": True,
                "objective_met": True,
                "progress": 1.0,
                "conditions_state": ConditionState.MET,
            },
            f"achieved {BAND_COLOURS['green']}",
        ),
        ({"overdue": True, "elapsed": 1.0}, f"overdue {BAND_COLOURS['red']}"),
        (
            {"objective_met": True, "progress": 1.0, "conditions_state": ConditionState.UNMET},
            f"conditions unmet {BAND_COLOURS['amber']}",
        ),
        ({"progress": 0.75}, f"on pace {BAND_COLOURS['green']}"),
        ({"progress": None, "value": None, "objective_met": None}, "progress unknown #6b6b6b"),
    ],
)
def test_the_state_of_a_goal(changes: dict[str, object], expected: str) -> None:
    assert state_of(status(**changes)._repr_html_()) == expected


def test_unknown_numbers_say_so() -> None:
    text = visible_text(status(progress=None, value=None, objective_met=None)._repr_html_())
    assert "value not recorded · progress unknown" in text
    assert "objective unknown" in text
    assert "pace" not in text.replace("progress unknown", "")


def test_conditions_are_listed_with_their_state_and_observed_value() -> None:
    arr = Condition(metric="avg_new_arr", comparison=">=", threshold=12_000)
    seats = Condition(metric="seats", comparison=">", threshold=10, description="more <seats>")
    html = status(
        conditions=(
            ConditionResult(condition=arr, state=ConditionState.UNMET, observed=8_000.0),
            ConditionResult(condition=seats, state=ConditionState.UNKNOWN, observed=None),
        ),
        conditions_state=ConditionState.UNMET,
    )._repr_html_()
    unmet = rows(html, "sk-unmet")
    assert len(unmet) == 1
    assert visible_text(unmet[0]) == "avg_new_arr >= 12000 unmet 8000"
    unknown = rows(html, "sk-unknown")
    assert visible_text(unknown[0]) == "more <seats> unknown not recorded"


def test_an_evaluated_goal_displays_what_evaluate_found() -> None:
    goal = Goal(
        id="new-sales",
        objective=Objective(metric="new_sales", target=250_000, unit="USD", baseline=0),
        conditions=[Condition(metric="avg_new_arr", comparison=">=", threshold=12_000)],
        timeframe=TimeFrame(
            start=datetime(2026, 1, 1, tzinfo=UTC), deadline=datetime(2026, 12, 31, tzinfo=UTC)
        ),
    )
    html = goal.evaluate(
        {"new_sales": 260_000, "avg_new_arr": 8_000}, as_of=datetime(2026, 12, 1, tzinfo=UTC)
    )._repr_html_()
    # The number is met but the condition is not: the customer does not feel successful.
    assert "conditions unmet" in visible_text(html)
    assert "value 260000 · progress 100%" in visible_text(html)


@given(goal_statuses())
def test_any_goal_status_renders_as_our_markup_only(goal_status: GoalStatus) -> None:
    html = goal_status._repr_html_()
    reader = read(html)
    assert set(reader.tags) <= OUR_TAGS
    # The id is shown as text (whitespace aside), whatever characters it holds.
    assert " ".join(goal_status.goal_id.split()) in visible_text(html)


# --- accounts ---------------------------------------------------------------------


def test_an_account_shows_who_what_they_pay_and_their_history() -> None:
    goal = Goal(
        id="g1",
        name="Launch the <spring> event",
        objective=Objective(metric="attendees", target=300),
        timeframe=TimeFrame(
            start=datetime(2026, 1, 1, tzinfo=UTC), deadline=datetime(2026, 6, 30, tzinfo=UTC)
        ),
    )
    interactions = tuple(
        Interaction(at=AS_OF - timedelta(days=day), type="email", direction="inbound_reactive")
        for day in (1, 8)
    )
    milestone = ProgressMilestone(
        id="m1", name="list uploaded", kind="functional", due=AS_OF, goal_id="g1"
    )
    account = Account(
        id="acc-1",
        name="Acme <Corp> & Co",
        segment="smb",
        contract=Contract(
            arr=Decimal(120000),
            start=datetime(2026, 1, 1, tzinfo=UTC),
            renewal_date=datetime(2027, 1, 1, tzinfo=UTC),
        ),
        desired_outcomes=[DesiredOutcome(goal=goal)],
        relationship=Relationship(
            interactions=interactions, context=Context(milestones=(milestone,))
        ),
    )
    html = account._repr_html_()
    assert "<Corp>" not in html
    text = visible_text(html)
    assert text.startswith("Acme <Corp> & Co acc-1 · smb")
    assert "ARR 120,000.00 USD · renews 2027-01-01" in text
    assert "Launch the <spring> event by 2026-06-30" in text
    assert "2 interactions · 1 milestones · 0 commitments" in text
    assert "0 survey answers · 0 lifecycle events" in text


def test_an_account_without_a_name_or_contract_shows_its_id() -> None:
    text = visible_text(Account(id="acc-9")._repr_html_())
    assert text.startswith("acc-9 acc-9 · default")
    assert "ARR" not in text
    assert "goals" not in text


@given(accounts(), st.text(max_size=20))
def test_any_account_renders_its_data_as_text_never_as_markup(account: Account, name: str) -> None:
    reader = read(account._repr_html_())
    assert set(reader.tags) <= OUR_TAGS
    assert f"{len(account.relationship.interactions)} interactions" in "".join(reader.text)
    hostile = attrs.evolve(account, name=name + HOSTILE)
    reader = read(hostile._repr_html_())
    assert set(reader.tags) <= OUR_TAGS
    assert name + HOSTILE in "".join(reader.text)


# --- findings ---------------------------------------------------------------------


def test_a_finding_shows_severity_message_next_step_and_evidence() -> None:
    finding = Finding(
        kind="overdue_milestone",
        severity="critical",
        account_id="acc-1",
        as_of=AS_OF,
        message="Milestone <kick-off> is 12 days overdue",
        next_step="Agree a new date & owner",
        evidence=(
            Evidence(
                label="milestone kick-off",
                milestone_ids=("m1",),
                figures=(
                    Figure(name="days_overdue", value=12, unit="days"),
                    Figure(name="share", value=0.5),
                ),
            ),
            Evidence(label="no figures here"),
        ),
        rule="overdue_milestone",
    )
    html = finding._repr_html_()
    assert set(read(html).tags) <= OUR_TAGS
    assert f"background:{SEVERITY_COLOURS['critical']}" in html
    text = visible_text(html)
    assert text.startswith("critical Overdue milestone acc-1 · as of 2026-11-24 12:00 UTC")
    assert "Milestone <kick-off> is 12 days overdue" in text
    assert "next step: Agree a new date & owner" in text
    assert "• milestone kick-off (Days overdue: 12 days, Share: 50%)" in text
    assert "• no figures here" in text
    assert "()" not in text


def test_a_warning_is_amber() -> None:
    finding = Finding(
        kind="behind_pace",
        severity="warning",
        account_id="acc-1",
        as_of=AS_OF,
        message="behind",
        next_step="plan",
    )
    assert f"background:{SEVERITY_COLOURS['warning']}" in finding._repr_html_()
    assert SEVERITY_COLOURS["warning"] == BAND_COLOURS["amber"]


# --- portfolios -------------------------------------------------------------------


def scored(account_id: str, outcomes: float, experience: float) -> Score:
    return Score(
        **{
            **{f: getattr(health_score(outcomes, experience), f) for f in ("value", "band")},
            "scale": Scale(min=0, max=20),
            "scorer": "health",
            "account_id": account_id,
            "quadrant": health_score(outcomes, experience).quadrant,
        }
    )


def test_a_portfolio_table_counts_bands_and_lists_accounts() -> None:
    # 5.0 red (code red), 11.0 amber (false promoter), 18.0 green (advocate), 12.0 amber.
    scores = [
        scored("a", 2, 3),
        scored("b", 3, 8),
        scored("c", 9, 9),
        scored("d", 6, 6),
    ]
    table = portfolio_table(scores)
    assert len(table) == 4
    assert list(table) == scores
    assert table[2] is scores[2]
    assert table.band_counts == {Band.RED: 1, Band.AMBER: 2, Band.GREEN: 1}
    assert table.quadrant_counts == {
        Quadrant.ADVOCATE: 2,
        Quadrant.FALSE_PROMOTER: 1,
        Quadrant.UNHAPPY_ACHIEVER: 0,
        Quadrant.CODE_RED: 1,
    }
    assert repr(table) == "<PortfolioTable of 4 scores: red 1, amber 2, green 1>"
    html = table._repr_html_()
    text = visible_text(html)
    assert text.startswith("4 accounts · red 1 amber 2 green 1")
    body = html.split("<tbody>")[1]
    assert body.count("<tr>") == 4
    assert "a 5.0 red Code red 100%" in text
    assert "b 11.0 amber False promoters 100%" in text
    assert text.index(" a 5.0 red") < text.index(" b 11.0 amber")  # worst first
    assert "showing" not in text


def test_a_long_portfolio_shows_max_rows_and_says_so() -> None:
    scores = [scored(f"acc-{i}", 5, 5) for i in range(7)]
    html = portfolio_table(scores, max_rows=3)._repr_html_()
    assert html.split("<tbody>")[1].count("<tr>") == 3
    assert "showing 3 of 7 accounts" in visible_text(html)
    assert "7 accounts · red 0 amber 7 green 0" in visible_text(html)


def test_a_portfolio_of_scores_without_quadrants_leaves_the_column_empty() -> None:
    plain = Score(value=3.0, band=Band.RED, scale=Scale(min=0, max=20), scorer="plain")
    table = portfolio_table([plain])
    assert table.quadrant_counts == dict.fromkeys(Quadrant, 0)
    assert "<td" in table._repr_html_()
    assert "given" not in visible_text(table._repr_html_())


@given(st.lists(st.sampled_from([(2, 3), (5, 6), (9, 9)]), max_size=12))
def test_the_band_counts_shown_add_up_to_the_accounts(halves: list[tuple[int, int]]) -> None:
    table = portfolio_table([scored(f"acc-{i}", o, e) for i, (o, e) in enumerate(halves)])
    text = visible_text(table._repr_html_())
    # (2, 3) is red, (5, 6) amber, (9, 9) green, by CS = CO + CX and the bands.
    expected = {
        "red": halves.count((2, 3)),
        "amber": halves.count((5, 6)),
        "green": halves.count((9, 9)),
    }
    shown = " ".join(f"{band} {count}" for band, count in expected.items())
    assert text.startswith(f"{len(halves)} accounts · {shown}")


def test_a_portfolio_table_refuses_what_is_not_scores() -> None:
    with pytest.raises(ValidationError) as refused:
        portfolio_table([health_score(1, 1), "score"])  # type: ignore[list-item]
    assert refused.value.field == "PortfolioTable.scores[1]"
    with pytest.raises(ValidationError) as refused:
        portfolio_table(42)  # type: ignore[arg-type]
    assert refused.value.field == "PortfolioTable.scores"
    with pytest.raises(ValidationError) as refused:
        portfolio_table([], max_rows=0)
    assert refused.value.field == "PortfolioTable.max_rows"
    assert isinstance(portfolio_table(iter([])), PortfolioTable)
