"""The first view of a graph: every way a graph opens (a file, an example, a recovery, a new
window) shows all of it inside the visible canvas, with node names at least as large as the
menus' text; a graph too wide for that shows its objective and the nodes feeding it, readable."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFontInfo
from training_helpers import EXAMPLES

from app import commands
from app.document import Document
from app.editor import style
from app.editor.framing import menu_font

ALL_EXAMPLES = sorted(EXAMPLES.glob("*.json"))
LARGE, SMALL = (1600, 1000), (1024, 700)


def outside(window, node_ids) -> list[str]:
    """The nodes (of ``node_ids``) whose rectangle on screen is not wholly inside the canvas."""
    view = window.view
    port = view.viewport().rect()
    out = []
    for node_id in node_ids:
        item = window.scene.node_item(node_id)
        on_screen = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        if not port.contains(on_screen):
            out.append(node_id)
    return out


def names_readable(window) -> bool:
    """The node names' pixel size at this zoom is at least the menu font's."""
    title = QFontInfo(style.font("title")).pixelSize() * window.view.scale_factor()
    return title >= QFontInfo(menu_font()).pixelSize()


def check_first_view(window) -> str:
    """Readable, and 'all' when the whole graph is in view, 'objective' when the objective and its
    inputs are, 'objective alone' when only the objective node fits whole (a small window)."""
    graph = window.document.graph
    assert names_readable(window), window.view.scale_factor()
    if not outside(window, graph.nodes):
        return "all"
    objective = graph.objective_id()
    inputs = [s for s in graph.sources(objective) if s is not None]
    assert outside(window, [objective]) == []
    return "objective" if outside(window, inputs) == [] else "objective alone"


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=[p.stem for p in ALL_EXAMPLES])
@pytest.mark.parametrize("size", [LARGE, SMALL], ids=["1600x1000", "1024x700"])
def test_every_example_opens_readable_with_its_objective_in_view(workbench, qtbot, path, size):
    window = workbench(size=size)
    assert window.files.open_example(path)
    qtbot.waitUntil(lambda: window.view._pending is None)
    seen = check_first_view(window)
    if size == LARGE:
        assert seen in ("all", "objective")


def test_mazur_and_the_apple_examples_open_whole_at_1600_by_1000(workbench, qtbot):
    window = workbench(size=LARGE)
    for name in ("mazur", "apple", "apple_orange"):
        assert window.files.open_example(EXAMPLES / f"{name}.json")
        assert check_first_view(window) == "all", name


def test_a_file_a_new_window_and_a_recovery_open_framed(workbench, tmp_path, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"), size=LARGE)  # a new window with a file
    assert check_first_view(window) == "all"
    window.view.set_scale(0.3)  # the person zooms out; the next open frames again
    assert window.open_file(EXAMPLES / "apple_orange.json")
    assert check_first_view(window) == "all"

    crashed = workbench(Document.open(EXAMPLES / "mazur.json"), size=LARGE)
    crashed.document.undo_stack.push(commands.SetValue(crashed.document, "W1", 0.42, index=(0, 0)))
    assert crashed.autosaver.write_now()
    crashed.autosaver._lock.unlock()  # what a dead process leaves: the file, and no live lock
    crashed.autosaver._lock = None
    window.view.set_scale(0.3)
    window._ask_restore = lambda recovery: True
    assert window.offer_recovery()
    assert check_first_view(window) == "all"


def test_the_view_frames_again_when_the_canvas_changes_size_until_the_person_zooms(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"), size=SMALL)
    assert check_first_view(window) != "all"
    window.resize(*LARGE)
    qtbot.waitUntil(lambda: not outside(window, window.document.graph.nodes))
    window.view.zoom_in()
    scale = window.view.scale_factor()
    window.resize(*SMALL)
    qtbot.waitUntil(lambda: window.view.viewport().width() < 800)
    assert window.view.scale_factor() == scale


def test_the_last_programs_current_node_does_not_move_the_next_graphs_first_view(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"), size=LARGE)
    window.debugger.controller.continue_()  # the current node is affine1; XOR has an affine1 too
    assert window.debugger.controller.current_node == "affine1"
    assert window.files.open_example(EXAMPLES / "xor.json")
    assert check_first_view(window) in ("all", "objective")
