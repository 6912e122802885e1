"""Columnar scoring: one scorecard over a million rows, with the object path's numbers.

A :class:`~successkit.scoring.Scorecard` scores one account at a time through
:meth:`~successkit.scoring.Scorecard.evaluate`; this package runs the very same
arithmetic over columns of raw measure values (one column per measure, NaN or
null for a missing value) in NumPy, and adapts it to pandas, polars and Arrow::

    from successkit.frames import score_frame, to_measure_frame

    measures = to_measure_frame(portfolio, scorecard, as_of, backend="pandas")
    scored = score_frame(measures, scorecard)

Importing this package imports none of NumPy, pandas, polars or pyarrow; each
function imports what it needs and raises
:class:`~successkit.errors.MissingExtraError` naming the extra to install when
it is absent (``pip install 'successkit[numpy]'``, ``[pandas]``, ``[polars]``).
"""

from successkit.frames._api import (
    evaluate_columns,
    result_columns,
    score_arrow,
    score_frame,
    to_measure_frame,
)
from successkit.frames._categories import BAND_CATEGORIES, QUADRANT_CATEGORIES
from successkit.frames._tables import findings_to_frame, scores_to_frame

__all__ = [
    "BAND_CATEGORIES",
    "QUADRANT_CATEGORIES",
    "evaluate_columns",
    "findings_to_frame",
    "result_columns",
    "score_arrow",
    "score_frame",
    "scores_to_frame",
    "to_measure_frame",
]
