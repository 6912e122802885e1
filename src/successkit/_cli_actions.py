"""The action commands: ``successkit actions`` and ``successkit plan``.

``actions`` plans the calls to action of every account of a file and writes one
operation per line (JSON Lines: create, update, close, re-open), each a document
``successkit schema Operation`` describes. Given the actions a CRM holds
(``--open``, the same documents or plain Action documents), running it again on
the same data writes nothing.

``plan`` writes the success plan of one account as Markdown, HTML or JSON.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from successkit.errors import ValidationError

if TYPE_CHECKING:
    from successkit.actions import Action

__all__ = ["add_actions", "add_plan"]

AsOf = Callable[[str], datetime]


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise ValidationError("--output", output, f"a writable file ({error})") from None


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"expected a whole number of days >= 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_actions(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], as_of: AsOf
) -> None:
    """Register ``successkit actions``."""
    parser = subparsers.add_parser(
        "actions",
        help="plan calls to action from playbooks: JSON Lines of create/update/close operations",
        description=(
            "Detect, score and run the playbooks on every account of FILE as of --as-of, "
            "and write the operations that bring the CRM's actions (--open) in line, one "
            "JSON document per line (see: successkit schema Operation)."
        ),
    )
    parser.add_argument(
        "path", metavar="FILE", help="accounts: a .json or .jsonl file, or a folder of CSV tables"
    )
    parser.add_argument("--as-of", type=as_of, required=True, metavar="WHEN", help="the moment")
    parser.add_argument(
        "--playbooks",
        metavar="PLAYBOOKS",
        help="a .toml or .json playbook file (default: the built-in playbooks)",
    )
    parser.add_argument(
        "--open",
        metavar="OPEN",
        help="the actions the CRM holds: JSON Lines of Action or Operation documents",
    )
    parser.add_argument("--output", metavar="OUT", help="write here instead of standard output")
    parser.add_argument(
        "--lookback-days",
        type=_days,
        default=30,
        metavar="DAYS",
        help="how far back the previous score of band-dropped plays is taken (default: 30)",
    )
    parser.set_defaults(run=_run_actions)


def read_actions(path: str) -> tuple[Action, ...]:
    """Actions from a JSON Lines file of Action or Operation documents (blank lines skipped).

    Raises:
        ValidationError: the file cannot be read or a line is not such a document;
            the message names the line.
    """
    from successkit.actions import Action, Operation  # noqa: PLC0415
    from successkit.serialization import from_dict, parse_json  # noqa: PLC0415

    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError("--open", path, f"a readable JSON Lines file ({error})") from None
    actions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            document = parse_json(line)
            kind = document.get("type") if isinstance(document, dict) else None
            if kind == "Operation":
                actions.append(from_dict(document, Operation).action)
            else:
                actions.append(from_dict(document, Action))
        except ValidationError as error:
            raise error.prefixed(where) from None
    return tuple(actions)


def _run_actions(args: argparse.Namespace) -> int:
    from successkit.actions import default_playbooks, load_playbooks, plan_portfolio  # noqa: PLC0415
    from successkit.loaders import load_accounts  # noqa: PLC0415
    from successkit.serialization import to_json  # noqa: PLC0415

    books = default_playbooks() if args.playbooks is None else load_playbooks(args.playbooks)
    held = () if args.open is None else read_actions(args.open)
    accounts = load_accounts(args.path)
    operations = plan_portfolio(
        accounts,
        as_of=args.as_of,
        playbooks=books,
        open_actions=held,
        lookback_days=args.lookback_days,
    )
    _write("".join(f"{to_json(op)}\n" for op in operations), args.output)
    counts = Counter(op.op.value for op in operations)
    summary = ", ".join(
        f"{counts[k]} {k}" for k in ("create", "update", "close", "reopen") if counts[k]
    )
    sys.stderr.write(f"{len(accounts)} accounts: {summary or 'nothing to change'}\n")
    return 0


_PLAN_FORMATS = ("markdown", "html", "json")


def add_plan(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], as_of: AsOf) -> None:
    """Register ``successkit plan``."""
    parser = subparsers.add_parser(
        "plan",
        help="write the success plan of one account (Markdown, HTML or JSON)",
        description=(
            "Write the success plan of account ID in FILE as of --as-of: goals, milestones, "
            "commitments of each party with their status, and what to expect next."
        ),
    )
    parser.add_argument(
        "path", metavar="FILE", help="accounts: a .json or .jsonl file, or a folder of CSV tables"
    )
    parser.add_argument("--account", required=True, metavar="ID", help="the account's id")
    parser.add_argument("--as-of", type=as_of, required=True, metavar="WHEN", help="the moment")
    parser.add_argument(
        "--format", choices=_PLAN_FORMATS, default="markdown", help="default: markdown"
    )
    parser.add_argument(
        "--horizon-days",
        type=_days,
        default=90,
        metavar="DAYS",
        help="how far ahead the expectations reach (default: 90)",
    )
    parser.add_argument("--output", metavar="OUT", help="write here instead of standard output")
    parser.set_defaults(run=_run_plan)


def _run_plan(args: argparse.Namespace) -> int:
    from successkit.actions import success_plan  # noqa: PLC0415
    from successkit.loaders import load_accounts  # noqa: PLC0415
    from successkit.model import Portfolio  # noqa: PLC0415
    from successkit.serialization import to_json  # noqa: PLC0415

    portfolio = Portfolio.of(load_accounts(args.path))
    try:
        account = portfolio.get(args.account)
    except ValidationError:
        raise ValidationError(
            "--account", args.account, f"the id of an account in {args.path}"
        ) from None
    plan = success_plan(account, as_of=args.as_of, horizon_days=args.horizon_days)
    if args.format == "json":
        text = to_json(plan, indent=2) + "\n"
    elif args.format == "html":
        text = plan.to_html()
    else:
        text = plan.to_markdown()
    _write(text, args.output)
    return 0
