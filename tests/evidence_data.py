"""Observation tables for the evidence tests, described the way a practitioner would.

Each account has a hidden propensity (how well it is doing, never seen by the
tests' scorecards) that drives both its usage and its churn, as in real data:
healthy accounts log in more, go quiet less, and churn less. One measure
carries the signal inversely (days since the last event: lower is better), one
is pure noise, one is a heavy-tailed count.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

from successkit.scoring import Linear, Logarithmic, MeasureSpec, Scorecard

START = datetime(2024, 1, 31, tzinfo=timezone.utc)
MEASURES = ("events_30d", "days_since_last_event", "noise_90d", "tenure_days")


def observations(accounts: int = 400, months: int = 12, seed: int = 0) -> pd.DataFrame:
    """Monthly observations until an account churns; ``churned`` = churned within 30 days."""
    rng = np.random.default_rng(seed)
    propensity = rng.normal(size=accounts)
    tenure = rng.integers(30, 900, size=accounts)
    ids = np.array([f"acct-{i:05d}" for i in range(accounts)], dtype=object)
    alive = np.ones(accounts, dtype=bool)
    frames = []
    for month in range(months):
        who = np.flatnonzero(alive)
        if len(who) == 0:
            break
        z = propensity[who]
        noise = rng.normal(size=len(who))
        events = rng.poisson(np.exp(2.2 + 0.6 * z + 0.4 * noise))
        quiet = rng.exponential(4.0 * np.exp(-0.9 * z)).round()
        quiet[rng.random(len(who)) < 0.03] = np.nan  # never used the product yet
        churn = rng.random(len(who)) < 1.0 / (1.0 + np.exp(2.6 + 1.1 * z))
        frames.append(
            pd.DataFrame(
                {
                    "account_id": ids[who],
                    "as_of": pd.Timestamp(START + timedelta(days=30 * month)),
                    "churned": churn.astype(np.int64),
                    "renewed": (~churn).astype(np.int64),
                    "events_30d": events.astype(np.float64),
                    "days_since_last_event": quiet,
                    "noise_90d": rng.poisson(30, size=len(who)).astype(np.float64),
                    "tenure_days": (tenure[who] + 30 * month).astype(np.float64),
                }
            )
        )
        alive[who[churn]] = False
    return pd.concat(frames, ignore_index=True)


def equal_weight_card() -> Scorecard:
    """What a CS team would write by hand: the same measures, equal weights, sane directions."""
    return Scorecard(
        id="equal",
        version="1",
        measures=(
            MeasureSpec(name="events_30d", normalization=Logarithmic(high=60)),
            MeasureSpec(
                name="days_since_last_event",
                normalization=Linear(low=0, high=30),
                higher_is_better=False,
            ),
            MeasureSpec(name="noise_90d", normalization=Linear(low=15, high=45)),
        ),
    )


def split_by_account(frame: pd.DataFrame, share: float = 0.5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training and held-out observations, each account entirely on one side."""
    ids = np.sort(frame["account_id"].unique())
    train_ids = set(ids[: int(len(ids) * share)])
    mask = frame["account_id"].isin(train_ids)
    return frame[mask].reset_index(drop=True), frame[~mask].reset_index(drop=True)
