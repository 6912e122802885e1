"""The statistics of a backtest, in NumPy: AUC, its bootstrap by account, lift, deciles.

Conventions shared by every function here:

* ``scores`` is a float64 array, higher = healthier, with no NaN (rows without
  a score are left out before these functions are called);
* ``healthy`` is a boolean array: True for the rows whose outcome a healthy
  account has (did not churn; renewed), False for the others;
* the AUC is the probability that a healthy row scores above an unhealthy one,
  ties counting one half (the Mann-Whitney statistic), which is scikit-learn's
  ``roc_auc_score(healthy, scores)``.

The bootstrap resamples *accounts*, not rows: an account drawn twice brings all
its observations twice. Rows of one account are not independent (the same
customer seen month after month), so resampling rows would claim more
certainty than the data holds. Each resample is a vector of account
multiplicities; the AUC of a weighted sample is computed from per-tie-group
weight sums in exact integer arithmetic, many resamples at once, with no Python
loop over rows.
"""

from __future__ import annotations

from typing import Any

from successkit.evidence._inputs import require

__all__ = [
    "auc",
    "band_table",
    "bootstrap_aucs",
    "decile_table",
    "percentile_interval",
    "roc_points",
    "share_rate",
    "tie_groups",
]

# About 32 MB of int32 weights per block of resamples.
_BLOCK_ELEMENTS = 8_000_000


def tie_groups(scores: Any) -> tuple[Any, Any]:
    """The stable ascending order of ``scores`` and where each run of equal scores starts."""
    np = require("numpy")
    order = np.argsort(scores, kind="stable")
    ranked = scores[order]
    starts = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
    return order, starts


def auc(scores: Any, healthy: Any) -> float:
    """P(a healthy row scores above an unhealthy one), ties one half; NaN with one class."""
    np = require("numpy")
    order, starts = tie_groups(scores)
    flags = healthy[order].astype(np.int64)
    size = np.diff(np.append(starts, len(flags)))
    good = np.add.reduceat(flags, starts)
    bad = size - good
    below = np.cumsum(bad) - bad
    total_good, total_bad = int(good.sum()), int(bad.sum())
    if total_good == 0 or total_bad == 0:
        return float("nan")
    # Twice the numerator, in integers: exact however many rows.
    twice = int((good * (2 * below + bad)).sum())
    return twice / (2 * total_good * total_bad)


def _prepare(scores: Any, healthy: Any, accounts: Any) -> tuple[Any, ...]:
    """Precompute, for one score vector, what every resample of accounts needs.

    The smaller class is the *anchor*: for each anchor row, how many rows of the
    other class score below it (strictly, and up to ties); the other class's
    weights are summed cumulatively in score order once per block of resamples.
    """
    np = require("numpy")
    anchor_healthy = int(healthy.sum()) * 2 <= len(healthy)
    anchor = healthy if anchor_healthy else ~healthy
    counted = np.flatnonzero(~anchor)
    counted = counted[np.argsort(scores[counted], kind="stable")]
    anchors = np.flatnonzero(anchor)
    ranked = scores[counted]
    low = np.searchsorted(ranked, scores[anchors], side="left")
    high = np.searchsorted(ranked, scores[anchors], side="right")
    tied = not np.array_equal(low, high)
    return anchor_healthy, accounts[counted], accounts[anchors], low, high, tied


def bootstrap_aucs(
    scores: list[Any],
    healthy: Any,
    accounts: Any,
    n_accounts: int,
    *,
    resamples: int,
    seed: int,
) -> Any:
    """The AUC of each score vector on ``resamples`` resamples of accounts (shared by all).

    Args:
        scores: one or more score vectors over the same rows (no NaN).
        healthy: the rows' classes (see the module).
        accounts: each row's account code in ``0..n_accounts-1``.
        n_accounts: the number of accounts.
        resamples: how many resamples.
        seed: the seed of the random generator; the same seed draws the same accounts.

    Returns:
        A float64 array of shape ``(len(scores), resamples)``; NaN for a resample
        that drew only one class.
    """
    np = require("numpy")
    rng = np.random.default_rng(seed)
    prepared = [_prepare(vector, healthy, accounts) for vector in scores]
    result = np.full((len(scores), resamples), np.nan)
    block = max(1, _BLOCK_ELEMENTS // max(len(healthy), n_accounts, 1))
    for first in range(0, resamples, block):
        count = min(block, resamples - first)
        draws = rng.integers(0, n_accounts, size=(count, n_accounts))
        offsets = (np.arange(count, dtype=np.int64) * n_accounts)[:, None]
        times = np.bincount((draws + offsets).ravel(), minlength=count * n_accounts)
        times = times.reshape(count, n_accounts).astype(np.int32)
        for index, (anchor_healthy, counted, anchors, low, high, tied) in enumerate(prepared):
            # cumulative[:, k]: the weight of the k lowest-scored rows of the other class.
            cumulative = np.zeros((count, len(counted) + 1), dtype=np.int64)
            np.cumsum(times[:, counted], axis=1, out=cumulative[:, 1:])
            weights = times[:, anchors]
            below = cumulative[:, low] + cumulative[:, high] if tied else 2 * cumulative[:, low]
            # Twice the count of (healthy above unhealthy) pairs, ties one half.
            twice = np.einsum("ij,ij->i", weights.astype(np.int64), below)
            other = cumulative[:, -1]
            mine = weights.sum(axis=1, dtype=np.int64)
            if not anchor_healthy:
                twice = 2 * mine * other - twice
            pairs = mine * other
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.where(pairs > 0, twice / (2.0 * pairs), np.nan)
            result[index, first : first + count] = values
    return result


def percentile_interval(values: Any, confidence: float) -> tuple[float | None, float | None, int]:
    """The central ``confidence`` interval of ``values`` (NaN ignored) and how many counted."""
    np = require("numpy")
    kept = values[np.isfinite(values)]
    if len(kept) == 0:
        return None, None, 0
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(kept, [tail, 1.0 - tail])
    return float(low), float(high), len(kept)


def share_rate(scores: Any, outcome: Any, share: float, *, lowest: bool) -> float:
    """The outcome rate among the ``share`` of rows with the lowest (or highest) scores.

    Rows tied at the cut count pro rata: when the cut falls inside a run of equal
    scores, each row of the run counts for the fraction of the run inside the cut.
    """
    np = require("numpy")
    order, starts = tie_groups(scores if lowest else -scores)
    hits = np.add.reduceat(outcome[order].astype(np.float64), starts)
    size = np.diff(np.append(starts, len(order))).astype(np.float64)
    wanted = share * len(order)
    before = np.cumsum(size) - size
    inside = np.clip(wanted - before, 0.0, size)
    return float((inside / size * hits).sum() / wanted)


def decile_table(scores: Any, outcome: Any, bins: int = 10) -> list[dict[str, Any]]:
    """Rows grouped by score into ``bins`` groups of about equal size, least healthy first.

    Ties stay together (a row's group comes from its average rank), so with many
    ties a group can be larger than the others or absent.
    """
    np = require("numpy")
    order, starts = tie_groups(scores)
    size = np.diff(np.append(starts, len(order)))
    first_rank = np.cumsum(size) - size
    middle = np.repeat(first_rank + (size - 1) / 2.0, size)
    rank = np.empty(len(order))
    rank[order] = middle
    group = np.minimum((rank * bins / len(order)).astype(np.int64), bins - 1)
    counts = np.bincount(group, minlength=bins)
    hits = np.bincount(group, weights=outcome.astype(np.float64), minlength=bins)
    sums = np.bincount(group, weights=scores, minlength=bins)
    table = []
    for index in np.flatnonzero(counts):
        members = scores[group == index]
        table.append(
            {
                "decile": int(index) + 1,
                "observations": int(counts[index]),
                "mean_score": float(sums[index] / counts[index]),
                "min_score": float(members.min()),
                "max_score": float(members.max()),
                "outcomes": round(float(hits[index])),
                "rate": float(hits[index] / counts[index]),
            }
        )
    return table


def band_table(codes: Any, outcome: Any) -> list[tuple[int, int, int]]:
    """``(code, observations, outcomes)`` for red, amber, green (0-2) and no band (-1)."""
    np = require("numpy")
    shifted = codes.astype(np.int64) + 1
    counts = np.bincount(shifted, minlength=4)
    hits = np.bincount(shifted, weights=outcome.astype(np.float64), minlength=4)
    return [(code, int(counts[code + 1]), round(hits[code + 1])) for code in (0, 1, 2, -1)]


def roc_points(scores: Any, healthy: Any, limit: int = 400) -> tuple[tuple[float, float], ...]:
    """The ROC curve of flagging the lowest scores, thinned to about ``limit`` points.

    Each point is ``(share of healthy rows flagged, share of unhealthy rows
    flagged)`` when every row at or below a score is flagged, from (0, 0) to (1, 1).
    """
    np = require("numpy")
    order, starts = tie_groups(scores)
    flags = healthy[order].astype(np.int64)
    good = np.add.reduceat(flags, starts)
    bad = np.diff(np.append(starts, len(flags))) - good
    x = np.concatenate(([0.0], np.cumsum(good) / max(int(good.sum()), 1)))
    y = np.concatenate(([0.0], np.cumsum(bad) / max(int(bad.sum()), 1)))
    if len(x) > limit:
        keep = np.unique(np.linspace(0, len(x) - 1, limit).round().astype(np.int64))
        x, y = x[keep], y[keep]
    return tuple(zip(x.tolist(), y.tolist(), strict=True))
