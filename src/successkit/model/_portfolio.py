"""A portfolio: a set of accounts with unique ids."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from successkit._validation import to_tuple, tuple_of, unique_by
from successkit.errors import ValidationError
from successkit.model._account import Account

__all__ = ["Portfolio"]


def _account_ids(account: Account) -> str:
    return account.id


@attrs.frozen(kw_only=True)
class Portfolio:
    """A set of accounts with unique ids."""

    accounts: tuple[Account, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[
            tuple_of(Account, "Account values"),
            unique_by(_account_ids, "account id"),
        ],
    )

    @classmethod
    def of(cls, accounts: Iterable[Account]) -> Portfolio:
        """Build a portfolio from any iterable of accounts."""
        return cls(accounts=tuple(accounts))

    def __iter__(self) -> Iterator[Account]:
        return iter(self.accounts)

    def __len__(self) -> int:
        return len(self.accounts)

    def get(self, account_id: str) -> Account:
        """The account with this id.

        Raises:
            ValidationError: no account has it.
        """
        for account in self.accounts:
            if account.id == account_id:
                return account
        raise ValidationError("account_id", account_id, "the id of an account in the portfolio")

    def segments(self) -> tuple[str, ...]:
        """The segments present, sorted."""
        return tuple(sorted({a.segment for a in self.accounts}))

    def __str__(self) -> str:
        counts: dict[str, int] = {}
        for account in self.accounts:
            counts[account.segment] = counts.get(account.segment, 0) + 1
        segments = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
        return f"Portfolio of {len(self.accounts)} accounts" + (f" ({segments})" if counts else "")

    def _repr_html_(self) -> str:
        from successkit._display import accounts_html  # noqa: PLC0415 - notebooks only

        return accounts_html(self)
