"""A synthetic usage event log and contract history, driven by hidden per-account traits.

Each account draws its hidden traits once: a propensity to succeed, a team
size, a seasonality and a plan (monthly or annual terms). Usage of several
event types and the decision at each term end (churn, renewal, expansion,
contraction) both depend on the propensity, with noise, as in real data; the
generator never calls a successkit scorecard, so a scorecard fitted on this
log learns from the data, not from itself.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs

from successkit._validation import ensure_aware
from successkit.errors import ValidationError
from successkit.frames._extras import require

__all__ = ["EVENT_TYPES", "UsageLog", "usage_log"]

EVENT_TYPES = ("login", "report_run", "export", "invite", "api_call")
"""The event types :func:`usage_log` writes."""

_DAY_NS = 86_400_000_000_000
_MONTH_DAYS = 30.4375
_ANNUAL_DAYS = 365
_MONTHLY_DAYS = 30

# Per event type: monthly events per account at propensity 0 and a team of one,
# how strongly the team size and the propensity move it, and the account-level
# noise (log scale) that makes counts heavy-tailed.
_BASE = (20.0, 6.0, 2.0, 0.4, 120.0)
_TEAM = (0.8, 0.7, 0.5, 0.3, 0.5)
_PROPENSITY = (0.5, 0.8, 0.15, 0.4, 0.3)
_NOISE = (0.4, 0.6, 0.8, 0.5, 1.0)


@attrs.frozen(kw_only=True)
class UsageLog:
    """A synthetic contract history and usage event log.

    Attributes:
        terms: pandas frame of contract terms: ``account_id``, ``start``, ``end``, ``arr``.
        events: pandas frame of usage events, oldest first: ``account_id``,
            ``at``, ``event``, ``value``.
        traits: the hidden per-account traits that drove both (``propensity``,
            ``team_size``, ``seasonality``, ``plan``, ``declines``): for testing
            and teaching only; a real log has no such table.
        as_of: the moment the log ends (nothing in it happens at or after it).
    """

    terms: Any
    events: Any
    traits: Any
    as_of: datetime


def _sigmoid(np: Any, x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-x))


def usage_log(  # noqa: PLR0915 - one vectorised pass, step by step
    accounts: int = 1000,
    *,
    seed: int = 0,
    as_of: datetime | date | None = None,
    months: int = 24,
) -> UsageLog:
    """A realistic synthetic usage event log and contract history, at any size.

    About 60 % of accounts buy annual terms, the rest monthly ones; accounts
    start at any time in the ``months`` before ``as_of``. At each term end an
    account churns with a probability that falls with its hidden propensity
    (about a fifth of annual renewals churn), and otherwise renews, sometimes
    expanding or contracting its ARR. Usage counts per event type depend on
    the propensity and the team size, follow the seasons, and, for some
    churners only, fade in the three months before they leave. The same
    arguments always give equal frames.

    Args:
        accounts: how many accounts (>= 1).
        seed: the random seed.
        as_of: when the log ends (default: :data:`DEMO_AS_OF`).
        months: how many months of history before ``as_of`` (>= 2).

    Returns:
        A :class:`UsageLog` with ``terms``, ``events`` and the hidden ``traits``.

    Raises:
        ValidationError: a count, seed or month span out of range, or a naive ``as_of``.
        MissingExtraError: pandas is not installed.
    """
    pd = require("pandas", "pandas")
    np = require("numpy", "pandas")
    from successkit.samples._archetypes import DEMO_AS_OF  # noqa: PLC0415 - avoid a cycle

    for name, value, least in (("accounts", accounts, 1), ("months", months, 2)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValidationError(name, value, f"a whole number >= {least}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError("seed", seed, "a whole number >= 0")
    end = pd.Timestamp(ensure_aware(DEMO_AS_OF if as_of is None else as_of, "as_of"))
    end = end.tz_convert("UTC")
    rng = np.random.default_rng(seed)
    n = accounts
    ids = np.array([f"acct-{i:05d}" for i in range(n)])
    end_ns = end.value
    begin_ns = end_ns - int(months * _MONTH_DAYS * _DAY_NS)

    # Hidden traits, drawn once.
    propensity = rng.normal(0.0, 1.0, n)
    team = np.maximum(1, np.round(np.exp(rng.normal(1.5, 0.9, n)))).astype(np.int64)
    amplitude = rng.uniform(0.0, 0.4, n)
    phase = rng.uniform(0.0, 2 * np.pi, n)
    annual = rng.random(n) < 0.6  # noqa: PLR2004 - the plan mix
    declines = rng.random(n) < 0.6  # noqa: PLR2004 - some churners fade, not all
    api_user = rng.random(n) < _sigmoid(np, propensity - 0.8)
    arr = np.round(
        np.where(annual, 1.0, 0.9) * 1_200 * team**0.9 * np.exp(rng.normal(0, 0.3, n)), -1
    )

    # Terms, one step of every account at a time.
    start = begin_ns + (rng.random(n) * (months - 1) * _MONTH_DAYS * _DAY_NS).astype(np.int64)
    start = start - start % _DAY_NS  # terms start at midnight UTC
    current = start.copy()
    alive = np.ones(n, dtype=bool)
    churn_at = np.full(n, end_ns, dtype=np.int64)
    rows: list[tuple[Any, Any, Any, Any]] = []
    length = np.where(annual, _ANNUAL_DAYS, _MONTHLY_DAYS).astype(np.int64) * _DAY_NS
    while True:
        live = alive & (current < end_ns)
        if not live.any():
            break
        finish = current + length
        rows.append((np.flatnonzero(live), current[live], finish[live], arr[live]))
        decided = live & (finish < end_ns)
        noise = rng.normal(0.0, 0.5, n)
        base = np.where(annual, -1.5, -4.0)
        churns = decided & (rng.random(n) < _sigmoid(np, base - 1.2 * propensity + noise))
        churn_at = np.where(churns, finish, churn_at)
        renews = decided & ~churns
        grow = renews & (rng.random(n) < np.where(annual, 0.35, 0.04) * _sigmoid(np, propensity))
        shrink = (
            renews
            & ~grow
            & (rng.random(n) < np.where(annual, 0.2, 0.02) * _sigmoid(np, -propensity))
        )
        arr = np.where(grow, np.round(arr * rng.uniform(1.1, 1.5, n), -1), arr)
        arr = np.where(shrink, np.round(arr * rng.uniform(0.6, 0.9, n), -1), arr)
        late = rng.random(n) < 0.05  # noqa: PLR2004 - a few renewals start a few days late
        current = finish + np.where(late, rng.integers(1, 6, n), 0) * _DAY_NS
        alive = renews
    owner = np.concatenate([r[0] for r in rows])
    terms = pd.DataFrame(
        {
            "account_id": ids[owner],
            "start": pd.to_datetime(np.concatenate([r[1] for r in rows]), utc=True),
            "end": pd.to_datetime(np.concatenate([r[2] for r in rows]), utc=True),
            "arr": np.concatenate([r[3] for r in rows]).astype(float),
        }
    )
    terms = terms.sort_values(["account_id", "start"], kind="stable").reset_index(drop=True)

    # Usage: expected counts per account, month bin and type, then the events themselves.
    bins = int(np.ceil(months)) + 1
    edges = begin_ns + (np.arange(bins + 1) * _MONTH_DAYS * _DAY_NS).astype(np.int64)
    low = np.maximum(edges[None, :-1], start[:, None])
    high = np.minimum(edges[None, 1:], np.minimum(churn_at, end_ns)[:, None])
    share = np.clip((high - low) / (edges[1:] - edges[:-1])[None, :], 0.0, None)
    middle = (edges[:-1] + edges[1:]) / 2
    year_angle = 2 * np.pi * ((middle / _DAY_NS) % 365.25) / 365.25
    season = 1.0 + amplitude[:, None] * np.sin(year_angle[None, :] + phase[:, None])
    to_churn = (churn_at[:, None] - middle[None, :]) / _DAY_NS
    fading = declines[:, None] & (churn_at[:, None] < end_ns) & (to_churn < 90)  # noqa: PLR2004
    fade = np.where(fading, 0.15 + 0.85 * np.clip(to_churn / 90, 0, 1), 1.0)
    age = (middle[None, :] - start[:, None]) / _DAY_NS
    onboarding = np.where(age < 60, 3.0, 1.0)  # noqa: PLR2004 - invites cluster early
    counts = []
    for kind in range(len(EVENT_TYPES)):
        level = (
            _BASE[kind]
            * team ** _TEAM[kind]
            * np.exp(_PROPENSITY[kind] * propensity + rng.normal(0, _NOISE[kind], n))
        )
        if EVENT_TYPES[kind] == "api_call":
            level = np.where(api_user, level, 0.0)
        expected = level[:, None] * share * season * fade
        if EVENT_TYPES[kind] == "invite":
            expected = expected * onboarding
        counts.append(rng.poisson(expected))
    stacked = np.stack(counts, axis=-1)  # account, bin, type
    flat = stacked.ravel()
    cell = np.repeat(np.arange(flat.size), flat)
    account, rest = np.divmod(cell, bins * len(EVENT_TYPES))
    month, kind = np.divmod(rest, len(EVENT_TYPES))
    lows, highs = low[account, month], high[account, month]
    at = lows + (rng.random(cell.size) * (highs - lows)).astype(np.int64)
    at = at - at % 1_000_000_000  # whole seconds
    value = np.ones(cell.size)
    exports = kind == EVENT_TYPES.index("export")
    value[exports] = np.round(np.exp(rng.normal(5.0, 1.2, int(exports.sum()))))
    invites = kind == EVENT_TYPES.index("invite")
    value[invites] = rng.integers(1, 4, int(invites.sum()))
    order = np.argsort(at, kind="stable")
    events = pd.DataFrame(
        {
            "account_id": pd.Categorical.from_codes(account[order], categories=ids),
            "at": pd.to_datetime(at[order], utc=True),
            "event": pd.Categorical.from_codes(kind[order], categories=list(EVENT_TYPES)),
            "value": value[order],
        }
    )
    traits = pd.DataFrame(
        {
            "account_id": ids,
            "propensity": propensity,
            "team_size": team,
            "seasonality": amplitude,
            "plan": np.where(annual, "annual", "monthly"),
            "declines": declines,
        }
    )
    return UsageLog(terms=terms, events=events, traits=traits, as_of=end.to_pydatetime())
