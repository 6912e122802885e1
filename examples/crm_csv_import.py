"""Score a CRM export and list each account's findings, most severe first.

The export is a folder of CSV tables (``accounts.csv``, ``contracts.csv``,
``goals.csv``...; see docs/csv-format.md). Run::

    python examples/crm_csv_import.py examples/crm_export --as-of 2026-11-24
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path

from successkit import HealthScorer, detect, load_csv_folder

DEFAULT_FOLDER = Path(__file__).resolve().parent / "crm_export"


def parse_moment(text: str) -> datetime:
    """An ISO date (midnight UTC) or an ISO datetime with its UTC offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is not None and moment.utcoffset() is not None:
        return moment
    try:
        day = date.fromisoformat(text)
    except ValueError:
        # A naive datetime is refused too: the moment must not depend on this machine's zone.
        msg = f"expected a date such as 2026-11-24 or a datetime with its UTC offset, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=DEFAULT_FOLDER,
        help="the folder of CSV tables (default: the export beside this script)",
    )
    parser.add_argument(
        "--as-of",
        type=parse_moment,
        required=True,
        help="the moment to evaluate at: 2026-11-24 or 2026-11-24T12:00+00:00",
    )
    return parser


def report(folder: Path, as_of: datetime) -> list[str]:
    """The lines printed for the export in ``folder`` as of ``as_of``."""
    accounts = load_csv_folder(folder)
    scorer = HealthScorer()
    lines = [f"{len(accounts)} accounts from {folder.name}, as of {as_of.isoformat()}"]
    for account in accounts:
        score = scorer(account, as_of=as_of)
        findings = detect(account, as_of=as_of)  # already most severe first
        title = f"{account.id} ({account.name})" if account.name else account.id
        lines.append("")
        lines.append(
            f"{title}: health {score.value:.1f}/{score.scale.max:.0f} {score.band_label}, "
            f"{len(findings)} finding{'' if len(findings) == 1 else 's'}"
        )
        lines.extend(
            f"  [{finding.severity.value}] {finding.kind.value}: {finding.message}\n"
            f"      next step: {finding.next_step}"
            for finding in findings
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    print("\n".join(report(args.folder, args.as_of)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
