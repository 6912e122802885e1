"""Scores and findings out as tables: one row each, flat typed columns.

``pd.DataFrame([to_dict(s) for s in scores])`` gives the JSON envelope
(``schema_version``, ``type``, ``data``); these functions give what an analyst
wants instead: one row per score or finding, one typed column per fact, missing
values as nulls (never NaN), moments as UTC timestamps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, Final, Literal

from successkit._labels import label
from successkit.detection import Finding, PortfolioFindings
from successkit.errors import ValidationError
from successkit.frames._extras import require
from successkit.model import Account
from successkit.scoring import Score

__all__ = ["findings_to_frame", "scores_to_frame"]

Backend = Literal["pandas", "polars", "arrow"]
_BACKENDS: Final = ("pandas", "polars", "arrow")

# The type of each column: "str", "float", "bool", "int" or "time"; nulls allowed in each.
Columns = dict[str, tuple[str, list[Any]]]


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(timezone.utc)


def _half(score: Score, name: str) -> float | None:
    for group in score.groups:
        if group.name == name:
            return group.value if group.evidenced else None
    return None


def _score_columns(scores: list[Score], names: Mapping[str, str]) -> Columns:
    measures: dict[str, None] = {}
    for score in scores:
        measures.update(dict.fromkeys(c.measure for c in score.contributions))
    columns: Columns = {
        "account_id": ("str", [s.account_id for s in scores]),
        "name": ("str", [names.get(s.account_id or "") for s in scores]),
        "as_of": ("time", [_utc(s.as_of) for s in scores]),
        "scorer": ("str", [s.scorer for s in scores]),
        "version": ("str", [s.version for s in scores]),
        "value": ("float", [s.value for s in scores]),
        "band": ("str", [None if s.band is None else s.band.value for s in scores]),
        "outcomes": ("float", [_half(s, "outcomes") for s in scores]),
        "experience": ("float", [_half(s, "experience") for s in scores]),
        "quadrant": (
            "str",
            [None if s.quadrant is None else s.quadrant.quadrant.value for s in scores],
        ),
        "coverage": ("float", [s.coverage for s in scores]),
        "has_evidence": ("bool", [s.has_evidence for s in scores]),
        "evidence_gaps": ("str", ["; ".join(s.evidence_gaps) or None for s in scores]),
        "overridden": ("bool", [s.overridden for s in scores]),
        "computed_value": ("float", [s.computed_value for s in scores]),
    }
    for measure in measures:
        raw: list[float | None] = []
        points: list[float | None] = []
        for score in scores:
            found = next((c for c in score.contributions if c.measure == measure), None)
            raw.append(None if found is None or found.missing else found.raw)
            points.append(None if found is None else found.points)
        columns[f"{measure}_raw"] = ("float", raw)
        columns[f"{measure}_points"] = ("float", points)
    return columns


def _finding_columns(findings: list[Finding]) -> Columns:
    def first_goal(finding: Finding) -> str | None:
        return next((e.goal_id for e in finding.evidence if e.goal_id is not None), None)

    return {
        "account_id": ("str", [f.account_id for f in findings]),
        "as_of": ("time", [_utc(f.as_of) for f in findings]),
        "severity": ("str", [f.severity.value for f in findings]),
        "severity_rank": ("int", [f.severity.rank for f in findings]),
        "kind": ("str", [f.kind.value for f in findings]),
        "kind_label": ("str", [label(f.kind.value) for f in findings]),
        "rule": ("str", [f.rule or None for f in findings]),
        "message": ("str", [f.message for f in findings]),
        "next_step": ("str", [f.next_step for f in findings]),
        "goal_id": ("str", [first_goal(f) for f in findings]),
        "evidence": ("str", ["; ".join(e.label for e in f.evidence) or None for f in findings]),
    }


def _pandas(columns: Columns) -> Any:
    pd = require("pandas", "pandas")
    dtypes = {"str": "string", "float": "Float64", "bool": "boolean", "int": "Int64"}
    data: dict[str, Any] = {}
    for name, (kind, values) in columns.items():
        if kind == "time":
            data[name] = pd.array(values, dtype=pd.DatetimeTZDtype("us", "UTC"))
        else:
            data[name] = pd.array(values, dtype=dtypes[kind])
    return pd.DataFrame(data)


def _polars(columns: Columns) -> Any:
    pl = require("polars", "polars")
    dtypes = {
        "str": pl.String,
        "float": pl.Float64,
        "bool": pl.Boolean,
        "int": pl.Int64,
        "time": pl.Datetime("us", "UTC"),
    }
    return pl.DataFrame(
        [pl.Series(name, values, dtype=dtypes[kind]) for name, (kind, values) in columns.items()]
    )


def _arrow(columns: Columns) -> Any:
    pa = require("pyarrow", "arrow")
    types = {
        "str": pa.string(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "int": pa.int64(),
        "time": pa.timestamp("us", tz="UTC"),
    }
    return pa.table(
        {name: pa.array(values, type=types[kind]) for name, (kind, values) in columns.items()}
    )


def _build(columns: Columns, backend: str) -> Any:
    if backend not in _BACKENDS:
        raise ValidationError("backend", backend, f"one of {', '.join(_BACKENDS)}")
    return {"pandas": _pandas, "polars": _polars, "arrow": _arrow}[backend](columns)


def scores_to_frame(
    scores: Iterable[Score], *, backend: Backend = "pandas", accounts: Iterable[Account] = ()
) -> Any:
    """Scores as a table: one row per score, one typed column per fact.

    Columns: ``account_id``, ``name`` (when ``accounts`` are given), ``as_of``
    (UTC), ``scorer``, ``version``, ``value``, ``band`` (null without evidence),
    ``outcomes`` and ``experience`` (the halves of CS = CO + CX, null when not
    evidenced), ``quadrant``, ``coverage``, ``has_evidence``, ``evidence_gaps``,
    ``overridden``, ``computed_value``, then ``<measure>_raw`` and
    ``<measure>_points`` for every measure met, in order of first appearance.
    Missing values are nulls, never NaN.

    Args:
        scores: the scores (e.g. from :func:`~successkit.scoring.score_accounts`).
        backend: ``"pandas"``, ``"polars"`` or ``"arrow"`` (a ``pyarrow.Table``).
        accounts: the accounts scored, to fill the ``name`` column.

    Raises:
        ValidationError: an item is not a Score, or the backend is unknown.
        MissingExtraError: the backend's library is not installed.
    """
    items = list(scores)
    for index, item in enumerate(items):
        if not isinstance(item, Score):
            raise ValidationError(f"scores[{index}]", item, "a Score")
    names = {a.id: a.name for a in accounts if isinstance(a, Account) and a.name}
    return _build(_score_columns(items, names), backend)


def findings_to_frame(
    findings: Iterable[Finding] | PortfolioFindings, *, backend: Backend = "pandas"
) -> Any:
    """Findings as a table: one row per finding, most severe first as given.

    Columns: ``account_id``, ``as_of`` (UTC), ``severity``, ``severity_rank``
    (higher is more severe), ``kind``, ``kind_label`` (for people), ``rule``,
    ``message``, ``next_step``, ``goal_id`` (the first goal the evidence names)
    and ``evidence`` (the evidence labels, joined by ``"; "``).

    Args:
        findings: findings, or the :class:`~successkit.detection.PortfolioFindings`
            of :func:`~successkit.detection.detect_portfolio`.
        backend: ``"pandas"``, ``"polars"`` or ``"arrow"`` (a ``pyarrow.Table``).

    Raises:
        ValidationError: an item is not a Finding, or the backend is unknown.
        MissingExtraError: the backend's library is not installed.
    """
    items = list(findings.findings if isinstance(findings, PortfolioFindings) else findings)
    for index, item in enumerate(items):
        if not isinstance(item, Finding):
            raise ValidationError(f"findings[{index}]", item, "a Finding")
    return _build(_finding_columns(items), backend)
