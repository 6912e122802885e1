"""Text, HTML and tables for the evidence results: written for people, under 100 columns.

Numbers are formatted as a reader expects them: an AUC with two decimals and
its interval ("AUC 0.74 (95 % CI 0.71-0.77)"), rates as percentages with one
decimal, lifts as multiples ("2.5x"), counts with thousands separators. Text
that comes from data (scorer names, measure names) is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

import attrs

from successkit._display import band_chip
from successkit.errors import ValidationError
from successkit.evidence._inputs import require

if TYPE_CHECKING:
    from successkit.evidence._results import Backtest, Comparison, FitReport

__all__ = [
    "backtest_frame",
    "backtest_html",
    "backtest_text",
    "comparison_frame",
    "comparison_html",
    "comparison_text",
    "fit_frame",
    "fit_html",
    "fit_text",
]

_NO_BAND = "no band: insufficient evidence"
_BOX = (
    "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;"
    "line-height:1.45;border:1px solid #d9d9d9;border-radius:6px;padding:8px 12px;"
    "display:inline-block;max-width:760px"
)
_TABLE = "border-collapse:collapse;margin-top:6px;font-size:12px"
_CELL = "padding:2px 8px;border-bottom:1px solid #eeeeee;text-align:"


def percent(share: float | None) -> str:
    """``0.1234`` as ``"12.3 %"``; ``None`` as ``"-"``."""
    return "-" if share is None else f"{share * 100:.1f} %"


def _interval(low: float | None, high: float | None, confidence: float) -> str:
    if low is None or high is None:
        return "no interval"
    return f"{confidence * 100:g} % CI {low:.2f}-{high:.2f}"


def auc_phrase(result: Backtest) -> str:
    """``"AUC 0.74 (95 % CI 0.71-0.77)"``."""
    return f"AUC {result.auc:.2f} ({_interval(result.auc_low, result.auc_high, result.confidence)})"


def _direction(result: Backtest) -> str:
    return "bad outcome" if result.outcome_is_bad else "good outcome"


def _order_phrase(result: Backtest) -> str:
    expected = "red > amber > green" if result.outcome_is_bad else "red < amber < green"
    if result.bands_ordered is None:
        return f"order not checked: fewer than two bands hold observations ({expected})"
    return f"ordered: {'yes' if result.bands_ordered else 'NO'}, expected {expected}"


def _lift_phrase(result: Backtest) -> str:
    parts = [f"{result.outcome} {percent(result.outcome_rate)} overall"]
    parts.extend(
        f"{lift.segment} {lift.share * 100:g} %: {percent(lift.rate)} ({lift.lift:.2f}x)"
        for lift in result.lift
    )
    return " | ".join(parts)


def backtest_text(result: Backtest) -> str:
    """The backtest in a dozen lines."""
    lines = [
        (
            f"Backtest of {result.scorer} against {result.outcome!r} ({_direction(result)}; "
            "higher score = healthier)"
        ),
        f"Judged: {result.split}",
        (
            f"  {result.observations:,} observations of {result.accounts:,} accounts, "
            f"{result.unscored:,} without a score"
        ),
        f"{auc_phrase(result)}, {result.resamples:,} resamples of accounts",
        _lift_phrase(result),
    ]
    if result.bands:
        lines.append(f"Bands ({_order_phrase(result)}):")
        shown = [b for b in result.bands if b.band is not None or b.observations]
        width = max(len(b.band or _NO_BAND) for b in shown) if shown else 0
        for band in shown:
            name = band.band if band.band is not None else _NO_BAND
            lines.append(
                f"  {name:<{width}} {band.observations:>9,} observations "
                f"{percent(band.rate):>8} {result.outcome}"
            )
    lines.append(f"{result.outcome} by score decile, least healthy first:")
    lines.append("  " + "  ".join(percent(d.rate) for d in result.deciles))
    if result.folds:
        aucs = ", ".join(f"{f.auc:.2f}" for f in result.folds)
        lines.append(f"AUC per fold: {aucs}")
    return "\n".join(lines)


def _cells(values: Iterable[tuple[str, bool]]) -> str:
    return "".join(
        f'<td style="{_CELL}{"right" if numeric else "left"}">{html}</td>'
        for html, numeric in values
    )


def _table(names: Sequence[str], numeric: Sequence[bool], rows: Iterable[str]) -> str:
    head = "".join(
        f'<th style="{_CELL}{"right" if right else "left"}">{escape(name)}</th>'
        for name, right in zip(names, numeric, strict=True)
    )
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def backtest_html(result: Backtest) -> str:
    """A compact notebook card: AUC, lift, bands and deciles."""
    head = (
        f"<div><strong>{escape(result.scorer)}</strong> against "
        f"<code>{escape(result.outcome)}</code> ({_direction(result)}): "
        f'<span style="font-size:1.25em;font-weight:700">{escape(auc_phrase(result))}</span>'
        "</div>"
    )
    facts = (
        f"<div>{escape(result.split)}; {result.observations:,} observations of "
        f"{result.accounts:,} accounts, {result.unscored:,} without a score</div>"
        f"<div>{escape(_lift_phrase(result))}</div>"
    )
    parts = [head, facts]
    if result.bands:
        rows = []
        for band in result.bands:
            if band.band is None and not band.observations:
                continue
            label = band_chip(band.band) if band.band is not None else escape(_NO_BAND)
            rows.append(
                _cells(
                    (
                        (label, False),
                        (f"{band.observations:,}", True),
                        (f"{band.outcomes:,}", True),
                        (escape(percent(band.rate)), True),
                    )
                )
            )
        parts.append(f"<div>Bands ({escape(_order_phrase(result))})</div>")
        parts.append(
            _table(
                ("band", "observations", result.outcome, "rate"), (False, True, True, True), rows
            )
        )
    decile_rows = [
        _cells(
            (
                (str(d.decile), True),
                (f"{d.observations:,}", True),
                (f"{d.mean_score:.1f}", True),
                (escape(percent(d.rate)), True),
            )
        )
        for d in result.deciles
    ]
    parts.append(_table(("decile", "observations", "mean score", "rate"), (True,) * 4, decile_rows))
    return f'<div class="sk-backtest" style="{_BOX}">{"".join(parts)}</div>'


def _frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> Any:
    pd = require("pandas")
    return pd.DataFrame(rows, columns=list(columns))


def _summary_row(result: Backtest) -> dict[str, Any]:
    row: dict[str, Any] = {
        "scorer": result.scorer,
        "outcome": result.outcome,
        "outcome_is_bad": result.outcome_is_bad,
        "split": result.split,
        "observations": result.observations,
        "accounts": result.accounts,
        "unscored": result.unscored,
        "outcome_rate": result.outcome_rate,
        "auc": result.auc,
        "auc_low": result.auc_low,
        "auc_high": result.auc_high,
        "confidence": result.confidence,
        "resamples": result.resamples,
    }
    for lift in result.lift:
        key = lift.segment.replace(" ", "_")
        row[f"rate_{key}"] = lift.rate
        row[f"lift_{key}"] = lift.lift
    row["bands_ordered"] = result.bands_ordered
    return row


_TABLES = ("summary", "bands", "lift", "deciles", "folds", "roc")


def backtest_frame(result: Backtest, table: str) -> Any:
    """One of the backtest's tables (see :meth:`Backtest.to_frame`)."""
    from successkit.evidence._results import (  # noqa: PLC0415 - the classes, for their fields
        BandOutcome,
        Decile,
        Fold,
        Lift,
    )

    if table == "summary":
        row = _summary_row(result)
        return _frame([row], list(row))
    if table == "bands":
        rows = [
            {**attrs.asdict(b), "band": b.band or "no band", "rate": b.rate} for b in result.bands
        ]
        return _frame(rows, [*(f.name for f in attrs.fields(BandOutcome)), "rate"])
    if table == "roc":
        return _frame(
            [{"healthy_flagged": x, "unhealthy_flagged": y} for x, y in result.roc],
            ("healthy_flagged", "unhealthy_flagged"),
        )
    kinds: dict[str, tuple[Any, tuple[Any, ...]]] = {
        "lift": (Lift, result.lift),
        "deciles": (Decile, result.deciles),
        "folds": (Fold, result.folds),
    }
    if table not in kinds:
        raise ValidationError("table", table, f"one of {', '.join(_TABLES)}")
    cls, items = kinds[table]
    return _frame([attrs.asdict(i) for i in items], [f.name for f in attrs.fields(cls)])


# -- comparisons --------------------------------------------------------------------------------


def _signed(value: float) -> str:
    return f"{value:+.3f}"


def comparison_text(result: Comparison) -> str:
    """One line per scorer, then each AUC difference to the baseline."""
    first = result.backtests[0]
    lines = [
        f"Comparison against {first.outcome!r} ({_direction(first)}): {first.split}",
        f"  {first.observations:,} observations of {first.accounts:,} accounts",
        f"  {'scorer':<28} {'AUC':>5}  {'CI':>11}  {'least healthy':>13}  bands ordered",
    ]
    for item in result.backtests:
        ci = (
            f"{item.auc_low:.2f}-{item.auc_high:.2f}"
            if item.auc_low is not None and item.auc_high is not None
            else "-"
        )
        ordered = {True: "yes", False: "NO", None: "-"}[item.bands_ordered]
        least = f"{item.lift[0].lift:.2f}x" if item.lift else "-"
        lines.append(f"  {item.scorer[:28]:<28} {item.auc:>5.2f}  {ci:>11}  {least:>13}  {ordered}")
    for diff in result.differences:
        ci = (
            f" ({first.confidence * 100:g} % CI {_signed(diff.low)} to {_signed(diff.high)})"
            if diff.low is not None and diff.high is not None
            else ""
        )
        lines.append(f"AUC of {diff.scorer} minus {diff.baseline}: {_signed(diff.difference)}{ci}")
    return "\n".join(lines)


def comparison_html(result: Comparison) -> str:
    """A table of the scorers and their AUC differences to the baseline."""
    differences = {d.scorer: d for d in result.differences}
    rows = []
    for item in result.backtests:
        diff = differences.get(item.scorer)
        change = "baseline" if diff is None else _signed(diff.difference)
        rows.append(
            _cells(
                (
                    (escape(item.scorer), False),
                    (escape(auc_phrase(item)), True),
                    (escape(change), True),
                    (escape({True: "yes", False: "no", None: "-"}[item.bands_ordered]), False),
                )
            )
        )
    table = _table(
        ("scorer", "AUC", "difference", "bands ordered"), (False, True, True, False), rows
    )
    first = result.backtests[0]
    head = (
        f"<div>Against <code>{escape(first.outcome)}</code>: {first.observations:,} "
        f"observations of {first.accounts:,} accounts</div>"
    )
    return f'<div class="sk-comparison" style="{_BOX}">{head}{table}</div>'


def comparison_frame(result: Comparison) -> Any:
    """One summary row per scorer, with its AUC difference to the baseline."""
    differences = {d.scorer: d for d in result.differences}
    rows = []
    for item in result.backtests:
        row = _summary_row(item)
        diff = differences.get(item.scorer)
        row["auc_difference"] = None if diff is None else diff.difference
        row["auc_difference_low"] = None if diff is None else diff.low
        row["auc_difference_high"] = None if diff is None else diff.high
        rows.append(row)
    return _frame(rows, list(rows[0]))


# -- fits ---------------------------------------------------------------------------------------


def _normalisation_text(kind: str | None, low: float | None, high: float | None) -> str:
    if kind is None or low is None or high is None:
        return "-"
    return f"{kind} {low:g}-{high:g}"


def fit_text(report: FitReport) -> str:
    """The fit's provenance, AUCs and one line per measure."""
    accounts = f" of {report.accounts:,} accounts" if report.accounts is not None else ""
    kind = "bad" if report.outcome_is_bad else "good"
    lines = [
        f"Fitted {report.scorecard} on {report.observations:,} observations{accounts}",
        f"Outcome {report.outcome!r} ({kind}): happened {report.outcomes:,} times",
    ]
    auc = f"AUC {report.train_auc:.2f} on the training data"
    if report.cv_auc is not None:
        low, high = min(report.cv_aucs), max(report.cv_aucs)
        auc += (
            f", {report.cv_auc:.2f} cross-validated ({len(report.cv_aucs)} folds of accounts: "
            f"{low:.2f}-{high:.2f})"
        )
    lines.append(auc)
    lines.append(f"  {'measure':<26} {'normalisation':<20} {'better':<7} {'coef':>7} {'weight':>8}")
    for m in report.measures:
        if m.dropped is not None:
            continue
        better = "higher" if m.higher_is_better else "lower"
        coefficient = "-" if m.coefficient is None else f"{m.coefficient:.3g}"
        lines.append(
            f"  {m.measure[:26]:<26} {_normalisation_text(m.kind, m.low, m.high)[:20]:<20} "
            f"{better:<7} {coefficient:>7} {percent(m.weight):>8}"
        )
    lines.extend(f"Dropped {name}: {reason}" for name, reason in report.dropped)
    return "\n".join(lines)


def fit_html(report: FitReport) -> str:
    """The fit report as a notebook card."""
    lines = fit_text(report).splitlines()
    head = "".join(f"<div>{escape(line)}</div>" for line in lines[:3])
    rows = []
    for m in report.measures:
        better = (
            "-" if m.higher_is_better is None else ("higher" if m.higher_is_better else "lower")
        )
        rows.append(
            _cells(
                (
                    (escape(m.measure), False),
                    (escape(_normalisation_text(m.kind, m.low, m.high)), False),
                    (better, False),
                    ("-" if m.coefficient is None else f"{m.coefficient:.3g}", True),
                    (escape(percent(m.weight)), True),
                    (escape(m.dropped or ""), False),
                )
            )
        )
    table = _table(
        ("measure", "normalisation", "better", "coefficient", "weight", "dropped"),
        (False, False, False, True, True, False),
        rows,
    )
    return f'<div class="sk-fit" style="{_BOX}">{head}{table}</div>'


def fit_frame(report: FitReport) -> Any:
    """One row per candidate measure."""
    from successkit.evidence._results import MeasureFit  # noqa: PLC0415 - its fields

    return _frame(
        [attrs.asdict(m) for m in report.measures], [f.name for f in attrs.fields(MeasureFit)]
    )
