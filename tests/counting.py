"""Counting the calls a piece of work makes (tests of cost that count, never time)."""
from __future__ import annotations

from typing import Any


def counted(monkeypatch: Any, owner: Any, name: str) -> list[tuple[Any, ...]]:
    """Replace ``owner.name`` by a wrapper that records each call's arguments in the list returned."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls
