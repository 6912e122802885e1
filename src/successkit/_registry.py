"""A named registry of plugins, usable as a decorator, fed by an entry-point group.

Scorers and detection rules are both plugins: built-ins register themselves
with the decorator, third parties through their package's entry points.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar, overload

from successkit.errors import ValidationError

T = TypeVar("T")


class Registry(Generic[T]):
    """Plugins of one kind, by name.

    Args:
        kind: what the plugins are, for messages (``"scorer"``, ``"rule"``).
        group: the entry-point group third-party packages register under.
    """

    def __init__(self, kind: str, group: str) -> None:
        self.kind = kind
        self.group = group
        self._items: dict[str, T] = {}
        self._loaded_entry_points = False

    @overload
    def register(self, name: str) -> Callable[[T], T]: ...

    @overload
    def register(self, name: str, item: T) -> T: ...

    def register(self, name: str, item: T | None = None) -> T | Callable[[T], T]:
        """Register ``item`` under ``name``; without ``item``, return a decorator.

        Raises:
            ValidationError: the name is empty or already taken by another plugin.
        """
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(f"{self.kind} name", name, "a non-empty string")

        def add(plugin: T) -> T:
            held = self._items.get(name)
            if held is not None and held is not plugin:
                raise ValidationError(
                    f"{self.kind} name", name, f"a name no other {self.kind} has taken"
                )
            self._items[name] = plugin
            return plugin

        return add if item is None else add(item)

    def unregister(self, name: str) -> None:
        """Remove a plugin (mostly for tests)."""
        self._items.pop(name, None)

    def get(self, name: str) -> T:
        """The plugin registered as ``name``, loading entry points if needed.

        Raises:
            ValidationError: no plugin has that name; the message lists the known ones.
        """
        if name not in self._items:
            self.load_entry_points()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise ValidationError(
                f"{self.kind} name", name, f"a registered {self.kind} ({known})"
            ) from None

    def names(self) -> tuple[str, ...]:
        """All registered names, sorted (entry points included)."""
        self.load_entry_points()
        return tuple(sorted(self._items))

    def load_entry_points(self) -> None:
        """Register the plugins third-party packages declare in the entry-point group."""
        if self._loaded_entry_points:
            return
        self._loaded_entry_points = True
        from importlib.metadata import entry_points  # noqa: PLC0415 - only when asked

        for point in entry_points(group=self.group):
            if point.name not in self._items:
                self._items[point.name] = point.load()

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())
