"""Class plans: how one attrs class is written and read, compiled once and cached."""

from __future__ import annotations

import re
import threading
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, NoReturn

import attrs

from successkit._reading import DEFAULT_MAX_DEPTH
from successkit.errors import FieldError, SuccessKitError, ValidationError
from successkit.serialization._containers import (
    _fixed_tuple_codec,
    _mapping_codec,
    _optional_codec,
    _sequence_codec,
    _tagged_union_codec,
)
from successkit.serialization._core import (
    _MAX_REPORTED,
    _MISSING,
    _NONE_TYPE,
    _TOO_DEEP,
    TYPE_TAG,
    Decoder,
    _bad,
    _Codec,
    _cut,
    _full,
    _Invalid,
    _key_segment,
    _Problem,
)
from successkit.serialization._leaves import (
    _bool_codec,
    _claim,
    _date_codec,
    _datetime_codec,
    _decimal_codec,
    _enum_codec,
    _float_codec,
    _int_codec,
    _none_codec,
    _str_codec,
    _summary,
    _timedelta_codec,
)


class _Field:
    """One field of a class plan."""

    __slots__ = ("attribute", "codec", "default", "derived", "key", "required", "segment")

    def __init__(
        self,
        attribute: str,
        key: str,
        codec: _Codec,
        *,
        required: bool,
        default: Any,
        derived: Callable[[Any], Any] | None = None,
    ) -> None:
        self.attribute = attribute
        self.key = key
        self.segment = _key_segment(key)
        self.codec = codec
        self.required = required
        # The default as JSON, or _MISSING; ``derived`` computes a default that
        # depends on the other fields (``attrs.Factory(..., takes_self=True)``).
        self.default = default
        self.derived = derived


def _unfinished(*_args: Any) -> Any:  # pragma: no cover - replaced by finish() before use
    msg = "a class plan was used before it was finished"
    raise RuntimeError(msg)


class _ClassPlan:
    """How one attrs class is written and read: its fields, in declaration order.

    :meth:`finish` compiles a writer and a reader specialised to the class (as
    attrs does for ``__init__``): one expression per field, the common types
    inlined. When anything is off they hand over to the generic loops
    (:meth:`_write_rest`, :meth:`_read_slow`, :meth:`_read_rest`), which go
    through every field and collect every problem with its path.
    """

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.name = cls.__name__
        self.fields: tuple[_Field, ...] = ()
        self.keys: frozenset[str] = frozenset()
        self.names: dict[str, str] = {}
        self.by_key: dict[str, _Field] = {}
        self._write: Callable[[Any, int, str | None], dict[str, Any]] = _unfinished
        self._read: Decoder = _unfinished
        self.codec = _Codec(
            self._encode_value, self.decode, f"an object ({self.name})", self.ref
        ).shaped("class", self)

    def finish(self, fields: tuple[_Field, ...]) -> None:
        self.fields = fields
        self.keys = frozenset(f.key for f in fields)
        self.names = {f.attribute: f.key for f in fields}
        self.by_key = {f.key: f for f in fields}
        self._write, self._read = _compile(self)

    # writing

    def _encode_value(self, value: Any, budget: int) -> Any:
        if type(value) is not self.cls:
            raise _bad(value, f"a {self.name}")
        return self._write(value, budget, None)

    def encode(self, obj: Any, budget: int, tag: str | None) -> dict[str, Any]:
        return self._write(obj, budget, tag)

    def _too_deep(self, obj: Any) -> NoReturn:
        raise _bad(_cut(obj), _TOO_DEEP)

    def _write_from(self, obj: Any, budget: int, start: int, out: dict[str, Any]) -> list[_Problem]:
        problems: list[_Problem] = []
        for field in self.fields[start:]:
            try:
                out[field.key] = field.codec.encode(getattr(obj, field.attribute), budget)
            except _Invalid as error:  # noqa: PERF203 - the error path, which must see every field
                problems.extend(error.under(field.segment))
                if _full(problems):
                    break
        return problems

    def _write_rest(self, obj: Any, budget: int, failed: int, error: _Invalid) -> NoReturn:
        """Carry on after field ``failed`` raised ``error``, then raise every problem."""
        problems = error.under(self.fields[failed].segment)
        if not _full(problems):
            problems += self._write_from(obj, budget, failed + 1, {})
        raise _Invalid(problems)

    # reading

    def decode(self, data: Any, budget: int) -> Any:
        return self._read(data, budget)

    def _read_slow(self, data: Any, budget: int) -> Any:
        if not isinstance(data, dict):
            raise _bad(data, f"an object ({self.name})")
        if budget <= 0:
            raise _bad(_cut(data), _TOO_DEEP)
        return self._read_from(data, budget - 1, 0, {}, [])

    def _read_rest(
        self, data: Any, budget: int, failed: int, error: Exception, done: dict[str, Any]
    ) -> Any:
        """Carry on after field ``failed`` raised ``error`` (``done`` holds ``a0``...)."""
        field = self.fields[failed]
        kwargs = {f.key: done[f"a{index}"] for index, f in enumerate(self.fields[:failed])}
        problems: list[_Problem] = []
        if isinstance(error, _Invalid):
            problems += error.under(field.segment)
        elif field.required:  # KeyError: the key is absent (another one took its place)
            problems.append(self._missing(field))
        return self._read_from(data, budget, failed + 1, kwargs, problems)

    def _missing(self, field: _Field) -> _Problem:
        problem = _Problem(_MISSING, f"{field.codec.expected} (a required field)")
        problem.parts.append(field.segment)
        return problem

    def _read_from(
        self,
        data: dict[Any, Any],
        budget: int,
        start: int,
        kwargs: dict[str, Any],
        problems: list[_Problem],
    ) -> Any:
        for field in self.fields[start:]:
            if _full(problems):
                raise _Invalid(problems)
            raw = data.get(field.key, _MISSING)
            if raw is _MISSING:
                if field.required:
                    problems.append(self._missing(field))
                continue
            try:
                # The JSON key is the ``__init__`` argument (the attrs alias).
                kwargs[field.key] = field.codec.decode(raw, budget)
            except _Invalid as error:
                problems.extend(error.under(field.segment))
        if not _full(problems):
            problems.extend(self._unknown(data, _MAX_REPORTED + 1 - len(problems)))
        if problems:
            raise _Invalid(problems)
        try:
            return self.cls(**kwargs)
        except _BUILD_ERRORS as error:
            raise self.refused(error, data) from None

    def _unknown(self, data: dict[Any, Any], room: int) -> list[_Problem]:
        """The problems of the keys of ``data`` that are not fields (the first ``room``)."""
        problems: list[_Problem] = []
        for key, value in data.items():
            if len(problems) >= room:
                break
            if key in self.keys:
                continue
            if key == TYPE_TAG:
                if value != self.name or not isinstance(value, str):
                    problem = _Problem(value, f"{self.name!r} (the class of this object)")
                    problem.parts.append(f".{TYPE_TAG}")
                    problems.append(problem)
                continue
            known = ", ".join(f.key for f in self.fields) or "none"
            problem = _Problem(value, f"no such field in {self.name} (its fields: {known})")
            problem.parts.append(_key_segment(key))
            problems.append(problem)
        return problems

    def refused(self, error: Exception, data: Any) -> _Invalid:
        """The problems of a class that refused the values read for it."""
        if isinstance(error, ValidationError):
            return _Invalid([self._relocate(e) for e in error.errors])
        # A class's own checks may raise anything; the reader still says where.
        return _bad(data, f"a valid {self.name} ({error})")

    def _relocate(self, error: FieldError) -> _Problem:
        """Place a model error (``Contract.renewal_date``) at its JSON path."""
        field = error.field.removeprefix(f"{self.name}.")
        problem = _Problem(error.value, error.expected)
        if field != self.name and field:
            head = re.match(r"[^.\[]+", field)
            name = head.group(0) if head else field
            rest = field[len(name) :]
            problem.parts.append(_key_segment(self.names.get(name, name)) + rest)
        return problem

    # schema

    def ref(self, defs: dict[str, Any]) -> dict[str, Any]:
        _claim(defs, self.name, self.cls)
        if self.name not in defs:
            defs[self.name] = {}  # placeholder first: a class may contain itself
            defs[self.name] = self.definition(defs)
        return {"$ref": f"#/$defs/{self.name}"}

    def definition(self, defs: dict[str, Any]) -> dict[str, Any]:
        properties: dict[str, Any] = {
            TYPE_TAG: {
                "const": self.name,
                "description": "The class of this object; required where several may appear.",
            }
        }
        for field in self.fields:
            schema = field.codec.schema(defs)
            if field.default is not _MISSING:
                schema["default"] = field.default
            properties[field.key] = schema
        body: dict[str, Any] = {"type": "object", "title": self.name}
        if _summary(self.cls):
            body["description"] = _summary(self.cls)
        body["properties"] = properties
        body["required"] = [f.key for f in self.fields if f.required]
        body["additionalProperties"] = False
        return body


# What a class's constructor may raise when it refuses values (its validators
# raise ValidationError; others raise ScoringError, ValueError...).
_BUILD_ERRORS = (SuccessKitError, ValueError, TypeError, ArithmeticError, LookupError)


def _compile(plan: _ClassPlan) -> tuple[Any, Any]:
    """Generate the specialised writer and reader of ``plan`` (see :class:`_ClassPlan`).

    Both keep in ``i`` the index of the field at hand, so that when a field fails
    the plan carries on from the next one (:meth:`_ClassPlan._write_rest`,
    :meth:`_ClassPlan._read_rest`): no value is ever converted twice, which keeps
    the cost of a bad document linear in its size whatever its depth.
    """
    namespace: dict[str, Any] = {
        "datetime": datetime,
        "_Invalid": _Invalid,
        "_BUILD_ERRORS": _BUILD_ERRORS,
        "cls": plan.cls,
        "too_deep": plan._too_deep,  # noqa: SLF001 - the plan's own fallbacks
        "write_rest": plan._write_rest,  # noqa: SLF001
        "read_slow": plan._read_slow,  # noqa: SLF001
        "read_rest": plan._read_rest,  # noqa: SLF001
        "refused": plan.refused,
        "TAG": TYPE_TAG,
        "NAME": plan.name,
    }
    writes, reads, arguments, entries = [], [], [], []
    for index, field in enumerate(plan.fields):
        codec = field.codec
        namespace[f"e{index}"] = codec.encode
        namespace[f"wx{index}"] = codec.write_extra
        namespace[f"d{index}"] = codec.decode
        namespace[f"rx{index}"] = codec.read_extra
        write = codec.write.format(v=f"v{index}", f=f"e{index}", x=f"wx{index}")
        read = codec.read.format(v=f"v{index}", f=f"d{index}", x=f"rx{index}")
        writes += [f"i = {index}", f"v{index} = obj.{field.attribute}", f"w{index} = {write}"]
        reads += [f"i = {index}", f"v{index} = data[{field.key!r}]", f"a{index} = {read}"]
        arguments.append(f"{field.key}=a{index}")
        entries.append(f"{field.key!r}: w{index}")
    count = len(plan.fields)
    indent = "\n        "
    source = f"""
def write(obj, budget, tag):
    if budget <= 0:
        too_deep(obj)
    b = budget - 1
    i = 0
    try:
        {indent.join(writes) or "pass"}
    except _Invalid as error:
        write_rest(obj, b, i, error)
    if tag is None:
        return {{{", ".join(entries)}}}
    return {{TAG: tag, {", ".join(entries)}}}

def read(data, budget):
    if type(data) is not dict or budget <= 0 or (
        len(data) != {count} and not (len(data) == {count + 1} and data.get(TAG) == NAME)
    ):
        return read_slow(data, budget)
    b = budget - 1
    i = 0
    try:
        {indent.join(reads) or "pass"}
    except (KeyError, _Invalid) as error:
        return read_rest(data, b, i, error, locals())
    try:
        return cls({", ".join(arguments)})
    except _BUILD_ERRORS as error:
        raise refused(error, data) from None
"""
    code = compile(source, f"<successkit serialization of {plan.cls.__qualname__}>", "exec")
    exec(code, namespace)  # noqa: S102 - source built above from field names and reprs only
    return namespace["write"], namespace["read"]


_LOCK = threading.RLock()
# Plans and codecs are staged while one build runs and published only when it
# succeeds, so no thread ever sees half a plan and a failed build leaves nothing.
_PLANS: dict[type, _ClassPlan] = {}
_CODECS: dict[Any, _Codec] = {}
_STAGED_PLANS: dict[type, _ClassPlan] = {}
_STAGED_CODECS: dict[Any, _Codec] = {}

_LEAVES: dict[Any, Callable[[], _Codec]] = {
    str: _str_codec,
    int: _int_codec,
    bool: _bool_codec,
    float: _float_codec,
    Decimal: _decimal_codec,
    datetime: _datetime_codec,
    date: _date_codec,
    timedelta: _timedelta_codec,
    _NONE_TYPE: _none_codec,
    None: _none_codec,
}


def _class_plan(cls: Any) -> _ClassPlan:
    plan = _PLANS.get(cls)
    if plan is not None:
        return plan
    if not (isinstance(cls, type) and attrs.has(cls)):
        msg = f"successkit.serialization writes and reads attrs classes, not {cls!r}"
        raise TypeError(msg)
    with _LOCK:
        try:
            plan = _plan_for(cls)
            _PLANS.update(_STAGED_PLANS)
            _CODECS.update(_STAGED_CODECS)
        finally:
            _STAGED_PLANS.clear()
            _STAGED_CODECS.clear()
        return plan


def _plan_for(cls: type) -> _ClassPlan:
    known = _PLANS.get(cls) or _STAGED_PLANS.get(cls)
    if known is not None:
        return known
    plan = _ClassPlan(cls)
    _STAGED_PLANS[cls] = plan
    try:
        hints = typing.get_type_hints(cls)
    except NameError as error:
        msg = f"cannot resolve the type hints of {cls.__qualname__}: {error}"
        raise TypeError(msg) from None
    fields: list[_Field] = []
    for attribute in attrs.fields(cls):
        if not attribute.init:
            continue
        key = attribute.alias or attribute.name
        if key == TYPE_TAG:
            msg = f"{cls.__qualname__}.{attribute.name}: no field may be written as {TYPE_TAG!r}"
            raise TypeError(msg)
        try:
            codec = _codec_for(hints.get(attribute.name, attribute.type))
        except TypeError as error:
            msg = f"{cls.__qualname__}.{attribute.name}: {error}"
            raise TypeError(msg) from None
        required, default = _default_of(attribute, codec)
        factory = attribute.default
        derived = (
            factory.factory
            if isinstance(factory, attrs.Factory) and factory.takes_self  # type: ignore[arg-type]
            else None
        )
        fields.append(
            _Field(attribute.name, key, codec, required=required, default=default, derived=derived)
        )
    plan.finish(tuple(fields))
    return plan


def _default_of(attribute: Any, codec: _Codec) -> tuple[bool, Any]:
    """Whether a field is required, and its default as JSON (for the schema)."""
    default = attribute.default
    if default is attrs.NOTHING:
        return True, _MISSING
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return False, _MISSING
        default = default.factory()
    try:
        return False, codec.encode(default, DEFAULT_MAX_DEPTH)
    except _Invalid:
        # A default that the declared type does not allow (``timeframe=None`` on a
        # goal, refused by its validator) means the field must be given.
        return True, _MISSING


def _codec_for(tp: Any) -> _Codec:
    if isinstance(tp, type) and attrs.has(tp):
        return _plan_for(tp).codec
    try:
        cached = _CODECS.get(tp) or _STAGED_CODECS.get(tp)
    except TypeError:  # an annotation that cannot be hashed is built each time
        return _make_codec(tp)
    if cached is None:
        cached = _STAGED_CODECS[tp] = _make_codec(tp)
    return cached


def _make_codec(tp: Any) -> _Codec:
    try:
        leaf = _LEAVES.get(tp)
    except TypeError:
        leaf = None
    if leaf is not None:
        return leaf()
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum_codec(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return _union_codec(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004 - tuple[X, ...]
            return _sequence_codec(_codec_for(args[0]))
        if not args or args == ((),):
            return _fixed_tuple_codec([])
        return _fixed_tuple_codec([_codec_for(a) for a in args])
    if origin in (Mapping, dict, typing.Mapping) and args and args[0] is str:
        return _mapping_codec(_codec_for(args[1]))
    msg = (
        f"cannot write the type {tp!r}; supported: str, int, float, bool, Decimal, "
        "datetime, date, timedelta, Enum, tuple[X, ...], Mapping[str, X], X | None, "
        "attrs classes and unions of attrs classes"
    )
    raise TypeError(msg)


def _union_codec(args: tuple[Any, ...]) -> _Codec:
    members = [a for a in args if a is not _NONE_TYPE]
    optional = len(members) != len(args)
    if len(members) == 1:
        inner = _codec_for(members[0])
    elif all(isinstance(m, type) and attrs.has(m) for m in members):
        inner = _tagged_union_codec([_plan_for(m) for m in members])
    else:
        msg = f"cannot write the union {args!r}: only unions of attrs classes are tagged"
        raise TypeError(msg)
    return _optional_codec(inner) if optional else inner
