"""Stakeholders: the people on the customer's side, with their roles and tenure."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    coerce_enum,
    ensure_aware,
    is_str,
    member_of,
    non_empty_str,
    optional_aware_datetime,
    to_optional_datetime,
)
from successkit.errors import ValidationError

__all__ = ["Contact", "ContactRole"]


class ContactRole(Enum):
    """The role a person plays in the customer's relationship with us."""

    ECONOMIC_BUYER = "economic_buyer"
    """Signs the renewal and holds the budget."""
    SPONSOR = "sponsor"
    """The executive sponsor: owns the desired outcome on the customer's side."""
    CHAMPION = "champion"
    """Pushes the product inside the customer and keeps the plan moving."""
    ADMIN = "admin"
    """Runs the product day to day (configuration, users)."""
    USER = "user"
    """Uses the product."""
    OTHER = "other"
    """Any other role; say which in the contact's ``title``."""

    @property
    def is_key(self) -> bool:
        """Whether losing this person is a churn signal (economic buyer, sponsor, champion)."""
        return self in _KEY_ROLES

    @property
    def is_executive(self) -> bool:
        """Whether the role holds the budget or the outcome (economic buyer or sponsor)."""
        return self in (ContactRole.ECONOMIC_BUYER, ContactRole.SPONSOR)


_KEY_ROLES = frozenset({ContactRole.ECONOMIC_BUYER, ContactRole.SPONSOR, ContactRole.CHAMPION})


def _to_role(value: Any) -> Any:
    return coerce_enum(ContactRole, value)


def _left_after_start(instance: Contact, attribute: Any, value: Any) -> None:
    optional_aware_datetime(instance, attribute, value)
    if value is not None and instance.started_at is not None and value < instance.started_at:
        raise ValidationError(
            "Contact.left_at",
            value,
            f"a moment at or after started_at ({instance.started_at.isoformat()})",
        )


@attrs.frozen(kw_only=True)
class Contact:
    """A person on the customer's side: a role, and when they started and left.

    Survey answers (``SurveyAnswer.contact_id``), interactions
    (``Interaction.contact_ids``) and changes (``ContextChange.contact_id``)
    name contacts by id, so detection can tell who engaged and who is gone.

    Args:
        id: unique within the account.
        name: the person's name.
        role: economic buyer, sponsor, champion, admin, user or other.
        title: their job title, or the role in words when ``role`` is ``other``.
        started_at: when they took the role (``None``: before anything recorded).
        left_at: when they left it (``None``: still in place).
    """

    id: str = attrs.field(validator=non_empty_str)
    role: ContactRole = attrs.field(converter=_to_role, validator=member_of(ContactRole))
    name: str = attrs.field(default="", validator=is_str)
    title: str = attrs.field(default="", validator=is_str)
    started_at: datetime | None = attrs.field(
        default=None, converter=to_optional_datetime, validator=optional_aware_datetime
    )
    left_at: datetime | None = attrs.field(
        default=None, converter=to_optional_datetime, validator=_left_after_start
    )

    @property
    def label(self) -> str:
        """``"Dana Reyes (sponsor)"``: the name (or id) and the role, for messages."""
        role = self.title or self.role.value.replace("_", " ")
        return f"{self.name or self.id} ({role})"

    def has_left(self, as_of: datetime | date) -> bool:
        """Whether the contact had left strictly before ``as_of``."""
        return self.left_at is not None and self.left_at < ensure_aware(as_of, "as_of")

    def is_active(self, as_of: datetime | date) -> bool:
        """Whether the contact was in the role just before ``as_of`` (started, not left)."""
        moment = ensure_aware(as_of, "as_of")
        started = self.started_at is None or self.started_at < moment
        return started and not self.has_left(moment)
