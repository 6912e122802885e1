"""From findings to action: playbooks, calls to action and success plans.

A :class:`Playbook` is data (Python, TOML or JSON): a :class:`Trigger` (a finding
of a kind at or above a severity, a band, a band drop, a falling trend, a renewal
window, a lifecycle stage), an audience (segments, ARR) and owned, dated
:class:`Step` values. :func:`plan_actions` turns an account's findings and score
into the operations (:class:`Operation`: create, update, close, re-open) that keep
a CRM's calls to action (:class:`Action`) in line with what is true, keyed so that running the same
night twice changes nothing::

    from successkit.actions import plan_actions
    from successkit.detection import detect

    operations = plan_actions(
        account, as_of=as_of, findings=detect(account, as_of=as_of), open_actions=held
    )

:func:`success_plan` assembles the plan both sides can see: goals, milestones,
commitments by party with their status, and what to expect next, as Markdown,
HTML or JSON.
"""

from successkit.actions._actions import (
    Action,
    ActionStatus,
    Operation,
    OperationKind,
    Owner,
    Priority,
    Task,
    action_key,
    apply_operations,
    resolve_owner,
)
from successkit.actions._defaults import default_playbooks
from successkit.actions._plan import DEFAULT_LARGE_ARR, finding_subject, plan_actions
from successkit.actions._playbook_io import (
    load_playbooks,
    playbooks_from_dict,
    playbooks_from_json,
    playbooks_from_toml,
    playbooks_to_dict,
    playbooks_to_json,
    playbooks_to_toml,
)
from successkit.actions._playbooks import Playbook, Step, Trigger, TriggerKind
from successkit.actions._portfolio import plan_portfolio
from successkit.actions._success_plan import (
    CommitmentStatus,
    PlanCommitment,
    PlanExpectation,
    PlanGoal,
    PlanMilestone,
    SuccessPlan,
    success_plan,
)

__all__ = [
    "DEFAULT_LARGE_ARR",
    "Action",
    "ActionStatus",
    "CommitmentStatus",
    "Operation",
    "OperationKind",
    "Owner",
    "PlanCommitment",
    "PlanExpectation",
    "PlanGoal",
    "PlanMilestone",
    "Playbook",
    "Priority",
    "Step",
    "SuccessPlan",
    "Task",
    "Trigger",
    "TriggerKind",
    "action_key",
    "apply_operations",
    "default_playbooks",
    "finding_subject",
    "load_playbooks",
    "plan_actions",
    "plan_portfolio",
    "playbooks_from_dict",
    "playbooks_from_json",
    "playbooks_from_toml",
    "playbooks_to_dict",
    "playbooks_to_json",
    "playbooks_to_toml",
    "resolve_owner",
    "success_plan",
]
