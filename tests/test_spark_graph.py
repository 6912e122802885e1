"""The expression graph of the native Spark method: its rewrites are exact and narrow.

No Spark session is needed: the graph is plain Python until it is turned into
Spark columns.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pyspark", reason="the spark extra is not installed")

from successkit.spark._native import _GraphOps, _Node


def test_a_clip_of_a_share_becomes_one_clip_node() -> None:
    ops = _GraphOps()
    share = ops.raw("goal") / 10.0
    clipped = ops.where(
        share < 0.0, ops.literal(0.0), ops.where(share > 1.0, ops.literal(1.0), share)
    )
    assert clipped.op == "clip"
    assert clipped.args == (share,)


@pytest.mark.parametrize(
    "shape",
    [
        "other value kept",  # where(x < 0, 0, where(x > 1, 1, y))
        "other bound",  # where(x < 0, 0, where(x > 2, 1, x))
        "other floor",  # where(x < 0, 0.5, where(x > 1, 1, x))
        "other test",  # where(x <= 0, 0, where(x > 1, 1, x))
        "not nested",  # where(x < 0, 0, x)
    ],
)
def test_only_the_exact_clip_is_rewritten(shape: str) -> None:
    ops = _GraphOps()
    x, y = ops.raw("x"), ops.raw("y")
    zero, one = ops.literal(0.0), ops.literal(1.0)
    built = {
        "other value kept": lambda: ops.where(x < 0.0, zero, ops.where(x > 1.0, one, y)),
        "other bound": lambda: ops.where(x < 0.0, zero, ops.where(x > 2.0, one, x)),
        "other floor": lambda: ops.where(x < 0.0, ops.literal(0.5), ops.where(x > 1.0, one, x)),
        "other test": lambda: ops.where(x <= 0.0, zero, ops.where(x > 1.0, one, x)),
        "not nested": lambda: ops.where(x < 0.0, zero, x),
    }[shape]()
    assert built.op == "where"


def test_constant_rewrites_keep_the_value() -> None:
    ops = _GraphOps()
    x, flag = ops.raw("x"), ops.missing("x")
    true = ops.literal(True)
    assert x - 0.0 is x
    assert x - 0 is x
    assert (x - 1.0).op == "-"
    assert ops.divide(x, 1.0) is x
    assert ops.divide(x, 4.0).op == "/"
    assert (true & flag) is flag
    assert (flag & true) is flag
    assert ops.where(true, x, ops.literal(0.0)) is x
    assert ops.where(flag, x, ops.literal(0.0)).op == "where"
    # A boolean False is not a zero to drop.
    assert isinstance(x - False, _Node)
    assert (x - False).op == "-"
