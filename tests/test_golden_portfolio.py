"""Golden findings and scores on the sample portfolio: speed work must not change a value.

The health score of every account and its findings (grouped as reported, and
every rule's raw findings with the skipped-rule diagnostics) are reduced to a
canonical form built from the objects' attributes (enums by value, moments in
ISO 8601, floats exactly by ``repr``), independent of the JSON layout, and
hashed per account. ``tests/data/golden_portfolio.json`` holds the digests the
code gave before the evaluation was shared between rules; any changed value of
any account fails, and the message names the accounts and the part that moved.

Regenerate (only for an intended change of findings or scores) with
``python tests/test_golden_portfolio.py``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import attrs

from successkit.detection import Finding, detect_portfolio
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import score_accounts

GOLDEN = Path(__file__).parent / "data" / "golden_portfolio.json"
SIZE = 300
PARTS = ("score", "findings", "raw_findings")


def canonical(value: Any) -> Any:
    """A JSON-ready form of ``value`` that keeps every bit of every number."""
    if attrs.has(type(value)):
        return {
            field.name: canonical(getattr(value, field.name)) for field in attrs.fields(type(value))
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (tuple, list)):
        return [canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in sorted(value.items())}
    return value


def digest(value: Any) -> str:
    text = json.dumps(canonical(value), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def ordered(findings: list[Finding]) -> list[str]:
    """The findings in a canonical order, whatever order they came in."""
    return sorted(json.dumps(canonical(f), sort_keys=True) for f in findings)


def by_account(findings: tuple[Finding, ...]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.account_id].append(finding)
    return grouped


def current() -> dict[str, dict[str, str]]:
    """Per account, the digest of its score, its findings and its raw findings."""
    portfolio = sample_portfolio(SIZE, as_of=DEMO_AS_OF)
    scores = score_accounts(portfolio, as_of=DEMO_AS_OF)
    grouped = by_account(detect_portfolio(portfolio, as_of=DEMO_AS_OF).findings)
    raw = by_account(
        detect_portfolio(portfolio, as_of=DEMO_AS_OF, group=False, diagnostics=True).findings
    )
    result = {}
    for account, score in zip(portfolio, scores, strict=True):
        result[account.id] = {
            "score": digest(score),
            "findings": digest(ordered(grouped[account.id])),
            "raw_findings": digest(ordered(raw[account.id])),
        }
    return result


def test_findings_and_scores_match_the_golden_digests() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert golden["size"] == SIZE
    assert golden["as_of"] == DEMO_AS_OF.isoformat()
    now = current()
    assert sorted(now) == sorted(golden["accounts"])
    moved = [
        f"{account_id}: {part}"
        for account_id, parts in sorted(golden["accounts"].items())
        for part in PARTS
        if now[account_id][part] != parts[part]
    ]
    assert not moved, f"{len(moved)} changed: " + ", ".join(moved[:20])


def test_the_canonical_form_sees_a_change_in_the_last_bit() -> None:
    value = 0.1 + 0.2
    assert digest([value]) != digest([0.3])
    assert canonical(DEMO_AS_OF) == "2026-11-24T12:00:00+00:00"


if __name__ == "__main__":
    GOLDEN.parent.mkdir(exist_ok=True)
    document = {"size": SIZE, "as_of": DEMO_AS_OF.isoformat(), "accounts": current()}
    GOLDEN.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
