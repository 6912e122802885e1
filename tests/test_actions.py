"""Playbooks and calls to action: owned, dated, idempotent work from findings and scores."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detection_accounts import AS_OF, account, at, commitment, contract, goal
from successkit import CoverageModel, Finding, FindingKind, Severity, ValidationError
from successkit.actions import (
    Action,
    ActionStatus,
    Operation,
    OperationKind,
    Playbook,
    Priority,
    Step,
    Trigger,
    TriggerKind,
    action_key,
    apply_operations,
    default_playbooks,
    finding_subject,
    load_playbooks,
    plan_actions,
    plan_portfolio,
    playbooks_from_dict,
    playbooks_from_json,
    playbooks_from_toml,
    playbooks_to_json,
    playbooks_to_toml,
    resolve_owner,
)
from successkit.detection import Evidence, detect, detect_portfolio
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import (
    HEALTH_BANDS,
    Band,
    HealthScorer,
    Score,
    Trend,
    TrendDirection,
    TrendPoint,
    health_score,
)
from successkit.serialization import from_json, json_schema, to_dict, to_json

ENTERPRISE = CoverageModel(
    segment="enterprise",
    team=("named CSM", "solutions architect", "executive sponsor"),
    playbooks=("success plan", "renewal readiness"),
)
TEAM = {"named CSM": "Dana Whitfield", "executive sponsor": "Priya Raman"}


def slipping_customer(*, done: float | None = None, arr: int = 420_000) -> object:
    """An enterprise customer whose admin has not configured the workflow, 12 days late."""
    base = account(
        "acme",
        goals=[goal("adoption", name="Every rep logs deals")],
        commitments=[
            commitment(
                "configure",
                "customer_in_product",
                due=-12,
                done=done,
                description="Configure the workflow stages",
                owner="admin lead",
            ),
            commitment("train", "customer_outside_product", due=90, owner="sponsor"),
        ],
        contract=contract(arr=arr, renewal=200),
    )
    return attrs.evolve(base, segment="enterprise", coverage=ENTERPRISE)


def slippage_play(**changes: object) -> Playbook:
    play = Playbook(
        id="slippage",
        name="Review the overdue commitments",
        trigger=Trigger(kind="finding", finding="accountability_slippage"),
        steps=(
            Step(title="Call the commitment's owner", due_days=2, channel="call"),
            Step(title="Escalate to the sponsor", owner_role="executive sponsor", due_days=9),
        ),
    )
    return attrs.evolve(play, **changes)


def plan(customer: object, moment=AS_OF, held=(), **kwargs: object) -> tuple[Operation, ...]:
    kwargs.setdefault("playbooks", [slippage_play()])
    return plan_actions(
        customer,  # type: ignore[arg-type]
        as_of=moment,
        findings=detect(customer, as_of=moment),  # type: ignore[arg-type]
        open_actions=held,
        people=TEAM,
        **kwargs,  # type: ignore[arg-type]
    )


# --- calls to action -----------------------------------------------------------------


def test_a_slipping_commitment_becomes_an_owned_dated_action() -> None:
    (operation,) = plan(slipping_customer())
    action = operation.action
    assert operation.op is OperationKind.CREATE
    assert action.key == "acme/slippage/party%3Acustomer_in_product"
    assert action.title == "Review the overdue commitments: customer in product"
    assert action.status is ActionStatus.OPEN
    assert action.owner.team == "named CSM"
    assert action.owner.person == "Dana Whitfield"
    assert [t.owner.person for t in action.tasks] == ["Dana Whitfield", "Priya Raman"]
    assert [t.due for t in action.tasks] == [AS_OF + timedelta(days=2), AS_OF + timedelta(days=9)]
    assert action.due == AS_OF + timedelta(days=9)
    # A warning on a 420,000 ARR account: one step above medium.
    assert action.severity is Severity.WARNING
    assert action.priority is Priority.HIGH
    assert action.arr_at_risk == Decimal(420_000)
    assert action.evidence[0].commitment_ids == ("configure",)
    assert "Configure the workflow stages" in action.reason or "12 days" in action.reason


def test_running_the_same_data_twice_creates_nothing_new() -> None:
    customer = slipping_customer()
    first = plan(customer)
    held = apply_operations((), first)
    assert plan(customer, held=held) == ()


def test_the_same_portfolio_run_twice_yields_no_new_action() -> None:
    portfolio = sample_portfolio(40, seed=3)
    first = plan_portfolio(portfolio, as_of=DEMO_AS_OF)
    assert {o.op for o in first} == {OperationKind.CREATE}
    assert len({o.key for o in first}) == len(first)
    held = apply_operations((), first)
    assert plan_portfolio(portfolio, as_of=DEMO_AS_OF, open_actions=held) == ()


def test_an_action_closes_when_its_finding_clears() -> None:
    held = apply_operations((), plan(slipping_customer()))
    later = AS_OF + timedelta(days=3)
    (operation,) = plan(slipping_customer(done=1), later, held)
    assert operation.op is OperationKind.CLOSE
    assert operation.action.status is ActionStatus.CLOSED
    assert operation.action.closed_at == later
    assert operation.action.opened_at == AS_OF
    assert plan(slipping_customer(done=1), later, apply_operations(held, [operation])) == ()


def test_a_closed_action_reopens_only_after_the_cooldown() -> None:
    held = apply_operations((), plan(slipping_customer()))
    closed = apply_operations(held, plan(slipping_customer(done=1), at(3), held))
    assert plan(slipping_customer(), at(20), closed) == ()  # recurs within 30 days
    (operation,) = plan(slipping_customer(), at(33), closed)
    assert operation.op is OperationKind.REOPEN
    assert operation.action.opened_at == at(33)
    assert operation.action.due == at(33 + 9)
    assert operation.action.status is ActionStatus.OPEN


def test_a_done_action_is_not_nagged_about_within_the_cooldown() -> None:
    held = apply_operations((), plan(slipping_customer()))
    done = [attrs.evolve(held[0], status="done", closed_at=at(1))]
    assert plan(slipping_customer(), at(10), done) == ()
    assert plan(slipping_customer(), at(31), done)[0].op is OperationKind.REOPEN


def test_an_update_keeps_the_due_dates_of_the_open_action() -> None:
    held = apply_operations((), plan(slipping_customer(arr=50_000)))
    assert held[0].priority is Priority.MEDIUM
    (operation,) = plan(slipping_customer(arr=150_000), at(1), held)
    assert operation.op is OperationKind.UPDATE
    assert operation.action.priority is Priority.HIGH
    assert operation.action.due == held[0].due
    assert operation.action.opened_at == AS_OF


def test_actions_of_other_plays_and_accounts_are_left_alone() -> None:
    held = apply_operations((), plan(slipping_customer()))
    other = [
        attrs.evolve(
            held[0], key=action_key("acme", "retired", held[0].subject), playbook="retired"
        )
    ]
    elsewhere = [
        attrs.evolve(
            held[0], key=action_key("zeta", "slippage", held[0].subject), account_id="zeta"
        )
    ]
    assert plan(slipping_customer(done=1), at(3), [*other, *elsewhere]) == ()


def test_the_audience_of_a_play_is_its_segments_and_arr() -> None:
    customer = slipping_customer(arr=20_000)
    assert plan(customer, playbooks=[slippage_play(segments=("smb",))]) == ()
    assert plan(customer, playbooks=[slippage_play(min_arr=50_000)]) == ()
    assert plan(customer, playbooks=[slippage_play(max_arr="50000")])
    assert plan(attrs.evolve(customer, contract=None), playbooks=[slippage_play(min_arr=1)]) == ()
    # An account leaving the audience closes its action.
    held = apply_operations((), plan(customer))
    (operation,) = plan(customer, at(1), held, playbooks=[slippage_play(segments=("smb",))])
    assert operation.op is OperationKind.CLOSE


def test_every_finding_kind_can_trigger_a_play() -> None:
    """Triggers read the kind and severity only, so any kind detection adds works."""
    customer = slipping_customer()
    for kind in FindingKind:
        finding = Finding(
            kind=kind,
            severity="critical",
            account_id="acme",
            as_of=AS_OF,
            message=f"{kind.value} found",
            next_step="act",
        )
        play = slippage_play(id=kind.value, trigger=Trigger(kind="finding", finding=kind))
        (operation,) = plan_actions(customer, as_of=AS_OF, findings=[finding], playbooks=[play])  # type: ignore[arg-type]
        assert operation.action.playbook == kind.value
        assert operation.action.reason == f"{kind.value} found"


def test_findings_below_the_least_severity_do_not_trigger() -> None:
    play = slippage_play(
        trigger=Trigger(kind="finding", finding="accountability_slippage", min_severity="critical")
    )
    assert plan(slipping_customer(), playbooks=[play]) == ()


def test_findings_about_one_subject_make_one_action() -> None:
    evidence = Evidence(label="x", goal_id="g1", figures=())
    findings = [
        Finding(
            kind="overdue_milestone",
            severity=s,
            account_id="acme",
            as_of=AS_OF,
            message=m,
            next_step="n",
            evidence=[evidence],
        )
        for s, m in (("warning", "first"), ("critical", "second"))
    ]
    play = slippage_play(trigger=Trigger(kind="finding", finding="overdue_milestone"))
    (operation,) = plan_actions(
        slipping_customer(), as_of=AS_OF, findings=findings, playbooks=[play]
    )  # type: ignore[arg-type]
    assert operation.action.severity is Severity.CRITICAL
    assert operation.action.reason == "second"
    assert operation.action.subject == "goal:g1"
    assert len(operation.action.evidence) == 2


def test_the_subject_of_a_finding_is_what_it_is_about() -> None:
    def subject(**evidence: object) -> str:
        return finding_subject(
            Finding(
                kind="surprise",
                severity="info",
                account_id="a",
                as_of=AS_OF,
                message="m",
                next_step="n",
                evidence=[Evidence(label="e", **evidence)],
            )
        )

    assert subject(goal_id="g", party="customer_in_product") == "goal:g"
    assert (
        subject(party="vendor_for_customer", commitment_ids=("c",)) == "party:vendor_for_customer"
    )
    assert subject(occurred_events=("price change",)) == "event:price change"
    assert subject(milestone_ids=("m", "n")) == "milestone:m"
    assert subject(commitment_ids=("c",)) == "commitment:c"
    assert subject(metrics=("logins",)) == ""


# --- triggers that are not findings ------------------------------------------------------


def band_play(**trigger: object) -> Playbook:
    return Playbook(
        id="band", name="Band play", trigger=Trigger(**trigger), steps=[Step(title="Act")]
    )


RED, AMBER, GREEN = health_score(3, 4), health_score(6.5, 5), health_score(9, 8)


def test_band_plays_read_the_score_and_leave_actions_alone_without_one() -> None:
    customer = slipping_customer()
    assert (RED.band, AMBER.band, GREEN.band) == (Band.RED, Band.AMBER, Band.GREEN)
    play = band_play(kind="band", band="red", severity="critical")
    (operation,) = plan_actions(customer, as_of=AS_OF, score=RED, playbooks=[play])  # type: ignore[arg-type]
    assert operation.action.severity is Severity.CRITICAL
    assert operation.action.priority is Priority.URGENT
    assert operation.action.reason == "score 7.0 on 0-20 is red"
    held = apply_operations((), [operation])
    # No score given, or a score without a band: nothing can be said; the action stays.
    assert plan_actions(customer, as_of=at(1), playbooks=[play], open_actions=held) == ()  # type: ignore[arg-type]
    bandless = HealthScorer()(customer, as_of=AS_OF)  # type: ignore[arg-type]
    assert bandless.band is None
    assert (
        plan_actions(customer, as_of=at(1), score=bandless, playbooks=[play], open_actions=held)  # type: ignore[arg-type]
        == ()
    )
    (closing,) = plan_actions(
        customer, as_of=at(1), score=AMBER, playbooks=[play], open_actions=held
    )  # type: ignore[arg-type]
    assert closing.op is OperationKind.CLOSE


def test_a_band_drop_compares_with_the_previous_score() -> None:
    customer = slipping_customer()
    play = band_play(kind="band_dropped")
    (operation,) = plan_actions(customer, as_of=AS_OF, score=RED, previous=GREEN, playbooks=[play])  # type: ignore[arg-type]
    assert operation.action.reason == "band dropped from green to red"
    assert plan_actions(customer, as_of=AS_OF, score=GREEN, previous=AMBER, playbooks=[play]) == ()  # type: ignore[arg-type]
    assert plan_actions(customer, as_of=AS_OF, score=AMBER, playbooks=[play]) == ()  # type: ignore[arg-type]


def test_a_falling_trend_opens_a_review() -> None:
    customer = slipping_customer()
    play = band_play(kind="trend_falling")

    def point(days_before: int, value: float) -> TrendPoint:
        score = Score(
            value=value, band=HEALTH_BANDS.band_of(value), scale=HEALTH_BANDS.scale, scorer="health"
        )
        return TrendPoint(as_of=AS_OF - timedelta(days=days_before), score=score)

    falling = Trend(
        account_id="acme",
        points=(point(60, 15.0), point(0, 12.0)),
        change=-3.0,
        direction=TrendDirection.FALLING,
        slope_per_30_days=-1.5,
    )
    (operation,) = plan_actions(customer, as_of=AS_OF, trend=falling, playbooks=[play])  # type: ignore[arg-type]
    assert operation.action.reason == "score falling (-3.0 over the trend)"
    unknown = Trend(
        account_id="acme",
        points=falling.points[-1:],
        change=None,
        direction=TrendDirection.UNKNOWN,
        slope_per_30_days=None,
    )
    held = apply_operations((), [operation])
    assert (
        plan_actions(customer, as_of=AS_OF, trend=unknown, playbooks=[play], open_actions=held)
        == ()
    )  # type: ignore[arg-type]


def test_a_renewal_window_makes_one_action_per_renewal_date() -> None:
    customer = slipping_customer()  # renews in 200 days
    play = band_play(kind="renewal_within", days=210)
    (operation,) = plan_actions(customer, as_of=AS_OF, playbooks=[play])  # type: ignore[arg-type]
    assert operation.action.subject == f"renewal:{at(200).date().isoformat()}"
    assert (
        plan_actions(customer, as_of=AS_OF, playbooks=[band_play(kind="renewal_within", days=90)])
        == ()
    )  # type: ignore[arg-type]


def test_a_stage_play_reads_the_stage_given() -> None:
    customer = slipping_customer()
    play = band_play(kind="stage", stage="onboarding")
    (operation,) = plan_actions(customer, as_of=AS_OF, stage="onboarding", playbooks=[play])  # type: ignore[arg-type]
    assert operation.action.subject == "stage:onboarding"
    held = apply_operations((), [operation])
    assert plan_actions(customer, as_of=AS_OF, playbooks=[play], open_actions=held) == ()  # type: ignore[arg-type]
    (closing,) = plan_actions(
        customer, as_of=AS_OF, stage="adoption", playbooks=[play], open_actions=held
    )  # type: ignore[arg-type]
    assert closing.op is OperationKind.CLOSE


# --- owners ------------------------------------------------------------------------------


def test_owners_resolve_through_the_coverage_model() -> None:
    pooled = CoverageModel(segment="smb", team=("pooled CSM team", "support team"))
    assert resolve_owner("CSM", pooled).team == "pooled CSM team"
    assert resolve_owner("support", pooled, {"support team": "Helpdesk"}).person == "Helpdesk"
    assert resolve_owner("solutions_architect", ENTERPRISE).team == "solutions architect"
    unknown = resolve_owner("account executive", pooled, {"account executive": "Lee"})
    assert (unknown.team, unknown.person, unknown.label) == (None, "Lee", "Lee")
    assert resolve_owner("CSM", None).label == "CSM"
    # "CS" is not "CSM": roles match whole words.
    assert resolve_owner("CS", pooled).team is None


# --- validation ----------------------------------------------------------------------------


def test_plan_actions_refuses_what_it_cannot_trust() -> None:
    customer = slipping_customer()
    foreign = detect(customer, as_of=AS_OF)[0]
    with pytest.raises(ValidationError, match=r"findings\[0\]\.account_id"):
        plan_actions(customer, as_of=AS_OF, findings=[attrs.evolve(foreign, account_id="x")])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"findings\[0\]\.as_of"):
        plan_actions(customer, as_of=at(1), findings=[foreign])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="as_of"):
        plan_actions(customer, as_of=AS_OF.replace(tzinfo=None))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"playbooks\[1\]\.id"):
        plan_actions(customer, as_of=AS_OF, playbooks=[slippage_play(), slippage_play()])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="account"):
        plan_actions("acme", as_of=AS_OF)  # type: ignore[arg-type]
    held = apply_operations((), plan(customer))
    with pytest.raises(ValidationError, match=r"open_actions\[1\]\.key"):
        plan(customer, held=[*held, *held])


def test_triggers_steps_and_plays_are_validated() -> None:
    with pytest.raises(ValidationError, match=r"Trigger\.finding"):
        Trigger(kind="finding")
    with pytest.raises(ValidationError, match=r"Trigger\.band"):
        Trigger(kind="band", band="purple")
    with pytest.raises(ValidationError, match=r"Trigger\.days"):
        Trigger(kind="renewal_within", finding="surprise")
    with pytest.raises(ValidationError, match=r"Trigger\.finding.*nothing"):
        Trigger(kind="band", band="red", finding="surprise")
    with pytest.raises(ValidationError, match=r"Step\.due_days"):
        Step(title="x", due_days=-1)
    with pytest.raises(ValidationError, match=r"Playbook\.steps"):
        slippage_play(steps=())
    with pytest.raises(ValidationError, match=r"Playbook\.max_arr"):
        slippage_play(min_arr=10, max_arr=5)
    with pytest.raises(ValidationError, match=r"Playbook\.min_arr"):
        slippage_play(min_arr="lots")
    with pytest.raises(ValidationError, match=r"Playbook\.trigger"):
        slippage_play(trigger="band red")
    assert Trigger(kind="band_dropped").describe() == "band dropped"


def test_actions_and_operations_are_validated() -> None:
    action = apply_operations((), plan(slipping_customer()))[0]
    with pytest.raises(ValidationError, match=r"Action\.key"):
        attrs.evolve(action, key="other")
    with pytest.raises(ValidationError, match=r"Action\.closed_at"):
        attrs.evolve(action, closed_at=AS_OF)
    with pytest.raises(ValidationError, match=r"Action\.closed_at"):
        attrs.evolve(action, status="closed")
    create = Operation(op="create", action=action)
    with pytest.raises(ValidationError, match="a new key"):
        apply_operations([action], [create])
    with pytest.raises(ValidationError, match="the key of an action held"):
        apply_operations([], [attrs.evolve(create, op="close")])
    with pytest.raises(ValidationError, match=r"operations\[0\]"):
        apply_operations([], ["create"])  # type: ignore[list-item]


# --- playbooks as data ----------------------------------------------------------------


def test_default_playbooks_cover_every_built_in_finding_kind() -> None:
    books = default_playbooks()
    covered = {b.trigger.finding for b in books if b.trigger.kind is TriggerKind.FINDING}
    assert covered == set(FindingKind) - {FindingKind.SKIPPED}
    assert len({b.id for b in books}) == len(books)


def test_playbooks_round_trip_through_toml_and_json(tmp_path: Path) -> None:
    books = default_playbooks()
    assert playbooks_from_toml(playbooks_to_toml(books)) == books
    assert playbooks_from_json(playbooks_to_json(books)) == books
    custom = slippage_play(segments=("enterprise",), min_arr=Decimal("50000.5"), version="3")
    path = tmp_path / "plays.toml"
    path.write_text(playbooks_to_toml([custom]), encoding="utf-8")
    assert load_playbooks(path) == (custom,)
    assert 'version = "3"' in path.read_text(encoding="utf-8")
    other = tmp_path / "plays.json"
    other.write_text(playbooks_to_json([custom]), encoding="utf-8")
    assert load_playbooks(other) == (custom,)


def test_playbook_files_name_the_offending_key() -> None:
    good = {
        "id": "p",
        "name": "P",
        "trigger": {"kind": "band", "band": "red"},
        "steps": [{"title": "t"}],
    }
    with pytest.raises(ValidationError, match=r"playbooks\[0\]\.trigger\.colour"):
        playbooks_from_dict({"playbooks": [good | {"trigger": {"kind": "band", "colour": "red"}}]})
    with pytest.raises(ValidationError, match=r"playbooks\[0\]\.steps\[0\]\.due_days"):
        playbooks_from_dict({"playbooks": [good | {"steps": [{"title": "t", "due_days": "soon"}]}]})
    with pytest.raises(ValidationError, match=r"playbooks\[0\]\.trigger\.min_severity"):
        playbooks_from_dict(
            {
                "playbooks": [
                    good
                    | {
                        "trigger": {
                            "kind": "finding",
                            "finding": "surprise",
                            "min_severity": "dire",
                        }
                    }
                ]
            }
        )
    with pytest.raises(ValidationError, match=r"playbooks\[0\]\.trigger"):
        playbooks_from_dict({"playbooks": [{"id": "p", "name": "P", "steps": []}]})
    with pytest.raises(ValidationError, match=r"playbooks\[1\]\.id"):
        playbooks_from_dict({"playbooks": [good, good]})
    with pytest.raises(ValidationError, match="playbooks"):
        playbooks_from_toml("[[playbooks]\n")
    with pytest.raises(ValidationError, match="playbooks"):
        playbooks_from_json("{")
    with pytest.raises(ValidationError, match="readable file"):
        load_playbooks("/nonexistent/plays.toml")


def test_operations_round_trip_as_json_and_follow_their_schema() -> None:
    operations = plan_portfolio(sample_portfolio(12, seed=5), as_of=DEMO_AS_OF)
    schema = json_schema("Operation")
    checker = jsonschema.Draft202012Validator(schema)
    for operation in operations:
        checker.validate(to_dict(operation))
        assert from_json(to_json(operation), Operation) == operation


# --- property: open actions follow active triggers ----------------------------------------

SUBJECTS = ("g1", "g2", "g3")
PLAYS = (
    slippage_play(
        id="gap", trigger=Trigger(kind="finding", finding="success_gap"), cooldown_days=0
    ),
    slippage_play(
        id="pace",
        trigger=Trigger(kind="finding", finding="behind_pace", min_severity="critical"),
        cooldown_days=0,
    ),
)
run = st.lists(
    st.tuples(
        st.sampled_from([FindingKind.SUCCESS_GAP, FindingKind.BEHIND_PACE]),
        st.sampled_from(SUBJECTS),
        st.sampled_from(list(Severity)),
    ),
    max_size=6,
)


def findings_of(items: list[tuple[FindingKind, str, Severity]], moment) -> list[Finding]:
    return [
        Finding(
            kind=k,
            severity=s,
            account_id="acme",
            as_of=moment,
            message=f"{k.value} {g}",
            next_step="n",
            evidence=[Evidence(label="goal", goal_id=g)],
        )
        for k, g, s in items
    ]


def active_keys(items: list[tuple[FindingKind, str, Severity]]) -> set[str]:
    keys = set()
    for kind, subject, severity in items:
        if kind is FindingKind.SUCCESS_GAP and severity >= Severity.WARNING:
            keys.add(action_key("acme", "gap", f"goal:{subject}"))
        if kind is FindingKind.BEHIND_PACE and severity is Severity.CRITICAL:
            keys.add(action_key("acme", "pace", f"goal:{subject}"))
    return keys


@settings(max_examples=40, deadline=None)
@given(runs=st.lists(run, min_size=1, max_size=6), cooldown=st.sampled_from([0, 2]))
def test_open_actions_are_the_active_triggers_after_every_run(
    runs: list[list[tuple[FindingKind, str, Severity]]], cooldown: int
) -> None:
    customer = slipping_customer()
    plays = [attrs.evolve(p, cooldown_days=cooldown) for p in PLAYS]
    held: tuple[Action, ...] = ()
    closed_at: dict[str, object] = {}
    for day, items in enumerate(runs):
        moment = at(day)
        found = findings_of(items, moment)
        operations = plan_actions(
            customer, as_of=moment, findings=found, playbooks=plays, open_actions=held
        )  # type: ignore[arg-type]
        held = apply_operations(held, operations)
        open_keys = {a.key for a in held if a.is_open}
        expected = active_keys(items)
        if cooldown == 0:
            assert open_keys == expected
        else:
            assert open_keys <= expected
            for key in expected - open_keys:  # still cooling down
                assert moment < closed_at[key] + timedelta(days=cooldown)  # type: ignore[operator]
        closed_at.update({a.key: a.closed_at for a in held if a.closed_at is not None})
        # The same run again changes nothing.
        assert (
            plan_actions(customer, as_of=moment, findings=found, playbooks=plays, open_actions=held)
            == ()
        )  # type: ignore[arg-type]


def test_the_default_playbooks_table_in_the_docs_matches_the_code() -> None:
    page = Path(__file__).resolve().parent.parent / "docs" / "actions.md"
    rows = [
        [cell.strip() for cell in line.strip("|").split(" | ")]
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `") and line.count("|") == 4
    ]
    documented = {row[0].strip("`"): row for row in rows}
    for book in default_playbooks():
        _, trigger, steps = documented.pop(book.id)
        if book.trigger.kind is TriggerKind.FINDING:
            assert (
                trigger
                == f"finding `{book.trigger.finding.value}` >= {book.trigger.min_severity.value}"
            )  # type: ignore[union-attr]
        else:
            assert trigger == f"{book.trigger.describe()} ({book.trigger.severity.value})"
        expected = "; ".join(f"{s.owner_role}, {s.due_days}: {s.title}" for s in book.steps)
        assert steps == expected
    assert documented == {}


# --- a whole portfolio -------------------------------------------------------------------


def test_plan_portfolio_uses_what_it_is_given() -> None:
    portfolio = sample_portfolio(6, seed=8)
    findings = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    stage_play = band_play(kind="stage", stage="onboarding")
    first = portfolio.accounts[0]
    operations = plan_portfolio(
        portfolio,
        as_of=DEMO_AS_OF,
        playbooks=[*default_playbooks(), stage_play],
        findings=findings,
        stages={first.id: "onboarding"},
        people={first.id: {"CSM": "Dana Whitfield"}},
        scorer=HealthScorer(),
        lookback_days=14,
        large_arr=1,
    )
    assert operations == plan_portfolio(
        portfolio,
        as_of=DEMO_AS_OF,
        playbooks=[*default_playbooks(), stage_play],
        stages={first.id: "onboarding"},
        people={first.id: {"CSM": "Dana Whitfield"}},
        lookback_days=14,
        large_arr=1,
    )
    (staged,) = [o for o in operations if o.action.playbook == "band"]
    assert staged.action.account_id == first.id
    assert {o.action.owner.person for o in operations if o.action.account_id == first.id} == {
        "Dana Whitfield"
    }
    assert all(o.action.priority is not Priority.LOW for o in operations)
    # Findings only: no score is computed, and no band play can say anything.
    plays = [p for p in default_playbooks() if p.trigger.kind is TriggerKind.FINDING]
    only = plan_portfolio(portfolio, as_of=DEMO_AS_OF, playbooks=plays, findings=findings)
    assert {o.key for o in only} <= {o.key for o in operations}


def test_plan_portfolio_names_what_it_refuses() -> None:
    portfolio = sample_portfolio(2, seed=8)
    with pytest.raises(ValidationError, match="lookback_days"):
        plan_portfolio(portfolio, as_of=DEMO_AS_OF, lookback_days=0)
    with pytest.raises(ValidationError, match=r"accounts\[1\]"):
        plan_portfolio([portfolio.accounts[0], "acme"], as_of=DEMO_AS_OF)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="findings"):
        plan_portfolio(portfolio, as_of=DEMO_AS_OF, findings=[])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"open_actions\[0\]"):
        plan_portfolio(portfolio, as_of=DEMO_AS_OF, open_actions=["x"])  # type: ignore[list-item]
    held = apply_operations((), plan_portfolio(portfolio, as_of=DEMO_AS_OF))
    with pytest.raises(ValidationError, match=r"accounts\[\d\]\.open_actions\[1\]\.key"):
        plan_portfolio(portfolio, as_of=DEMO_AS_OF, open_actions=[held[0], held[0]])
