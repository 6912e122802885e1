"""Scorecards as plain documents: the dict form that JSON and TOML carry.

Reading refuses unknown keys and names the offending key in every error, so a
typo in a scorecard file never silently changes a score.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from successkit._documents import mapping as _mapping
from successkit._documents import no_unknown as _no_unknown
from successkit._documents import sequence as _sequence
from successkit._reading import (
    check_tree,
    decode_text,
    limits_from,
    parse_json_text,
    read_file,
)
from successkit._writing import write_atomically
from successkit.errors import FieldError, ValidationError
from successkit.scoring._bands import BandRange, BandScheme, Scale
from successkit.scoring._normalize import NORMALIZATIONS, Normalization
from successkit.scoring._scorecard import Group, MeasureSpec, QuadrantAxes, Scorecard

if TYPE_CHECKING:
    from successkit._reading import ReadLimits

__all__ = [
    "read_scorecard_file",
    "scorecard_from_dict",
    "scorecard_from_json",
    "scorecard_from_toml",
    "scorecard_to_dict",
    "write_scorecard_file",
]


def _normalization_to_dict(norm: Normalization) -> dict[str, Any]:
    document: dict[str, Any] = {"kind": norm.kind}
    for field in attrs.fields(type(norm)):
        value = getattr(norm, field.name)
        document[field.name] = list(value) if isinstance(value, tuple) else value
    return document


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": card.id,
        "version": card.version,
        "description": card.description,
        "min_coverage": card.min_coverage,
        "scale": {"min": card.scale.min, "max": card.scale.max},
        "bands": [
            {"band": r.band.value, "lower": r.lower, "upper": r.upper} for r in card.bands.ranges
        ],
    }
    if card.groups:
        document["groups"] = [
            {"name": g.name, "weight": g.weight, "description": g.description}
            | ({"min_coverage": g.min_coverage} if g.min_coverage else {})
            for g in card.groups
        ]
    if card.quadrant is not None:
        document["quadrant"] = {
            "outcomes": card.quadrant.outcomes,
            "experience": card.quadrant.experience,
            "outcomes_threshold": card.quadrant.outcomes_threshold,
            "experience_threshold": card.quadrant.experience_threshold,
        }
    measures = []
    for spec in card.measures:
        entry: dict[str, Any] = {
            "name": spec.name,
            "source": spec.source,
            "weight": spec.weight,
            "higher_is_better": spec.higher_is_better,
            "missing": spec.missing.value,
            "normalization": _normalization_to_dict(spec.normalization),
        }
        optional = {
            "missing_value": spec.missing_value,
            "group": spec.group,
            "metric": spec.metric,
            "window_days": spec.window_days,
        }
        entry.update({k: v for k, v in optional.items() if v is not None})
        if spec.description:
            entry["description"] = spec.description
        if not spec.evidence:
            entry["evidence"] = False
        measures.append(entry)
    document["measures"] = measures
    return document


_SCORECARD_KEYS = {
    "id",
    "min_coverage",
    "version",
    "description",
    "scale",
    "bands",
    "groups",
    "quadrant",
    "measures",
}
_MEASURE_KEYS = {
    "name",
    "source",
    "weight",
    "higher_is_better",
    "missing",
    "missing_value",
    "group",
    "metric",
    "window_days",
    "description",
    "normalization",
    "evidence",
}


def _build(where: str, factory: Any, **kwargs: Any) -> Any:
    try:
        return factory(**kwargs)
    except ValidationError as error:
        raise error.prefixed(where) from None
    except TypeError as error:
        raise ValidationError(where, kwargs, f"valid fields ({error})") from None


def _normalization_from_dict(value: Any, where: str) -> Normalization:
    document = dict(_mapping(value, where))
    kind = document.pop("kind", None)
    cls = NORMALIZATIONS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValidationError(f"{where}.kind", kind, f"one of {sorted(NORMALIZATIONS)}")
    allowed = {f.name for f in attrs.fields(cls)}
    _no_unknown(document, allowed, where)
    result: Normalization = _build(where, cls, **document)
    return result


def scorecard_from_json(text: Any, limits: ReadLimits | None) -> Scorecard:
    """Read a scorecard from JSON text through the hardened reader."""
    bounds = limits_from(limits)
    try:
        document = parse_json_text(text, bounds)
        check_tree(document, bounds)
    except ValidationError as error:
        raise error.prefixed("scorecard") from None
    return _from_dict(document)


def scorecard_from_toml(text: Any, limits: ReadLimits | None) -> Scorecard:
    """Read a scorecard from TOML text: same size, text and structure limits as JSON."""
    from successkit.scoring._toml import loads  # noqa: PLC0415 - only when asked

    bounds = limits_from(limits)
    try:
        document = loads(decode_text(text, bounds, "TOML"))
        check_tree(document, bounds)
    except ValidationError as error:
        raise error.prefixed("scorecard") from None
    return _from_dict(document)


def read_scorecard_file(
    path: str | os.PathLike[str], limits: ReadLimits | None, *, shown: str | None = None
) -> Scorecard:
    """Read a scorecard file: TOML when its name ends in ``.toml``, JSON otherwise.

    Read through the hardened reader (size limit, UTF-8, byte order mark). Every
    error names the file, as ``shown`` (default: the path as given), before the key.

    Raises:
        ValidationError: the file is missing, unreadable, too large, or not a valid
            scorecard.
    """
    target = Path(path)
    label = str(path) if shown is None else shown
    data = read_file(target, limits_from(limits), name=label)
    try:
        if target.suffix.lower() == ".toml":
            return scorecard_from_toml(data, limits)
        return scorecard_from_json(data, limits)
    except ValidationError as error:
        raise ValidationError.from_errors(
            [FieldError(f"{label}: {e.field}", e.value, e.expected) for e in error.errors]
        ) from None


def write_scorecard_file(card: Scorecard, path: str | os.PathLike[str]) -> None:
    """Write a scorecard file atomically: TOML when its name ends in ``.toml``, else JSON.

    Raises:
        ValidationError: the folder does not exist or cannot be written.
    """
    text = card.to_toml() if Path(path).suffix.lower() == ".toml" else card.to_json() + "\n"
    write_atomically(path, text, name="scorecard file")


def scorecard_from_dict(document: Mapping[str, Any], limits: ReadLimits | None) -> Scorecard:
    """Build a scorecard from its dict form, refusing data beyond ``limits`` first."""
    try:
        check_tree(document, limits_from(limits))
    except ValidationError as error:
        raise error.prefixed("scorecard") from None
    return _from_dict(document)


def _from_dict(document: Mapping[str, Any]) -> Scorecard:
    top = _mapping(document, "scorecard")
    _no_unknown(top, _SCORECARD_KEYS, "scorecard")
    scale_doc = _mapping(top.get("scale", {"min": 0.0, "max": 100.0}), "scorecard.scale")
    _no_unknown(scale_doc, {"min", "max"}, "scorecard.scale")
    scale = _build("scorecard.scale", Scale, **scale_doc)
    measures = []
    for index, item in enumerate(_sequence(top.get("measures"), "scorecard.measures")):
        where = f"scorecard.measures[{index}]"
        entry = dict(_mapping(item, where))
        _no_unknown(entry, _MEASURE_KEYS, where)
        if "normalization" not in entry:
            raise ValidationError(f"{where}.normalization", None, "a normalisation table")
        entry["normalization"] = _normalization_from_dict(
            entry["normalization"], f"{where}.normalization"
        )
        measures.append(_build(where, MeasureSpec, **entry))
    groups = []
    for index, item in enumerate(_sequence(top.get("groups", []), "scorecard.groups")):
        where = f"scorecard.groups[{index}]"
        group_doc = _mapping(item, where)
        _no_unknown(group_doc, {"name", "weight", "description", "min_coverage"}, where)
        groups.append(_build(where, Group, **group_doc))
    quadrant = None
    if top.get("quadrant") is not None:
        axes_doc = _mapping(top["quadrant"], "scorecard.quadrant")
        quadrant = _build("scorecard.quadrant", QuadrantAxes, **axes_doc)
    kwargs: dict[str, Any] = {
        "id": top.get("id"),
        "version": top.get("version", "1"),
        "description": top.get("description", ""),
        "min_coverage": top.get("min_coverage", 0.5),
        "measures": tuple(measures),
        "scale": scale,
        "groups": tuple(groups),
        "quadrant": quadrant,
    }
    if "bands" in top:
        ranges = []
        for index, item in enumerate(_sequence(top["bands"], "scorecard.bands")):
            where = f"scorecard.bands[{index}]"
            band_doc = _mapping(item, where)
            _no_unknown(band_doc, {"band", "lower", "upper"}, where)
            ranges.append(_build(where, BandRange, **band_doc))
        kwargs["bands"] = _build("scorecard.bands", BandScheme, scale=scale, ranges=tuple(ranges))
    result: Scorecard = _build("scorecard", Scorecard, **kwargs)
    return result
