"""The categories of the ``band`` and ``quadrant`` columns, by code."""

from __future__ import annotations

__all__ = ["BAND_CATEGORIES", "QUADRANT_CATEGORIES"]

BAND_CATEGORIES: tuple[str, ...] = ("red", "amber", "green")
"""Band names by code (the band's rank): lowest first."""

QUADRANT_CATEGORIES: tuple[str, ...] = (
    "code_red",
    "unhappy_achiever",
    "false_promoter",
    "advocate",
)
"""Quadrant names by code, ``right + 2 x top``: from code red up to advocate."""
