"""Backtest with a bootstrap over accounts, against the same done by hand in the same process.

Run: python benchmarks/bench_backtest.py [--rows N] [--accounts K] [--resamples B]
                                         [--reference-resamples R] [--repeat T]

100,000 observations of about 10,000 accounts, five measures, a hidden propensity
per account driving both the measures and churn. Measured, best of T:

* ``successkit.evidence.backtest``: scoring the card, AUC, a 95 % interval from B
  resamples of accounts, lift, bands and deciles;
* the hand-written equivalent: the card scored the same way, then scikit-learn's
  ``roc_auc_score`` with account weights once per resample (R resamples timed and
  scaled to B when R < B), pandas for lift, bands and deciles;
* the bootstrap alone, both ways, and whether the two AUCs and intervals agree.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _timing import best_of
from sklearn.metrics import roc_auc_score

from successkit.evidence import backtest
from successkit.frames import evaluate_columns
from successkit.scoring import Linear, Logarithmic, MeasureSpec, Scorecard


def observation_table(rows: int, accounts: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    owner = np.sort(rng.integers(0, accounts, size=rows))
    propensity = rng.normal(size=accounts)[owner]
    noise = rng.normal(size=rows)
    return pd.DataFrame(
        {
            "account_id": np.char.add("acct-", owner.astype(str)),
            "churned": (rng.random(rows) < 1 / (1 + np.exp(2.5 + propensity))).astype(np.int8),
            "events_30d": rng.poisson(np.exp(2.0 + 0.6 * propensity + 0.3 * noise)).astype(float),
            "days_since_last_event": rng.exponential(4 * np.exp(-0.8 * propensity)).round(),
            "distinct_events_90d": rng.poisson(np.exp(1.5 + 0.3 * propensity)).astype(float),
            "tenure_days": rng.integers(30, 1500, size=rows).astype(float),
            "noise_90d": rng.poisson(30, size=rows).astype(float),
        }
    )


def card() -> Scorecard:
    return Scorecard(
        id="bench",
        measures=(
            MeasureSpec(name="events_30d", normalization=Logarithmic(high=60), weight=3),
            MeasureSpec(
                name="days_since_last_event",
                normalization=Linear(low=0, high=30),
                higher_is_better=False,
                weight=3,
            ),
            MeasureSpec(name="distinct_events_90d", normalization=Linear(low=0, high=10)),
            MeasureSpec(name="tenure_days", normalization=Linear(low=0, high=1000)),
            MeasureSpec(name="noise_90d", normalization=Linear(low=15, high=45)),
        ),
    )


def by_hand(frame: pd.DataFrame, scorecard: Scorecard, resamples: int, seed: int) -> dict:
    """What a careful analyst writes: score, AUC, a bootstrap over accounts, lift, deciles."""
    scored = evaluate_columns(scorecard, frame)
    score = pd.Series(scored["value"], index=frame.index)
    healthy = (frame["churned"] == 0).to_numpy()
    codes, uniques = pd.factorize(frame["account_id"], sort=True)
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(resamples):
        picks = rng.integers(0, len(uniques), size=len(uniques))
        weights = np.bincount(picks, minlength=len(uniques))[codes]
        aucs.append(roc_auc_score(healthy, score.to_numpy(), sample_weight=weights))
    rank = score.rank(method="first")
    decile = pd.qcut(rank, 10, labels=False)
    return {
        "auc": roc_auc_score(healthy, score.to_numpy()),
        "interval": tuple(np.quantile(aucs, [0.025, 0.975])) if aucs else None,
        "least_healthy": frame["churned"][rank <= 0.1 * len(frame)].mean(),
        "healthiest": frame["churned"][rank > 0.5 * len(frame)].mean(),
        "deciles": frame["churned"].groupby(decile).mean(),
        "bands": frame["churned"].groupby(scored["band"]).agg(["mean", "size"]),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--reference-resamples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    frame = observation_table(args.rows, args.accounts)
    scorecard = card()
    accounts = frame["account_id"].nunique()
    print(f"{len(frame):,} observations of {accounts:,} accounts, {args.resamples:,} resamples")

    ours_time, ours = best_of(
        args.repeat, lambda: backtest(scorecard, frame, bootstrap=args.resamples), pause_gc=True
    )
    reference = min(args.reference_resamples, args.resamples)
    hand_time, hand = best_of(
        1 if reference >= 200 else args.repeat,
        lambda: by_hand(frame, scorecard, reference, seed=0),
        pause_gc=True,
    )
    fixed_time, _ = best_of(args.repeat, lambda: by_hand(frame, scorecard, 0, seed=0))
    per_resample = (hand_time - fixed_time) / max(reference, 1)
    hand_full = fixed_time + per_resample * args.resamples
    scaled = "" if reference == args.resamples else f" (scaled from {reference:,} resamples)"

    ours_zero, _ = best_of(args.repeat, lambda: backtest(scorecard, frame, bootstrap=0))
    ours_boot = ours_time - ours_zero
    hand_boot = per_resample * args.resamples

    print(f"successkit backtest                {ours_time:8.2f} s")
    print(f"by hand (scikit-learn per resample) {hand_full:7.2f} s{scaled}")
    print(f"  by hand / successkit              {hand_full / ours_time:7.1f}x")
    print(f"bootstrap alone: successkit {ours_boot:.2f} s, by hand {hand_boot:.2f} s "
          f"({hand_boot / max(ours_boot, 1e-9):.1f}x)")  # fmt: skip
    print(f"without the bootstrap: successkit {ours_zero:.3f} s, by hand {fixed_time:.3f} s")
    print(f"AUC: successkit {ours.auc:.6f}, scikit-learn {hand['auc']:.6f}")
    print(f"95 % interval: successkit {ours.auc_low:.4f}-{ours.auc_high:.4f}", end="")
    if hand["interval"] is not None:
        low, high = hand["interval"]
        same = "the same resamples" if reference == args.resamples else f"{reference:,} resamples"
        print(f", by hand {low:.4f}-{high:.4f} ({same})")
    else:
        print()


if __name__ == "__main__":
    main()
