"""Scorecards: weighted measures, optional groups and bands, declared as data.

A scorecard is evaluated in two steps. First each measure's raw value is read
from the account (object path) or from a column (columnar path). Then the same
arithmetic, :meth:`Scorecard.evaluate`, turns raw values into points:

1. missing raw values follow the measure's policy: *exclude* (its weight is
   shared out among the measures that have data), *worst* (share 0), *neutral*
   (share 0.5), *value* (use ``missing_value`` as the raw value) or *raise*;
2. the normalisation maps the raw value to a share in ``[0, 1]``; a measure where
   lower is better uses ``1 - share``;
3. within a group, shares are averaged with the measures' weights; groups are
   averaged with the groups' weights (a scorecard without groups is one group);
4. value = scale minimum + scale span x that average. Each measure's *points*
   is its part of it, so the points add up to ``value - scale.min``.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from successkit._reading import ReadLimits
from successkit._validation import (
    between,
    instance_of,
    is_finite_number,
    is_str,
    non_empty_str,
    optional_instance_of,
    to_float,
    to_tuple,
    tuple_of,
)
from successkit.errors import ScoringError, ValidationError
from successkit.scoring._bands import Band, BandScheme, Scale
from successkit.scoring._scorecard_parts import (
    COVERAGE_TOLERANCE,
    Contribution,
    Evaluation,
    Group,
    GroupResult,
    MeasureSpec,
    MissingPolicy,
    QuadrantAxes,
    built_contribution,
    built_group,
)

__all__ = [
    "Contribution",
    "Evaluation",
    "Group",
    "GroupResult",
    "MeasureSpec",
    "MissingPolicy",
    "QuadrantAxes",
    "Scorecard",
]


def _check_measures(instance: Scorecard, attribute: Any, value: Any) -> None:
    tuple_of(MeasureSpec, "MeasureSpec values")(instance, attribute, value)
    if not value:
        raise ValidationError(f"Scorecard({instance.id}).measures", value, "at least one measure")
    seen: set[str] = set()
    for spec in value:
        if spec.name in seen:
            raise ValidationError(
                f"Scorecard({instance.id}).measures", spec.name, "unique measure names"
            )
        seen.add(spec.name)


def _default_bands(instance: Scorecard) -> BandScheme:
    return BandScheme.from_thresholds(
        instance.scale,
        {
            Band.RED: instance.scale.min,
            Band.AMBER: instance.scale.min + 0.5 * instance.scale.span,
            Band.GREEN: instance.scale.min + 0.75 * instance.scale.span,
        },
    )


@attrs.frozen(kw_only=True)
class Scorecard:
    """A declared, versioned health scorecard: measures, weights, groups and bands.

    Args:
        id: the scorecard's identifier.
        version: its version; a change of version is a change of scorecard, not of customer.
        measures: the weighted measures.
        scale: the scale of the score (default 0-100).
        bands: the band scheme on that scale (default: red below half, amber
            to three quarters, green above).
        groups: optional groups (measure -> group -> overall).
        quadrant: which groups are the outcome and experience axes, for
            CO + CX scorecards.
        description: what the scorecard is for.
        min_coverage: the share of the weight that must be backed by data for a
            score to have a band (default one half). Below it, or when a group has
            no evidence (see :attr:`MeasureSpec.evidence` and
            :attr:`Group.min_coverage`), the score has no band and no quadrant and
            says what it lacked.

    Raises:
        ValidationError: no measures, duplicate names, weights all zero, a measure
            in an undeclared group, bands on another scale.
    """

    id: str = attrs.field(validator=non_empty_str)
    version: str = attrs.field(default="1", validator=non_empty_str)
    measures: tuple[MeasureSpec, ...] = attrs.field(converter=to_tuple, validator=_check_measures)
    scale: Scale = attrs.field(factory=Scale, validator=instance_of(Scale, "a Scale"))
    bands: BandScheme = attrs.field(
        default=attrs.Factory(_default_bands, takes_self=True),
        validator=instance_of(BandScheme, "a BandScheme"),
    )
    groups: tuple[Group, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Group, "Group values")
    )
    quadrant: QuadrantAxes | None = attrs.field(
        default=None, validator=optional_instance_of(QuadrantAxes, "QuadrantAxes or None")
    )
    description: str = attrs.field(default="", validator=is_str)
    min_coverage: float = attrs.field(default=0.5, converter=to_float, validator=between(0.0, 1.0))

    def __attrs_post_init__(self) -> None:
        where = f"Scorecard({self.id})"
        if self.bands.scale != self.scale:
            raise ValidationError(
                f"{where}.bands",
                str(self.bands.scale),
                f"bands on the scorecard's scale {self.scale}",
            )
        total = sum(m.weight for m in self.measures)
        if total <= 0:
            raise ValidationError(
                f"{where}.measures", [m.weight for m in self.measures], "weights not all zero"
            )
        if not math.isfinite(total):
            raise ValidationError(
                f"{where}.measures",
                [m.weight for m in self.measures],
                "weights whose sum is a finite number",
            )
        plan = self._plan  # validates the groups now, not at the first evaluation
        if self.quadrant is not None:
            names = {g for g, _, _ in plan}
            for axis in (self.quadrant.outcomes, self.quadrant.experience):
                if axis not in names:
                    raise ValidationError(
                        f"{where}.quadrant", axis, f"one of the scorecard's groups {sorted(names)}"
                    )

    @functools.cached_property
    def _plan(self) -> tuple[tuple[str, float, tuple[int, ...]], ...]:
        """Each group's name, weight and member measure indexes (one unnamed group if none)."""
        where = f"Scorecard({self.id})"
        if not self.groups:
            for spec in self.measures:
                if spec.group is not None:
                    raise ValidationError(
                        f"{where}.measures[{spec.name}].group",
                        spec.group,
                        "no group, since the scorecard declares none",
                    )
            return (("", 1.0, tuple(range(len(self.measures)))),)
        declared = self._check_groups(where)
        for spec in self.measures:
            if spec.group not in declared:
                raise ValidationError(
                    f"{where}.measures[{spec.name}].group", spec.group, f"one of {declared}"
                )
        plan = []
        for group in self.groups:
            members = tuple(i for i, m in enumerate(self.measures) if m.group == group.name)
            if not members:
                raise ValidationError(
                    f"{where}.groups[{group.name}]", group.name, "a group with at least one measure"
                )
            if sum(self.measures[i].weight for i in members) <= 0:
                raise ValidationError(
                    f"{where}.groups[{group.name}]",
                    [self.measures[i].weight for i in members],
                    "measure weights not all zero within the group",
                )
            plan.append((group.name, group.weight, members))
        return tuple(plan)

    def _check_groups(self, where: str) -> list[str]:
        declared = [g.name for g in self.groups]
        if len(set(declared)) != len(declared):
            raise ValidationError(f"{where}.groups", declared, "unique group names")
        total = sum(g.weight for g in self.groups)
        if total <= 0 or not math.isfinite(total):
            raise ValidationError(
                f"{where}.groups",
                [g.weight for g in self.groups],
                "group weights not all zero, whose sum is a finite number",
            )
        return declared

    # -- reading ------------------------------------------------------------------

    @property
    def measure_names(self) -> tuple[str, ...]:
        """The measures' names, in declaration order (the columns of the columnar path)."""
        return tuple(m.name for m in self.measures)

    def measure(self, name: str) -> MeasureSpec:
        """The measure called ``name``."""
        for spec in self.measures:
            if spec.name == name:
                return spec
        raise ValidationError("measure", name, f"one of {list(self.measure_names)}")

    def nominal_weights(self) -> dict[str, float]:
        """Each measure's share of the score when every measure has data (sums to 1)."""
        return dict(self._nominal)

    @functools.cached_property
    def _nominal(self) -> dict[str, float]:
        total_groups = sum(weight for _, weight, _ in self._plan)
        weights: dict[str, float] = {}
        for _, group_weight, members in self._plan:
            inside = sum(self.measures[i].weight for i in members)
            for i in members:
                weights[self.measures[i].name] = (group_weight / total_groups) * (
                    self.measures[i].weight / inside
                )
        return weights

    def check_sources(self, known: Sequence[str]) -> None:
        """Refuse measures whose source is not among ``known`` (the registered measures)."""
        for spec in self.measures:
            if spec.source not in known:
                raise ValidationError(
                    f"Scorecard({self.id}).measures[{spec.name}].source",
                    spec.source,
                    f"a registered measure ({', '.join(sorted(known))})",
                )

    # -- the arithmetic -------------------------------------------------------------

    def evaluate(
        self, raws: Mapping[str, float | None], *, account_id: str | None = None
    ) -> Evaluation:
        """Turn raw measure values into a value, a band, a coverage and contributions.

        Args:
            raws: each measure's raw value by name; ``None`` (or an absent name) is missing.
            account_id: named in errors.

        Raises:
            ScoringError: a raw value is NaN or infinite, or a measure with the
                ``raise`` policy is missing. With no data at all the evaluation has
                no band and says so in ``evidence_gaps``.
        """
        who = f"account {account_id!r}" if account_id is not None else "these values"
        shares: list[float | None] = []
        present: list[bool] = []
        raw_used: list[float | None] = []
        for spec in self.measures:
            raw = raws.get(spec.name)
            if raw is not None and not is_finite_number(raw):
                raise ScoringError(
                    f"scorecard {self.id!r} v{self.version}: measure {spec.name!r} of {who} "
                    f"is {raw!r}, expected a finite number or None for missing"
                )
            present.append(raw is not None)
            share, raw = self._share(spec, None if raw is None else float(raw), who)
            shares.append(share)
            raw_used.append(raw)
        held = self.coverage_of(present)
        group_gaps, gaps = self._evidence(present, held)
        effective, group_shares = self._effective_weights(shares)
        span = self.scale.span
        contributions = []
        for index, spec in enumerate(self.measures):
            share = shares[index]
            points = 0.0 if share is None else span * effective[index] * share
            contributions.append(
                built_contribution(
                    measure=spec.name,
                    raw=raw_used[index],
                    normalized=share,
                    weight=spec.weight,
                    effective_weight=effective[index],
                    points=points,
                    missing=not present[index],
                    handling=None if present[index] else spec.missing,
                    group=spec.group,
                )
            )
        value = min(self.scale.max, self.scale.min + math.fsum(c.points for c in contributions))
        total_groups = sum(weight for _, weight, _ in self._plan)
        groups = tuple(
            built_group(
                name=name,
                share=group_shares[g],
                points=math.fsum(contributions[i].points for i in members),
                max_points=span * weight / total_groups,
                evidenced=group_gaps[g] is None,
            )
            for g, (name, weight, members) in enumerate(self._plan)
            if name
        )
        return Evaluation(
            value=value,
            band=None if gaps else self.bands.band_of(value),
            coverage=min(1.0, held),
            contributions=tuple(contributions),
            groups=groups,
            evidence_gaps=gaps,
        )

    def coverage_of(self, present: Sequence[bool]) -> float:
        """The share of the nominal weight whose measures have data (``present`` in order)."""
        nominal = self._nominal
        return math.fsum(
            nominal[spec.name] for spec, has in zip(self.measures, present, strict=True) if has
        )

    def evidence_gaps(self, present: Sequence[bool]) -> tuple[str, ...]:
        """Why data with these measures present would not support a band; empty when it would.

        A score needs, together: some measure with data; coverage at or above
        :attr:`min_coverage`; and in every group, an evidence measure with data and
        the group's own :attr:`Group.min_coverage`.

        Args:
            present: whether each measure has data, in declaration order.
        """
        return self._evidence(present, self.coverage_of(present))[1]

    def _evidence(
        self, present: Sequence[bool], coverage: float
    ) -> tuple[tuple[str | None, ...], tuple[str, ...]]:
        """Each group's gap (``None`` when evidenced, in plan order) and the score's gaps."""
        group_gaps = tuple(
            self._group_gap(name, members, present) for name, _, members in self._plan
        )
        if not any(present):
            return group_gaps, ("no measure has data",)
        gaps = [gap for gap in group_gaps if gap is not None]
        if coverage < self.min_coverage - COVERAGE_TOLERANCE:
            gaps.append(
                f"coverage {_percent(coverage)} is below the scorecard's minimum "
                f"{_percent(self.min_coverage)}"
            )
        return group_gaps, tuple(gaps)

    def _group_gap(self, name: str, members: Sequence[int], present: Sequence[bool]) -> str | None:
        """Why one group's data are not evidence enough, or ``None`` when they are."""
        evidence = [self.measures[i].name for i in members if self.measures[i].evidence]
        if not any(present[i] and self.measures[i].evidence for i in members):
            subject = f"no {name} evidence" if name else "no evidence"
            if not evidence:
                return f"{subject} (no measure is declared evidence)"
            return f"{subject} ({', '.join(evidence)}: no data)"
        group = self._group(name)
        if group is None or group.min_coverage <= 0:
            return None
        inside = sum(self.measures[i].weight for i in members)
        held = sum(self.measures[i].weight for i in members if present[i])
        if held / inside < group.min_coverage - COVERAGE_TOLERANCE:
            return (
                f"{name} coverage {_percent(held / inside)} is below its minimum "
                f"{_percent(group.min_coverage)}"
            )
        return None

    def _group(self, name: str) -> Group | None:
        for group in self.groups:
            if group.name == name:
                return group
        return None

    def _share(
        self, spec: MeasureSpec, raw: float | None, who: str
    ) -> tuple[float | None, float | None]:
        if raw is not None:
            return spec.share(raw), raw
        if spec.missing is MissingPolicy.EXCLUDE:
            return None, None
        if spec.missing is MissingPolicy.WORST:
            return 0.0, None
        if spec.missing is MissingPolicy.NEUTRAL:
            return 0.5, None
        if spec.missing is MissingPolicy.VALUE:
            assert spec.missing_value is not None  # noqa: S101 - checked at construction
            return spec.share(spec.missing_value), spec.missing_value
        raise ScoringError(
            f"scorecard {self.id!r} v{self.version}: measure {spec.name!r} has no data for "
            f"{who} and its missing-data policy is 'raise'"
        )

    def _effective_weights(
        self, shares: list[float | None]
    ) -> tuple[list[float], list[float | None]]:
        effective = [0.0] * len(self.measures)
        group_shares: list[float | None] = []
        live: list[tuple[float, list[int], float]] = []
        for _, group_weight, members in self._plan:
            included = [i for i in members if shares[i] is not None]
            inside = sum(self.measures[i].weight for i in included)
            if inside <= 0:
                group_shares.append(None)
                continue
            # Divide each weight first: tiny weights must not underflow to zero.
            mean = math.fsum(
                (self.measures[i].weight / inside) * shares[i]  # type: ignore[operator]
                for i in included
            )
            # A mean of shares is at most 1; the divided weights may add up to a hair
            # more (3.0 / 4.1 + 1.1 / 4.1 is 1.0000000000000002): that is 1.
            group_shares.append(min(mean, 1.0))
            live.append((group_weight, included, inside))
        total = sum(weight for weight, _, _ in live)
        if total <= 0:
            return effective, group_shares
        for group_weight, included, inside in live:
            for i in included:
                effective[i] = (group_weight / total) * (self.measures[i].weight / inside)
        return effective, group_shares

    # -- as data --------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The scorecard as a plain document (the form :meth:`from_dict` reads)."""
        from successkit.scoring._scorecard_io import scorecard_to_dict  # noqa: PLC0415

        return scorecard_to_dict(self)

    @classmethod
    def from_dict(
        cls, document: Mapping[str, Any], *, limits: ReadLimits | None = None
    ) -> Scorecard:
        """Build a scorecard from a plain document (as written by :meth:`to_dict`).

        Args:
            document: the scorecard as data.
            limits: how much the document may hold (default
                :data:`~successkit.serialization.DEFAULT_LIMITS`).

        Raises:
            ValidationError: the document is malformed, beyond ``limits``, or
                declares a scorecard that could not score every finite input;
                the message names the key.
        """
        from successkit.scoring._scorecard_io import scorecard_from_dict  # noqa: PLC0415

        return scorecard_from_dict(document, limits)

    def to_toml(self) -> str:
        """The scorecard as a TOML document."""
        from successkit.scoring._toml import dumps  # noqa: PLC0415 - only when asked

        return dumps(self.to_dict())

    @classmethod
    def from_toml(cls, text: str | bytes, *, limits: ReadLimits | None = None) -> Scorecard:
        """Build a scorecard from a TOML document (``bytes`` must be UTF-8).

        Raises:
            ValidationError: the TOML is malformed, beyond ``limits`` (size,
                nesting, tables, values) or the scorecard invalid.
        """
        from successkit.scoring._scorecard_io import scorecard_from_toml  # noqa: PLC0415

        return scorecard_from_toml(text, limits)

    def to_json(self) -> str:
        """The scorecard as a JSON document (the dict form)."""
        import json  # noqa: PLC0415 - only when asked

        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    @classmethod
    def from_json(cls, text: str | bytes, *, limits: ReadLimits | None = None) -> Scorecard:
        """Build a scorecard from a JSON document (the dict form).

        The text goes through the reader of every successkit document: size,
        nesting and structure limits, UTF-8 with an optional byte order mark,
        and no key repeated in an object.

        Raises:
            ValidationError: the JSON is malformed, beyond ``limits``, or the
                scorecard invalid.
        """
        from successkit.scoring._scorecard_io import scorecard_from_json  # noqa: PLC0415

        return scorecard_from_json(text, limits)

    @classmethod
    def read(cls, path: str | os.PathLike[str], *, limits: ReadLimits | None = None) -> Scorecard:
        """Read a scorecard file: TOML when its name ends in ``.toml``, JSON otherwise.

        Raises:
            ValidationError: the file is missing, unreadable, beyond ``limits`` or
                not a valid scorecard; every error names the file, then the key.
        """
        from successkit.scoring._scorecard_io import read_scorecard_file  # noqa: PLC0415

        return read_scorecard_file(path, limits)

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the scorecard to a file, TOML by a ``.toml`` name, else JSON.

        The file is replaced all at once: a reader never sees half of it.

        Raises:
            ValidationError: the folder does not exist or cannot be written.
        """
        from successkit.scoring._scorecard_io import write_scorecard_file  # noqa: PLC0415

        write_scorecard_file(self, path)


def _percent(share: float) -> str:
    """A share as a whole percentage, rounded down so it never reads as the bound it missed."""
    return f"{math.floor(share * 100 + 1e-9):d}%"
