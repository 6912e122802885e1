"""Backtest: does a scorecard rank the accounts that went on to churn as unhealthy?

Design. A backtest reads an observation table (one row per account seen as of a
date, with the outcome that followed within a horizon and the measures known
strictly before that date), scores every row with the scorer under test, and
measures how well the score separates the outcome:

* **AUC**, for "higher score = healthier": the probability that an account
  whose outcome is the healthy one (did not churn; renewed) scores above one
  whose outcome is not, ties counting one half; 0.5 is chance, 1 a perfect
  ranking. It is scikit-learn's ``roc_auc_score`` of the healthy class.
* a **confidence interval** by bootstrap over *accounts*: the observations of
  one account move together, so resampling rows would overstate certainty.
* **lift**: the outcome rate in the least healthy 10 % and in the healthiest
  50 % of the observations, against the overall rate; rows tied at a cut count
  pro rata.
* **bands**: outcome rate and count per band, checked for order (Red > Amber >
  Green for a bad outcome, the reverse for a good one); rows without a band
  (no score, or not enough evidence for one) are counted apart.
* **calibration** by score decile: mean score, outcome rate and count.

Whether the outcome is bad (churn, contraction) or good (renewal, expansion)
decides which class is "healthy"; it is read from the outcome's name
(``churned``/``contracted`` bad, ``renewed``/``expanded`` good) or declared with
``outcome_is_bad``. A fixed scorecard is judged on the observations given (or,
with ``train_before``, on those at or after that date). A scorecard *fitted*
from history (a :class:`ScorecardClassifier`) is judged only on observations it
was not fitted on: trained before a date and tested after it, or
cross-validated in folds of accounts, each account's observations held out
together.

Results are frozen value objects: :class:`Backtest` and :class:`Comparison`,
with ``to_frame()``, a short ``str()`` and notebook HTML.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from successkit._progress import Progress, Steps
from successkit._validation import ensure_aware
from successkit.errors import ValidationError
from successkit.evidence import _stats
from successkit.evidence._inputs import (
    Scored,
    account_codes,
    as_of_mask,
    check_frame,
    outcome_direction,
    outcome_values,
    require,
    score_observations,
)
from successkit.evidence._results import (
    AucDifference,
    Backtest,
    BandOutcome,
    Comparison,
    Decile,
    Fold,
    Lift,
)

if TYPE_CHECKING:
    from successkit.scoring import BandScheme, Scorecard

__all__ = ["backtest", "compare"]

_BAND_NAMES = {0: "red", 1: "amber", 2: "green", -1: None}


# -- running a scorer over the observations ----------------------------------------------------


@attrs.frozen(kw_only=True)
class _Run:
    """A scorer's scores on the rows it is judged on (``judged``), and how they were split."""

    scored: Scored
    judged: Any
    split: str
    folds: tuple[Fold, ...]


def _is_estimator(scorer: Any) -> bool:
    return hasattr(scorer, "fit") and hasattr(scorer, "get_params")


def _fitted_run(
    estimator: Any,
    frame: Any,
    y: Any,
    accounts: Any,
    *,
    is_bad: bool,
    train_before: datetime | None,
    cv: int | None,
    outcome: str,
    steps: Steps,
) -> _Run:
    from successkit.evidence._estimator import (  # noqa: PLC0415 - needs scikit-learn
        ScorecardClassifier,
    )

    if not isinstance(estimator, ScorecardClassifier):
        raise ValidationError(
            "scorer", type(estimator).__name__, "a Scorecard, a ScorecardClassifier, a column name"
        )
    if not estimator.measures:
        raise ValidationError(
            "scorer.measures", estimator.measures, "the measure columns the scorecard is fitted on"
        )
    np = require("numpy")
    base = require("sklearn.base")
    measures = list(estimator.measures)
    template = base.clone(estimator).set_params(outcome_is_bad=is_bad)
    n = len(frame)
    values = np.full(n, np.nan)
    bands = np.full(n, -1, dtype=np.int8)
    folds: list[Fold] = []
    if train_before is not None:
        train = as_of_mask(frame, train_before)
        splits = [(np.flatnonzero(train), np.flatnonzero(~train))]
        judged = ~train
        split = f"observed on or after {train_before:%Y-%m-%d}, fitted on those before"
    else:
        assert cv is not None  # noqa: S101 - the caller asks for one of the two
        model_selection = require("sklearn.model_selection")
        if len(np.unique(accounts)) < cv:
            raise ValidationError("cv", cv, "no more folds than accounts")
        splitter = model_selection.GroupKFold(n_splits=cv)
        splits = list(splitter.split(np.zeros(n), y, groups=accounts))
        judged = np.ones(n, dtype=bool)
        split = f"{cv}-fold cross-validation, folds of accounts (each fold scored unseen)"
    steps.total += len(splits) - 1  # one step per fold instead of one for the scoring
    for number, (train_rows, test_rows) in enumerate(splits, start=1):
        where = f"fold {number}" if cv else f"before {train_before:%Y-%m-%d}"
        _check_classes(y[train_rows], outcome, f"the training observations ({where})")
        model = base.clone(template).fit(frame.iloc[train_rows][measures], y[train_rows])
        scored = score_observations(model.scorecard_, frame.iloc[test_rows])
        values[test_rows] = scored.values
        bands[test_rows] = scored.bands
        healthy = (y[test_rows] == 0) if is_bad else (y[test_rows] == 1)
        present = np.isfinite(scored.values)
        folds.append(
            Fold(
                fold=number,
                train_observations=len(train_rows),
                test_observations=len(test_rows),
                test_accounts=len(np.unique(accounts[test_rows])),
                auc=_stats.auc(scored.values[present], healthy[present]),
            )
        )
        steps.done()
    label = f"{template.scorecard_id} (fitted)"
    return _Run(
        scored=Scored(label=label, values=values, bands=bands),
        judged=judged,
        split=split,
        folds=tuple(folds),
    )


def _check_classes(y: Any, outcome: str, where: str) -> None:
    np = require("numpy")
    present = np.unique(y)
    if len(present) < 2:  # noqa: PLR2004 - two classes
        only = int(present[0]) if len(present) else None
        raise ValidationError(
            f"observations[{outcome!r}]",
            f"only {only!r} in {where}",
            "both outcomes (0 and 1) in every set the score is judged or fitted on",
        )


def _run(
    scorer: Any,
    frame: Any,
    y: Any,
    accounts: Any,
    *,
    is_bad: bool,
    bands: BandScheme | str | None,
    train_before: datetime | None,
    cv: int | None,
    outcome: str,
    steps: Steps,
) -> _Run:
    np = require("numpy")
    if _is_estimator(scorer):
        if train_before is None and cv is None:
            if hasattr(scorer, "scorecard_"):
                return _run(
                    scorer.scorecard_,
                    frame,
                    y,
                    accounts,
                    is_bad=is_bad,
                    bands=bands,
                    train_before=None,
                    cv=None,
                    outcome=outcome,
                    steps=steps,
                )
            raise ValidationError(
                "train_before",
                None,
                "a date or cv folds: an unfitted scorecard is judged on observations "
                "it was not fitted on",
            )
        return _fitted_run(
            scorer,
            frame,
            y,
            accounts,
            is_bad=is_bad,
            train_before=train_before,
            cv=cv,
            outcome=outcome,
            steps=steps,
        )
    if cv is not None:
        raise ValidationError(
            "cv", cv, "None for a fixed scorer (cross-validation fits a ScorecardClassifier)"
        )
    scored = score_observations(scorer, frame, bands=bands)
    steps.done()
    if train_before is None:
        return _Run(
            scored=scored,
            judged=np.ones(len(frame), dtype=bool),
            split="all observations",
            folds=(),
        )
    judged = ~as_of_mask(frame, train_before)
    split = f"observed on or after {train_before:%Y-%m-%d}"
    return _Run(scored=scored, judged=judged, split=split, folds=())


def _check_share(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ValidationError(name, value, "a share strictly between 0 and 1")
    return float(value)


def _check_options(bootstrap: Any, seed: Any, confidence: Any, cv: Any) -> None:
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 0:
        raise ValidationError("bootstrap", bootstrap, "a whole number of resamples, 0 or more")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError("seed", seed, "a whole number, 0 or more")
    _check_share(confidence, "confidence")
    if cv is not None and (isinstance(cv, bool) or not isinstance(cv, int) or cv < 2):  # noqa: PLR2004
        raise ValidationError("cv", cv, "a whole number of folds, 2 or more, or None")


@attrs.frozen(kw_only=True)
class _Options:
    outcome: str
    is_bad: bool
    bootstrap: int
    seed: int
    confidence: float
    least_healthy: float
    healthiest: float


def _summarise(run: _Run, y: Any, accounts: Any, options: _Options) -> Backtest:
    np = require("numpy")
    judged = run.judged
    values = run.scored.values[judged]
    outcome = y[judged]
    owners = accounts[judged]
    present = np.isfinite(values)
    scores, hits = values[present], outcome[present]
    healthy = (hits == 0) if options.is_bad else (hits == 1)
    where = f"the observations judged ({run.split})"
    _check_classes(hits, options.outcome, where)
    codes_present, owner_codes = np.unique(owners[present], return_inverse=True)
    low = high = None
    used = 0
    if options.bootstrap:
        draws = _stats.bootstrap_aucs(
            [scores],
            healthy,
            owner_codes,
            len(codes_present),
            resamples=options.bootstrap,
            seed=options.seed,
        )
        low, high, used = _stats.percentile_interval(draws[0], options.confidence)
    overall = float(hits.mean())
    lift = tuple(
        Lift(segment=segment, share=share, rate=rate, lift=rate / overall)
        for segment, share, rate in (
            (
                "least healthy",
                options.least_healthy,
                _stats.share_rate(scores, hits, options.least_healthy, lowest=True),
            ),
            (
                "healthiest",
                options.healthiest,
                _stats.share_rate(scores, hits, options.healthiest, lowest=False),
            ),
        )
    )
    bands: tuple[BandOutcome, ...] = ()
    ordered = None
    if run.scored.bands is not None:
        rows = _stats.band_table(run.scored.bands[judged], outcome)
        bands = tuple(
            BandOutcome(band=_BAND_NAMES[c], observations=n, outcomes=k) for c, n, k in rows
        )
        ordered = _bands_ordered(bands, is_bad=options.is_bad)
    return Backtest(
        scorer=run.scored.label,
        outcome=options.outcome,
        outcome_is_bad=options.is_bad,
        split=run.split,
        observations=int(judged.sum()),
        accounts=len(np.unique(owners)),
        unscored=int((~present).sum()),
        outcomes=int(hits.sum()),
        auc=_stats.auc(scores, healthy),
        auc_low=low,
        auc_high=high,
        confidence=options.confidence,
        resamples=used,
        lift=lift,
        bands=bands,
        bands_ordered=ordered,
        deciles=tuple(Decile(**row) for row in _stats.decile_table(scores, hits)),
        folds=run.folds,
        roc=_stats.roc_points(scores, healthy),
    )


def _bands_ordered(bands: Sequence[BandOutcome], *, is_bad: bool) -> bool | None:
    rates = [b.rate for b in bands if b.band is not None and b.rate is not None]
    if len(rates) < 2:  # noqa: PLR2004 - an order needs two bands
        return None
    pairs = itertools.pairwise(rates)
    # Bands come red, amber, green: a bad outcome falls along them, a good one rises.
    return all((a > b) if is_bad else (a < b) for a, b in pairs)


def _prepare(
    observations: Any,
    *,
    outcome: str,
    outcome_is_bad: bool | None,
    bootstrap: int,
    seed: int,
    confidence: float,
    cv: int | None,
    train_before: Any,
    least_healthy: float,
    healthiest: float,
) -> tuple[Any, Any, Any, _Options, datetime | None]:
    frame = check_frame(observations)
    _check_options(bootstrap, seed, confidence, cv)
    if cv is not None and train_before is not None:
        raise ValidationError("cv", cv, "None when train_before is given (one split at a time)")
    moment = None if train_before is None else ensure_aware(train_before, "train_before")
    is_bad = outcome_direction(outcome, outcome_is_bad)
    y = outcome_values(frame, outcome)
    accounts, _ = account_codes(frame)
    options = _Options(
        outcome=outcome,
        is_bad=is_bad,
        bootstrap=bootstrap,
        seed=seed,
        confidence=float(confidence),
        least_healthy=_check_share(least_healthy, "least_healthy"),
        healthiest=_check_share(healthiest, "healthiest"),
    )
    return frame, y, accounts, options, moment


def backtest(
    scorer: Scorecard | str | Callable[[Any], Any] | Any,
    observations: Any,
    *,
    outcome: str = "churned",
    outcome_is_bad: bool | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    bands: BandScheme | str | None = None,
    train_before: datetime | None = None,
    cv: int | None = None,
    least_healthy: float = 0.1,
    healthiest: float = 0.5,
    progress: Progress | None = None,
) -> Backtest:
    """Backtest a scorer against what happened: AUC with a bootstrap interval, lift, bands.

    Args:
        scorer: what ranks the observations, higher = healthier: a
            :class:`~successkit.scoring.Scorecard` (each measure reads the column of
            its name), the name of a column of precomputed scores, a callable
            taking the frame and returning one score per row (NaN for none), or a
            :class:`ScorecardClassifier` to fit (with ``train_before`` or ``cv``).
        observations: a pandas DataFrame with ``account_id``, the outcome column
            (0/1), the measure or score columns, and ``as_of`` (timezone-aware)
            when ``train_before`` is given.
        outcome: the outcome column.
        outcome_is_bad: whether a healthy account avoids the outcome; ``None``
            reads it from the name (``churned``/``contracted`` bad,
            ``renewed``/``expanded`` good; any other name must say).
        bootstrap: resamples of accounts for the AUC interval (0: no interval).
        seed: the seed of the resampling; the same seed gives the same interval.
        confidence: the interval's confidence level.
        bands: for a score column or callable: a ``BandScheme`` or a column of band
            labels; a scorecard brings its own bands.
        train_before: judge only observations with ``as_of`` on or after this
            moment; a ``ScorecardClassifier`` is fitted on those before it.
        cv: cross-validate a ``ScorecardClassifier`` in this many folds of accounts.
        least_healthy: the share of lowest scores whose outcome rate is reported.
        healthiest: the share of highest scores whose outcome rate is reported.
        progress: called as ``progress(done, total)`` once the scores are in (after
            each fold, for a scorecard fitted fold by fold) and once the bootstrap
            and the tables are done.

    Returns:
        The :class:`Backtest`.

    Raises:
        ValidationError: a missing column, an outcome that is not 0/1, a single
            class among the judged or training observations, a naive time, a bad
            option; each names the column, the row or the value.
        MissingExtraError: NumPy, pandas or scikit-learn is not installed (the
            ``evidence`` extra).
    """
    steps = Steps(progress, 2)
    frame, y, accounts, options, moment = _prepare(
        observations,
        outcome=outcome,
        outcome_is_bad=outcome_is_bad,
        bootstrap=bootstrap,
        seed=seed,
        confidence=confidence,
        cv=cv,
        train_before=train_before,
        least_healthy=least_healthy,
        healthiest=healthiest,
    )
    run = _run(
        scorer,
        frame,
        y,
        accounts,
        is_bad=options.is_bad,
        bands=bands,
        train_before=moment,
        cv=cv,
        outcome=outcome,
        steps=steps,
    )
    result = _summarise(run, y, accounts, options)
    steps.done()
    return result


def _names(scorers: Any) -> list[tuple[str | None, Any]]:
    if isinstance(scorers, Mapping):
        return [(str(name), scorer) for name, scorer in scorers.items()]
    if isinstance(scorers, (str, bytes)) or not isinstance(scorers, Sequence):
        raise ValidationError("scorers", scorers, "a sequence (or mapping by name) of scorers")
    return [(None, scorer) for scorer in scorers]


def compare(
    scorers: Sequence[Any] | Mapping[str, Any],
    observations: Any,
    *,
    outcome: str = "churned",
    outcome_is_bad: bool | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    train_before: datetime | None = None,
    cv: int | None = None,
    least_healthy: float = 0.1,
    healthiest: float = 0.5,
    progress: Progress | None = None,
) -> Comparison:
    """Backtest two or more scorers on the same observations, side by side.

    Every scorer is judged on the same rows with the same resamples of accounts,
    so the interval of each AUC difference to the first scorer (the baseline) is
    a paired bootstrap on the observations all of them scored.

    Args:
        scorers: the scorers (see :func:`backtest`), or a mapping of display name
            to scorer; two versions of one scorecard are fine.
        observations: the observation table (see :func:`backtest`).
        outcome: the outcome column.
        outcome_is_bad: see :func:`backtest`.
        bootstrap: resamples of accounts (0: no intervals).
        seed: the seed of the resampling.
        confidence: the intervals' confidence level.
        train_before: judge observations on or after this moment (see :func:`backtest`).
        cv: folds of accounts for scorers that are fitted.
        least_healthy: see :func:`backtest`.
        healthiest: see :func:`backtest`.
        progress: called as ``progress(done, total)`` as each scorer's scores are in
            (each fold, for a fitted one) and once the intervals are done.

    Raises:
        ValidationError: fewer than two scorers, or anything :func:`backtest` refuses.
    """
    named = _names(scorers)
    if len(named) < 2:  # noqa: PLR2004 - a comparison needs two
        raise ValidationError("scorers", len(named), "at least two scorers to compare")
    steps = Steps(progress, len(named) + 1)
    frame, y, accounts, options, moment = _prepare(
        observations,
        outcome=outcome,
        outcome_is_bad=outcome_is_bad,
        bootstrap=bootstrap,
        seed=seed,
        confidence=confidence,
        cv=cv,
        train_before=train_before,
        least_healthy=least_healthy,
        healthiest=healthiest,
    )
    runs = []
    for name, scorer in named:
        run = _run(
            scorer,
            frame,
            y,
            accounts,
            is_bad=options.is_bad,
            bands=None,
            train_before=moment,
            cv=cv if _is_estimator(scorer) else None,
            outcome=outcome,
            steps=steps,
        )
        if name is not None:
            run = attrs.evolve(run, scored=attrs.evolve(run.scored, label=name))
        runs.append(run)
    _unique_labels(runs)
    backtests = tuple(_summarise(run, y, accounts, options) for run in runs)
    result = Comparison(backtests=backtests, differences=_differences(runs, y, accounts, options))
    steps.done()
    return result


def _unique_labels(runs: list[_Run]) -> None:
    seen: dict[str, int] = {}
    for index, run in enumerate(runs):
        label = run.scored.label
        if label in seen:
            seen[label] += 1
            renamed = attrs.evolve(run.scored, label=f"{label} #{seen[label]}")
            runs[index] = attrs.evolve(run, scored=renamed)
        else:
            seen[label] = 1


def _differences(
    runs: list[_Run], y: Any, accounts: Any, options: _Options
) -> tuple[AucDifference, ...]:
    np = require("numpy")
    common = np.ones(len(y), dtype=bool)
    for run in runs:
        common &= run.judged & np.isfinite(run.scored.values)
    hits = y[common]
    _check_classes(hits, options.outcome, "the observations every scorer scored")
    healthy = (hits == 0) if options.is_bad else (hits == 1)
    vectors = [run.scored.values[common] for run in runs]
    points = [_stats.auc(v, healthy) for v in vectors]
    draws = None
    if options.bootstrap:
        owners, codes = np.unique(accounts[common], return_inverse=True)
        draws = _stats.bootstrap_aucs(
            vectors, healthy, codes, len(owners), resamples=options.bootstrap, seed=options.seed
        )
    differences = []
    for index in range(1, len(runs)):
        low = high = None
        if draws is not None:
            low, high, _ = _stats.percentile_interval(draws[index] - draws[0], options.confidence)
        differences.append(
            AucDifference(
                scorer=runs[index].scored.label,
                baseline=runs[0].scored.label,
                observations=int(common.sum()),
                difference=points[index] - points[0],
                low=low,
                high=high,
            )
        )
    return tuple(differences)
