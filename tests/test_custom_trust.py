"""Nothing of a custom layer's code runs before it is trusted: opening, validating, saving,
copying and running without trust write nothing; trust is kept by code hash, in memory and in
a file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from custom_helpers import customised
from engine_fixtures import build_apple_orange

from core import io
from core.custom.runner import LayerError, forget_compiled
from core.custom.templates import ADD, MUL
from core.custom.trust import TrustStore, code_hash
from core.program import Program, ProgramError
from core.stepper import Stepper
from core.trainer import Trainer
from core.validation import validate


def writing_code(target: Path) -> str:
    """A MulLayer whose class body writes ``target`` when the class is defined."""
    return MUL.replace("class MulLayer:\n", f"class MulLayer:\n    open({str(target)!r}, 'w').write('ran')\n", 1)


def test_a_file_whose_code_writes_writes_nothing_without_trust(tmp_path: Path, trust) -> None:
    forget_compiled()
    target = tmp_path / "written.txt"
    code = writing_code(target)
    path = tmp_path / "graph.json"
    io.save(customised(build_apple_orange(), {"price": code}), path)

    graph = io.load(path)  # opened
    problems = validate(graph)  # validated
    assert [p.kind for p in problems] == ["untrusted"]
    assert problems[0].node == "price"
    io.save(graph, tmp_path / "copy.json")  # saved
    io.from_dict(io.to_dict(graph, ["price", "tax"]))  # copied and pasted
    for run in (Program, Stepper, Trainer):
        with pytest.raises(ProgramError, match="price .*does not run until you trust it"):
            run(graph)
    with pytest.raises(LayerError, match="not trusted"):  # a kernel called directly refuses too
        graph.nodes["price"].op.forward([], {"code": code})
    assert not target.exists()

    trust.allow([code])
    Stepper(graph).run_forward()
    assert target.read_text() == "ran"


def test_ports_come_from_the_code_without_running_it(trust) -> None:
    graph = customised(build_apple_orange(), {"all_price": ADD})
    assert graph.nodes["all_price"].inputs == ("x", "y")
    affine = "class Affine:\n    def __init__(self, W, b):\n        pass\n    def forward(self, x):\n" \
             "        return x\n    def backward(self, dout):\n        return dout, dout, dout\n"
    graph.add_node("CustomLayer", "aff", attrs={"code": affine})
    assert graph.nodes["aff"].inputs == ("x", "W", "b")
    broken = "class Broken:\n    def forward(self, x, y):\n        return x +\n"
    graph.add_node("CustomLayer", "broken", attrs={"code": broken})
    assert graph.nodes["broken"].inputs == ("x", "y")  # read from the text: the edges survive a typo
    problems = {p.node: p.message for p in validate(graph)}
    assert problems["broken"] == "broken (Custom layer): syntax error: invalid syntax (line 3)"


def test_the_file_keeps_the_code_as_text(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    io.save(customised(build_apple_orange(), {"price": MUL}), path)
    node = next(n for n in json.loads(path.read_text())["nodes"] if n["id"] == "price")
    assert node == {"id": "price", "op": "CustomLayer", "attrs": {"code": MUL}, "pos": node["pos"]}
    assert io.load(path).nodes["price"].attrs["code"] == MUL


def test_trust_is_remembered_by_code_hash_in_a_file(tmp_path: Path, trust) -> None:
    store = TrustStore(tmp_path / "config" / "trusted-code.txt")
    assert not store.knows([MUL])
    store.remember([MUL, ADD])
    again = TrustStore(tmp_path / "config" / "trusted-code.txt")
    assert again.knows([MUL]) and again.knows([ADD, MUL])
    assert not again.knows([MUL + " "])  # one character more is other code
    assert again.hashes() == {code_hash(MUL), code_hash(ADD)}
    trust.allow_hashes(again.hashes())
    assert trust.is_trusted(MUL) and not trust.is_trusted(MUL.replace("dout", "d"))


def test_trust_taken_back_stops_a_compiled_layer(trust) -> None:
    trust.allow([MUL])
    graph = customised(build_apple_orange(), {"price": MUL})
    Stepper(graph).run_forward()
    trust.revoke_all()
    with pytest.raises(LayerError, match="not trusted"):
        graph.nodes["price"].op.forward([], {"code": MUL, "node": "price"})
