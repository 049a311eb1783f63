"""Helpers of the custom-layer tests: graphs with some nodes turned into custom layers."""
from __future__ import annotations

from core import io
from core.graph import Graph


def customised(graph: Graph, codes: dict[str, str]) -> Graph:
    """A copy of ``graph`` where each node in ``codes`` is a CustomLayer with that code (same id,
    same edges: the code's ports must carry the built-in op's port names)."""
    doc = io.to_dict(graph)
    for node in doc["nodes"]:
        if node["id"] in codes:
            node["op"] = "CustomLayer"
            node["attrs"] = {"code": codes[node["id"]]}
    return io.from_dict(doc)


LOG_OF_NEGATIVE = '''import numpy as np

class Bad:
    def forward(self, x):
        self.x = x
        return np.log(-np.abs(x) - 1.0)

    def backward(self, dout):
        return dout / self.x
'''  # a layer whose forward is NaN for every input: its check can measure nothing
