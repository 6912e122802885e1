"""Rules on fit: the experience delivered against the appropriate one, and segments that agree."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from successkit._validation import (
    between,
    earlier,
    ensure_aware,
    positive_int,
    positive_timedelta,
    to_float,
)
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.detection._experience_rules import _relationship_start
from successkit.detection._findings import Evidence, Finding, FindingKind, Severity
from successkit.detection._rules import days, register_rule, skipped
from successkit.model import Account, Direction, InteractionType

__all__ = ["ExperienceMismatchRule", "SegmentMismatchRule"]


@register_rule("experience_mismatch")
@attrs.frozen(kw_only=True)
class ExperienceMismatchRule:
    """The experience delivered is not the appropriate one: wrong channels, topics left out.

    Cadence is one part of the appropriate experience (see
    :class:`CadenceBreachRule`); its channels and topics are the others. Over
    the ``window`` before ``as_of``, when at least ``min_interactions`` of our
    interactions (outbound) took place and more than ``off_channel_share`` of
    them used channels the experience does not list, the channels are wrong;
    each topic the experience lists that no interaction's topic mentioned in
    that window (once the relationship is older than the window) was left out.
    One warning per account names both.

    Args:
        window: how far back interactions count (> 0).
        off_channel_share: the share (0 to 1) of outbound interactions off the
            experience's channels above which they are wrong.
        min_interactions: the fewest outbound interactions to judge channels (>= 1).
    """

    name: ClassVar[str] = "experience_mismatch"

    window: timedelta = attrs.field(default=timedelta(days=120), validator=positive_timedelta)
    off_channel_share: float = attrs.field(
        default=0.5, converter=to_float, validator=between(0.0, 1.0)
    )
    min_interactions: int = attrs.field(default=4, validator=positive_int)

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Compare the experience delivered to ``account`` with its appropriate experience."""
        moment = ensure_aware(as_of, "as_of")
        experiences = [o.experience for o in account.desired_outcomes if o.experience is not None]
        channels = {c for x in experiences for c in x.channels}
        topics = sorted({t for x in experiences for t in x.topics})
        if not channels and not topics:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "no appropriate experience with channels or topics",
                    "the appropriate experience (its channels and topics)",
                ),
            )
        recent = [
            i
            for i in account.relationship.interactions
            if earlier(moment, self.window) <= i.at < moment
        ]
        outbound = [i for i in recent if i.direction is not Direction.INBOUND_REACTIVE]
        problems: list[str] = []
        evidence: list[Evidence] = []
        off = [i for i in outbound if channels and i.type not in channels]
        if len(outbound) >= self.min_interactions and off:
            share = len(off) / len(outbound)
            if share > self.off_channel_share:
                used = ", ".join(sorted({i.type.value for i in off}))
                problems.append(
                    f"{len(off)} of {len(outbound)} of our interactions used {used}, "
                    f"not the experience's {_channels(channels)}"
                )
                evidence.append(
                    make_evidence(
                        label="interactions off the appropriate channels",
                        interaction_moments=tuple(sorted(i.at for i in off)),
                        figures=(
                            make_figure(name="off_channel", value=len(off)),
                            make_figure(name="outbound", value=len(outbound)),
                            make_figure(name="share", value=share, unit="share"),
                        ),
                    )
                )
        start = _relationship_start(account, moment)
        if topics and start is not None and moment - start >= self.window:
            said = [i.topic.lower() for i in recent]
            missing = [t for t in topics if not any(t.lower() in s for s in said)]
            if missing:
                problems.append(
                    f"no interaction covered {', '.join(repr(t) for t in missing)} in the last "
                    f"{int(days(self.window))} days"
                )
                evidence.append(
                    make_evidence(
                        label="topics of the appropriate experience not covered: "
                        + ", ".join(missing),
                        figures=(
                            make_figure(name="window_days", value=days(self.window), unit="days"),
                        ),
                    )
                )
        if not problems:
            return ()
        return (
            make_finding(
                kind=FindingKind.EXPERIENCE_MISMATCH,
                severity=Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=f"Experience off its design: {'; '.join(problems)}.",
                next_step=(
                    "Plan the next touches on the experience's own channels and topics; "
                    "a newsletter does not replace the review the customer needs."
                ),
                evidence=tuple(evidence),
                rule=self.name,
            ),
        )


def _channels(channels: set[InteractionType]) -> str:
    return ", ".join(sorted(c.value for c in channels))


@register_rule("segment_mismatch")
@attrs.frozen(kw_only=True)
class SegmentMismatchRule:
    """The account's segment is not the one its appropriate experience or coverage model serves.

    An account moved from SMB to enterprise keeps the experience and the
    coverage of its old segment until someone notices: one warning names each
    disagreement.
    """

    name: ClassVar[str] = "segment_mismatch"

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Compare the segment of ``account`` with its experiences' and its coverage model's."""
        moment = ensure_aware(as_of, "as_of")
        experiences = [o for o in account.desired_outcomes if o.experience is not None]
        if not experiences and account.coverage is None:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "no appropriate experience and no coverage model",
                    "the appropriate experience or the coverage model",
                ),
            )
        evidence = [
            make_evidence(
                label=f"appropriate experience for segment '{o.experience.segment}'",
                goal_id=o.goal.id,
            )
            for o in experiences
            if o.experience is not None and o.experience.segment != account.segment
        ]
        if account.coverage is not None and account.coverage.segment != account.segment:
            evidence.append(
                make_evidence(label=f"coverage model for segment '{account.coverage.segment}'")
            )
        if not evidence:
            return ()
        others = sorted({e.label.rsplit("'", 2)[1] for e in evidence})
        return (
            make_finding(
                kind=FindingKind.SEGMENT_MISMATCH,
                severity=Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"Segment mismatch: the account is '{account.segment}' but is served as "
                    f"{', '.join(repr(o) for o in others)}."
                ),
                next_step=(
                    "Decide which segment the account belongs to now, and move it to that "
                    "segment's appropriate experience and coverage."
                ),
                evidence=tuple(evidence),
                rule=self.name,
            ),
        )
