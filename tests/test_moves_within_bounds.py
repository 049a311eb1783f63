"""Node places stay where a file can hold them (core/position.py): the editor's moves stop at the
loader's bound, and a save writes every node within it, so a node moved far saves and opens again."""
from __future__ import annotations

import re
import shutil

import pytest
from window_helpers import MAZUR

from app import commands
from app.model.document import Document
from core import io
from core.io.fileformat import FormatError
from core.position import MAX_COORDINATE, within_bounds

FAR = 10.0 * MAX_COORDINATE


def test_within_bounds_keeps_a_place_inside_and_brings_one_outside_to_the_edge():
    assert within_bounds((12.5, -MAX_COORDINATE)) == (12.5, -MAX_COORDINATE)
    assert within_bounds((FAR, -FAR)) == (MAX_COORDINATE, -MAX_COORDINATE)
    assert within_bounds((float("inf"), float("nan"))) == (MAX_COORDINATE, 0.0)


def test_a_move_command_stops_at_the_bound_and_undo_restores_the_place(tmp_path):
    path = tmp_path / "far.json"
    shutil.copy(MAZUR, path)
    document = Document.open(path)
    before = document.graph.nodes["x"].pos
    document.undo_stack.push(commands.MoveNodes(document, {"x": (FAR, -FAR), "W1": (-3.0 * FAR, 7.0)}))
    assert document.graph.nodes["x"].pos == (MAX_COORDINATE, -MAX_COORDINATE)
    assert document.graph.nodes["W1"].pos == (-MAX_COORDINATE, 7.0)
    document.save()
    again = io.load(path)
    assert again.nodes["x"].pos == (MAX_COORDINATE, -MAX_COORDINATE) and again.nodes["W1"].pos == (-MAX_COORDINATE, 7.0)
    document.undo_stack.undo()
    assert document.graph.nodes["x"].pos == before


def test_a_node_dragged_far_on_the_canvas_saves_and_reopens(make_main_window, tmp_path, qtbot):
    path = tmp_path / "drag.json"
    shutil.copy(MAZUR, path)
    window = make_main_window(Document.open(path))
    item = window.scene.node_item("x")
    item.setPos(FAR, 12.0)  # where a drag left it
    window.scene._commit_moves()
    assert window.document.graph.nodes["x"].pos == (MAX_COORDINATE, 12.0)
    assert (item.x(), item.y()) == (MAX_COORDINATE, 12.0)  # the canvas follows the graph
    with qtbot.waitSignal(window.files.saver.finished) as blocker:
        assert window.files.save()
    assert blocker.args[1] == ""
    assert io.load(path).nodes["x"].pos == (MAX_COORDINATE, 12.0)


def test_a_place_set_beyond_the_bound_outside_the_editor_is_saved_at_the_bound(tmp_path):
    graph = io.load(MAZUR)
    graph.move_node("x", (FAR, 5.0))  # the core API itself does not refuse it
    path = tmp_path / "core.json"
    io.save(graph, path)
    assert io.load(path).nodes["x"].pos == (MAX_COORDINATE, 5.0)


def test_the_loader_still_refuses_a_place_beyond_the_bound(tmp_path):
    text = re.sub(r'"pos": \[[^\]]*\]', f'"pos": [{FAR:.0f}, 0]', MAZUR.read_text(encoding="utf-8"), count=1)
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match="must be from -1,000,000 to 1,000,000"):
        io.load(path)
