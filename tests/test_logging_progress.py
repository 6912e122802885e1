"""The successkit logger records fallbacks; long operations report progress."""

from __future__ import annotations

import io
import logging

import pytest

from successkit import HealthScorer, cli
from successkit._progress import report_progress, tqdm_progress
from successkit.detection import detect_portfolio
from successkit.samples import DEMO_AS_OF, new_customer, sample_portfolio
from successkit.scoring import SegmentedScorer, score_accounts


def test_the_logger_is_silent_unless_configured() -> None:
    logger = logging.getLogger("successkit")
    assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)


def test_progress_is_reported_after_each_account() -> None:
    portfolio = sample_portfolio(5, as_of=DEMO_AS_OF)
    calls: list[tuple[int, int | None]] = []
    score_accounts(portfolio.accounts, as_of=DEMO_AS_OF, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    found: list[tuple[int, int | None]] = []
    detect_portfolio(
        iter(portfolio.accounts), as_of=DEMO_AS_OF, progress=lambda d, t: found.append((d, t))
    )
    assert found == [(1, None), (2, None), (3, None), (4, None), (5, None)]


def test_a_progress_that_is_not_callable_is_refused() -> None:
    with pytest.raises(TypeError, match="progress"):
        list(report_progress([1], progress=3))


def test_a_tqdm_like_bar_follows() -> None:
    class Bar:
        total = None
        n = 0

        def update(self, step: int) -> None:
            self.n += step

    bar = Bar()
    score_accounts(sample_portfolio(3).accounts, as_of=DEMO_AS_OF, progress=tqdm_progress(bar))
    assert (bar.n, bar.total) == (3, 3)


def test_fallbacks_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    scorer = SegmentedScorer(scorers={"enterprise": HealthScorer()}, default=HealthScorer())
    with caplog.at_level(logging.DEBUG, logger="successkit"):
        score_accounts([new_customer(as_of=DEMO_AS_OF)], as_of=DEMO_AS_OF, scorer=scorer)
    messages = [record.getMessage() for record in caplog.records]
    assert any("no scorer of its own" in m for m in messages)
    assert any("has no band" in m for m in messages)


def test_the_cli_draws_progress_once_a_run_takes_a_second(monkeypatch, tmp_path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    accounts = tmp_path / "p.jsonl"
    assert cli.main(["sample", "--size", "3", "-o", str(accounts)]) == 0
    monkeypatch.setattr(cli, "PROGRESS_AFTER", 0.0)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert (
        cli.main(["score", str(accounts), "--as-of", "2026-11-24", "-o", str(tmp_path / "s")]) == 0
    )
    assert terminal.getvalue().rstrip().endswith("3/3")
