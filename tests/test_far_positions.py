"""A node placed absurdly far away is refused at load naming its place: the canvas indexes edges by
cells of the scene, and a node at 2⁶³ made it ask for exabytes (an exception in a Qt slot on
every step) or hang for minutes."""
from __future__ import annotations

import json

import pytest
from helpers import EXAMPLES

from core.io import fileformat as io

XOR = json.loads((EXAMPLES / "xor.json").read_text(encoding="utf-8"))


def _with_pos(pos: list) -> str:
    doc = json.loads(json.dumps(XOR))
    doc["nodes"][4]["pos"] = pos
    return json.dumps(doc)


@pytest.mark.parametrize("pos, shown", [([-(2**63) - 1, 0], "-9223372036854775809"), ([0, 1e308], "1e+308"),
                                        ([1_000_000.5, 0], "1000000.5"), ([0, 2**31], "2147483648")])
def test_a_node_far_from_the_origin_is_refused_naming_the_coordinate(pos, shown):
    with pytest.raises(io.FormatError) as refused:
        io.loads(_with_pos(pos), source="xor.json")
    axis = 0 if pos[0] else 1
    assert str(refused.value) == f"xor.json: nodes[4].pos[{axis}]: must be from -1,000,000 to 1,000,000, not {shown}"


def test_a_node_at_the_bounds_loads_and_saves_equal():
    graph = io.loads(_with_pos([-1_000_000, 1_000_000]))
    assert graph.nodes["tanh1"].pos == (-1_000_000.0, 1_000_000.0)
    assert io.loads(io.dumps(graph)).nodes["tanh1"].pos == (-1_000_000.0, 1_000_000.0)
