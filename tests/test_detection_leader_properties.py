"""Properties of the findings a CS leader acts on: monotone risk, evidence-bound findings, grouping."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from detection_accounts import AS_OF, at, observe
from successkit import Contact, ContextChange, EventOccurrence, SurveyAnswer
from successkit.detection import Finding, FindingKind, RenewalRiskRule, detect
from successkit.samples import DEMO_AS_OF, Archetype, sample_account
from test_detection_leader import GREEN, RED, FixedHealth, renewing, sponsor

AMBER = FixedHealth(5.0, 6.0)


def risk_rank(findings: tuple[Finding, ...]) -> int:
    """-1 without a renewal-risk finding, else the severity's rank."""
    ranks = [f.severity.rank for f in findings if f.kind is FindingKind.RENEWAL_RISK]
    return max(ranks, default=-1)


@st.composite
def renewals(draw: st.DrawFn):
    days = draw(st.integers(0, 120))
    arr = draw(st.integers(1_000, 1_000_000))
    changes = tuple(
        ContextChange(kind="company", change="reorganisation", at=at(-draw(st.integers(1, 170))))
        for _ in range(draw(st.integers(0, 3)))
    )
    contacts = ()
    if draw(st.booleans()):
        contacts = (Contact(id="sam", role="champion", left_at=at(-draw(st.integers(1, 170)))),)
    customer = renewing(
        days, arr=arr, changes=changes, contacts=contacts, achieved=draw(st.booleans())
    )
    scorer = draw(st.sampled_from([RED, AMBER, GREEN]))
    return customer, scorer


@settings(max_examples=60, deadline=None)
@given(renewals(), st.integers(1, 179), st.booleans())
def test_adding_a_departed_sponsor_never_lowers_renewal_risk(case, days_ago, as_change):
    customer, scorer = case
    rule = RenewalRiskRule(scorer=scorer)
    before = risk_rank(rule(customer, as_of=AS_OF))
    if as_change:
        left = ContextChange(
            kind="team", change="contact_left", at=at(-days_ago), description="sponsor left"
        )
        context = attrs.evolve(
            customer.relationship.context, changes=(*customer.relationship.context.changes, left)
        )
        after_account = attrs.evolve(
            customer, relationship=attrs.evolve(customer.relationship, context=context)
        )
    else:
        after_account = attrs.evolve(
            customer, contacts=(*customer.contacts, sponsor(left=-days_ago, contact_id="dana"))
        )
    after = risk_rank(rule(after_account, as_of=AS_OF))
    assert after >= before
    assert after >= 0  # a departed sponsor near the renewal is always a risk


INGREDIENTS = {
    "departed_sponsor": FindingKind.STAKEHOLDER_DEPARTED,
    "acquisition": FindingKind.CUSTOMER_CHANGE,
    "flat_usage": FindingKind.ADOPTION_STALLED,
    "low_csat": FindingKind.LOW_SATISFACTION,
    "outage": FindingKind.SURPRISE,
}
RULES = [
    "stakeholder_departed",
    "customer_change",
    "adoption_stalled",
    "low_satisfaction",
    "surprise",
]


def with_problems(present: frozenset[str]):
    contacts = (sponsor(left=-20 if "departed_sponsor" in present else None),)
    changes = ()
    if "acquisition" in present:
        changes = (ContextChange(kind="company", change="acquisition", at=at(-30)),)
    customer = renewing(200, contacts=contacts, changes=changes)
    usage = [observe("licensed_users", 1_000, -100)]
    flat = "flat_usage" in present
    usage += [observe("active_users", 300 if flat else 900, -d) for d in (80, 50, 20)]
    events = [EventOccurrence(event="kickoff", at=at(-40))]
    if "outage" in present:
        events.append(EventOccurrence(event="outage", at=at(-4)))
    context = attrs.evolve(
        customer.relationship.context,
        observations=(*customer.relationship.context.observations, *usage),
        orchestration=attrs.evolve(
            customer.relationship.context.orchestration, events=tuple(events)
        ),
    )
    score = 2 if "low_csat" in present else 5
    return attrs.evolve(
        customer,
        relationship=attrs.evolve(customer.relationship, context=context),
        surveys=(SurveyAnswer(kind="csat", score=score, at=at(-9)),),
    )


@settings(max_examples=40, deadline=None)
@given(st.frozensets(st.sampled_from(sorted(INGREDIENTS))))
def test_a_finding_stands_exactly_as_long_as_its_evidence(present):
    found = {f.kind for f in detect(with_problems(present), as_of=AS_OF, rules=RULES)}
    assert found == {INGREDIENTS[name] for name in present}


def keeps_the_facts(raw: tuple[Finding, ...], grouped: tuple[Finding, ...]) -> None:
    for finding in raw:
        if finding in grouped:
            continue
        holders = [
            g
            for g in grouped
            if g.account_id == finding.account_id
            and (
                (g.kind, g.message, g.rule) == (finding.kind, finding.message, finding.rule)
                or any(finding.message in e.label for e in g.evidence)
            )
        ]
        assert len(holders) == 1, finding
        holder = holders[0]
        assert holder.severity >= finding.severity
        assert set(finding.evidence) <= set(holder.evidence)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(list(Archetype)), st.integers(0, 10_000), st.integers(-200, 60))
def test_grouped_findings_keep_every_fact_of_those_they_replace(archetype, seed, shift):
    customer = sample_account(archetype, account_id="acct", seed=seed)
    moment = DEMO_AS_OF + (at(shift) - AS_OF)
    raw = detect(customer, as_of=moment, group=False)
    grouped = detect(customer, as_of=moment)
    keeps_the_facts(raw, grouped)
    assert len(grouped) <= len(raw)
