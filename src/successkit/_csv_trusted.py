"""Building model values from cells the CSV parsers have already checked.

Each column's parser refuses what its field's validator would refuse: a
timestamp parses to an aware datetime, a choice to a member of its enumeration,
a number to a finite float, a list to a tuple of non-empty names, a required
text to a non-empty one. For the values whose every check is such a check of
one field, running the validators again would only repeat the parsers' work
(on a large export, a fifth of the loader's time), so they are built directly.

A class with a check across its fields (a contact leaving after they started,
an ARR change of the right sign), a ``__attrs_post_init__`` or a default built
by a factory is built through its constructor, unless that one check is
repeated here on the built value (:data:`CROSS_CHECKED`: a survey answer's
score on its kind's scale); a value failing it goes to the constructor, which
words the refusal. ``tests/test_csv_trusted.py`` checks, on random cells, that
both ways give equal values (or both refuse), and that the classes built here
still have only the fields and checks this relies on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

import attrs

from successkit._validation import unchecked

__all__ = ["CROSS_CHECKED", "TRUSTED", "trusted", "trusted_from_row"]

TRUSTED = frozenset(
    {"Interaction", "MetricObservation", "ContextChange", "Commitment", "Expectation"}
    | {"EventOccurrence", "ProgressMilestone"}
)
"""The model classes whose fields the CSV parsers check completely."""


def _score_on_its_scale(answer: Any) -> bool:
    """``SurveyAnswer``'s check across fields: a whole number on its kind's scale."""
    low, high = answer.kind.scale
    score = answer.score
    return type(score) is int and low <= score <= high


CROSS_CHECKED: dict[str, Callable[[Any], bool]] = {"SurveyAnswer": _score_on_its_scale}
"""Classes whose fields the parsers check, but for one check across them, repeated here."""


def _eligible(make: Callable[..., Any]) -> bool:
    """Whether ``make`` is a class of :data:`TRUSTED` or :data:`CROSS_CHECKED` built plainly."""
    if not (isinstance(make, type) and attrs.has(make)):
        return False
    if make.__name__ not in TRUSTED and make.__name__ not in CROSS_CHECKED:
        return False
    if hasattr(make, "__attrs_post_init__"):
        return False
    return not any(isinstance(f.default, attrs.Factory) for f in attrs.fields(make))  # type: ignore[arg-type]


@functools.cache
def trusted(make: Callable[..., Any]) -> Callable[..., Any]:
    """A maker of the values of ``make`` that skips the checks its cells already passed.

    ``make`` itself for anything but an attrs class of :data:`TRUSTED` without a
    post-init hook or a factory default.
    """
    if not _eligible(make):
        return make
    cls = cast("type", make)  # a class: _eligible found it one
    check = CROSS_CHECKED.get(cls.__name__)
    fields = attrs.fields(cls)
    names = frozenset(f.name for f in fields)
    required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
    defaults = {f.name: f.default for f in fields if f.default is not attrs.NOTHING}
    make_unchecked: Callable[..., Any] = unchecked(cls)

    def build(**values: Any) -> Any:
        if not (required <= values.keys() <= names):
            return cls(**values)  # the constructor words what is missing or unknown
        value = make_unchecked(**(defaults | values))
        if check is not None and not check(value):
            return cls(**values)  # the constructor words the refusal
        return value

    return build


def trusted_from_row(make: Callable[..., Any], feeds: dict[str, str]) -> Callable[..., Any] | None:
    """A maker of ``make``'s values from a row's values keyed by column, or ``None``.

    ``feeds`` maps each column to the field it feeds (columns feeding none left
    out). ``None`` when ``make`` is not built without its checks (see :func:`trusted`)
    or when its required fields are not all fed by required columns.
    """
    if not isinstance(make, type) or trusted(make) is make:
        return None
    cls = make
    fields = attrs.fields(cls)
    fed = set(feeds.values())
    if {f.name for f in fields} != fed:
        return None
    defaults = {f.name: f.default for f in fields}
    # One straight line of code per column, as attrs writes its own __init__:
    # the names come from the table definitions, never from the data.
    lines = ["def build(values):"]
    lines.extend(
        f"    if {column!r} not in values: return None"
        for column, field in feeds.items()
        if defaults[field] is attrs.NOTHING
    )
    lines.append("    value = new(cls)")
    scope: dict[str, Any] = {"new": object.__new__, "assign": object.__setattr__, "cls": cls}
    scope["check"] = CROSS_CHECKED.get(cls.__name__)
    for index, (column, field) in enumerate(feeds.items()):
        if defaults[field] is attrs.NOTHING:
            lines.append(f"    assign(value, {field!r}, values[{column!r}])")
        else:
            scope[f"default_{index}"] = defaults[field]
            lines.append(f"    assign(value, {field!r}, values.get({column!r}, default_{index}))")
    if scope["check"] is not None:
        lines.append("    if not check(value): return None")
    lines.append("    return value")
    exec("\n".join(lines), scope)  # noqa: S102 - generated from the table definitions
    built: Callable[[dict[str, Any]], Any] = scope["build"]
    return built
