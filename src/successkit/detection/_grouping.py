"""One problem, one finding: symptoms of the same goal folded into the finding that explains them.

A success gap on a goal usually shows as the goal falling behind pace and its
milestones running late too. Reported as three findings, the one problem reads
as three, and a portfolio counts symptoms instead of problems. Grouping keeps
the finding that names the problem (by :data:`GROUP_PRECEDENCE`) and carries
every fact of the findings it replaces in its evidence. The renewal is grouped
the same way: an unorchestrated renewal is one piece of a renewal risk.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from successkit.detection._built import make_evidence, make_finding
from successkit.detection._findings import Evidence, Finding, FindingKind

__all__ = ["GROUP_PRECEDENCE", "RENEWAL_PRECEDENCE", "group_findings"]

GROUP_PRECEDENCE: tuple[FindingKind, ...] = (
    FindingKind.SUCCESS_GAP,
    FindingKind.UNMET_CONDITIONS,
    FindingKind.BEHIND_PACE,
    FindingKind.ACHIEVED_LATE,
    FindingKind.OVERDUE_MILESTONE,
    FindingKind.OUTCOME_NOT_MEASURABLE,
)
"""The kinds grouped per goal, the one that names the problem first."""

RENEWAL_PRECEDENCE: tuple[FindingKind, ...] = (
    FindingKind.RENEWAL_RISK,
    FindingKind.RENEWAL_UNORCHESTRATED,
)
"""The kinds grouped per account about its renewal, the one that names the problem first."""

_RANK = {kind: index for index, kind in enumerate(GROUP_PRECEDENCE)}
_RANK.update({kind: index for index, kind in enumerate(RENEWAL_PRECEDENCE)})


def _goal_of(finding: Finding) -> str | None:
    """The one goal a finding is about, if its kind is grouped per goal, else ``None``."""
    if finding.kind not in GROUP_PRECEDENCE:
        return None
    goals = {e.goal_id for e in finding.evidence if e.goal_id is not None}
    return goals.pop() if len(goals) == 1 else None


def _group_of(finding: Finding) -> tuple[str, str] | None:
    if finding.kind in RENEWAL_PRECEDENCE:
        return ("renewal", "")
    goal = _goal_of(finding)
    return None if goal is None else ("goal", goal)


def _fold(leader: Finding, absorbed: list[Finding]) -> Finding:
    evidence: list[Evidence] = list(leader.evidence)
    seen = set(evidence)
    for finding in absorbed:
        evidence.append(
            make_evidence(
                label=f"also {finding.kind.value} ({finding.severity.value}): {finding.message}",
                goal_id=_goal_of(finding),
            )
        )
        for piece in finding.evidence:
            if piece not in seen:
                seen.add(piece)
                evidence.append(piece)
    severity = max([leader.severity, *(f.severity for f in absorbed)])
    if type(leader) is not Finding:  # a third party's subclass keeps its class
        return attrs.evolve(leader, severity=severity, evidence=tuple(evidence))
    return make_finding(
        kind=leader.kind,
        severity=severity,
        account_id=leader.account_id,
        as_of=leader.as_of,
        message=leader.message,
        next_step=leader.next_step,
        evidence=tuple(evidence),
        rule=leader.rule,
    )


def group_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Fold the findings about the same goal of the same account into one.

    Among the findings of the kinds in :data:`GROUP_PRECEDENCE` whose evidence
    points at one goal (and among the findings of :data:`RENEWAL_PRECEDENCE`
    of one account), the one of the first kind (the most severe of that
    kind, then report order) leads; it takes the highest severity of the
    group, and its evidence gains, for each finding it replaces, one line
    quoting that finding's kind, severity and message, then that finding's
    evidence (each piece once). Other findings pass unchanged.

    Returns:
        The findings, grouped, in report order.
    """
    groups: dict[tuple[str, tuple[str, str]], list[Finding]] = {}
    kept: list[Finding] = []
    for finding in findings:
        group = _group_of(finding)
        if group is None:
            kept.append(finding)
        else:
            groups.setdefault((finding.account_id, group), []).append(finding)
    for members in groups.values():
        members.sort(key=lambda f: (_RANK[f.kind], -f.severity.rank, f.sort_key()))
        leader, *absorbed = members
        kept.append(_fold(leader, absorbed) if absorbed else leader)
    return tuple(sorted(kept, key=Finding.sort_key))
