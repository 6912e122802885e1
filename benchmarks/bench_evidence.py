"""Evidence: usage measures from a large event log, against hand-written pandas.

Run: python benchmarks/bench_evidence.py [--accounts N] [--observations Q] [--repeat R]

A synthetic log from ``successkit.samples.usage_log`` (about 4 M events for
the default 1,000 accounts over 24 months) and 10 k of their monthly
anniversary observations. Measured in this one run, each the best of R:

* ``usage_measures`` with windows of 30 and 90 days and every event type
  (counts, sums, rates, change, distinct types, recency: 36 columns), on the
  log in time order and shuffled (a log in no order costs one more sort);
* a straightforward hand-written pandas equivalent of its counts, sums and
  recency (``merge_asof`` on per-account cumulative counts, one pass per window
  bound and event type), checked to give the same numbers;
* a backtest with a bootstrap over accounts on 100 k observations, against
  hand-written NumPy and scikit-learn (``bench_backtest.py``).
"""

from __future__ import annotations

import argparse

import bench_backtest
import numpy as np
import pandas as pd
from _timing import best_of

from successkit.evidence import observations, usage_measures
from successkit.samples import EVENT_TYPES, usage_log

WINDOWS = (30, 90)


def hand_written(events: pd.DataFrame, seen: pd.DataFrame) -> pd.DataFrame:
    """What a practitioner writes in pandas: cumulative counts looked up with merge_asof."""
    out = seen[["account_id", "as_of"]].copy()
    out["row"] = np.arange(len(out))
    log = events[["account_id", "at", "event", "value"]].copy()
    log["account_id"] = log["account_id"].astype(str)
    log["event"] = log["event"].astype(str)
    out["account_id"] = out["account_id"].astype(str)
    groups = [("", log), *((t, log[log["event"] == t]) for t in EVENT_TYPES)]
    for name, group in groups:
        ordered = group.sort_values("at")
        part = ordered.assign(
            n=ordered.groupby("account_id").cumcount() + 1,
            total=ordered.groupby("account_id")["value"].cumsum(),
        )
        suffix = f"_{name}" if name else ""

        def before(moment: pd.Series, part: pd.DataFrame = part) -> pd.DataFrame:
            probe = pd.DataFrame({"account_id": out["account_id"], "t": moment, "row": out["row"]})
            found = pd.merge_asof(
                probe.sort_values("t"),
                part[["account_id", "at", "n", "total"]],
                left_on="t",
                right_on="at",
                by="account_id",
                allow_exact_matches=False,
            ).sort_values("row")
            return found.fillna({"n": 0, "total": 0.0})

        now = before(out["as_of"])
        last = now["at"].to_numpy()
        days = (out["as_of"].to_numpy() - last) / np.timedelta64(1, "D")
        out[f"days_since_last{suffix or '_event'}"] = days
        for w in WINDOWS:
            start = before(out["as_of"] - pd.Timedelta(days=w))
            out[f"events{suffix}_{w}d"] = (now["n"].to_numpy() - start["n"].to_numpy()).astype(
                np.int64
            )
            out[f"value{suffix}_{w}d"] = now["total"].to_numpy() - start["total"].to_numpy()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--observations", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    built, log = best_of(1, lambda: usage_log(args.accounts, seed=0))
    seen = observations(log.terms, as_of=log.as_of)
    if len(seen) > args.observations:
        seen = seen.sample(n=args.observations, random_state=0).sort_index()
    print(
        f"usage_log({args.accounts}): {len(log.events):,} events, {len(log.terms):,} terms "
        f"in {built:.2f} s; {len(seen):,} observations"
    )

    # --- usage measures ------------------------------------------------------------
    ours, measured = best_of(
        args.repeat, lambda: usage_measures(log.events, seen, windows=WINDOWS), pause_gc=True
    )
    shuffled = log.events.sample(frac=1.0, random_state=0)
    unordered, _ = best_of(
        args.repeat, lambda: usage_measures(shuffled, seen, windows=WINDOWS), pause_gc=True
    )
    theirs, expected = best_of(args.repeat, lambda: hand_written(log.events, seen), pause_gc=True)
    for column in expected.columns.drop(["account_id", "as_of", "row"]):
        np.testing.assert_allclose(
            measured[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float),
            rtol=1e-9,
            atol=1e-6,
            err_msg=column,
        )
    print(
        f"usage_measures ({measured.shape[1] - seen.shape[1]} columns): {ours:.2f} s; "
        f"hand-written pandas ({expected.shape[1] - 3} of them): {theirs:.2f} s; "
        f"ratio {ours / theirs:.2f} (below 1: faster than hand-written)"
    )
    print(f"usage_measures on the shuffled log: {unordered:.2f} s, ratio {unordered / theirs:.2f}")

    # --- backtest ------------------------------------------------------------------
    # The backtest with a bootstrap of 1,000 resamples of accounts on 100 k
    # observations, against scikit-learn's roc_auc_score per resample (200 run,
    # scaled to 1,000); bench_backtest.py alone takes the full set of options.
    print()
    bench_backtest.main(["--reference-resamples", "200", "--repeat", "2"])


if __name__ == "__main__":
    main()
