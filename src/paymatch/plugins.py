"""Loading plugins from entry points, the same way for parsers and matchers.

A third-party package registers a plugin under an entry-point group
(``paymatch.parsers``, ``paymatch.matchers``). The entry point may name the
plugin object itself, a class or function that makes one, or a function that
returns several. Whatever fails on the way (the import, the factory, the
plugin's own shape) becomes the group's plugin error, naming the entry point,
so a user knows which installed package to blame.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

import attrs

from paymatch.errors import PaymatchError

__all__ = ["load_plugins"]


def load_plugins(
    group: str,
    *,
    kind: str,
    is_plugin: Callable[[object], bool],
    check: Callable[[object, str], None],
    error: type[PaymatchError],
) -> list[object]:
    """Every plugin installed under ``group``, each checked, in entry-point order.

    ``kind`` names a plugin in messages (``"parser"``); ``is_plugin`` tells a
    finished plugin from a factory; ``check(plugin, origin)`` raises ``error``
    when a plugin lacks what the group requires.
    """
    rules = _Group(group, kind, is_plugin, check, error)
    return [
        plugin for entry_point in entry_points(group=group) for plugin in rules.load(entry_point)
    ]


@attrs.frozen
class _Group:
    """What :func:`load_plugins` was told about one entry-point group."""

    name: str
    kind: str
    is_plugin: Callable[[object], bool]
    check: Callable[[object, str], None]
    error: type[PaymatchError]

    def load(self, entry_point: EntryPoint) -> list[object]:
        """The plugins an entry point provides: one, a factory of one, or a function giving some."""
        origin = f"plugin {entry_point.name!r} ({entry_point.value}) in group {self.name!r}"
        try:
            loaded = entry_point.load()
        except Exception as failure:
            raise self.error(f"{origin} failed to import: {failure!r}") from failure
        candidate = loaded
        # a class is a factory even when its class attributes already look like a plugin
        if isinstance(loaded, type) or (not self.is_plugin(loaded) and callable(loaded)):
            try:
                candidate = loaded()
            except Exception as failure:
                raise self.error(
                    f"{origin} failed to create its {self.kind}: {failure!r}"
                ) from failure
        if self.is_plugin(candidate):
            found = [candidate]
        else:
            try:
                found = list(candidate)
            except TypeError:
                found = [candidate]
        for plugin in found:
            self.check(plugin, origin)
        return found
