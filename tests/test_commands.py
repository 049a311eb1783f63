"""Commands, the document and the bridge: every edit is undoable and undo restores the graph exactly."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import build_mazur

from app import commands as cmd
from app.model.bridge import GraphBridge
from app.model.document import Document
from core import io
from core.data.dataset import Dataset
from core.graph import Graph, GraphError
from core.settings import TrainingSettings


def snapshot(graph: Graph) -> dict[str, Any]:
    """Everything an edit may change; node order is free, but each input keeps its source."""
    doc = io.to_dict(graph)
    return {
        "nodes": sorted((n["id"], n["op"], repr(n.get("attrs")), tuple(n["pos"]), repr(n.get("value")))
                        for n in doc["nodes"]),
        "edges": sorted((e["to"], e["port"], e["from"]) for e in doc["edges"]),
        "objective": graph.objective,
        "settings": doc["training"],
        "dataset": repr(doc.get("dataset")),
    }


@pytest.fixture
def doc(qapp) -> Document:
    document = Document(build_mazur())
    yield document
    document.close()


def check_undo_redo(doc: Document, command: cmd.GraphCommand) -> tuple[dict, dict]:
    """Push, undo, redo: undo gives back the state before, redo the state after. Returns both."""
    before = snapshot(doc.graph)
    doc.undo_stack.push(command)
    after = snapshot(doc.graph)
    assert after != before
    doc.undo_stack.undo()
    assert snapshot(doc.graph) == before
    doc.undo_stack.redo()
    assert snapshot(doc.graph) == after
    return before, after


def test_add_node_and_its_undo(doc):
    command = cmd.AddNode(doc, "Sigmoid", pos=(10, 20))
    assert command.node_id == "sigmoid3" and command.text() == "Add sigmoid3 (Sigmoid)"
    check_undo_redo(doc, command)
    node = doc.graph.node("sigmoid3")
    assert node.pos == (10.0, 20.0) and node.op_type == "Sigmoid"
    with pytest.raises(GraphError, match="unknown op 'Nope'"):
        cmd.AddNode(doc, "Nope")
    with pytest.raises(GraphError, match="exists already"):
        cmd.AddNode(doc, "Sigmoid", node_id="sigmoid1")


def test_a_new_parameter_starts_at_one_so_a_product_shows_its_input(doc):
    add = cmd.AddNode(doc, "Parameter", node_id="w")
    doc.undo_stack.push(add)
    assert float(doc.graph.node("w").value) == 1.0
    doc.undo_stack.push(cmd.AddNode(doc, "Constant", node_id="c"))
    assert float(doc.graph.node("c").value) == 0.0  # a constant (a bias, say) still starts at 0
    doc.undo_stack.push(cmd.AddNode(doc, "Parameter", node_id="v", value=[0.5, 2.0]))
    assert doc.graph.node("v").value.tolist() == [0.5, 2.0]  # a given value is kept
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert "w" not in doc.graph.nodes


def test_connect_names_both_ends_and_refuses_a_cycle(doc):
    doc.undo_stack.push(cmd.AddNode(doc, "Tanh", node_id="tanh1"))
    command = cmd.Connect(doc, "sigmoid2", "tanh1", "x")
    assert command.text() == "Connect sigmoid2 → tanh1"
    check_undo_redo(doc, command)
    assert doc.graph.edge_into("tanh1", "x").src == "sigmoid2"
    with pytest.raises(GraphError, match="would make a cycle"):
        cmd.Connect(doc, "sigmoid2", "affine1", "x")
    with pytest.raises(GraphError, match="cannot feed its own input"):
        cmd.Connect(doc, "tanh1", "tanh1", "x")
    with pytest.raises(GraphError, match="has no input 'z'"):
        cmd.Connect(doc, "x", "affine1", "z")


def test_connect_into_an_occupied_input_replaces_it_as_one_entry(doc):
    command = cmd.Connect(doc, "b1", "affine1", "x")
    assert command.text() == "Connect b1 → affine1.x (replacing x)"
    count = doc.undo_stack.count()
    check_undo_redo(doc, command)
    assert doc.undo_stack.count() == count + 1
    assert doc.graph.edge_into("affine1", "x").src == "b1"
    doc.undo_stack.undo()
    assert doc.graph.edge_into("affine1", "x").src == "x"


def test_disconnect_and_reconnect(doc):
    check_undo_redo(doc, cmd.Disconnect(doc, "affine1", "b"))
    assert doc.graph.edge_into("affine1", "b") is None
    with pytest.raises(GraphError, match="is not connected"):
        cmd.Disconnect(doc, "affine1", "b")
    doc.undo_stack.undo()
    command = cmd.Reconnect(doc, "affine1", "b", "affine2", "b")
    assert command.text() == "Reconnect b1 → affine2.b"
    check_undo_redo(doc, command)
    assert doc.graph.edge_into("affine1", "b") is None
    assert doc.graph.edge_into("affine2", "b").src == "b1"


def test_remove_nodes_restores_their_edges_and_the_objective(doc):
    doc.graph.set_objective("loss")
    command = cmd.RemoveNodes(doc, ["sigmoid1", "loss"])
    assert command.text() == "Delete 2 nodes"
    before, _ = check_undo_redo(doc, command)
    assert "sigmoid1" not in doc.graph.nodes and doc.graph.objective is None
    doc.undo_stack.undo()
    assert snapshot(doc.graph) == before and doc.graph.objective == "loss"
    assert doc.graph.edge_into("affine2", "x").src == "sigmoid1"


def test_undo_of_remove_nodes_puts_each_edge_back_once_source_side_first(doc):
    graph = doc.graph
    taken = {e for e in graph.edges if {e.src, e.dst} & {"affine1", "sigmoid1"}}
    doc.undo_stack.push(cmd.RemoveNodes(doc, ["affine1", "sigmoid1"]))
    added: list = []
    graph.edge_added.connect(added.append)
    doc.undo_stack.undo()
    assert set(added) == taken and len(added) == len(taken)
    order = graph.topological_order()
    assert [order.index(e.dst) for e in added] == sorted(order.index(e.dst) for e in added)
    assert doc.undo_stack.undoText() == "" and doc.undo_stack.redoText() == "Delete 2 nodes"


def test_delete_counts_nodes_and_loose_edges(doc):
    command = cmd.Delete(doc, ["b2"], [("affine1", "x"), ("affine2", "b")])
    assert command.text() == "Delete 1 node and 1 edge"  # affine2.b goes with b2
    check_undo_redo(doc, command)
    assert cmd.Delete(doc, [], [("affine1", "W")]).text() == "Disconnect W1 → affine1.W"
    with pytest.raises(GraphError, match="nothing selected"):
        cmd.Delete(doc, [], [])


def test_move_nodes_records_old_positions_when_it_runs(doc):
    command = cmd.MoveNodes(doc, {"x": (5, 6), "b1": (7, 8)})
    assert command.text() == "Move 2 nodes"
    assert cmd.MoveNodes(doc, {"x": (1, 1)}).text() == "Move x"
    assert cmd.MoveNodes(doc, {"x": (1, 1)}, text="Auto-Layout").text() == "Auto-Layout"
    check_undo_redo(doc, command)
    assert doc.graph.node("b1").pos == (7.0, 8.0)


def test_set_attr_coerces_and_refuses(doc):
    command = cmd.SetAttr(doc, "x", "field", "t")
    assert command.text() == "Set x.field = t"
    check_undo_redo(doc, command)
    with pytest.raises(GraphError, match="must be true or false"):
        cmd.SetAttr(doc, "W1", "trainable", "yes")
    with pytest.raises(GraphError, match="has no attribute 'size'"):
        cmd.SetAttr(doc, "x", "size", 3)


def test_set_value_whole_or_one_cell(doc):
    cell = cmd.SetValue(doc, "W1", 0.2, (0, 1))
    assert cell.text() == "Set W1[0, 1] = 0.2"
    check_undo_redo(doc, cell)
    assert doc.graph.node("W1").value.tolist() == [[0.15, 0.2], [0.2, 0.3]]
    whole = cmd.SetValue(doc, "W1", np.ones((3, 2)))
    assert whole.text() == "Set W1 (3×2)"
    check_undo_redo(doc, whole)
    assert cmd.SetValue(doc, "b1", 0.5).text() == "Set b1 = 0.5"
    with pytest.raises(GraphError, match="'abc' is not a number"):
        cmd.SetValue(doc, "b1", "abc")
    with pytest.raises(GraphError, match=r"no cell \[5, 0\]"):
        cmd.SetValue(doc, "W1", 1.0, (5, 0))
    with pytest.raises(GraphError, match="holds no value"):
        cmd.SetValue(doc, "affine1", 1.0)


def test_rename_moves_edges_and_refuses_bad_ids(doc):
    doc.graph.set_objective("loss")
    command = cmd.Rename(doc, "loss", "error")
    assert command.text() == "Rename loss → error"
    check_undo_redo(doc, command)
    assert doc.graph.objective == "error" and doc.graph.edge_into("error", "y").src == "sigmoid2"
    with pytest.raises(GraphError, match="not a valid node id"):
        cmd.Rename(doc, "x", "2x")
    with pytest.raises(GraphError, match="exists already"):
        cmd.Rename(doc, "x", "t")


def test_paste_takes_fresh_ids_offsets_and_keeps_internal_edges(doc):
    source = io.from_dict(io.to_dict(doc.graph, ["W1", "affine1", "sigmoid1"]))
    command = cmd.Paste(doc, source, (40, 40))
    assert command.text() == "Paste 3 nodes"
    check_undo_redo(doc, command)
    assert command.id_map == {"W1": "W3", "affine1": "affine3", "sigmoid1": "sigmoid3"}
    assert doc.graph.node("affine3").pos == (260.0, 160.0)
    assert doc.graph.edge_into("affine3", "W").src == "W3"
    assert doc.graph.edge_into("sigmoid3", "x").src == "affine3"
    assert doc.graph.edge_into("affine3", "x") is None  # x was not copied
    assert doc.graph.node("W3").value.tolist() == doc.graph.node("W1").value.tolist()
    fresh = Graph()
    fresh.add_node("Sigmoid", "free_name")
    assert cmd.Paste(doc, fresh).node_ids == ["free_name"]


def test_settings_objective_and_dataset(doc):
    settings = doc.graph.settings.with_changes(learning_rate=0.25)
    command = cmd.SetSettings(doc, settings)
    assert command.text() == "Set learning rate = 0.25"
    check_undo_redo(doc, command)
    assert cmd.SetSettings(doc, TrainingSettings(optimizer="adam", steps=5)).text() == "Change training settings"
    check_undo_redo(doc, cmd.SetObjective(doc, "sigmoid2"))
    assert doc.graph.objective == "sigmoid2"
    check_undo_redo(doc, cmd.SetDataset(doc, Dataset({"x": [[1.0, 2.0]], "t": [[0.0, 1.0]]})))


def test_a_long_session_undoes_to_the_start_and_redoes_to_the_end(doc):
    start = snapshot(doc.graph)
    stack = doc.undo_stack
    add = cmd.AddNode(doc, "Tanh", pos=(900, 0))
    stack.push(add)
    for make in [  # each built when its turn comes, against the graph as it is then
        lambda: cmd.Connect(doc, "sigmoid1", add.node_id, "x"),
        lambda: cmd.Connect(doc, "b1", "affine2", "b"),
        lambda: cmd.SetValue(doc, "W2", -1.5, (1, 1)),
        lambda: cmd.Rename(doc, "W2", "W_out"),
        lambda: cmd.MoveNodes(doc, {"x": (-50, -50), add.node_id: (1000, 10)}),
        lambda: cmd.SetAttr(doc, "W1", "trainable", False),
        lambda: cmd.Delete(doc, ["affine1"], [("loss", "t")]),
        lambda: cmd.Paste(doc, io.from_dict(io.to_dict(doc.graph, ["sigmoid1", "W_out", "affine2"])), (40, 40)),
    ]:
        stack.push(make())
    end = snapshot(doc.graph)
    texts = [stack.text(i) for i in range(stack.count())]
    assert texts[1:4] == ["Connect sigmoid1 → tanh1", "Connect b1 → affine2.b (replacing b2)", "Set W2[1, 1] = -1.5"]
    while stack.canUndo():
        stack.undo()
    assert snapshot(doc.graph) == start
    while stack.canRedo():
        stack.redo()
    assert snapshot(doc.graph) == end


# ------------------------------------------------------------------ document
def test_document_tracks_edits_saves_and_marks_training_changes(doc, tmp_path: Path):
    changes: list[bool] = []
    edits: list[int] = []
    doc.modifiedChanged.connect(changes.append)
    doc.edited.connect(lambda: edits.append(1))
    assert doc.title() == "Untitled" and not doc.is_modified()
    doc.undo_stack.push(cmd.MoveNodes(doc, {"x": (1, 2)}))
    doc.undo_stack.undo()
    doc.undo_stack.redo()
    assert len(edits) == 3 and changes == [True, False, True]
    path = tmp_path / "net.json"
    paths: list[int] = []
    doc.pathChanged.connect(lambda: paths.append(1))
    doc.save(path)
    assert not doc.is_modified() and doc.path == path and doc.title() == "net.json" and paths == [1]
    doc.mark_modified()
    assert doc.is_modified() and len(edits) == 3  # a training change is not an edit
    doc.save()
    assert not doc.is_modified() and paths == [1]
    reopened = Document.open(path)
    assert snapshot(reopened.graph) == snapshot(doc.graph)
    reopened.close()


def test_opening_a_bad_or_missing_file_raises_format_error_naming_it(qapp, tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "backprop-workbench", "version": 1, "nodes": [{"id": "a"}], "edges": []}')
    with pytest.raises(io.FormatError, match=r"bad.json: nodes\[0\]"):
        Document.open(bad)
    with pytest.raises(io.FormatError, match="missing.json: cannot read the file"):
        Document.open(tmp_path / "missing.json")
    with pytest.raises(ValueError, match="no file name"):
        Document().save()


# -------------------------------------------------------------------- bridge
def test_the_bridge_turns_every_graph_event_into_a_signal(qapp):
    graph = Graph()
    bridge = GraphBridge(graph)
    seen: list[tuple] = []
    for name in ("nodeAdded", "nodeRemoved", "nodeMoved", "nodeRenamed", "edgeAdded", "edgeRemoved", "attrChanged",
                 "valueChanged", "settingsChanged", "datasetChanged", "objectiveChanged"):
        getattr(bridge, name).connect(lambda *args, n=name: seen.append((n, *args)))
    graph.add_node("Constant", "c", value=1.0)
    graph.add_node("Sigmoid", "s")
    graph.connect("c", "s", "x")
    graph.move_node("s", (3, 4))
    graph.set_value("c", 2.0)
    graph.add_node("Input", "i")
    graph.set_attr("i", "field", "t")
    graph.rename_node("s", "sig")
    graph.set_objective("sig")
    graph.set_settings(TrainingSettings())
    graph.set_dataset(None)
    graph.disconnect("sig", "x")
    graph.remove_node("i")
    assert seen == [
        ("nodeAdded", "c"), ("nodeAdded", "s"), ("edgeAdded", "c", "s", "x"), ("nodeMoved", "s"),
        ("valueChanged", "c"), ("nodeAdded", "i"), ("attrChanged", "i", "field"), ("nodeRenamed", "sig", "s"),
        ("objectiveChanged",), ("settingsChanged",), ("datasetChanged",), ("edgeRemoved", "c", "sig", "x"),
        ("nodeRemoved", "i"),
    ]
    bridge.detach()
    graph.add_node("Sigmoid", "later")
    assert seen[-1] == ("nodeRemoved", "i")
