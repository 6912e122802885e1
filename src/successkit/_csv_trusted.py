"""Building model values from cells the CSV parsers have already checked.

Each column's parser refuses what its field's validator would refuse: a
timestamp parses to an aware datetime, a choice to a member of its enumeration,
a number to a finite float, a list to a tuple of non-empty names, a required
text to a non-empty one. For the values whose every check is such a check of
one field, running the validators again would only repeat the parsers' work
(on a large export, a fifth of the loader's time), so they are built directly.

A class with a check across its fields (a survey score on its kind's scale, a
contact leaving after they started, an ARR change of the right sign), a
``__attrs_post_init__`` or a default built by a factory is always built through
its constructor. ``tests/test_csv_trusted.py`` checks, on random cells, that both
ways give equal values, and that the classes built here still have only the
fields and checks this relies on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["TRUSTED", "trusted", "trusted_from_row"]

TRUSTED = frozenset(
    {"Interaction", "MetricObservation", "ContextChange", "Commitment", "Expectation"}
    | {"EventOccurrence", "ProgressMilestone"}
)
"""The model classes whose fields the CSV parsers check completely."""


@functools.cache
def trusted(make: Callable[..., Any]) -> Callable[..., Any]:
    """A maker of the values of ``make`` that skips the checks its cells already passed.

    ``make`` itself for anything but an attrs class of :data:`TRUSTED` without a
    post-init hook or a factory default.
    """
    if not (isinstance(make, type) and attrs.has(make) and make.__name__ in TRUSTED):
        return make
    if hasattr(make, "__attrs_post_init__"):
        return make
    fields = attrs.fields(make)
    if any(isinstance(f.default, attrs.Factory) for f in fields):  # type: ignore[arg-type]
        return make
    cls: type = make
    names = frozenset(f.name for f in fields)
    required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
    defaults = tuple((f.name, f.default) for f in fields if f.default is not attrs.NOTHING)
    new = object.__new__
    assign = object.__setattr__

    def build(**values: Any) -> Any:
        if not (required <= values.keys() <= names):
            return cls(**values)  # the constructor words what is missing or unknown
        value: Any = new(cls)
        for name, item in values.items():
            assign(value, name, item)
        for name, default in defaults:
            if name not in values:
                assign(value, name, default)
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
    for index, (column, field) in enumerate(feeds.items()):
        if defaults[field] is attrs.NOTHING:
            lines.append(f"    assign(value, {field!r}, values[{column!r}])")
        else:
            scope[f"default_{index}"] = defaults[field]
            lines.append(f"    assign(value, {field!r}, values.get({column!r}, default_{index}))")
    lines.append("    return value")
    exec("\n".join(lines), scope)  # noqa: S102 - generated from the table definitions
    built: Callable[[dict[str, Any]], Any] = scope["build"]
    return built
