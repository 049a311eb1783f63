"""The graph as PyTorch code (written in the next commit)."""
from __future__ import annotations

from core.graph import Graph


def export_torch(graph: Graph, updates: int | None = None) -> str:
    raise NotImplementedError
