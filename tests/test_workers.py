"""score_accounts and detect_portfolio with worker processes give what one process gives."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from successkit import Account, DetectionError, ValidationError
from successkit.detection import (
    Evidence,
    Figure,
    Finding,
    FindingKind,
    Severity,
    default_rules,
    detect_portfolio,
)
from successkit.detection._built import from_plain, to_plain
from successkit.model import Party
from successkit.samples import DEMO_AS_OF, Archetype, sample_account, sample_portfolio
from successkit.scoring import HealthScorer, score_accounts

PORTFOLIO = sample_portfolio(45, seed=3)


@attrs.frozen
class NoteEveryAccount:
    """A third-party rule: one info finding on every account (picklable: top level)."""

    name: ClassVar[str] = "note_every_account"

    def __call__(self, account: Account, *, as_of: datetime) -> Iterable[Finding]:
        return (
            Finding(
                kind=FindingKind.SILENT_ACCOUNT,
                severity=Severity.INFO,
                account_id=account.id,
                as_of=as_of,
                message=f"Looked at {account.id}.",
                next_step="Nothing.",
                rule=self.name,
            ),
        )


@attrs.frozen
class WrongAccountRule:
    """A broken third-party rule: its findings name another account."""

    name: ClassVar[str] = "wrong_account"

    def __call__(self, account: Account, *, as_of: datetime) -> Iterable[Finding]:
        return (
            Finding(
                kind=FindingKind.SILENT_ACCOUNT,
                severity=Severity.INFO,
                account_id="someone-else",
                as_of=as_of,
                message="Wrong.",
                next_step="Nothing.",
                rule=self.name,
            ),
        )


def test_scores_with_workers_equal_the_scores_of_one_process() -> None:
    alone = score_accounts(PORTFOLIO, as_of=DEMO_AS_OF)
    shared = score_accounts(PORTFOLIO, as_of=DEMO_AS_OF, workers=2)
    assert shared == alone
    assert [s.account_id for s in shared] == [a.id for a in PORTFOLIO]


@pytest.mark.parametrize(("group", "diagnostics"), [(True, False), (False, True)])
def test_findings_with_workers_equal_the_findings_of_one_process(
    group: bool, diagnostics: bool
) -> None:
    alone = detect_portfolio(PORTFOLIO, as_of=DEMO_AS_OF, group=group, diagnostics=diagnostics)
    shared = detect_portfolio(
        iter(PORTFOLIO), as_of=DEMO_AS_OF, group=group, diagnostics=diagnostics, workers=3
    )
    assert shared == alone
    assert shared.accounts == len(PORTFOLIO)
    assert all(type(f) is Finding for f in shared.findings)


def test_third_party_rules_run_in_the_workers() -> None:
    rules = [*default_rules()[:3], NoteEveryAccount(), "silent_account"]
    alone = detect_portfolio(PORTFOLIO, as_of=DEMO_AS_OF, rules=rules)
    shared = detect_portfolio(PORTFOLIO, as_of=DEMO_AS_OF, rules=rules, workers=2)
    assert shared == alone
    assert shared.count(FindingKind.SILENT_ACCOUNT) >= len(PORTFOLIO)


def test_progress_is_reported_as_chunks_finish() -> None:
    calls: list[tuple[int, int | None]] = []
    score_accounts(
        PORTFOLIO, as_of=DEMO_AS_OF, workers=2, progress=lambda d, t: calls.append((d, t))
    )
    assert len(calls) > 1
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert calls[-1] == (len(PORTFOLIO), len(PORTFOLIO))
    assert {t for _, t in calls} == {len(PORTFOLIO)}
    found: list[tuple[int, int | None]] = []
    detect_portfolio(
        PORTFOLIO, as_of=DEMO_AS_OF, workers=2, progress=lambda d, t: found.append((d, t))
    )
    assert found[-1] == (len(PORTFOLIO), len(PORTFOLIO))


@pytest.mark.parametrize("workers", [0, -1, 1.5, True, "2"])
def test_a_worker_count_that_is_not_a_whole_number_from_one_is_refused(workers: object) -> None:
    with pytest.raises(ValidationError, match="workers"):
        score_accounts(PORTFOLIO, as_of=DEMO_AS_OF, workers=workers)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="workers"):
        detect_portfolio(PORTFOLIO, as_of=DEMO_AS_OF, workers=workers)  # type: ignore[arg-type]


def test_one_worker_and_none_run_in_this_process() -> None:
    assert score_accounts(PORTFOLIO, as_of=DEMO_AS_OF, workers=1) == score_accounts(
        PORTFOLIO, as_of=DEMO_AS_OF
    )


def test_a_scorer_that_cannot_reach_a_worker_is_refused_by_name() -> None:
    base = HealthScorer()

    class LocalScorer:  # defined in a function: cannot be pickled
        name = "local"
        version = "1"

        def __call__(self, account: Account, *, as_of: datetime) -> object:
            return base(account, as_of=as_of)

    with pytest.raises(ValidationError, match="scorer") as caught:
        score_accounts(PORTFOLIO, as_of=DEMO_AS_OF, scorer=LocalScorer(), workers=2)
    assert "worker processes" in str(caught.value)
    # In one process it scores as ever.
    assert len(score_accounts(PORTFOLIO, as_of=DEMO_AS_OF, scorer=LocalScorer())) == 45


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(DetectionError, match="someone-else"):
        detect_portfolio(PORTFOLIO, as_of=DEMO_AS_OF, rules=[WrongAccountRule()], workers=2)


def test_an_item_that_is_not_an_account_is_named_by_position() -> None:
    items = [*PORTFOLIO.accounts[:5], "acc-x"]
    with pytest.raises(ValidationError, match=r"accounts\[5\]"):
        detect_portfolio(items, as_of=DEMO_AS_OF, workers=2)  # type: ignore[list-item]


def test_an_empty_portfolio_with_workers() -> None:
    assert score_accounts([], as_of=DEMO_AS_OF, workers=2) == []
    assert detect_portfolio([], as_of=DEMO_AS_OF, workers=2).accounts == 0


_TEXT = st.text(min_size=1, max_size=12).filter(str.strip)
_MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2040, 1, 1),
    timezones=st.just(DEMO_AS_OF.tzinfo),
)
_FIGURES = st.builds(
    Figure,
    name=_TEXT,
    value=st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**6), 10**6),
    unit=st.text(max_size=5),
)
_EVIDENCE = st.builds(
    Evidence,
    label=_TEXT,
    goal_id=st.none() | _TEXT,
    milestone_ids=st.lists(_TEXT, max_size=3),
    interaction_moments=st.lists(_MOMENTS, max_size=3),
    expectation_events=st.lists(_TEXT, max_size=2),
    survey_moments=st.lists(_MOMENTS, max_size=2),
    party=st.none() | st.sampled_from(Party),
    at=st.none() | _MOMENTS,
    figures=st.lists(_FIGURES, max_size=3),
)
_FINDINGS = st.builds(
    Finding,
    kind=st.sampled_from(FindingKind),
    severity=st.sampled_from(Severity),
    account_id=_TEXT,
    as_of=_MOMENTS,
    message=_TEXT,
    next_step=_TEXT,
    evidence=st.lists(_EVIDENCE, max_size=3),
    rule=st.text(max_size=10),
)


@settings(max_examples=60)
@given(_FINDINGS)
def test_a_finding_crosses_the_process_boundary_unchanged(finding: Finding) -> None:
    back = from_plain(to_plain(finding))
    assert back == finding
    assert type(back) is Finding
    assert hash(back) == hash(finding)


def test_sample_findings_cross_the_process_boundary_unchanged() -> None:
    account = sample_account(Archetype.SUCCESS_GAP, account_id="acc-1")
    found = detect_portfolio([account], as_of=DEMO_AS_OF, diagnostics=True, group=False)
    assert found.findings
    for finding in found.findings:
        assert from_plain(to_plain(finding)) == finding


def test_where_the_workers_cannot_fork_the_chunks_are_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    from successkit import _workers

    monkeypatch.setattr(_workers, "_can_fork", lambda: False)
    some = PORTFOLIO.accounts[:12]
    assert detect_portfolio(some, as_of=DEMO_AS_OF, workers=2) == detect_portfolio(
        some, as_of=DEMO_AS_OF
    )
    assert score_accounts(some, as_of=DEMO_AS_OF, workers=2) == score_accounts(
        some, as_of=DEMO_AS_OF
    )


def test_a_batch_leaves_the_collector_as_it_found_it() -> None:
    import gc

    from successkit._collector import collector_paused

    assert gc.isenabled()
    detect_portfolio(PORTFOLIO.accounts[:3], as_of=DEMO_AS_OF)
    assert gc.isenabled()
    with pytest.raises(DetectionError):
        detect_portfolio(PORTFOLIO.accounts[:3], as_of=DEMO_AS_OF, rules=[WrongAccountRule()])
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        score_accounts(PORTFOLIO.accounts[:3], as_of=DEMO_AS_OF)
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()


@pytest.mark.parametrize("collecting", [True, False])
def test_reading_and_writing_leave_the_collector_as_they_found_it(tmp_path, collecting) -> None:
    import gc

    from successkit._csv_export import write_csv_folder
    from successkit.loaders import load_accounts
    from successkit.model import Portfolio
    from successkit.serialization import from_dict, to_dict, to_json

    account = PORTFOLIO.accounts[0]
    (tmp_path / "one.json").write_text(to_json(account), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"schema_version": 1, "type": "Account"}')
    write_csv_folder(Portfolio(accounts=(account,)), tmp_path / "csv")
    was = gc.isenabled()
    try:
        if not collecting:
            gc.disable()
        steps = [
            lambda: from_dict(to_dict(account, compact=True), Account),
            lambda: load_accounts(tmp_path / "one.json"),
            lambda: load_accounts(tmp_path / "csv"),
        ]
        for step in steps:
            step()
            assert gc.isenabled() is collecting
        for failing in (
            lambda: from_dict({"schema_version": 1}, Account),
            lambda: load_accounts(tmp_path / "bad.json"),
        ):
            with pytest.raises(ValidationError):
                failing()
            assert gc.isenabled() is collecting
    finally:
        if was:
            gc.enable()
