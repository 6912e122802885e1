"""The people on a sample customer's side: who they are, who left, and who takes part in what.

Every sample account gets a believable cast: an economic buyer or an executive
sponsor, a champion, usually an admin, sometimes users. Interactions and NPS
answers name them where it is natural (success-plan meetings with the champion
and the sponsor, tickets from the admin, webinars with the admin and users).
Some at-risk accounts lose their sponsor or champion, or run every touch
through the champion alone (single-threaded); healthy ones stay multi-threaded.

The cast draws from its own generator, so adding people changed nothing else
about an account built from the same arguments.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import datetime, timedelta
from enum import Enum
from functools import lru_cache

import attrs

from successkit.model import (
    ChangeKind,
    ChangeType,
    Contact,
    ContactRole,
    ContextChange,
    Direction,
    InteractionType,
)

__all__ = ["Cast", "Story", "cast_for"]

_FIRST = (
    "Dana",
    "Lee",
    "Priya",
    "Marcus",
    "Sofia",
    "Kenji",
    "Amara",
    "Tomas",
    "Elena",
    "Omar",
    "Grace",
    "Mateo",
    "Hannah",
    "Ravi",
    "Chloe",
    "Samuel",
    "Yara",
    "Lukas",
    "Nadia",
    "Ethan",
    "Ines",
    "Kwame",
    "Mei",
    "Jonas",
)
_LAST = (
    "Reyes",
    "Okafor",
    "Lindqvist",
    "Patel",
    "Moreau",
    "Tanaka",
    "Brennan",
    "Novak",
    "Haddad",
    "Schmidt",
    "Alvarez",
    "Osei",
    "Kowalski",
    "Nguyen",
    "Fischer",
    "Costa",
    "Mensah",
    "Ivanova",
    "Walsh",
    "Santos",
)

# Titles per role, per segment index (enterprise, mid_market, smb).
_TITLES: dict[ContactRole, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    ContactRole.ECONOMIC_BUYER: (
        ("CFO", "VP Finance", "Chief Operating Officer"),
        ("Head of Finance", "COO"),
        ("Owner",),
    ),
    ContactRole.SPONSOR: (
        ("VP Sales", "VP Customer Experience", "Chief Marketing Officer"),
        ("Head of Sales", "Head of Marketing", "Director of Operations"),
        ("Founder and CEO", "Managing Director", "General Manager"),
    ),
    ContactRole.CHAMPION: (
        ("Director of Sales Operations", "Marketing Operations Lead", "Support Operations Lead"),
        ("Sales Operations Manager", "Marketing Manager", "Support Team Lead"),
        ("Operations Manager", "Marketing Lead", "Office Manager"),
    ),
    ContactRole.ADMIN: (
        ("Systems Administrator", "CRM Administrator"),
        ("Systems Administrator", "Operations Analyst"),
        ("Operations Assistant",),
    ),
    ContactRole.USER: (
        ("Account Executive", "Support Agent", "Campaign Manager"),
        ("Account Executive", "Support Agent", "Campaign Specialist"),
        ("Sales Representative", "Support Agent"),
    ),
}

_DAY = timedelta(days=1)


class Story(Enum):
    """What happens to the people of a sample account over its history."""

    STEADY = "steady"
    """Everyone in place; several people take part."""
    SPONSOR_LEFT = "sponsor_left"
    """The sponsor left; nobody in place has taken part since."""
    CHAMPION_LEFT = "champion_left"
    """The champion left; nobody has taken the role."""


@attrs.define(kw_only=True)
class Cast:
    """The contacts of one sample account, and who takes part in what.

    Attributes:
        contacts: every contact, past and present.
        changes: the team changes naming them (departures and arrivals).
        single_threaded: every touch runs through the champion alone.
        dormant: ids of contacts in place who take part in nothing.
    """

    contacts: tuple[Contact, ...]
    changes: tuple[ContextChange, ...]
    single_threaded: bool
    dormant: frozenset[str]
    # Who holds which role only changes when someone starts or leaves: the
    # people of a touch are worked out once per period between those moments.
    _moments: list[datetime] = attrs.field(init=False, factory=list)
    _memo: dict[tuple[int, tuple[str, ...]], tuple[str, ...]] = attrs.field(
        init=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        moments = {m for c in self.contacts for m in (c.started_at, c.left_at) if m is not None}
        self._moments = sorted(moments)

    def in_place(self, role: ContactRole, at: datetime) -> Contact | None:
        """The engaged contact holding ``role`` at ``at`` (the newest one), if any."""
        holders = [
            c
            for c in self.contacts
            if c.role is role
            and c.id not in self.dormant
            and (c.started_at is None or c.started_at <= at)
            and (c.left_at is None or at < c.left_at)
        ]
        return holders[-1] if holders else None

    def executive(self, at: datetime) -> Contact | None:
        """The sponsor in place at ``at``, or else the economic buyer."""
        return self.in_place(ContactRole.SPONSOR, at) or self.in_place(
            ContactRole.ECONOMIC_BUYER, at
        )

    def users(self) -> tuple[Contact, ...]:
        """The users (in place throughout the history)."""
        return tuple(c for c in self.contacts if c.role is ContactRole.USER)

    def named(
        self, at: datetime, channel: InteractionType, direction: Direction, topic: str
    ) -> tuple[str, ...]:
        """The ids of the contacts who took part in a touch, as a CSM would log them."""
        parts = ("alone",) if self.single_threaded else _taking_part(channel, direction, topic)
        key = (bisect_right(self._moments, at), parts)
        ids = self._memo.get(key)
        if ids is None:
            ids = self._memo[key] = self._people(at, parts)
        return ids

    def _people(self, at: datetime, parts: tuple[str, ...]) -> tuple[str, ...]:
        champion = self.in_place(ContactRole.CHAMPION, at)
        if parts == ("alone",):
            return () if champion is None else (champion.id,)
        people: dict[str, list[Contact | None]] = {
            "champion": [champion],
            "executive": [self.executive(at)],
            "admin": [self.in_place(ContactRole.ADMIN, at) or champion],
            "a user": list(self.users()[:1]),
            "users": list(self.users()),
        }
        ids: list[str] = []
        for part in parts:
            for person in people[part]:
                if person is not None and person.id not in ids:
                    ids.append(person.id)
        return tuple(ids)

    def respondent(self, label: str, at: datetime, taken: set[str]) -> Contact | None:
        """The contact who gave an NPS answer the samples label ``label``, at ``at``."""
        roles = {
            "champion": (ContactRole.CHAMPION,),
            "executive sponsor": (ContactRole.SPONSOR, ContactRole.ECONOMIC_BUYER),
            "admin lead": (ContactRole.ADMIN, ContactRole.CHAMPION),
            "power user": (ContactRole.USER, ContactRole.ADMIN, ContactRole.CHAMPION),
        }[label]
        for role in roles:
            for contact in reversed(self.contacts):
                if (
                    contact.role is role
                    and contact.id not in taken
                    and contact.id not in self.dormant
                    and (contact.started_at is None or contact.started_at <= at)
                    and (contact.left_at is None or at < contact.left_at)
                ):
                    return contact
        return None


@lru_cache(maxsize=1024)
def _taking_part(channel: InteractionType, direction: Direction, topic: str) -> tuple[str, ...]:
    """Who takes part in a touch, as parts of :meth:`Cast.named`.

    Success-plan meetings and calls: the champion and the sponsor; tickets: the
    admin; webinars: the admin and a user; one-to-many videos: nobody named.
    """
    if channel in (InteractionType.MEETING_1_1, InteractionType.CALL) and (
        direction is Direction.OUTBOUND_PROACTIVE
    ):
        return ("champion", "executive")
    by_channel = {
        InteractionType.TICKET: ("admin",),
        InteractionType.BROADCAST_VIDEO: ("admin", "a user"),
        InteractionType.EVENT: ("champion", "users"),
        InteractionType.ASYNC_VIDEO_1_MANY: (),
    }
    if channel in by_channel:
        return by_channel[channel]
    if direction is Direction.OUTBOUND_REACTIVE:
        if "renewal" in topic:
            return ("executive",)
        if "usage" in topic:
            return ("admin",)
    return ("champion",)


def _roles(rng: random.Random, seg: int) -> list[ContactRole]:
    """The roles on the customer's side, by segment: larger customers, more people."""
    if seg == 0:
        users = 1 + int(rng.random() * 3)
        return [
            ContactRole.ECONOMIC_BUYER,
            ContactRole.SPONSOR,
            ContactRole.CHAMPION,
            ContactRole.ADMIN,
            *[ContactRole.USER] * users,
        ]
    if seg == 1:
        users = int(rng.random() * 3)
        return [
            ContactRole.SPONSOR,
            ContactRole.CHAMPION,
            ContactRole.ADMIN,
            *[ContactRole.USER] * users,
        ]
    # A small customer's founder is both the sponsor and the one who pays.
    users = int(rng.random() * 2)
    return [ContactRole.SPONSOR, ContactRole.CHAMPION, ContactRole.ADMIN] + [
        ContactRole.USER
    ] * users


class _Team:
    """The contacts of one account while its history is written."""

    def __init__(self, rng: random.Random, seg: int, *, single_threaded: bool) -> None:
        self.rng, self.seg = rng, seg
        self.names: set[str] = set()
        self.count = 0
        roles = _roles(rng, seg)
        if single_threaded:
            # Small teams run everything through one person: no separate admin.
            roles = [r for r in roles if r is not ContactRole.ADMIN]
        self.contacts = [self.person(role) for role in roles]
        self.first = {c.role: i for i, c in reversed(list(enumerate(self.contacts)))}
        self.executive = (
            ContactRole.SPONSOR if ContactRole.SPONSOR in self.first else ContactRole.ECONOMIC_BUYER
        )
        self.dormant: set[str] = set()
        self.changes: list[ContextChange] = []

    def person(self, role: ContactRole, started_at: datetime | None = None) -> Contact:
        """A new contact in ``role``, with a name nobody else on the account has."""
        rng = self.rng
        while True:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            if name not in self.names:
                self.names.add(name)
                break
        self.count += 1
        return Contact(
            id=f"contact-{self.count}",
            role=role,
            name=name,
            title=rng.choice(_TITLES[role][self.seg]),
            started_at=started_at,
        )

    def leave(self, role: ContactRole, at: datetime, description: str = "") -> str:
        """The first contact in ``role`` leaves at ``at`` (with a change saying so if described)."""
        index = self.first[role]
        self.contacts[index] = attrs.evolve(self.contacts[index], left_at=at)
        gone = self.contacts[index].id
        if description:
            self.changes.append(
                ContextChange(
                    kind=ChangeKind.TEAM,
                    at=at,
                    description=description,
                    change=ChangeType.CONTACT_LEFT,
                    contact_id=gone,
                )
            )
        return gone

    def read(self, change: ContextChange) -> None:
        """Name the contact a team change of the account's history concerns."""
        if change.kind is ChangeKind.TEAM and change.change is ChangeType.CONTACT_LEFT:
            # The account's record says the champion left: it is this person.
            gone = self.leave(ContactRole.CHAMPION, change.at)
            self.changes.append(attrs.evolve(change, contact_id=gone))
        elif change.kind is ChangeKind.TEAM and change.change is ChangeType.CONTACT_JOINED:
            # A new sponsor arrived: the previous one moved on the same day.
            self.leave(self.executive, change.at, "the executive sponsor moved to another role")
            newcomer = self.person(self.executive, started_at=change.at)
            self.contacts.append(newcomer)
            self.changes.append(attrs.evolve(change, contact_id=newcomer.id))
        else:
            self.changes.append(change)

    def depart(self, role: ContactRole, as_of: datetime) -> None:
        """The person in ``role`` leaves 20 to 150 days before ``as_of``, unless gone already."""
        if self.contacts[self.first[role]].left_at is not None:
            return
        rng = self.rng
        at = as_of - timedelta(hours=24 * 20 + int(rng.random() * 24 * 130))
        what = "executive sponsor" if role is self.executive else "champion"
        gone = self.leave(role, at, f"the {what} left the company")
        if role is not self.executive:
            return
        # Nobody on the customer's executive side has met us since.
        self.dormant.update(c.id for c in self.contacts if c.role.is_executive and c.id != gone)
        if rng.random() < 0.5:  # noqa: PLR2004 - half of them have a successor
            # A successor is in place, but nobody has met them yet.
            start = at + _DAY * (2 + int(rng.random() * 10))
            if start < as_of:
                successor = self.person(role, started_at=start)
                self.contacts.append(successor)
                self.dormant.add(successor.id)


def cast_for(
    rng: random.Random,
    *,
    seg: int,
    story: Story,
    single_threaded: bool,
    as_of: datetime,
    changes: tuple[ContextChange, ...],
) -> tuple[Cast, tuple[ContextChange, ...]]:
    """The cast of one account, and its changes with the team changes naming its people.

    A team change of type ``contact_left`` or ``contact_joined`` already in
    ``changes`` (the champion leaving, a new sponsor arriving) is given the
    contact it concerns; the departures the ``story`` adds come with their own
    change.

    Args:
        rng: the generator of the cast (its own, not the account's).
        seg: the segment index (0 enterprise, 1 mid-market, 2 SMB).
        story: what happens to the people.
        single_threaded: whether every touch runs through the champion alone.
        as_of: the moment the account is described at.
        changes: the account's changes, oldest first.
    """
    team = _Team(rng, seg, single_threaded=single_threaded)
    for change in changes:
        team.read(change)
    if story is Story.SPONSOR_LEFT:
        team.depart(team.executive, as_of)
    elif story is Story.CHAMPION_LEFT:
        team.depart(ContactRole.CHAMPION, as_of)
    cast = Cast(
        contacts=tuple(team.contacts),
        changes=tuple(sorted(team.changes, key=lambda c: c.at)),
        single_threaded=single_threaded,
        dormant=frozenset(team.dormant),
    )
    return cast, cast.changes
