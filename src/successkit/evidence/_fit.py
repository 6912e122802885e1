"""Fit: learn a plain, explainable scorecard from history.

Design. Each measure's normalisation is chosen from the *training* observations
alone:

* **Logarithmic** for heavy-tailed counts (non-negative, and skewness above 2 or
  a maximum above 20 times the median), **Linear** otherwise;
* bounds at the 1st and 99th percentiles (rounded to four significant digits),
  so a few extreme accounts do not squash everyone else into a corner;
* a missing value is declared as ``neutral`` (share 0.5) or ``worst`` (share 0);
  with either, the scorecard's value is an exact linear function of the shares.

Each measure's *direction* starts from its own relation to the outcome (higher
values seen more among healthy accounts: higher is better). The weights are the
coefficients of an L2-regularised logistic regression (scikit-learn) of the
healthy outcome on the directed shares; a coefficient that comes out negative
flips that measure's direction (``higher_is_better=False``) and the fit is
redone, so every weight is ``|coefficient|``. A measure whose weight is below
``min_weight`` of the total (1 % by default) is dropped, with the reason, and the
rest refitted. The score is then ``min + span x sum(w s) / sum(w)``: a monotone
function of the regression's linear predictor, so the scorecard ranks accounts
as the regression does, and its points still add up.

The result is an ordinary :class:`~successkit.scoring.Scorecard`: a new version
(a digest of its content unless given), its provenance in its description and
each measure's, bands calibrated on the training scores (20 % Red, 30 % Amber
by default), readable and writable as TOML. The :class:`FitReport` says what
was learned: coefficients, training and cross-validated AUC (folds of accounts,
every fold fitted from scratch, normalisation included), measures dropped and
why.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from successkit._progress import Progress, Steps
from successkit.errors import ValidationError
from successkit.evidence import _stats
from successkit.evidence._calibrate import band_cuts_by_quantiles, banded
from successkit.evidence._inputs import require
from successkit.evidence._results import FitReport, FitResult, MeasureFit
from successkit.scoring import (
    BandScheme,
    Linear,
    Logarithmic,
    MeasureSpec,
    MissingPolicy,
    Scale,
    Scorecard,
)

__all__ = [
    "FitOptions",
    "fit_measures",
    "fit_scorecard",
    "measure_columns",
]

_SIGNIFICANT = 4


@attrs.frozen(kw_only=True)
class FitOptions:
    """The settings of a fit (see :class:`ScorecardClassifier` for their meaning)."""

    c: float = 1.0
    outcome_is_bad: bool = True
    missing: str | Mapping[str, str] = "neutral"
    min_weight: float = 0.01
    bounds: tuple[float, float] = (0.01, 0.99)
    heavy_tail_skew: float = 2.0
    heavy_tail_ratio: float = 20.0
    scale: Scale = attrs.field(factory=Scale)
    bands: BandScheme | tuple[float, float] = (0.2, 0.5)
    scorecard_id: str = "fitted"
    version: str | None = None
    max_iter: int = 1000
    outcome: str = "y"


def _positive(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValidationError(name, value, "a positive number")


def check_options(options: FitOptions, measures: Sequence[str]) -> None:
    """Refuse settings a fit cannot use, naming the parameter."""
    _positive(options.c, "C")
    _positive(options.heavy_tail_skew, "heavy_tail_skew")
    _positive(options.heavy_tail_ratio, "heavy_tail_ratio")
    if not isinstance(options.outcome_is_bad, bool):
        raise ValidationError("outcome_is_bad", options.outcome_is_bad, "True or False")
    weight = options.min_weight
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight < 1:
        raise ValidationError("min_weight", weight, "a share from 0 to below 1")
    low, high = _pair(options.bounds, "bounds")
    if not 0 <= low < high <= 1:
        raise ValidationError("bounds", options.bounds, "two percentiles 0 <= low < high <= 1")
    if not isinstance(options.scale, Scale):
        raise ValidationError("scale", options.scale, "a Scale")
    if not isinstance(options.bands, BandScheme):
        _pair(options.bands, "bands")
    elif options.bands.scale != options.scale:
        raise ValidationError("bands", str(options.bands.scale), f"bands on {options.scale}")
    _positive(options.max_iter, "max_iter")
    if not isinstance(options.max_iter, int):
        raise ValidationError("max_iter", options.max_iter, "a whole number of iterations")
    for name in measures:
        _policy(options.missing, name)


def _pair(value: Any, name: str) -> tuple[float, float]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:  # noqa: PLR2004
        raise ValidationError(name, value, "a pair of numbers")
    low, high = value
    for item in (low, high):
        if isinstance(item, bool) or not isinstance(item, (int, float)) or not math.isfinite(item):
            raise ValidationError(name, value, "a pair of finite numbers")
    return float(low), float(high)


def _policy(missing: str | Mapping[str, str], measure: str) -> MissingPolicy:
    chosen = missing.get(measure, "neutral") if isinstance(missing, Mapping) else missing
    if chosen not in {"neutral", "worst"}:
        where = f"missing[{measure!r}]" if isinstance(missing, Mapping) else "missing"
        raise ValidationError(
            where,
            chosen,
            "'neutral' or 'worst' (with them the score is exactly linear in the shares)",
        )
    return MissingPolicy(chosen)


def _significant(value: float) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    digits = _SIGNIFICANT - 1 - math.floor(math.log10(abs(value)))
    return round(value, digits)


def _skew(values: Any) -> float | None:
    np = require("numpy")
    if len(values) < 2:  # noqa: PLR2004 - a spread needs two values
        return None
    spread = float(values.std())
    if spread == 0:
        return 0.0
    return float(np.mean((values - values.mean()) ** 3) / spread**3)


def _normalisation(
    name: str, raw: Any, options: FitOptions
) -> tuple[Linear | Logarithmic | None, MeasureFit]:
    """The measure's normalisation from its training values, or why it cannot have one."""
    np = require("numpy")
    present = raw[np.isfinite(raw)]
    policy = _policy(options.missing, name)
    share = len(present) / len(raw)
    skew = _skew(present)
    empty = MeasureFit(
        measure=name,
        kind=None,
        low=None,
        high=None,
        higher_is_better=None,
        coefficient=None,
        weight=0.0,
        missing=policy.value,
        present=share,
        skew=skew,
    )
    if len(present) < 2:  # noqa: PLR2004 - bounds need two values
        return None, attrs.evolve(empty, dropped="fewer than two values in the training data")
    low, high = (float(v) for v in np.quantile(present, options.bounds))
    if high <= low:
        low, high = float(present.min()), float(present.max())
    if high <= low:
        return None, attrs.evolve(empty, dropped="constant in the training data")
    median, largest = float(np.median(present)), float(present.max())
    heavy = float(present.min()) >= 0 and (
        (skew is not None and skew > options.heavy_tail_skew)
        or largest > options.heavy_tail_ratio * median
    )
    rounded = (_significant(low), _significant(high))
    if rounded[1] > rounded[0]:
        low, high = rounded
    norm: Linear | Logarithmic = (
        Logarithmic(low=low, high=high) if heavy else Linear(low=low, high=high)
    )
    return norm, attrs.evolve(empty, kind=norm.kind, low=low, high=high)


def shares_of(raw: Any, norm: Linear | Logarithmic) -> Any:
    """The normalisation applied to a column (NaN stays NaN), as the scorecard computes it."""
    np = require("numpy")
    with np.errstate(invalid="ignore", divide="ignore"):
        if isinstance(norm, Logarithmic):
            moved = np.maximum(raw - norm.low, 0.0)
            share = np.log1p(moved) / math.log1p(norm.high - norm.low)
        else:
            share = (raw - norm.low) / (norm.high - norm.low)
    return np.where(np.isnan(raw), np.nan, np.clip(share, 0.0, 1.0))


def _directed(share: Any, higher_is_better: bool, policy: MissingPolicy) -> Any:
    np = require("numpy")
    directed = share if higher_is_better else 1.0 - share
    fill = 0.5 if policy is MissingPolicy.NEUTRAL else 0.0
    return np.where(np.isnan(directed), fill, directed)


@attrs.frozen(kw_only=True)
class _Candidate:
    fit: MeasureFit
    norm: Linear | Logarithmic
    shares: Any
    policy: MissingPolicy


@attrs.frozen(kw_only=True)
class Fitted:
    """A fit's scorecard, report and the linear map from score to log-odds of health."""

    scorecard: Scorecard
    report: FitReport
    slope: float
    offset: float


def _regress(
    candidates: list[_Candidate], directions: list[bool], healthy: Any, options: FitOptions
) -> tuple[Any, float]:
    np = require("numpy")
    linear_model = require("sklearn.linear_model")
    design = np.column_stack(
        [_directed(c.shares, d, c.policy) for c, d in zip(candidates, directions, strict=True)]
    )
    model = linear_model.LogisticRegression(C=float(options.c), max_iter=options.max_iter)
    model.fit(design, healthy.astype(np.int64))
    return model.coef_[0].astype(float), float(model.intercept_[0])


def _settle(
    kept: list[_Candidate], directions: list[bool], healthy: Any, options: FitOptions
) -> tuple[Any, float]:
    """Coefficients all >= 0: a negative one flips its measure's direction.

    Flipping a share (``s -> 1 - s``) mirrors its coefficient exactly, so the
    weight is ``|coefficient|`` with no refit; only a measure whose missing
    values count as ``worst`` changes its design column when flipped (its fill
    moves to the other end), and is refitted, a few times at most.
    """
    np = require("numpy")
    coef, intercept = _regress(kept, directions, healthy, options)
    for _ in range(3):
        negative = np.flatnonzero(coef < 0)
        for index in negative:
            directions[index] = not directions[index]
        # b x s = b + |b| x (1 - s) for b < 0: the intercept takes b.
        intercept += float(coef[negative].sum())
        coef = np.abs(coef)
        if not any(kept[i].policy is MissingPolicy.WORST for i in negative):
            break
        coef, intercept = _regress(kept, directions, healthy, options)
    return np.abs(coef), intercept


def _weights(
    candidates: list[_Candidate], healthy: Any, options: FitOptions
) -> tuple[list[_Candidate], list[bool], Any, float, dict[str, str]]:
    """Directions and coefficients; the weakest measure is dropped and the rest refitted."""
    np = require("numpy")
    dropped: dict[str, str] = {}
    directions = []
    for c in candidates:
        present = ~np.isnan(c.shares)
        alone = _stats.auc(c.shares[present], healthy[present]) if present.any() else 0.5
        directions.append(not alone < 0.5)  # noqa: PLR2004 - the chance level
    kept = list(candidates)
    while True:
        coef, intercept = _settle(kept, directions, healthy, options)
        total = float(coef.sum())
        if total <= 0:
            for c in kept:
                dropped[c.fit.measure] = "no relation to the outcome in the training data"
            return [], [], coef, intercept, dropped
        weakest = int(np.argmin(coef))
        share = float(coef[weakest]) / total
        if share >= options.min_weight or len(kept) == 1:
            return kept, directions, coef, intercept, dropped
        dropped[kept[weakest].fit.measure] = (
            f"weight {share * 100:.1f} % below the minimum {options.min_weight * 100:g} % "
            "of the score"
        )
        del kept[weakest], directions[weakest]


def fit_measures(
    columns: Mapping[str, Any],
    healthy: Any,
    options: FitOptions,
    *,
    accounts: int | None = None,
) -> Fitted:
    """Fit a scorecard on measure columns (float arrays, NaN missing) and healthy flags.

    Raises:
        ValidationError: no measure carries signal, or a setting is refused.
    """
    np = require("numpy")
    names = list(columns)
    check_options(options, names)
    candidates: list[_Candidate] = []
    reports: dict[str, MeasureFit] = {}
    for name in names:
        raw = np.asarray(columns[name], dtype=np.float64)
        norm, measure_fit = _normalisation(name, raw, options)
        reports[name] = measure_fit
        if norm is not None:
            candidates.append(
                _Candidate(
                    fit=measure_fit,
                    norm=norm,
                    shares=shares_of(raw, norm),
                    policy=_policy(options.missing, name),
                )
            )
    kept: list[_Candidate] = []
    if candidates:
        kept, directions, coef, intercept, dropped = _weights(candidates, healthy, options)
        for name, reason in dropped.items():
            reports[name] = attrs.evolve(reports[name], dropped=reason)
    if not kept:
        raise ValidationError(
            "measures",
            {name: reports[name].dropped for name in names},
            "at least one measure related to the outcome in the training data",
        )
    total = float(coef.sum())
    specs = []
    for candidate, direction, weight in zip(kept, directions, coef, strict=True):
        name = candidate.fit.measure
        reports[name] = attrs.evolve(
            reports[name],
            higher_is_better=direction,
            coefficient=float(weight),
            weight=float(weight) / total,
        )
        specs.append(_spec(candidate, direction, float(weight), total, options.bounds))
    scorecard = _card(specs, options)
    # The log-odds of health are intercept + sum(coef x directed share), and the score is
    # min + span x sum(coef x directed share) / sum(coef): one is linear in the other.
    slope = total / scorecard.scale.span
    offset = intercept - slope * scorecard.scale.min
    values = _score(scorecard, columns)
    report = FitReport(
        scorecard=f"{scorecard.id} v{scorecard.version}",
        outcome=options.outcome,
        outcome_is_bad=options.outcome_is_bad,
        observations=len(healthy),
        accounts=accounts,
        outcomes=int((~healthy).sum()) if options.outcome_is_bad else int(healthy.sum()),
        c=float(options.c),
        intercept=intercept,
        measures=tuple(reports[name] for name in names),
        train_auc=_stats.auc(values, healthy),
    )
    return Fitted(scorecard=scorecard, report=report, slope=slope, offset=offset)


def _spec(
    candidate: _Candidate,
    direction: bool,
    weight: float,
    total: float,
    bounds: tuple[float, float],
) -> MeasureSpec:
    fit = candidate.fit
    note = (
        f"Fitted: {fit.kind} from {fit.low:g} to {fit.high:g} (percentiles "
        f"{bounds[0] * 100:g}-{bounds[1] * 100:g} of the training data), "
        f"{'higher' if direction else 'lower'} is better, coefficient "
        f"{weight:.4g}, {weight / total * 100:.1f} % of the score."
    )
    return MeasureSpec(
        name=fit.measure,
        normalization=candidate.norm,
        weight=round(100.0 * weight / total, 4),
        higher_is_better=direction,
        missing=candidate.policy,
        description=note,
    )


def _card(specs: list[MeasureSpec], options: FitOptions) -> Scorecard:
    draft = Scorecard(id=options.scorecard_id, version="draft", measures=specs, scale=options.scale)
    version = options.version
    if version is None:
        digest = hashlib.sha256(repr(draft.to_dict()["measures"]).encode()).hexdigest()[:8]
        version = f"fit-{digest}"
    return attrs.evolve(draft, version=version)


def _score(card: Scorecard, columns: Mapping[str, Any]) -> Any:
    from successkit.frames import evaluate_columns  # noqa: PLC0415 - needs NumPy

    return evaluate_columns(card, columns, labels=False)["value"]


def with_bands(fitted: Fitted, columns: Mapping[str, Any], options: FitOptions) -> Fitted:
    """The fitted card with its bands: the ones given, or calibrated on the training scores."""
    card = fitted.scorecard
    if isinstance(options.bands, BandScheme):
        bands = options.bands
        how = "bands as given"
    else:
        low, high = band_cuts_by_quantiles(_score(card, columns), options.bands)
        bands = banded(card, low, high)
        how = (
            f"bands at the {options.bands[0] * 100:g} % and {options.bands[1] * 100:g} % "
            f"quantiles of the training scores (red below {low:g}, green from {high:g})"
        )
    report = fitted.report
    accounts = f" of {report.accounts:,} accounts" if report.accounts is not None else ""
    kind = "bad" if report.outcome_is_bad else "good"
    description = (
        f"Fitted by successkit on {report.observations:,} observations{accounts}, outcome "
        f"{report.outcome!r} ({kind}); weights from an L2 logistic regression (C={report.c:g}) "
        f"on normalised measures; {how}; training AUC {report.train_auc:.3f}."
    )
    card = attrs.evolve(card, bands=bands, description=description)
    return attrs.evolve(fitted, scorecard=card)


def measure_columns(frame: Any, measures: Sequence[str], name: str = "observations") -> Any:
    """The measure columns of ``frame`` as float64 arrays (NaN for missing), by name.

    Raises:
        ValidationError: no measures, a duplicate, a missing or non-numeric column.
    """
    np = require("numpy")
    pd = require("pandas")
    if isinstance(measures, str) or not isinstance(measures, Sequence) or not measures:
        raise ValidationError("measures", measures, "a list of measure column names")
    if len(set(measures)) != len(measures):
        raise ValidationError("measures", list(measures), "each measure once")
    columns = {}
    for measure in measures:
        if not isinstance(measure, str) or measure not in frame.columns:
            raise ValidationError(
                f"{name}[{measure!r}]", sorted(map(str, frame.columns)), f"a column {measure!r}"
            )
        series = frame[measure]
        if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(
            series.dtype
        ):
            raise ValidationError(f"{name}[{measure!r}]", str(series.dtype), "numbers")
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        infinite = np.isinf(values)
        if infinite.any():
            row = frame.index[int(np.argmax(infinite))]
            raise ValidationError(
                f"{name}[{measure!r}] row {row!r}", float(values[infinite][0]), "a finite number"
            )
        columns[measure] = values
    return columns


def fit_scorecard(
    observations: Any,
    measures: Sequence[str],
    *,
    outcome: str = "churned",
    outcome_is_bad: bool | None = None,
    id: str = "fitted",  # noqa: A002 - the scorecard's id, as in Scorecard(id=...)
    version: str | None = None,
    C: float = 1.0,  # noqa: N803 - scikit-learn's name for it
    cv: int | None = 5,
    missing: str | Mapping[str, str] = "neutral",
    min_weight: float = 0.01,
    bounds: tuple[float, float] = (0.01, 0.99),
    scale: Scale | None = None,
    bands: BandScheme | tuple[float, float] = (0.2, 0.5),
    progress: Progress | None = None,
) -> FitResult:
    """Learn a scorecard from observations: normalisations, directions and weights.

    See the module's design notes for how each choice is made from the training data.

    Args:
        observations: the training observations (see :func:`backtest`): ``account_id``,
            the outcome column and the measure columns.
        measures: the candidate measure columns.
        outcome: the outcome column (0/1).
        outcome_is_bad: see :func:`backtest`.
        id: the fitted scorecard's id.
        version: its version (default: ``fit-`` and a digest of its measures).
        C: the inverse L2 regularisation strength of the logistic regression.
        cv: folds of accounts for the cross-validated AUC (``None``: none).
        missing: the missing-data policy, ``"neutral"`` or ``"worst"``, for all
            measures or by measure name (unnamed ones are neutral).
        min_weight: measures carrying less than this share of the score are dropped.
        bounds: the percentiles the normalisation bounds are taken at.
        scale: the scorecard's scale (default 0-100).
        bands: a ``BandScheme``, or the two quantiles of the training scores where
            the Red|Amber and Amber|Green cut-offs go.
        progress: called as ``progress(done, total)`` once the scorecard is fitted
            and after each cross-validation fold.

    Returns:
        The :class:`FitResult`: ``.scorecard`` and ``.report``.

    Raises:
        ValidationError: bad observations, a measure column missing or not numeric,
            an outcome that is not 0/1, one class only (overall or in a fold), no
            measure related to the outcome, a bad setting.
        MissingExtraError: NumPy, pandas or scikit-learn is not installed.
    """
    from successkit.evidence._inputs import (  # noqa: PLC0415 - one import site per helper
        account_codes,
        check_frame,
        outcome_direction,
        outcome_values,
    )

    np = require("numpy")
    require("sklearn")
    steps = Steps(progress, 1 + (cv if isinstance(cv, int) and not isinstance(cv, bool) else 0))
    frame = check_frame(observations)
    is_bad = outcome_direction(outcome, outcome_is_bad)
    y = outcome_values(frame, outcome)
    accounts, n_accounts = account_codes(frame)
    columns = measure_columns(frame, measures)
    if cv is not None and (isinstance(cv, bool) or not isinstance(cv, int) or cv < 2):  # noqa: PLR2004
        raise ValidationError("cv", cv, "a whole number of folds, 2 or more, or None")
    options = FitOptions(
        c=C,
        outcome_is_bad=is_bad,
        missing=missing,
        min_weight=min_weight,
        bounds=bounds,
        scale=Scale() if scale is None else scale,
        bands=bands,
        scorecard_id=id,
        version=version,
        outcome=outcome,
    )
    healthy = (y == 0) if is_bad else (y == 1)
    _both_classes(healthy, outcome, "the training observations")
    fitted = with_bands(
        fit_measures(columns, healthy, options, accounts=n_accounts), columns, options
    )
    report = fitted.report
    steps.done()
    if cv is not None:
        aucs = _cross_validate(
            columns,
            healthy,
            accounts,
            n_accounts=n_accounts,
            cv=cv,
            options=options,
            outcome=outcome,
            steps=steps,
        )
        report = attrs.evolve(report, cv_auc=float(np.mean(aucs)), cv_aucs=tuple(aucs))
    return FitResult(scorecard=fitted.scorecard, report=report)


def _both_classes(healthy: Any, outcome: str, where: str) -> None:
    if healthy.all() or not healthy.any():
        raise ValidationError(
            f"observations[{outcome!r}]",
            f"one outcome only in {where}",
            "both outcomes (0 and 1) in every set a scorecard is fitted or judged on",
        )


def _cross_validate(
    columns: Mapping[str, Any],
    healthy: Any,
    accounts: Any,
    *,
    n_accounts: int,
    cv: int,
    options: FitOptions,
    outcome: str,
    steps: Steps,
) -> list[float]:
    np = require("numpy")
    model_selection = require("sklearn.model_selection")
    if n_accounts < cv:
        raise ValidationError("cv", cv, f"no more folds than accounts ({n_accounts})")
    splitter = model_selection.GroupKFold(n_splits=cv)
    aucs = []
    rows = np.zeros(len(healthy))
    for number, (train, test) in enumerate(splitter.split(rows, groups=accounts), start=1):
        _both_classes(healthy[train], outcome, f"the training part of fold {number}")
        _both_classes(healthy[test], outcome, f"the held-out part of fold {number}")
        fold = fit_measures({k: v[train] for k, v in columns.items()}, healthy[train], options)
        values = _score(fold.scorecard, {k: v[test] for k, v in columns.items()})
        aucs.append(_stats.auc(values, healthy[test]))
        steps.done()
    return aucs
