"""Nothing at or after ``as_of`` is seen: scores, findings and plans read only the past.

Each kind of record a CS team keeps (a metric reading, a touch point, a survey
answer, a milestone reached, a commitment done, a departure, a renewal, a
communicated expectation) is added to sample accounts at ``as_of`` itself or
later; what the library says as of ``as_of`` must not change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from successkit.detection import detect
from successkit.model import Account
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import score_accounts
from successkit.serialization import from_dict, to_dict

Edit = Callable[[dict[str, Any], str], None]


def _reading(data: dict[str, Any], at: str) -> None:
    context = data["relationship"]["context"]
    for outcome in data["desired_outcomes"]:
        metric = outcome["goal"]["objective"]["metric"]
        context["observations"].append({"metric": metric, "value": 1e6, "at": at})


def _touch_point(data: dict[str, Any], at: str) -> None:
    data["relationship"]["interactions"].append(
        {
            "at": at,
            "type": "meeting_1_1",
            "direction": "inbound_reactive",
            "topic": "escalation",
            "participants": [],
        }
    )


def _detractors(data: dict[str, Any], at: str) -> None:
    data["surveys"].extend(
        {"kind": "nps", "score": 0, "at": at, "respondent": f"late-{n}"} for n in range(5)
    )


def _milestones_reached(data: dict[str, Any], at: str) -> None:
    for milestone in data["relationship"]["context"]["milestones"]:
        if milestone["achieved_at"] is None:
            milestone["achieved_at"] = at


def _commitments_done(data: dict[str, Any], at: str) -> None:
    for commitment in data["relationship"]["context"]["accountability"]["commitments"]:
        if commitment["done_at"] is None:
            commitment["done_at"] = at


def _sponsor_leaves(data: dict[str, Any], at: str) -> None:
    for contact in data["contacts"]:
        if contact["left_at"] is None:
            contact["left_at"] = at
            data["relationship"]["context"]["changes"].append(
                {
                    "kind": "team",
                    "at": at,
                    "description": "left the company",
                    "change": "contact_left",
                    "contact_id": contact["id"],
                }
            )
            return


def _churn(data: dict[str, Any], at: str) -> None:
    data["lifecycle"].append({"kind": "churn", "at": at, "arr_change": "0", "note": ""})


def _renewal_told(data: dict[str, Any], at: str) -> None:
    orchestration = data["relationship"]["context"]["orchestration"]
    orchestration["expectations"].append(
        {"event": "renewal", "expected_at": at, "communicated_at": at, "description": "told"}
    )
    orchestration["events"].append({"event": "renewal", "at": at, "description": ""})


EDITS: dict[str, Edit] = {
    "metric reading": _reading,
    "touch point": _touch_point,
    "detractors": _detractors,
    "milestones reached": _milestones_reached,
    "commitments done": _commitments_done,
    "sponsor leaves": _sponsor_leaves,
    "churn": _churn,
    "renewal told": _renewal_told,
}


@cache
def _accounts() -> tuple[Account, ...]:
    return sample_portfolio(24).accounts


def _said(account: Account, as_of: datetime) -> tuple[Any, ...]:
    score = score_accounts([account], as_of=as_of)[0]
    findings = sorted(str(f) for f in detect(account, as_of=as_of))
    return score.value, score.band, score.evidence_gaps, tuple(findings)


def _with(account: Account, edit: Edit, at: datetime) -> Account:
    document = to_dict(account)
    edit(document["data"], at.isoformat())
    return from_dict(document, Account)


@pytest.mark.parametrize("what", sorted(EDITS))
def test_a_record_at_as_of_itself_is_not_seen(what: str) -> None:
    for account in _accounts():
        edited = _with(account, EDITS[what], DEMO_AS_OF)
        assert _said(edited, DEMO_AS_OF) == _said(account, DEMO_AS_OF), (what, account.id)


def test_the_edits_matter_once_they_are_in_the_past() -> None:
    # The same records one hour earlier change what is said about most accounts:
    # the test above would catch a leak.
    earlier = DEMO_AS_OF - timedelta(hours=1)
    for what in ("metric reading", "milestones reached", "commitments done", "touch point"):
        changed = sum(
            _said(_with(a, EDITS[what], earlier), DEMO_AS_OF) != _said(a, DEMO_AS_OF)
            for a in _accounts()
        )
        assert changed >= 3, what


@settings(max_examples=25, deadline=None)
@given(
    index=st.integers(0, 23),
    what=st.sampled_from(sorted(EDITS)),
    later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
)
def test_records_at_or_after_as_of_change_nothing(index: int, what: str, later: timedelta) -> None:
    account = _accounts()[index]
    edited = _with(account, EDITS[what], DEMO_AS_OF + later)
    assert _said(edited, DEMO_AS_OF) == _said(account, DEMO_AS_OF)
