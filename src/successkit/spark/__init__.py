"""successkit on Spark: scorecards, whole accounts and event logs, in the executors.

* :func:`score` adds a scorecard's score columns to a Spark DataFrame of measure
  values (one column per measure), with the arithmetic of the object path.
* :func:`detect` runs the detection rules, and :func:`score_accounts` a scorer, on
  whole accounts given as a DataFrame of JSON documents (one account per row) or
  as the CSV tables (one DataFrame per table), and return one row per finding or
  score: the object path itself, run per group of accounts in the executors.
* :func:`usage_measures` turns an event log and observations held as Spark
  DataFrames into the trailing-window measures of
  :func:`successkit.evidence.usage_measures`, account by account in the executors.

PySpark, pandas and pyarrow come with the ``spark`` extra; nothing is imported
before a function needs it, and a missing one raises
:class:`~successkit.errors.MissingExtraError` naming the extra.
"""

from __future__ import annotations

from successkit.spark._accounts import FINDING_COLUMNS, SCORE_COLUMNS, detect, score_accounts
from successkit.spark._score import METHODS, score
from successkit.spark._usage import usage_measures

__all__ = [
    "FINDING_COLUMNS",
    "METHODS",
    "SCORE_COLUMNS",
    "detect",
    "score",
    "score_accounts",
    "usage_measures",
]
