"""Deterministic sample accounts and portfolios, for tests, demos and benchmarks.

Every account is synthetic yet believable: about twelve months of history before
``as_of`` (a contract, desired outcomes with their milestones, the customer's
people with their roles, interactions naming who took part, commitments,
orchestration, monthly metric observations, NPS and CSAT answers, lifecycle
events), shaped to one of the situations the Customer Success quadrants
describe (see :class:`Archetype`)::

    from successkit.samples import Archetype, sample_account, sample_portfolio

    advocate = sample_account(Archetype.ADVOCATE, account_id="acc-1")
    portfolio = sample_portfolio(500, seed=7)

The same arguments always give equal objects: randomness comes from a
``random.Random`` seeded from the arguments, never from the global generator
or the clock. Every datetime of a result is timezone-aware and in UTC; nothing
that *happened* (interactions, observations, answers, lifecycle events) lies
after ``as_of``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from successkit._collector import collector_paused
from successkit._validation import UTC, coerce_enum, ensure_aware
from successkit.errors import ValidationError
from successkit.model import (
    Account,
    Portfolio,
)
from successkit.samples._archetypes import (
    _DEFAULT_MIX,
    _SEGMENT_WEIGHTS,
    DEMO_AS_OF,
    SEGMENTS,
    Archetype,
    _check_segment,
)
from successkit.samples._builder import _Builder

__all__ = ["portfolio_archetypes", "sample_account", "sample_portfolio"]

# --- public builders ------------------------------------------------------------------


def _utc(as_of: Any) -> datetime:
    # Month arithmetic runs on wall-clock time; doing it in UTC makes equal
    # instants give equal samples whatever zone the caller used.
    return ensure_aware(as_of, "as_of").astimezone(UTC)


def _check_archetype(value: Any) -> Archetype:
    kind = coerce_enum(Archetype, value)
    if not isinstance(kind, Archetype):
        choices = ", ".join(repr(a.value) for a in Archetype)
        raise ValidationError("archetype", value, f"one of {choices}")
    return kind


def _check_seed(seed: Any) -> int:
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValidationError("seed", seed, "a whole number")
    return seed


def _check_size(size: Any) -> int:
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValidationError("size", size, "a whole number >= 0")
    return size


def _check_mix(mix: Any) -> dict[Archetype, float]:
    if mix is None:
        return dict(_DEFAULT_MIX)
    if not isinstance(mix, Mapping):
        raise ValidationError("mix", mix, "a mapping of archetype to weight")
    weights: dict[Archetype, float] = {}
    for key, weight in mix.items():
        kind = coerce_enum(Archetype, key)
        if not isinstance(kind, Archetype):
            choices = ", ".join(repr(a.value) for a in Archetype)
            raise ValidationError("mix", key, f"archetypes as keys, each one of {choices}")
        if (
            isinstance(weight, bool)
            or not isinstance(weight, (int, float))
            or not math.isfinite(weight)
            or weight < 0
        ):
            raise ValidationError(f"mix[{kind.value}]", weight, "a finite weight >= 0")
        if kind in weights:
            raise ValidationError(f"mix[{kind.value}]", weight, "one weight per archetype")
        weights[kind] = float(weight)
    if not any(weights.values()):
        raise ValidationError("mix", mix, "at least one weight above 0")
    return {kind: weights.get(kind, 0.0) for kind in Archetype}


def _apportion(size: int, weights: Mapping[Archetype, float]) -> dict[Archetype, int]:
    """Split ``size`` by weight with the largest-remainder method (exact totals)."""
    total = sum(weights.values())
    quotas = {kind: size * weight / total for kind, weight in weights.items()}
    counts = {kind: math.floor(quota) for kind, quota in quotas.items()}
    left = size - sum(counts.values())
    order = list(Archetype)
    ranked = sorted(order, key=lambda k: (counts[k] - quotas[k], order.index(k)))
    for kind in ranked[:left]:
        counts[kind] += 1
    return counts


def _plan(size: Any, seed: Any, mix: Any) -> list[tuple[Archetype, str]]:
    count = _check_size(size)
    rng = random.Random(f"successkit.samples.portfolio:{_check_seed(seed)}")  # noqa: S311 - sample data, not secrets
    counts = _apportion(count, _check_mix(mix))
    kinds = [kind for kind in Archetype for _ in range(counts[kind])]
    rng.shuffle(kinds)
    segments = rng.choices(SEGMENTS, weights=_SEGMENT_WEIGHTS, k=count)
    return list(zip(kinds, segments, strict=True))


def _account(
    kind: Archetype, account_id: str, seed: int, as_of: datetime, segment: str | None
) -> Account:
    rng = random.Random(f"successkit.samples:{seed}:{account_id}:{kind.value}")  # noqa: S311 - sample data, not secrets
    # Always draw the segment, so naming the segment it would have drawn
    # gives the very same account.
    drawn = rng.choices(SEGMENTS, weights=_SEGMENT_WEIGHTS)[0]
    chosen = drawn if segment is None else segment
    people = random.Random(f"successkit.samples.people:{seed}:{account_id}:{kind.value}")  # noqa: S311 - sample data, not secrets
    builder = _Builder(rng=rng, people=people, archetype=kind, as_of=as_of, segment=chosen)
    return builder.account(account_id)


def sample_account(
    archetype: Archetype | str,
    *,
    account_id: str,
    seed: int = 0,
    as_of: datetime = DEMO_AS_OF,
    segment: str | None = None,
) -> Account:
    """Build one synthetic account in the situation ``archetype`` describes.

    The account carries about twelve months of history before ``as_of`` and
    holds every guarantee its :class:`Archetype` member documents.

    Args:
        archetype: the situation (an :class:`Archetype` or its value).
        account_id: the account's id; part of what seeds the randomness.
        seed: any whole number; the same arguments give an equal account.
        as_of: the moment the account is described at (timezone-aware).
        segment: one of :data:`SEGMENTS`, or ``None`` to draw one.

    Raises:
        ValidationError: an unknown archetype or segment, an empty id, a seed
            that is not a whole number, or a naive ``as_of``.
    """
    kind = _check_archetype(archetype)
    if not isinstance(account_id, str) or not account_id.strip():
        raise ValidationError("account_id", account_id, "a non-empty string")
    if segment is not None:
        _check_segment(segment)
    return _account(kind, account_id, _check_seed(seed), _utc(as_of), segment)


def portfolio_archetypes(
    size: int, *, seed: int = 0, mix: Mapping[Archetype, float] | None = None
) -> tuple[Archetype, ...]:
    """The archetype of each account :func:`sample_portfolio` builds, in order.

    Args:
        size: how many accounts.
        seed: the portfolio's seed.
        mix: weight per archetype (see :func:`sample_portfolio`).

    Raises:
        ValidationError: as :func:`sample_portfolio`.
    """
    return tuple(kind for kind, _ in _plan(size, seed, mix))


def sample_portfolio(
    size: int,
    *,
    seed: int = 0,
    as_of: datetime = DEMO_AS_OF,
    mix: Mapping[Archetype, float] | None = None,
) -> Portfolio:
    """Build a portfolio of ``size`` synthetic accounts, ids ``acc-00001`` onwards.

    The archetypes follow ``mix`` exactly (largest-remainder rounding), in a
    shuffled order; segments are drawn (half SMB, 30% mid-market, 20%
    enterprise). Account ``i`` equals ``sample_account(kind, account_id=id,
    seed=seed, as_of=as_of, segment=its segment)``.

    Args:
        size: how many accounts (0 gives an empty portfolio).
        seed: any whole number; the same arguments give an equal portfolio.
        as_of: the moment the accounts are described at (timezone-aware).
        mix: weight per archetype (or its value), normalised; archetypes left
            out get none. Default: 30% advocates, 20% false promoters, 15%
            unhappy achievers, 15% code red, 20% success gaps.

    Raises:
        ValidationError: a negative size, a seed that is not a whole number,
            a naive ``as_of``, or a mix with an unknown archetype, a negative
            or non-finite weight, or no weight above zero.
    """
    plan = _plan(size, seed, mix)
    moment = _utc(as_of)
    # The accounts hold no reference cycles, so the cyclic collector has nothing
    # to free; left on, it rescans the growing portfolio again and again, which
    # doubles the build time of a large portfolio.
    with collector_paused():
        accounts = tuple(
            _account(kind, f"acc-{index + 1:05d}", seed, moment, segment)
            for index, (kind, segment) in enumerate(plan)
        )
    return Portfolio(accounts=accounts)
