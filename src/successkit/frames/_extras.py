"""Importing optional dependencies on first use, naming the extra that installs them."""

from __future__ import annotations

import importlib
from types import ModuleType

from successkit.errors import MissingExtraError

__all__ = ["require"]


def require(module: str, extra: str) -> ModuleType:
    """Import ``module``, or raise :class:`MissingExtraError` naming ``extra``.

    Raises:
        MissingExtraError: ``module`` cannot be imported.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(extra, module) from None
