"""The CSV tables that carry the whole model: experience per segment, coverage,
contacts, expectations and events; and a portfolio's round trip through a folder."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from successkit._csv_export import write_csv_folder
from successkit.detection import detect
from successkit.errors import ValidationError
from successkit.loaders import load_csv_folder
from successkit.model import (
    Account,
    Cadence,
    ContactRole,
    ExperienceCadence,
    Goal,
    Objective,
    TimeFrame,
)
from successkit.samples import DEMO_AS_OF, appropriate_experience, sample_portfolio
from successkit.scoring import DEFAULT_EXPERIENCE_SCORECARD, ScorecardScorer

UTC = timezone.utc
AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
REPR_MARKS = ("datetime.", "Decimal(", "object at 0x", "tzinfo=", "<class ", "timedelta(")

EXPERIENCE = (
    "segment,channels,topics\n"
    "enterprise,meeting_1_1;email,success plan;adoption\n"
    "smb,broadcast_video;email,getting started\n"
)
CADENCES = (
    "segment,cadence,channel,direction,name,grace_days\n"
    "enterprise,monthly,meeting_1_1,outbound_proactive,monthly review,2\n"
    "smb,every 2 weeks,broadcast_video,,fortnightly webinar,\n"
)
GOALS = "account_id,goal_id,metric,target,start,deadline\n" + "".join(
    f"{a},g,attendees,300,2026-01-01,2026-12-31\n" for a in ("acme", "globex")
)
MEETINGS = "account_id,at,type,direction\n" + "".join(
    f"{a},2026-{m:02}-03,meeting_1_1,outbound_proactive\n"
    for a in ("acme", "globex")
    for m in range(1, 10)
)


def load(tmp_path: Path, **tables: str) -> tuple[Account, ...]:
    folder = tmp_path / f"folder{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return load_csv_folder(folder)


def refused(tmp_path: Path, **tables: str) -> dict[str, object]:
    """The problems of a refused folder, as ``{where: value}``, with no Python repr shown."""
    with pytest.raises(ValidationError) as caught:
        load(tmp_path, **tables)
    message = str(caught.value)
    assert not any(mark in message for mark in REPR_MARKS), message
    return {e.field: e.value for e in caught.value.errors}


def adherence(account: Account) -> float | None:
    measures = ScorecardScorer(scorecard=DEFAULT_EXPERIENCE_SCORECARD).measure(account, as_of=AS_OF)
    return measures["cadence_adherence"]


# --- experience per segment -------------------------------------------------------------


def test_the_segment_picks_the_appropriate_experience(tmp_path: Path) -> None:
    tables = {
        "goals": GOALS,
        "interactions": MEETINGS,
        "experience": EXPERIENCE,
        "experience_cadences": CADENCES,
    }
    acme, globex = load(
        tmp_path, accounts="account_id,segment\nacme,enterprise\nglobex,smb\n", **tables
    )
    enterprise = acme.desired_outcomes[0].experience
    assert enterprise is not None
    assert enterprise.segment == "enterprise"
    assert enterprise.topics == ("success plan", "adoption")
    assert [c.value for c in enterprise.channels] == ["meeting_1_1", "email"]
    (review,) = enterprise.cadences
    assert review == ExperienceCadence(
        cadence=Cadence(every=1, unit="months", grace=timedelta(days=2)),
        channel="meeting_1_1",
        direction="outbound_proactive",
        name="monthly review",
    )
    # Monthly meetings keep the enterprise cadence and miss the smb webinars.
    assert adherence(acme) == 1.0
    assert adherence(globex) == 0.0
    # The same account moved to the other segment changes its experience.
    (moved, _) = load(tmp_path, accounts="account_id,segment\nacme,smb\nglobex,smb\n", **tables)
    assert moved.desired_outcomes[0].experience == globex.desired_outcomes[0].experience
    assert adherence(moved) == 0.0
    # Without experience.csv, nothing carries an experience: the measure is missing.
    (bare, _) = load(
        tmp_path,
        accounts="account_id,segment\nacme,enterprise\nglobex,smb\n",
        goals=GOALS,
        interactions=MEETINGS,
    )
    assert bare.desired_outcomes[0].experience is None
    assert adherence(bare) is None


def test_the_sample_segments_read_back_with_their_experience(tmp_path: Path) -> None:
    portfolio = sample_portfolio(12, seed=3, as_of=DEMO_AS_OF)
    write_csv_folder(portfolio.accounts, tmp_path / "out")
    loaded = load_csv_folder(tmp_path / "out")
    experiences = {a.segment: a.desired_outcomes[0].experience for a in loaded}
    assert len(experiences) > 1
    for segment, experience in experiences.items():
        assert experience == appropriate_experience(segment)
    measured = [adherence(a) for a in loaded]
    assert all(value is not None for value in measured)


def test_an_unknown_segment_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    problems = refused(
        tmp_path,
        accounts="account_id,segment\nacme,smbb\nglobex,\nbeta,default\n",
        experience=EXPERIENCE,
    )
    assert problems == {"accounts.csv, line 2, column segment": "smbb"}
    with pytest.raises(ValidationError) as caught:
        load(tmp_path, accounts="account_id,segment\nacme,smbb\n", experience=EXPERIENCE)
    assert "'enterprise', 'smb'" in caught.value.expected
    assert "experience.csv" in caught.value.expected


def test_an_empty_experience_table_declares_no_segment(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="successkit"):
        (acme,) = load(tmp_path, accounts="account_id,segment\nacme,smbb\n", experience="segment\n")
    assert acme.segment == "smbb"
    assert any("experience.csv" in r.getMessage() for r in caplog.records)


def test_the_default_segment_can_have_an_experience(tmp_path: Path) -> None:
    (acme,) = load(
        tmp_path,
        accounts="account_id\nacme\n",
        goals=GOALS.splitlines()[0] + "\n" + GOALS.splitlines()[1] + "\n",
        experience="segment,topics\ndefault,onboarding\n",
    )
    experience = acme.desired_outcomes[0].experience
    assert experience is not None
    assert experience.topics == ("onboarding",)


def test_bad_rows_of_the_segment_tables_are_located(tmp_path: Path) -> None:
    problems = refused(
        tmp_path,
        accounts="account_id,segment\nacme,smb\n",
        experience="segment,channels\nsmb,email;fax\nbig,email\nbig,\n",
        experience_cadences=(
            "segment,cadence,channel,grace_days\n"
            "smb,every blue moon,email,\n"
            "mid,monthly,email,\n"
            "smb,monthly,pigeon,\n"
            "smb,monthly,email,-1\n"
        ),
        coverage="segment,accounts_per_csm\nsmb,0\nsmb,10\n",
    )
    assert problems == {
        "experience.csv, line 2, column channels": "email;fax",
        "experience.csv, line 4, column segment": "big",
        "experience_cadences.csv, line 2, column cadence": "every blue moon",
        "experience_cadences.csv, line 3, column segment": "mid",
        "experience_cadences.csv, line 4, column channel": "pigeon",
        "experience_cadences.csv, line 5, column grace_days": "-1",
        "coverage.csv, line 2, column accounts_per_csm": 0,
        "coverage.csv, line 3, column segment": "smb",
    }


def test_the_coverage_model_follows_the_segment(tmp_path: Path) -> None:
    acme, beta = load(
        tmp_path,
        accounts="account_id,segment\nacme,enterprise\nbeta,smb\n",
        coverage="segment,team,tech_stack,accounts_per_csm\nenterprise,named CSM;architect,CRM,10\n",
    )
    assert acme.coverage is not None
    assert acme.coverage.team == ("named CSM", "architect")
    assert acme.coverage.accounts_per_csm == 10
    assert beta.coverage is None


# --- expectations and events --------------------------------------------------------------

CONTRACT = "account_id,arr,start,renewal_date\nacme,12000,2026-01-01,2026-12-01\n"


def test_an_expectation_row_clears_renewal_unorchestrated(tmp_path: Path) -> None:
    rules = ["renewal_unorchestrated"]
    (bare,) = load(tmp_path, accounts="account_id\nacme\n", contracts=CONTRACT)
    assert [f.kind.value for f in detect(bare, as_of=AS_OF, rules=rules)] == [
        "renewal_unorchestrated"
    ]
    (told,) = load(
        tmp_path,
        accounts="account_id\nacme\n",
        contracts=CONTRACT,
        expectations=(
            "account_id,event,expected_at,communicated_at,description,party\n"
            "acme,renewal,2026-12-01,2026-09-20,what the renewal holds,vendor_with_customer\n"
        ),
    )
    (expectation,) = told.relationship.context.orchestration.expectations
    assert expectation.party is not None
    assert expectation.party.value == "vendor_with_customer"
    assert detect(told, as_of=AS_OF, rules=rules) == ()


def test_events_are_anticipated_or_surprises(tmp_path: Path) -> None:
    (acme,) = load(
        tmp_path,
        accounts="account_id\nacme\n",
        expectations="account_id,event,expected_at,communicated_at\nacme,launch,2026-05-01,2026-04-01\n",
        events="account_id,event,at,description\nacme,launch,2026-04-30,\nacme,price change,2026-06-01,up 8%\n",
    )
    review = acme.relationship.context.orchestration.review(AS_OF)
    assert [e.event for e in review.anticipated] == ["launch"]
    assert [(e.event, e.description) for e in review.surprises] == [("price change", "up 8%")]
    found = detect(acme, as_of=datetime(2026, 6, 10, tzinfo=UTC), rules=["surprise"])
    assert [f.kind.value for f in found] == ["surprise"]


def test_bad_rows_of_expectations_and_events_are_located(tmp_path: Path) -> None:
    problems = refused(
        tmp_path,
        accounts="account_id\nacme\n",
        expectations=(
            "account_id,event,expected_at,communicated_at,party\n"
            "acme,launch,2026-05-01,2026-04-01,vendor\n"
            "acme,,2026-05-01,2026-04-01,\n"
            "ghost,launch,2026-05-01,2026-04-01,\n"
        ),
        events="account_id,event,at\nacme,launch,soon\n",
    )
    assert problems == {
        "expectations.csv, line 2, column party": "vendor",
        "expectations.csv, line 3, column event": "",
        "expectations.csv, line 4, column account_id": "ghost",
        "events.csv, line 2, column at": "soon",
    }


# --- contacts ---------------------------------------------------------------------------

CONTACTS = (
    "account_id,contact_id,role,name,title,started_at,left_at\n"
    "acme,dana,sponsor,Dana Reyes,VP Events,2025-01-01,2026-09-15\n"
    "acme,ana,champion,Ana Ruiz,,,\n"
)


def test_contacts_feed_the_stakeholder_rules(tmp_path: Path) -> None:
    (acme,) = load(
        tmp_path,
        accounts="account_id\nacme\n",
        contacts=CONTACTS,
        interactions=(
            "account_id,at,type,direction,contact_ids\n"
            "acme,2026-09-01,meeting_1_1,outbound_proactive,dana;ana\n"
        ),
        surveys="account_id,kind,score,at,contact_id\nacme,nps,9,2026-08-01,dana\n",
        changes=("account_id,kind,at,change,contact_id\nacme,team,2026-09-15,contact_left,dana\n"),
    )
    dana, ana = acme.contacts
    assert dana.role is ContactRole.SPONSOR
    assert dana.title == "VP Events"
    assert dana.left_at == datetime(2026, 9, 15, tzinfo=UTC)
    assert ana.started_at is None
    assert acme.interactions[0].contact_ids == ("dana", "ana")
    assert acme.surveys[0].contact_id == "dana"
    assert acme.relationship.context.changes[0].contact_id == "dana"
    (finding,) = detect(acme, as_of=AS_OF, rules=["stakeholder_departed"])
    assert finding.kind.value == "stakeholder_departed"
    assert finding.severity.value == "critical"
    assert "Dana Reyes" in finding.message
    # Without contacts.csv the rule has nothing to read.
    (bare,) = load(tmp_path, accounts="account_id\nacme\n")
    assert detect(bare, as_of=AS_OF, rules=["stakeholder_departed"]) == ()


def test_bad_rows_of_contacts_are_located(tmp_path: Path) -> None:
    problems = refused(
        tmp_path,
        accounts="account_id\nacme\n",
        contacts=(
            "account_id,contact_id,role,started_at,left_at\n"
            "acme,dana,boss,,\n"
            "acme,ana,champion,2026-05-01,2026-04-01\n"
            "acme,ana,user,,\n"
            "ghost,ben,user,,\n"
        ),
        surveys="account_id,kind,score,at,contact_id\nacme,nps,9,2026-08-01,nobody\n",
        interactions=(
            "account_id,at,type,direction,contact_ids\n"
            "acme,2026-09-01,call,outbound_proactive,ana;nobody\n"
        ),
        changes="account_id,kind,at,change,contact_id\nacme,team,2026-09-15,gone,nobody\n",
    )
    assert problems == {
        "contacts.csv, line 2, column role": "boss",
        "contacts.csv, line 3, column left_at": datetime(2026, 4, 1, tzinfo=UTC),
        "contacts.csv, line 4, column contact_id": "ana",
        "contacts.csv, line 5, column account_id": "ghost",
        "interactions.csv, line 2, column contact_ids": "nobody",
        "surveys.csv, line 2, column contact_id": "nobody",
        "changes.csv, line 2, column change": "gone",
    }


def test_a_refused_contact_is_reported_once_not_at_every_row_naming_it(tmp_path: Path) -> None:
    problems = refused(
        tmp_path,
        accounts="account_id\nacme\n",
        contacts="account_id,contact_id,role\nacme,dana,boss\n",
        interactions=(
            "account_id,at,type,direction,contact_ids\n"
            "acme,2026-09-01,call,outbound_proactive,dana\n"
            "acme,2026-09-08,call,outbound_proactive,dana;nobody\n"
        ),
        surveys="account_id,kind,score,at,contact_id\nacme,nps,9,2026-08-01,dana\n",
    )
    assert problems == {
        "contacts.csv, line 2, column role": "boss",
        "interactions.csv, line 3, column contact_ids": "nobody",
    }


def test_a_change_naming_an_unknown_contact_is_refused(tmp_path: Path) -> None:
    problems = refused(
        tmp_path,
        accounts="account_id\nacme\n",
        changes="account_id,kind,at,contact_id\nacme,team,2026-09-15,nobody\n",
    )
    assert problems == {"changes.csv, line 2, column contact_id": "nobody"}


# --- the round trip -----------------------------------------------------------------------


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    size=st.integers(0, 6),
    seed=st.integers(0, 10**6),
    days_back=st.integers(0, 400),
)
def test_a_sample_portfolio_round_trips_exactly(
    tmp_path: Path, size: int, seed: int, days_back: int
) -> None:
    portfolio = sample_portfolio(size, seed=seed, as_of=DEMO_AS_OF - timedelta(days=days_back))
    folder = tmp_path / f"out-{size}-{seed}-{days_back}"
    write_csv_folder(portfolio.accounts, folder)
    assert load_csv_folder(folder) == portfolio.accounts


def test_accounts_of_one_segment_must_share_their_experience(tmp_path: Path) -> None:
    (one,) = sample_portfolio(1, seed=1, mix={"advocate": 1}).accounts
    other = attrs.evolve(
        one,
        id="other",
        desired_outcomes=tuple(
            attrs.evolve(o, experience=attrs.evolve(o.experience, topics=("elsewhere",)))
            for o in one.desired_outcomes
        ),
    )
    with pytest.raises(ValidationError) as caught:
        write_csv_folder([one, other], tmp_path / "out")
    assert caught.value.field == "accounts[1] (other).desired_outcomes[0].experience"
    assert "one per segment" in caught.value.expected
    bare_goal = Goal(
        id="extra",
        objective=Objective(metric="m", target=1),
        timeframe=TimeFrame(start="2026-01-01", deadline="2026-12-31"),
    )
    mixed = Account(
        id=one.id,
        segment=one.segment,
        desired_outcomes=one.desired_outcomes,
        goals=[bare_goal],
        coverage=one.coverage,
    )
    with pytest.raises(ValidationError, match="same appropriate experience"):
        write_csv_folder([mixed], tmp_path / "out")
    moved = attrs.evolve(one, segment="elsewhere", coverage=None)
    with pytest.raises(ValidationError) as caught:
        write_csv_folder([moved], tmp_path / "out")
    assert caught.value.field.endswith(".experience.segment")


# --- no repr in any message of the new tables --------------------------------------------

NEW_TABLES = {
    "contacts.csv": CONTACTS,
    "expectations.csv": (
        "account_id,event,expected_at,communicated_at,description,party\n"
        "acme,renewal,2026-12-01,2026-09-20,told,vendor_with_customer\n"
    ),
    "events.csv": "account_id,event,at,description\nacme,launch,2026-04-30,went live\n",
    "experience.csv": EXPERIENCE,
    "experience_cadences.csv": CADENCES,
    "coverage.csv": "segment,team,accounts_per_csm\nsmb,pool,400\n",
    "accounts.csv": "account_id,segment\nacme,smb\n",
}
CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        ["", "2026-13-01", "nan", "-1", "1e999", "monthly", "every 0 days", "boss", "x;y", "smb"]
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_new_tables_load_or_are_refused_readably(
    tmp_path: Path, data: st.DataObject
) -> None:
    tables = {name: list(csv.reader(io.StringIO(text))) for name, text in NEW_TABLES.items()}
    for _ in range(data.draw(st.integers(1, 3))):
        name = data.draw(st.sampled_from(sorted(tables)))
        rows = tables[name]
        row = data.draw(st.integers(1, len(rows) - 1))
        column = data.draw(st.integers(0, len(rows[row]) - 1))
        rows[row][column] = data.draw(CELLS)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    for name, rows in tables.items():
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (folder / name).write_text(out.getvalue(), encoding="utf-8")
    try:
        accounts = load_csv_folder(folder)
    except ValidationError as error:
        message = str(error)
        assert not any(mark in message for mark in REPR_MARKS), message
        for each in error.errors:
            assert each.field.split(",")[0] in NEW_TABLES, each.field
    else:
        assert all(isinstance(a, Account) for a in accounts)


def test_a_list_item_holding_the_separator_is_refused_by_the_writer(tmp_path: Path) -> None:
    (one,) = sample_portfolio(1, seed=2).accounts
    call = attrs.evolve(one.interactions[0], participants=("Ana; Ben",), contact_ids=())
    account = attrs.evolve(one, relationship=attrs.evolve(one.relationship, interactions=(call,)))
    with pytest.raises(ValidationError) as caught:
        write_csv_folder([account], tmp_path / "out")
    assert caught.value.field == "interactions.csv, column participants"
    assert caught.value.value == "Ana; Ben"
