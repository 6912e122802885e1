"""The scores of a whole portfolio as of one moment: one document for a portfolio run."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from successkit._validation import aware_datetime, to_datetime, to_tuple, tuple_of
from successkit.errors import ValidationError
from successkit.scoring._score import Score


def _same_moment(instance: PortfolioScores, _attribute: Any, scores: tuple[Score, ...]) -> None:
    for index, score in enumerate(scores):
        if score.as_of is not None and score.as_of != instance.as_of:
            raise ValidationError(
                f"PortfolioScores.scores[{index}].as_of",
                score.as_of.isoformat(),
                f"the moment of the portfolio's scores, {instance.as_of.isoformat()}",
            )


@attrs.frozen(kw_only=True)
class PortfolioScores:
    """The scores of a whole portfolio, all as of one moment.

    What ``successkit score --format json --compact`` writes: one document for
    the whole run, where the scorecard's bands, its measures and its groups are
    written once (see :func:`~successkit.serialization.to_json`).

    Attributes:
        as_of: the moment scored.
        scores: one score per account, in the order scored; a score with an
            ``as_of`` must be of this moment.
    """

    as_of: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    scores: tuple[Score, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[tuple_of(Score, "Score values"), _same_moment],
    )

    @classmethod
    def of(cls, scores: Iterable[Score], *, as_of: datetime) -> PortfolioScores:
        """Gather ``scores``, all of the moment ``as_of``."""
        return cls(as_of=as_of, scores=tuple(scores))

    def __len__(self) -> int:
        return len(self.scores)
