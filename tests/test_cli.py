"""The command line: ``successkit demo``, usage errors, refused input, ``python -m``."""

from __future__ import annotations

import runpy
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

import successkit
from successkit import Condition, Goal, Objective, TimeFrame, ValidationError
from successkit import samples as samples_module
from successkit._cli_demo import _goal_line
from successkit.cli import build_parser, main
from successkit.samples import DEMO_AS_OF, Archetype, portfolio_archetypes, sample_portfolio

UTC = timezone.utc
AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
KIND_NAMES = {kind: kind.value.replace("_", " ") for kind in Archetype}


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def account_blocks(lines: list[str], *, newcomer: bool = False) -> dict[str, list[str]]:
    """Map each shown account id to the lines under its heading.

    The demo's closing newcomer (``acc-new``, not in the portfolio) only with ``newcomer``.
    """
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        if line.startswith("acc-new") and not newcomer:
            current = None
        elif line.startswith("acc-"):
            current = blocks.setdefault(line.split()[0], [line])
        elif current is not None and line.startswith("  "):
            current.append(line)
    return blocks


def test_demo_shows_the_first_account_of_each_archetype_and_fits_one_screen(capsys):
    code, lines, err = run(capsys, "demo")
    assert code == 0
    assert err == ""
    assert len(lines) <= 50  # one screen
    assert all(len(line) <= 80 for line in lines)
    assert "as of 2026-11-24 12:00 UTC" in lines[0]
    kinds = portfolio_archetypes(200)
    expected = [f"acc-{kinds.index(kind) + 1:05d}" for kind in Archetype]
    blocks = account_blocks(lines)
    assert list(blocks) == expected
    newcomer = account_blocks(lines, newcomer=True)["acc-new"]
    for account_id, kind in zip(expected, Archetype, strict=True):
        heading = blocks[account_id][0]
        assert heading.endswith(f", {KIND_NAMES[kind]})")
    # A customer signed a fortnight ago has no band, and the demo says what it lacks.
    assert "  health: no band  CO ? + CX ?  insufficient evidence" in newcomer
    assert any("no outcomes evidence; no experience evidence" in line for line in newcomer)


def goal_lines(block: list[str]) -> list[str]:
    return [line for line in block if line.startswith("  - ")]


def expected_verdict(status) -> str:
    if status.achieved:
        return "achieved"
    if status.objective_met is None:
        verdict = "no value recorded"
    elif status.objective_met:
        verdict = f"met, conditions {status.conditions_state.value}"
    else:
        verdict = "not met"
    return verdict + (", overdue" if status.overdue else "")


def test_demo_reports_each_goal_as_the_model_evaluates_it(capsys):
    _, lines, _ = run(capsys, "demo", "--size", "60", "--seed", "2", "--show", "10")
    portfolio = sample_portfolio(60, seed=2)
    for account_id, block in account_blocks(lines).items():
        account = portfolio.get(account_id)
        assert account.name in block[0]
        assert f"({account.segment}, " in block[0]
        statuses = account.goal_statuses(DEMO_AS_OF)
        shown = goal_lines(block)
        assert len(shown) == len(statuses)
        for line, goal, status in zip(shown, account.goals, statuses, strict=True):
            assert goal.title[:20] in line
            assert f" {expected_verdict(status)} " in line
            assert line.endswith(f"{status.progress:.0%} done, {status.elapsed:.0%} of time")


def test_demo_health_is_the_health_scorers(capsys):
    from successkit.scoring import HealthScorer

    _, lines, _ = run(capsys, "demo")
    portfolio = sample_portfolio(200)
    scorer = HealthScorer()
    for account_id, block in account_blocks(lines).items():
        score = scorer(portfolio.get(account_id), as_of=DEMO_AS_OF)
        health = next(line for line in block if line.startswith("  health"))
        assert f"health {score.value:4.1f}/20 {score.band.value}" in health
        assert f"CO {score.group('outcomes').value:.1f}" in health
        assert f"CX {score.group('experience').value:.1f}" in health
        assert score.quadrant.quadrant.value.replace("_", " ") in health
        top = next(line for line in block if line.startswith("  top:"))
        best = score.top_contributions(1)[0]
        assert f"{best.measure} {best.points:.1f}" in top


def test_demo_counts_the_portfolio_by_band_and_quadrant(capsys):
    from collections import Counter

    from successkit.scoring import HealthScorer

    _, lines, _ = run(capsys, "demo", "--size", "50", "--seed", "5")
    scores = [HealthScorer()(a, as_of=DEMO_AS_OF) for a in sample_portfolio(50, seed=5)]
    bands = Counter(s.band.value for s in scores)
    quadrants = Counter(s.quadrant.quadrant.value.replace("_", " ") for s in scores)
    start = next(i for i, line in enumerate(lines) if line.startswith("Portfolio of 50: "))
    summary = lines[start : start + 2]
    for band, count in bands.items():
        assert f"{band} {count}" in summary[0]
    for quadrant, count in quadrants.items():
        assert f"{quadrant} {count}" in summary[1]


def test_show_takes_accounts_in_turn_from_each_archetype(capsys):
    code, lines, _ = run(capsys, "demo", "--size", "30", "--seed", "4", "--show", "7")
    assert code == 0
    kinds = portfolio_archetypes(30, seed=4)
    firsts = [[i for i, k in enumerate(kinds) if k is kind] for kind in Archetype]
    expected = [f"acc-{positions[turn] + 1:05d}" for turn in (0, 1) for positions in firsts][:7]
    assert list(account_blocks(lines)) == expected


def test_show_more_accounts_than_the_portfolio_holds_shows_them_all(capsys):
    code, lines, _ = run(capsys, "demo", "--size", "3", "--show", "10")
    assert code == 0
    assert sorted(account_blocks(lines)) == ["acc-00001", "acc-00002", "acc-00003"]


def test_an_empty_portfolio_says_so(capsys):
    code, lines, _ = run(capsys, "demo", "--size", "0")
    assert code == 0
    assert lines[-1] == "No accounts to show."
    assert account_blocks(lines) == {}


def test_seed_changes_the_portfolio_shown(capsys):
    _, first, _ = run(capsys, "demo", "--seed", "1")
    _, second, _ = run(capsys, "demo", "--seed", "2")
    assert "(seed 1)" in first[0]
    assert first[1:] != second[1:]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nope"],
        ["demo", "--size", "-1"],
        ["demo", "--size", "many"],
        ["demo", "--show", "0"],
        ["demo", "--seed", "1.5"],
        ["demo", "--colour"],
    ],
)
def test_usage_errors_exit_with_2(capsys, argv):
    code, lines, err = run(capsys, *argv)
    assert code == 2
    assert lines == []
    assert "usage: successkit" in err


def test_help_and_version_exit_with_0(capsys):
    code, lines, _ = run(capsys, "--help")
    assert code == 0
    assert any("demo" in line for line in lines)
    code, lines, _ = run(capsys, "--version")
    assert code == 0
    assert lines == [f"successkit {successkit.__version__}"]
    assert main(["demo", "--help"]) == 0
    assert "--show K" in capsys.readouterr().out


def test_refused_input_prints_the_message_and_exits_with_1(capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValidationError("size", 5, "a portfolio this machine can hold")

    monkeypatch.setattr(samples_module, "sample_portfolio", refuse)
    code, lines, err = run(capsys, "demo", "--size", "5")
    assert code == 1
    assert lines == []
    assert err == "error: size: got 5, expected a portfolio this machine can hold\n"


def test_every_command_is_registered():
    parser = build_parser()
    assert parser.parse_args(["demo"]).command == "demo"
    assert callable(parser.parse_args(["demo"]).run)


def test_goal_without_recorded_value_reads_unknown():
    goal = Goal(
        id="g",
        objective=Objective(metric="active_users", target=100),
        timeframe=TimeFrame(start=AS_OF - timedelta(days=30), deadline=AS_OF + timedelta(days=30)),
    )
    line = _goal_line(goal, goal.evaluate({}, as_of=AS_OF))
    assert "raise active_users to 100" in line  # the title is the objective in words
    assert " no value recorded " in line
    assert line.endswith("?% done, 50% of time")


def test_met_objective_with_unmet_condition_and_long_title():
    goal = Goal(
        id="g",
        name="A goal with a rather long title indeed",
        objective=Objective(metric="leads", target=100, baseline=0),
        conditions=[Condition(metric="quality", comparison=">=", threshold=5)],
        timeframe=TimeFrame(start=AS_OF - timedelta(days=30), deadline=AS_OF - timedelta(days=1)),
    )
    line = _goal_line(goal, goal.evaluate({"leads": 120, "quality": 2}, as_of=AS_OF))
    assert "A goal with a rather lo..." in line
    assert " met, conditions unmet, overdue " in line
    assert line.endswith("100% done, 100% of time")


def test_python_dash_m_runs_the_demo():
    result = subprocess.run(
        [sys.executable, "-m", "successkit", "demo", "--size", "20"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("successkit demo: 20 sample accounts")
    assert result.stderr == ""


def test_dunder_main_exits_with_mains_code(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["successkit", "demo", "--size", "5", "--show", "1"])
    with pytest.raises(SystemExit) as stop:
        runpy.run_module("successkit", run_name="__main__")
    assert stop.value.code == 0
    assert len(account_blocks(capsys.readouterr().out.splitlines())) == 1


def test_importing_successkit_loads_neither_samples_nor_the_cli():
    probe = (
        "import sys, successkit; "
        "print(sorted(m for m in ('successkit.samples', 'successkit.cli') if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed snippet
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_demo_lists_each_accounts_findings_by_severity(capsys):
    from successkit.detection import detect

    _, lines, _ = run(capsys, "demo")
    portfolio = sample_portfolio(200)
    for account_id, block in account_blocks(lines).items():
        found = detect(portfolio.get(account_id), as_of=DEMO_AS_OF)
        findings = [f for f in found if not f.kind.is_opportunity]
        top_line = next(i for i, text in enumerate(block) if text.startswith("  top:"))
        line = block[top_line + 1]
        if not findings:
            # Good news is kept apart from problems.
            assert line.startswith("  findings: none")
            assert ("opportunities:" in line) == (len(found) > 0)
            continue
        first = findings[0]
        assert line.startswith(f"  {first.severity.value}: {first.kind.value.replace('_', ' ')}")
        assert len(line) <= 80


def test_demo_summarises_the_portfolios_findings(capsys):
    from successkit.detection import Severity, detect_portfolio

    _, lines, _ = run(capsys, "demo", "--size", "40", "--seed", "1")
    found = detect_portfolio(sample_portfolio(40, seed=1), as_of=DEMO_AS_OF)
    summary = next(line for line in lines if line.startswith("Findings: "))
    for severity in Severity:
        count = found.count(severity)
        assert (f"{count} {severity.value}" in summary) == (count > 0)
    frequent = lines[lines.index(summary) + 1]
    top = max(found.by_kind, key=lambda c: (c.count, [-ord(ch) for ch in c.kind.value]))
    assert frequent.startswith(f"  most frequent: {top.kind.value.replace('_', ' ')} {top.count}")


def test_demo_summarises_the_people_findings_and_the_opportunities(capsys):
    from successkit.detection import FindingKind, detect_portfolio

    _, lines, _ = run(capsys, "demo")
    found = detect_portfolio(sample_portfolio(200), as_of=DEMO_AS_OF)
    counts = {c.kind: c.count for c in found.by_kind}
    people = next(line for line in lines if line.startswith("  people: "))
    # The sample portfolio loses sponsors and champions, and some accounts hang on one person.
    for kind in (FindingKind.STAKEHOLDER_DEPARTED, FindingKind.SINGLE_THREADED):
        assert counts[kind] > 0
        assert f"{kind.value.replace('_', ' ')} {counts[kind]}" in people
    leads = next(line for line in lines if line.startswith("Opportunities: "))
    for kind in (
        FindingKind.RENEWAL_READY,
        FindingKind.EXPANSION_READY,
        FindingKind.ADVOCATE_READY,
    ):
        assert counts[kind] > 0
        assert f"{kind.value.replace('_', ' ')} {counts[kind]}" in leads


def test_kind_names_count_repeats_and_fit_cuts_long_lines():
    from successkit._cli_demo import _fit, _kind_names

    assert _kind_names(["a_b", "c", "a_b"]) == "a b x2, c"
    assert _fit("x" * 100) == "x" * 77 + "..."
    assert _fit("short") == "short"
