"""Python names for what an export writes: one variable per node, its layer, its gradient.

Node ids may hold ``.`` and ``-`` and may clash with Python's keywords, builtins or the names
the exported code uses itself; :class:`Names` hands out identifiers that are valid and unique.
"""
from __future__ import annotations

import builtins
import keyword
import re

_NOT_IDENT = re.compile(r"[^0-9A-Za-z_]")


class Names:
    """Unique Python identifiers, each made from a wish (a node id, ``"d" + name`` ...)."""

    def __init__(self, reserved: set[str] | frozenset[str] = frozenset()) -> None:
        self._taken: set[str] = set(reserved) | set(keyword.kwlist) | set(dir(builtins))

    def take(self, wish: str) -> str:
        """A new identifier as close to ``wish`` as possible (``W1``, ``w_1`` for ``w.1``, ``sum_2``)."""
        base = _NOT_IDENT.sub("_", wish) or "node"
        if base[0].isdigit():
            base = "n_" + base
        name, k = base, 2
        while name in self._taken:
            name = f"{base}_{k}"
            k += 1
        self._taken.add(name)
        return name

    def reserve(self, name: str) -> None:
        self._taken.add(name)
