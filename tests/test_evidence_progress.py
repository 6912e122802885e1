"""The evidence tools report progress step by step, and refuse a callback that is not one."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

from evidence_data import MEASURES, equal_weight_card, observations
from successkit.evidence import (
    ScorecardClassifier,
    backtest,
    compare,
    fit_scorecard,
    usage_measures,
)


def _recorder() -> tuple[list[tuple[int, int | None]], object]:
    calls: list[tuple[int, int | None]] = []
    return calls, lambda done, total: calls.append((done, total))


def _counts_up_to_the_end(calls: list[tuple[int, int | None]], total: int) -> bool:
    return calls == [(done, total) for done in range(1, total + 1)]


def test_usage_measures_report_the_log_each_event_type_and_the_table() -> None:
    at = datetime(2026, 1, 10, tzinfo=timezone.utc)
    events = pd.DataFrame(
        {
            "account_id": ["a", "a", "b"],
            "at": [at, at, at],
            "event": ["login", "report", "login"],
        }
    )
    asked = pd.DataFrame(
        {"account_id": ["a", "b"], "as_of": [datetime(2026, 2, 1, tzinfo=timezone.utc)] * 2}
    )
    calls, progress = _recorder()
    usage_measures(events, asked, progress=progress)
    assert _counts_up_to_the_end(calls, 4)  # read, login, report, assembled


def test_backtest_and_compare_report_each_scorer_and_the_intervals() -> None:
    frame = observations(accounts=120, months=6)
    calls, progress = _recorder()
    backtest(equal_weight_card(), frame, bootstrap=20, progress=progress)
    assert _counts_up_to_the_end(calls, 2)
    calls, progress = _recorder()
    compare([equal_weight_card(), "events_30d"], frame, bootstrap=20, progress=progress)
    assert _counts_up_to_the_end(calls, 3)


def test_a_scorecard_fitted_fold_by_fold_reports_each_fold() -> None:
    frame = observations(accounts=120, months=6)
    calls, progress = _recorder()
    backtest(ScorecardClassifier(measures=MEASURES), frame, cv=3, bootstrap=0, progress=progress)
    assert _counts_up_to_the_end(calls, 4)  # three folds, then the tables
    calls, progress = _recorder()
    fit_scorecard(frame, MEASURES, cv=3, progress=progress)
    assert _counts_up_to_the_end(calls, 4)  # the fit, then three folds


def test_a_progress_that_is_not_callable_is_refused_before_any_work() -> None:
    frame = observations(accounts=40, months=3)
    calls = {
        "usage": lambda: usage_measures(pd.DataFrame(), frame, progress=3),
        "backtest": lambda: backtest(equal_weight_card(), frame, progress="yes"),
        "fit": lambda: fit_scorecard(frame, MEASURES, progress=1.5),
    }
    for call in calls.values():
        with pytest.raises(TypeError, match="progress must be a callable"):
            call()
