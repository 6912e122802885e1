"""The scorecard as Spark column expressions, one projection per stage of ``build``.

:func:`successkit.frames._expressions.build` writes the scorecard in seven
stages whose columns refer to the columns of earlier stages. They are first
written as a small expression graph (:class:`_Node`), which lets a stage be
merged into the one before it (a reference replaced by the referenced column's
expression; see ``_PROJECTIONS``) and gathers the checks that stop the job so
that they guard the result columns once. Measured in ``benchmarks/bench_spark.py``,
one projection per stage is the fastest: merged into three, the repeated
subexpressions cost Spark more than the rows it no longer writes.

Size matters more than anything here: Spark fuses the projections into one
generated Java method, which the JVM compiles only under 8,000 bytes of
bytecode. The graph is therefore simplified as it is written, each rewrite
exact: ``x - 0`` and ``x / 1`` are ``x``; ``True & x`` and ``where(True, a, b)``
drop the constant; the clip of a share (``_clip``) becomes
``least(greatest(x, 0), 1)``, which evaluates ``x`` once where the nested
conditions wrote it three times. A five-measure scorecard then takes 6.9 KB
and runs fused.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from successkit.frames._expressions import build
from successkit.frames._extras import require
from successkit.scoring import Scorecard

__all__ = ["native"]

# The stages of build() computed together, one projection per tuple: measures,
# weights inside the groups, weight of the groups, points, sums, values, results.
_PROJECTIONS: tuple[tuple[int, ...], ...] = ((0,), (1,), (2,), (3,), (4,), (5,), (6,))


class _Node:
    """One operation of the expression graph, with its operands (nodes or constants)."""

    __slots__ = ("args", "op")
    __hash__ = object.__hash__  # identity: == builds a comparison node

    def __init__(self, op: str, *args: Any) -> None:
        self.op = op
        self.args = args

    def __add__(self, other: Any) -> _Node:
        return _Node("+", self, other)

    def __radd__(self, other: Any) -> _Node:
        return _Node("+", other, self)

    def __sub__(self, other: Any) -> _Node:
        if _zero(other):  # x - 0.0 is x, -0.0 included
            return self
        return _Node("-", self, other)

    def __rsub__(self, other: Any) -> _Node:
        return _Node("-", other, self)

    def __mul__(self, other: Any) -> _Node:
        return _Node("*", self, other)

    def __rmul__(self, other: Any) -> _Node:
        return _Node("*", other, self)

    def __truediv__(self, other: Any) -> _Node:
        return _Node("/", self, other)

    def __rtruediv__(self, other: Any) -> _Node:
        return _Node("/", other, self)

    def __lt__(self, other: Any) -> _Node:
        return _Node("<", self, other)

    def __le__(self, other: Any) -> _Node:
        return _Node("<=", self, other)

    def __gt__(self, other: Any) -> _Node:
        return _Node(">", self, other)

    def __ge__(self, other: Any) -> _Node:
        return _Node(">=", self, other)

    def __eq__(self, other: object) -> _Node:  # type: ignore[override]
        return _Node("==", self, other)

    def __ne__(self, other: object) -> _Node:  # type: ignore[override]
        return _Node("!=", self, other)

    def __and__(self, other: Any) -> _Node:
        if _true(other):
            return self
        if _true(self):
            return other  # type: ignore[no-any-return]
        return _Node("&", self, other)

    def __or__(self, other: Any) -> _Node:
        return _Node("|", self, other)

    def __invert__(self) -> _Node:
        return _Node("~", self)


def _number(value: Any, number: float) -> bool:
    """Whether ``value`` is the Python constant ``number`` (not a node, not a bool)."""
    return type(value) in (int, float) and value == number


def _zero(value: Any) -> bool:
    return _number(value, 0)


def _true(node: Any) -> bool:
    return isinstance(node, _Node) and node.op == "lit" and node.args[0] is True


def _literal(node: Any, value: float) -> bool:
    return (
        isinstance(node, _Node)
        and node.op == "lit"
        and type(node.args[0]) is float
        and node.args[0] == value
    )


def _clipped(condition: _Node, then: Any, otherwise: Any) -> Any:
    """The value ``where(x < 0, 0, where(x > 1, 1, x))`` clips (``_clip``), if it is that."""
    if not (
        condition.op == "<"
        and _zero(condition.args[1])
        and _literal(then, 0.0)
        and isinstance(otherwise, _Node)
        and otherwise.op == "where"
    ):
        return None
    value = condition.args[0]
    above, one, kept = otherwise.args
    if (
        isinstance(above, _Node)
        and above.op == ">"
        and above.args[0] is value
        and _number(above.args[1], 1)
        and _literal(one, 1.0)
        and kept is value
    ):
        return value
    return None


class _GraphOps:
    """The expression adapter of :func:`build`, writing nodes rather than Spark columns.

    The checks that stop the job (an infinity, a missing value under the 'raise'
    policy) are gathered in :attr:`checks` rather than wrapped round each share,
    so that the arithmetic stays free of them (see :func:`native`).
    """

    def __init__(self) -> None:
        self.checks: list[tuple[_Node, str]] = []

    def raw(self, name: str) -> _Node:
        return _Node("raw", name)

    def missing(self, name: str) -> _Node:
        return _Node("missing", name)

    def column(self, name: str) -> _Node:
        return _Node("ref", name)

    def literal(self, value: float | bool | str | None) -> _Node:
        return _Node("lit", value)

    def where(self, condition: _Node, then: _Node, otherwise: _Node) -> _Node:
        if _true(condition):
            return then
        clipped = _clipped(condition, then, otherwise)
        if clipped is not None:
            return _Node("clip", clipped)
        return _Node("where", condition, then, otherwise)

    def log1p(self, value: _Node) -> _Node:
        return _Node("log1p", value)

    def divide(self, numerator: _Node, denominator: float) -> _Node:
        return numerator if denominator == 1 else numerator / denominator

    def fail(self, condition: _Node, message: str, value: _Node) -> _Node:
        self.checks.append((condition, message))
        return value

    def is_infinite(self, value: _Node) -> _Node:
        return _Node("infinite", value)

    def is_null(self, value: _Node) -> _Node:
        return _Node("null", value)


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "&": operator.and_,
    "|": operator.or_,
}


class _Spark:
    """Turns nodes into Spark columns.

    A reference to a column of ``computed`` (an earlier projection) stays a
    reference; any other is replaced by the referenced column's expression.
    """

    def __init__(self, definitions: dict[str, _Node], computed: frozenset[str]) -> None:
        self.f = require("pyspark.sql.functions", "spark")
        self.definitions = definitions
        self.computed = computed
        self.done: dict[int, Any] = {}

    def raw(self, name: str) -> Any:
        # NaN, never null, for a missing value: the arithmetic then needs no null checks.
        return self.f.coalesce(self.f.col(name).cast("double"), self.f.lit(float("nan")))

    def __call__(self, node: Any) -> Any:
        if not isinstance(node, _Node):
            return node  # a Python constant: Spark columns take them as literals
        found = self.done.get(id(node))
        if found is None:
            found = self.done[id(node)] = self._column(node)
        return found

    def _column(self, node: _Node) -> Any:  # noqa: C901 - one case per operation
        f, op, args = self.f, node.op, node.args
        if op == "ref":
            name = args[0]
            return f.col(name) if name in self.computed else self(self.definitions[name])
        if op == "raw":
            return self.raw(args[0])
        if op == "missing":
            return f.isnan(self.raw(args[0]))
        if op == "lit":
            return f.lit(args[0])
        if op == "where":
            return f.when(self(args[0]), self(args[1])).otherwise(self(args[2]))
        if op == "log1p":
            return f.log1p(self(args[0]))
        if op == "clip":
            # As _clip: NaN and +inf give 1.0 both ways (Spark orders NaN above
            # every number), -0.0 stays -0.0 (greatest keeps the first of equals).
            return f.least(f.greatest(self(args[0]), f.lit(0.0)), f.lit(1.0))
        if op == "infinite":
            return f.abs(self(args[0])) == float("inf")
        if op == "null":
            return self(args[0]).isNull()
        if op == "~":
            return ~self(args[0])
        left, right = args
        if not isinstance(left, _Node):  # 1.0 - share: Spark columns want a column first
            left = f.lit(left)
        return _BINARY[op](self(left), self(right))

    def guard(self, checks: list[tuple[_Node, str]], columns: dict[str, Any]) -> dict[str, Any]:
        """The result columns, each stopping the job with a check's message where it holds."""
        if not checks:
            return columns
        f = self.f
        stop = f.when(self(checks[0][0]), f.raise_error(f.lit(checks[0][1])))
        for condition, message in checks[1:]:
            stop = stop.when(self(condition), f.raise_error(f.lit(message)))
        failed = stop.otherwise(f.lit(None)).isNotNull()
        return {name: f.when(failed, f.lit(None)).otherwise(c) for name, c in columns.items()}


def native(frame: Any, card: Scorecard, names: tuple[str, ...], *, contributions: bool) -> Any:
    """The frame with the score columns added by projections of Spark expressions."""
    ops = _GraphOps()
    # Correctly rounded sums cost ~3 stages per measure; compensated sums agree with
    # them but on contrived ties (see the module doc of successkit.spark._score).
    stages = build(card, ops, names, contributions=contributions, exact=False)
    assert len(stages.stages) == sum(map(len, _PROJECTIONS))  # noqa: S101 - build's shape
    definitions = {name: node for stage in stages.stages[:-1] for name, node in stage.items()}
    computed: frozenset[str] = frozenset()
    for projection in _PROJECTIONS[:-1]:
        spark = _Spark(definitions, computed)
        added = {name: spark(node) for i in projection for name, node in stages.stages[i].items()}
        frame = frame.withColumns(added)
        computed |= frozenset(added)
    spark = _Spark(definitions, computed)
    results = {name: spark(node) for name, node in stages.stages[-1].items()}
    frame = frame.withColumns(spark.guard(ops.checks, results))
    return frame.drop(*stages.working)
