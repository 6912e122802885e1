"""The default playbooks: one per built-in finding kind, plus band, trend and renewal plays."""

from __future__ import annotations

import functools

from successkit.actions._playbooks import Playbook, Step, Trigger
from successkit.detection import FindingKind, Severity

__all__ = ["default_playbooks"]

_CSM = "CSM"
_SPONSOR = "executive sponsor"
_SUPPORT = "support"


def _on(kind: FindingKind, least: Severity = Severity.WARNING) -> Trigger:
    return Trigger(kind="finding", finding=kind, min_severity=least)


@functools.cache
def default_playbooks() -> tuple[Playbook, ...]:
    """The built-in plays, documented in ``docs/actions.md``.

    One play per built-in finding kind (warning and above, except the kinds
    detection reports as info: the accountability blind spot, an outcome not yet
    measurable and the Helix opportunities), a recovery play
    for red accounts, plays for a dropped band and a falling trend (which need
    the previous score and the trend), and renewal preparation 90 days out.
    Built once: the plays are immutable values, shared by every call.
    """
    return (
        Playbook(
            id="success-gap",
            name="Close the success gap",
            description="The product work is done and the outcome is not: review the outcome.",
            trigger=_on(FindingKind.SUCCESS_GAP),
            steps=(
                Step(title="Outcome review with the sponsor", due_days=3, channel="meeting_1_1"),
                Step(title="Agree the next tactical milestone and its owner", due_days=10),
            ),
        ),
        Playbook(
            id="unmet-conditions",
            name="Meet the customer's conditions",
            description="The objective is met but a condition is not: the customer feels it.",
            trigger=_on(FindingKind.UNMET_CONDITIONS),
            steps=(
                Step(title="Review the unmet condition with the customer", due_days=5),
                Step(title="Plan the change that meets it", due_days=14),
            ),
        ),
        Playbook(
            id="behind-pace",
            name="Get the goal back on pace",
            trigger=_on(FindingKind.BEHIND_PACE),
            steps=(Step(title="Find the blocked milestone and agree a recovery plan", due_days=7),),
        ),
        Playbook(
            id="overdue-milestone",
            name="Unblock the overdue milestone",
            trigger=_on(FindingKind.OVERDUE_MILESTONE),
            steps=(Step(title="Agree a new date with the milestone's owner", due_days=5),),
        ),
        Playbook(
            id="false-promoter",
            name="Prove the value before the ROI question",
            trigger=_on(FindingKind.FALSE_PROMOTER),
            steps=(
                Step(title="Measure the outcome the customer bought for", due_days=14),
                Step(
                    title="Executive business review on outcomes",
                    owner_role=_SPONSOR,
                    due_days=30,
                    channel="meeting_1_1",
                ),
            ),
        ),
        Playbook(
            id="cadence-breach",
            name="Restore the appropriate experience",
            trigger=_on(FindingKind.CADENCE_BREACH),
            steps=(Step(title="Book the missed touch", due_days=3),),
        ),
        Playbook(
            id="reactive-trap",
            name="Move from reactive to proactive",
            trigger=_on(FindingKind.REACTIVE_TRAP),
            steps=(
                Step(
                    title="Review the recent tickets for a pattern", owner_role=_SUPPORT, due_days=5
                ),
                Step(title="Proactive touch on the pattern found", due_days=10, channel="call"),
            ),
        ),
        Playbook(
            id="silent-account",
            name="Re-engage the silent account",
            trigger=_on(FindingKind.SILENT_ACCOUNT),
            steps=(
                Step(
                    title="Reach the champion through a new channel",
                    due_days=2,
                    channel="email",
                    template=(
                        "We have not heard from you in a while: "
                        "is anything in the way of your goals?"
                    ),
                ),
            ),
        ),
        Playbook(
            id="accountability-slippage",
            name="Review the overdue commitments",
            trigger=_on(FindingKind.ACCOUNTABILITY_SLIPPAGE),
            steps=(Step(title="Review each overdue commitment with its owner", due_days=5),),
        ),
        Playbook(
            id="accountability-blind-spot",
            name="Agree the customer's commitments outside the product",
            trigger=_on(FindingKind.ACCOUNTABILITY_BLIND_SPOT, Severity.INFO),
            steps=(Step(title="Record the customer's own commitments", due_days=14),),
        ),
        Playbook(
            id="surprise",
            name="Explain the surprise",
            trigger=_on(FindingKind.SURPRISE),
            steps=(Step(title="Explain the event and set the next expectation", due_days=2),),
        ),
        Playbook(
            id="broken-promise",
            name="Own the broken promise",
            trigger=_on(FindingKind.BROKEN_PROMISE),
            steps=(Step(title="Give a new date and the reason", due_days=1, channel="call"),),
        ),
        Playbook(
            id="renewal-unorchestrated",
            name="Orchestrate the renewal",
            trigger=_on(FindingKind.RENEWAL_UNORCHESTRATED),
            steps=(Step(title="Set expectations for the renewal: timeline and terms", due_days=5),),
        ),
        Playbook(
            id="renewal-risk",
            name="Secure the renewal at risk",
            trigger=_on(FindingKind.RENEWAL_RISK),
            steps=(
                Step(
                    title="Renewal risk review: band, outcomes, stakeholders, changes",
                    due_days=3,
                    owner_role="executive sponsor",
                ),
                Step(title="Agree a dated save plan with the economic buyer", due_days=7),
            ),
        ),
        Playbook(
            id="stakeholder-departed",
            name="Re-thread after a departure",
            trigger=_on(FindingKind.STAKEHOLDER_DEPARTED),
            steps=(
                Step(title="Meet the new sponsor or champion", due_days=3),
                Step(title="Re-confirm the desired outcome with them", due_days=14),
            ),
        ),
        Playbook(
            id="customer-change",
            name="Understand the customer's change",
            trigger=_on(FindingKind.CUSTOMER_CHANGE),
            steps=(
                Step(title="Ask what the change means for the goals and the budget", due_days=5),
            ),
        ),
        Playbook(
            id="achieved-late",
            name="Learn from a late outcome",
            trigger=_on(FindingKind.ACHIEVED_LATE),
            steps=(
                Step(
                    title="Review why the outcome came late and reset the next time frame",
                    due_days=14,
                ),
            ),
        ),
        Playbook(
            id="adoption-stalled",
            name="Restart stalled adoption",
            trigger=_on(FindingKind.ADOPTION_STALLED),
            steps=(
                Step(title="Find the teams not using the product", due_days=5),
                Step(title="Run an enablement session for them", due_days=21),
            ),
        ),
        Playbook(
            id="low-satisfaction",
            name="Follow up on low satisfaction",
            trigger=_on(FindingKind.LOW_SATISFACTION),
            steps=(Step(title="Call the respondent and close the loop", due_days=2),),
        ),
        Playbook(
            id="single-threaded",
            name="Widen the relationship",
            trigger=_on(FindingKind.SINGLE_THREADED),
            steps=(
                Step(title="Meet a second stakeholder: sponsor, admin or user lead", due_days=14),
            ),
        ),
        Playbook(
            id="experience-mismatch",
            name="Deliver the appropriate experience",
            trigger=_on(FindingKind.EXPERIENCE_MISMATCH),
            steps=(
                Step(title="Hold the missing touch on the agreed channel and topic", due_days=7),
            ),
        ),
        Playbook(
            id="segment-mismatch",
            name="Align the segment",
            trigger=_on(FindingKind.SEGMENT_MISMATCH),
            steps=(
                Step(title="Fix the account's segment, experience or coverage model", due_days=14),
            ),
        ),
        Playbook(
            id="outcome-not-measurable",
            name="Make the outcome measurable",
            trigger=_on(FindingKind.OUTCOME_NOT_MEASURABLE, Severity.INFO),
            steps=(Step(title="Agree when and how the outcome will be measured", due_days=14),),
        ),
        Playbook(
            id="renewal-ready",
            name="Renew early",
            trigger=_on(FindingKind.RENEWAL_READY, Severity.INFO),
            steps=(Step(title="Propose the renewal with the outcomes achieved", due_days=14),),
        ),
        Playbook(
            id="expansion-ready",
            name="Propose an expansion",
            trigger=_on(FindingKind.EXPANSION_READY, Severity.INFO),
            steps=(Step(title="Share the outcomes and propose the next use case", due_days=14),),
        ),
        Playbook(
            id="advocate-ready",
            name="Ask for advocacy",
            trigger=_on(FindingKind.ADVOCATE_READY, Severity.INFO),
            steps=(Step(title="Ask for a reference, a case study or a referral", due_days=14),),
        ),
        Playbook(
            id="red-recovery",
            name="Recover the red account",
            trigger=Trigger(kind="band", band="red", severity=Severity.CRITICAL),
            steps=(
                Step(title="Open a recovery plan", due_days=2),
                Step(title="Brief the executive sponsor", owner_role=_SPONSOR, due_days=7),
            ),
        ),
        Playbook(
            id="band-dropped",
            name="Understand the band drop",
            trigger=Trigger(kind="band_dropped", severity=Severity.WARNING),
            steps=(Step(title="Attribute the change and agree a response", due_days=5),),
        ),
        Playbook(
            id="trend-falling",
            name="Review the falling trend",
            trigger=Trigger(kind="trend_falling", severity=Severity.INFO),
            steps=(Step(title="Review the trend with the customer", due_days=10),),
        ),
        Playbook(
            id="renewal-preparation",
            name="Prepare the renewal",
            trigger=Trigger(kind="renewal_within", days=90, severity=Severity.INFO),
            steps=(
                Step(title="Summarise the outcomes achieved this term", due_days=14),
                Step(title="Renewal conversation", due_days=30, channel="meeting_1_1"),
            ),
        ),
    )
