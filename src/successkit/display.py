"""Rich display in notebooks: a portfolio of scores as one coloured table.

Single objects display themselves: in Jupyter, a :class:`~successkit.scoring.Score`,
a :class:`~successkit.model.GoalStatus`, an :class:`~successkit.model.Account` or a
:class:`~successkit.detection.Finding` left at the end of a cell shows as a
compact, coloured summary (their ``_repr_html_``). A list of scores is just a
list, so wrap it::

    from successkit.display import portfolio_table

    portfolio_table(scores, accounts=portfolio)  # worst first, with the customers' names

Every output names measures, findings and evidence figures the same way, through
one registry of display names and units: :func:`label` and :func:`format_value`
(``days_since_last_interaction`` reads "Days since last interaction", a share of
``0.4617`` reads "46%"). Register your own measures with :func:`register_label`.

Their ``repr()`` stays the complete attrs form, which can be read back field by
field; ``Score.explain()`` and ``str(finding)`` are the short plain-text forms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from successkit._display import portfolio_html, worst_first
from successkit._labels import Label, Unit, format_figure, format_value, label, register_label
from successkit._validation import positive_int, to_tuple, tuple_of
from successkit.errors import ValidationError
from successkit.model import Account
from successkit.scoring import Band, Quadrant, Score

__all__ = [
    "Label",
    "PortfolioTable",
    "Unit",
    "format_figure",
    "format_value",
    "label",
    "portfolio_table",
    "register_label",
    "worst_first",
]


def _names(value: Any) -> Any:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError("PortfolioTable.names", value, "a mapping of account id to name")
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True, repr=False)
class PortfolioTable:
    """Scores of many accounts, shown as one table in a notebook.

    It behaves as a read-only sequence of the scores, in the order given.

    Args:
        scores: the scores, one per account.
        max_rows: how many rows the HTML table shows; the rest are counted, not shown.
    """

    scores: tuple[Score, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(Score, "Score values")
    )
    max_rows: int = attrs.field(default=50, validator=positive_int)
    names: Mapping[str, str] = attrs.field(factory=dict, converter=_names, eq=False)

    def __len__(self) -> int:
        return len(self.scores)

    def __iter__(self) -> Iterator[Score]:
        return iter(self.scores)

    def __getitem__(self, index: int) -> Score:
        return self.scores[index]

    @property
    def band_counts(self) -> dict[Band, int]:
        """How many scores fall in each band (every band present, red first).

        Scores without a band (insufficient evidence) are counted apart, in
        :attr:`no_band_count`.
        """
        counted = Counter(score.band for score in self.scores)
        return {band: counted[band] for band in sorted(Band, key=lambda b: b.rank)}

    @property
    def no_band_count(self) -> int:
        """How many scores have no band, for lack of evidence."""
        return sum(1 for score in self.scores if score.band is None)

    @property
    def quadrant_counts(self) -> dict[Quadrant, int]:
        """How many scores sit in each quadrant (scores without a quadrant are not counted)."""
        counted = Counter(s.quadrant.quadrant for s in self.scores if s.quadrant is not None)
        return {quadrant: counted[quadrant] for quadrant in Quadrant}

    def __repr__(self) -> str:
        # A portfolio can hold a million scores: the repr sums them up instead.
        bands = ", ".join(f"{band.value} {count}" for band, count in self.band_counts.items())
        return f"<PortfolioTable of {len(self.scores)} scores: {bands}>"

    def __str__(self) -> str:
        bands = ", ".join(f"{band.value} {count}" for band, count in self.band_counts.items())
        if self.no_band_count:
            bands += f", no band {self.no_band_count}"
        return f"{len(self.scores)} scores: {bands}"

    def worst_first(self) -> tuple[Score, ...]:
        """The scores that need attention first: red, no band, amber, green; lowest first."""
        return tuple(sorted(self.scores, key=worst_first))

    def _repr_html_(self) -> str:
        return portfolio_html(self.scores, max_rows=self.max_rows, names=self.names)


def portfolio_table(
    scores: Iterable[Score], *, max_rows: int = 50, accounts: Iterable[Account] = ()
) -> PortfolioTable:
    """Wrap scores so a notebook shows them as one coloured table, worst first.

    Args:
        scores: the scores, one per account (e.g. from
            :func:`~successkit.scoring.score_accounts`).
        max_rows: how many rows the table shows at most.
        accounts: the accounts scored (a :class:`~successkit.model.Portfolio` will
            do), so the table shows each customer's name next to its id.

    Raises:
        ValidationError: an item is not a :class:`~successkit.scoring.Score`, or
            ``max_rows`` is not a whole number >= 1.
    """
    names = {account.id: account.name for account in accounts if isinstance(account, Account)}
    return PortfolioTable(scores=scores, max_rows=max_rows, names=names)
