"""The README's quick start and CI run the same commands."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSOLE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in CONSOLE.findall(section)]


def test_quick_start_is_two_commands_demo_then_tests() -> None:
    demo, tests = quick_start()
    assert "pip install" in demo
    assert demo.endswith("successkit demo")
    assert "pip install" in tests
    assert tests.endswith("pytest -n auto")


def test_ci_runs_the_readme_test_command() -> None:
    _, tests = quick_start()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_ci_installs_every_extra_the_tests_can_use() -> None:
    # The README's loop skips Spark and the site; CI must not.
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert 'python -m pip install -e ".[dev]"' in ci
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dev = ["successkit[test,spark,docs,lint]"]' in pyproject
