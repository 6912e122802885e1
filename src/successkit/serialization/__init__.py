"""Lossless JSON for successkit values, their JSON Schema, and hardened reading.

Every frozen attrs class of successkit (an :class:`~successkit.model.Account`,
a :class:`~successkit.scoring.Score`, a finding...) and any attrs class built
from the same field types is written and read without per-class code: a plan
per class (field name, JSON key, writer, reader) is derived once from
``attrs.fields`` and the type hints, then cached.

The document
------------
:func:`to_dict` and :func:`to_json` write the same document, an envelope::

    {"schema_version": 1, "type": "Account", "data": {...}}

``data`` holds the value's fields, in declaration order, every field written
(defaults included). Values are written as follows:

===================  ========================================================
field type           JSON
===================  ========================================================
``str``, ``bool``    string, ``true``/``false``
``int``              integer
``float``            number, exactly as Python's ``repr`` (round-trips bit for
                     bit); NaN and infinities are refused
``Decimal``          string such as ``"12000.50"`` (money never goes through a
                     float); an integer is also read
``datetime``         ISO 8601 string with its UTC offset,
                     ``"2026-11-24T12:00:00+00:00"`` (the offset is kept; a
                     named zone is written as its offset at that moment)
``date``             ISO 8601 date string, ``"2026-11-24"``
``timedelta``        ISO 8601 duration in days, hours, minutes and seconds,
                     ``"P1DT2H30M"``, ``"PT0.5S"``, ``"-P3D"``; weeks (``"P2W"``)
                     are also read, months and years are not (their length
                     varies)
Enum                 its value
``tuple[X, ...]``    array
``X | None``         ``null`` or X
``Mapping[str, X]``  object, keys sorted
attrs class          object of its fields
union of classes     object of the member's fields plus ``"_type": "ClassName"``
===================  ========================================================

The ``_type`` tag is read on any object (it must then name the class) and is
required where a field may hold several classes, such as a condition tree
(:class:`~successkit.model.Condition`, :class:`~successkit.model.AllOf` or
:class:`~successkit.model.AnyOf`). A class with a field written as ``_type`` is
refused, so the tag never collides with data.

Output is deterministic: the same values give byte-identical JSON. Values that
compare equal yet differ in form (``Decimal("1.0")`` and ``Decimal("1.00")``,
one instant at two UTC offsets) are written as they are, since that form is part
of the data.

The compact form
----------------
``to_dict(obj, compact=True)`` and ``to_json(obj, compact=True)`` write the
same value for machines, about a third of the size, as schema version 2 (the
full form stays version 1): fields equal to their default are left out, an
array of two or more objects of one class is written as columns (one array per
field), and a string, array or object met more than once is written once in the
document's ``shared`` array, each place holding it giving its index instead (an
integer means a reference only where the value is never an integer).
:func:`from_json` and :func:`from_dict` read both forms; :func:`json_schema`
describes either (``compact=True``).

With the ``fast-json`` extra (orjson) installed, :func:`to_json` encodes one-line
and 2-space text several times faster, and the text is the same.

Reading
-------
:func:`from_json` and :func:`from_dict` return a valid value or raise one
:class:`~successkit.errors.ValidationError` that names the JSON path of every
offending field (the first 100; reading stops there and says there were more),
the value found and what was expected; unknown fields are refused by name; a
document written by a newer successkit (a higher ``schema_version``) is refused
with the versions this one reads; an object repeating a key is refused.
Documents beyond a :class:`ReadLimits` (size, arrays and objects, values, bytes
of strings, and for large documents nesting) are refused by a linear scan before
they are parsed; a small document nesting deeper than ``max_depth`` is parsed,
then refused at the path where the limit is crossed. A class's own checks (a
renewal date after the contract start) run once its fields are read, and their
first problem is reported at its path.

Writing refuses what reading would refuse (a NaN, a naive datetime, nesting
beyond ``max_depth``...), so whatever :func:`to_json` writes, :func:`from_json`
reads back equal.
"""

from __future__ import annotations

from successkit._reading import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    ReadLimits,
)
from successkit.serialization._core import TYPE_TAG
from successkit.serialization._document import (
    SCHEMA_VERSION,
    from_dict,
    from_json,
    parse_json,
    to_dict,
    to_json,
)
from successkit.serialization._schema import json_schema, schema_types

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "SCHEMA_VERSION",
    "TYPE_TAG",
    "ReadLimits",
    "from_dict",
    "from_json",
    "json_schema",
    "parse_json",
    "schema_types",
    "to_dict",
    "to_json",
]
