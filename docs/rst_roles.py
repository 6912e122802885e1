"""A Griffe extension that lets the API reference read our reStructuredText habits.

The docstrings cross-reference with Sphinx roles (``:class:`~successkit.model.Goal```)
and introduce examples with ``::``, which Markdown would print as they are.
Before mkdocstrings renders a docstring, this turns each role into an optional
autorefs link (a link when the target is documented, plain code otherwise, so a
reference can never break the build) and each ``::`` into ``:``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|exc|obj):`(?P<tilde>~?)(?P<target>[\w.]+)`")
LITERAL_BLOCK = re.compile(r"(?m)(?<=\S)::$")
LONE_MARKER = re.compile(r"(?m)^[ \t]*::[ \t]*\n")


def qualify(obj: griffe.Object, target: str) -> str:
    """The full path of ``target`` as seen from ``obj``: its class, then its module."""
    if target.startswith("successkit."):
        return target
    head, _, rest = target.partition(".")
    scope: griffe.Object | None = obj
    while scope is not None:
        if (scope.is_class or scope.is_module) and head in scope.members:
            member = scope.members[head]
            # An imported name points at where it is defined, which is documented.
            base = member.target_path if isinstance(member, griffe.Alias) else member.path
            return f"{base}.{rest}" if rest else base
        scope = scope.parent
    return target


def markdown(obj: griffe.Object, text: str) -> str:
    """``text`` with its roles made links and its literal-block markers made colons."""

    def link(match: re.Match[str]) -> str:
        target = match["target"]
        title = target.rsplit(".", 1)[-1] if match["tilde"] else target
        identifier = qualify(obj, target)
        return f'<autoref identifier="{identifier}" optional><code>{title}</code></autoref>'

    text = ROLE.sub(link, text)
    text = LONE_MARKER.sub("\n", text)
    return LITERAL_BLOCK.sub(":", text)


class RstRoles(griffe.Extension):
    """Rewrite every docstring of the loaded package once, after it is fully known."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s own docstring (aliases share their target's)."""
        del kwargs
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj, obj.docstring.value)
