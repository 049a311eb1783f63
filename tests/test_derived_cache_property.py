"""Property: after any sequence of edits, undos and redos on a document, what ``Document.derived``
answers (validation's problems in order, the shapes, the Program) equals what a from-scratch
``core.validation.check`` and ``core.program.Program`` give on the graph as it is, although
``derived`` finds most of it in its cache (``core.derived_cache``).

The edits include what the cache's fingerprint must see (deletions, connections, renames,
attributes, the objective, settings, the dataset's split, trust given to or taken from custom
code) and what it must not keep (a value set to NaN and back, a weight or a label written in
place as training or the dataset editor write them).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from custom_helpers import customised
from helpers import EXAMPLES
from hypothesis import event, given
from hypothesis import strategies as st

from app.commands import (
    Connect,
    Delete,
    ReplaceWithCustom,
    SetAttr,
    SetCell,
    SetDataset,
    SetObjective,
    SetSettings,
    SetValue,
)
from app.commands import Rename as RenameNode
from app.model.document import Document
from core.custom.trust import SESSION
from core.data import edit
from core.graph import Graph, GraphError
from core.program import Program, ProgramError
from core.validation import check

SOURCES = ["mazur", "iris", "xor", "fanout", "apple_orange"]
ACTIONS = ["delete", "delete", "loose", "undo", "undo", "undo", "redo", "redo", "nan", "finite", "in_place",
           "label", "trust", "revoke", "batch", "split", "rename", "objective", "trainable", "connect", "custom"]


def program_parts(program: Program) -> dict[str, Any]:
    """Everything a Program holds, in comparable form."""
    return {
        "steps": program.steps, "order": program.order, "leaves": program.leaves, "inputs": program.inputs,
        "parameters": program.parameters, "trainable": program.trainable, "needs_grad": program.needs_grad,
        "computed": program.computed, "backward": program.backward_nodes, "user_code": program.user_code,
        "grad_sources": program.grad_sources, "objective": (program.objective, program.objective_name),
        "plans": [(n, p.id, p.op.type, dict(p.attrs), p.srcs, p.grad_ports) for n, p in program.plans.items()],
        "with_gradient": program.trainable_with_gradient(),
    }


def assert_derived_fresh(document: Document) -> None:
    graph = document.derived.graph
    problems, shapes = check(graph)
    got_problems, got_shapes = document.derived.check()
    assert got_problems == problems
    assert list(got_shapes.items()) == list(shapes.items())
    assert document.derived.problems() == problems
    try:
        fresh = Program(graph)
    except ProgramError as exc:
        with pytest.raises(ProgramError) as raised:
            document.derived.program()
        assert raised.value.problems == exc.problems == problems
    else:
        assert problems == []
        assert program_parts(document.derived.program()) == program_parts(fresh)


def _load(name: str) -> Graph:
    graph = Document.read(EXAMPLES / f"{name}.json")
    if name == "fanout":  # one custom layer: validation reads whether its code is trusted
        node = next(n for n, v in graph.nodes.items() if v.op_type == "Multiply")
        graph = customised(graph, {node: "class Mul:\n    def forward(self, x, y):\n        self.x, self.y = x, y\n"
                                         "        return x * y\n\n    def backward(self, dout):\n"
                                         "        return dout * self.y, dout * self.x\n"})
    return graph


def _act(document: Document, action: str, data: st.DataObject) -> None:
    graph, stack = document.graph, document.undo_stack
    names = sorted(graph.nodes)
    valued = [n for n in names if graph.nodes[n].value is not None]
    pick = (lambda items: data.draw(st.sampled_from(items))) if names else None
    if action == "undo" and stack.canUndo():
        stack.undo()
    elif action == "redo" and stack.canRedo():
        stack.redo()
    elif action == "delete" and pick:
        ids = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        stack.push(Delete(document, ids))
    elif action == "loose" and graph.edges:
        edge = data.draw(st.sampled_from(graph.edges))
        stack.push(Delete(document, [], [(edge.dst, edge.port)]))
    elif action in ("nan", "finite") and valued:
        node = graph.nodes[pick(valued)]
        value = np.array(node.value, dtype=float)
        value.flat[data.draw(st.integers(0, value.size - 1))] = np.nan if action == "nan" else 0.5
        stack.push(SetValue(document, node.id, value if action == "nan" else np.nan_to_num(value, nan=0.25)))
    elif action == "in_place" and valued:  # as the trainer writes weights: no signal at all
        node = graph.nodes[pick(valued)]
        assert node.value is not None
        node.value.flat[0] = np.nan if np.isfinite(node.value.flat[0]) else 1.0
    elif action == "label" and graph.dataset is not None and graph.dataset.fields:
        field = pick(sorted(graph.dataset.fields))
        row = data.draw(st.integers(0, graph.dataset.rows - 1))
        value = data.draw(st.sampled_from([0.0, 1.0, 2.5, 7.0, -1.0]))
        if data.draw(st.booleans()):
            stack.push(SetCell(document, field, row, 0, value))
        else:  # in place, unannounced: only a fresh reading sees it
            edit.write_cell(graph.dataset, field, row, 0, value)
    elif action == "trust":
        SESSION.allow(str(n.attrs.get("code", "")) for n in graph.nodes.values() if n.op_type == "CustomLayer")
    elif action == "revoke":
        SESSION.revoke_all()
    elif action == "batch":
        size = data.draw(st.sampled_from([0, 1, 4, 1000]))
        stack.push(SetSettings(document, graph.settings.with_changes(batch_size=size)))
    elif action == "split" and graph.dataset is not None and graph.dataset.rows > 4:
        fraction = data.draw(st.sampled_from([0.0, 0.25, 0.5]))
        stack.push(SetDataset(document, edit.with_split(graph.dataset, fraction, data.draw(st.integers(0, 3)))))
    elif action == "rename" and pick:
        stack.push(RenameNode(document, pick(names), f"r{stack.count()}_{data.draw(st.integers(0, 9))}"))
    elif action == "objective" and pick:
        stack.push(SetObjective(document, data.draw(st.sampled_from([None, *names]))))
    elif action == "trainable":
        params = [n for n in names if graph.nodes[n].is_parameter]
        if params:
            node = graph.nodes[pick(params)]
            stack.push(SetAttr(document, node.id, "trainable", not node.attrs.get("trainable", True)))
    elif action == "connect" and pick:
        dst = graph.nodes[pick(names)]
        if dst.inputs:
            stack.push(Connect(document, pick(names), dst.id, data.draw(st.sampled_from(list(dst.inputs)))))
    elif action == "custom" and pick:
        stack.push(ReplaceWithCustom(document, pick(names)))


@given(source=st.sampled_from(SOURCES), data=st.data())
def test_derived_equals_a_fresh_build_after_every_edit_undo_and_redo(source, data, trust):
    document = Document(_load(source))
    assert_derived_fresh(document)
    for _ in range(data.draw(st.integers(1, 14))):
        action = data.draw(st.sampled_from(ACTIONS))
        try:
            _act(document, action, data)
        except (GraphError, ValueError):  # an edit the graph refuses: nothing pushed
            event(f"refused {action}")
        assert_derived_fresh(document)
    event(f"derivations made {document.derived.cache.made} (of {document.undo_stack.count()} commands)")
