"""The documentation site builds with no warning, and lists every page and public module."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# The site is built by the `docs` extra (MkDocs, which brings PyYAML); `test` alone skips it.
pytest.importorskip("mkdocs", reason="the docs extra is not installed")
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"
# Not an API to document: the command line is described by `successkit --help`.
NOT_REFERENCE = {"cli", "__main__"}


def nav_pages(entries: Any) -> list[str]:
    """Every page named in the navigation, depth first."""
    pages: list[str] = []
    for entry in entries:
        if isinstance(entry, str):
            pages.append(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                pages.extend(nav_pages(value) if isinstance(value, list) else [value])
    return pages


def config() -> dict[str, Any]:
    # The config may name Python objects with tags; only the navigation is read here.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506


def public_modules() -> set[str]:
    package = ROOT / "src" / "successkit"
    names = {p.stem for p in package.glob("*.py")} | {
        p.parent.name for p in package.glob("*/__init__.py")
    }
    return {n for n in names if not n.startswith("_") and n not in NOT_REFERENCE}


def test_every_page_and_every_public_module_is_in_the_navigation() -> None:
    pages = nav_pages(config()["nav"])
    assert len(pages) == len(set(pages))
    on_disk = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md") if p.name != "README.md"}
    assert on_disk - set(pages) == set(), "add these pages to the nav of mkdocs.yml"
    assert set(pages) - on_disk == set()
    documented = {Path(page).stem for page in pages if page.startswith("reference/")}
    missing = {m for m in public_modules() if m not in documented}
    assert missing == set(), "add a docs/reference/<module>.md page and a nav entry for each"
    for module in documented - {"successkit"}:
        text = (DOCS / "reference" / f"{module}.md").read_text(encoding="utf-8")
        assert f"::: successkit.{module}\n" in text


def test_the_site_builds_with_no_warning(tmp_path: Path) -> None:
    site = tmp_path / "site"
    # The theme prints a banner about MkDocs 2.0 unless told not to; it is not a warning
    # about our documentation.
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(  # noqa: S603 - our own build, with fixed arguments
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(CONFIG),
            "--site-dir",
            str(site),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not [line for line in output.splitlines() if "WARNING" in line], output

    pages = nav_pages(config()["nav"])
    for page in pages:
        built = site / (
            "index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html"
        )
        assert built.is_file(), page
    for image in ("quadrant", "bands", "trend", "contributions"):
        assert (site / "images" / f"{image}.png").is_file()
    assert not (site / "make_images.py").exists()

    # The changelog page is the CHANGELOG, included whole.
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "Keep a Changelog" in changelog
    assert "[Unreleased]" in changelog

    # The reference is generated from the docstrings, with their Sphinx roles made links.
    scoring = (site / "reference" / "scoring" / "index.html").read_text(encoding="utf-8")
    assert 'id="successkit.scoring.HealthScorer"' in scoring
    for built in (site / "reference").rglob("*.html"):
        text = built.read_text(encoding="utf-8")
        assert not re.search(r":(class|func|meth|attr|data|mod):`", text), built
    display = (site / "reference" / "display" / "index.html").read_text(encoding="utf-8")
    assert 'href="../scoring/#successkit.scoring.Score"' in display
