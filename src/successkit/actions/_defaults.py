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

    One play per built-in finding kind (warning and above, except the
    accountability blind spot, which detection reports as info), a recovery play
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
