"""The first view of a graph: every way a graph opens (a file, an example, a recovery, a new
window) shows all of it inside the visible canvas when it fits at the readable zoom (the edges'
labels at least 3/4 of the menus' text) or larger; a graph too big for that shows its objective
and the nodes feeding it at the readable zoom. While the first view stands, stepping keeps the
whole graph, its labels included, in view."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFontInfo
from training_helpers import EXAMPLES

from app import commands
from app.editor import style
from app.editor.framing import readable_scale
from app.model.document import Document

ALL_EXAMPLES = sorted(EXAMPLES.glob("*.json"))
LARGE, SMALL = (1600, 1000), (1024, 700)
WHOLE_AT_LARGE = {"apple", "apple_orange", "fanout", "mazur"}  # the others, five columns of matrices'
# summaries and more, are wider than the canvas (1098 pixels of a 1600 window beside the docks) at the readable zoom


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


def labels_legible(window) -> bool:
    """The edge labels' pixel size at this zoom is at least 9 (3/4 of the menu font's 12)."""
    return QFontInfo(style.font("label")).pixelSize() * window.view.scale_factor() >= 9.0


def whole_graph_in_view(window) -> bool:
    """The graph's rectangle (nodes, what they carry, the edges' labels) is inside the canvas."""
    view = window.view
    return view.mapToScene(view.viewport().rect()).boundingRect().contains(window.scene.graph_rect())


def check_first_view(window) -> str:
    """'all' when the whole graph is in view (at the readable zoom or larger); else, at the readable zoom,
    'objective' when the objective and its inputs are, 'objective alone' when only the objective
    node fits whole (a small window)."""
    graph = window.document.graph
    if not outside(window, graph.nodes):
        assert whole_graph_in_view(window) and window.view.scale_factor() >= readable_scale() - 1e-9
        assert labels_legible(window)
        return "all"
    assert window.view.scale_factor() == pytest.approx(readable_scale())
    assert labels_legible(window), window.view.scale_factor()
    objective = graph.objective_id()
    inputs = [s for s in graph.sources(objective) if s is not None]
    assert outside(window, [objective]) == []
    return "objective" if outside(window, inputs) == [] else "objective alone"


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=[p.stem for p in ALL_EXAMPLES])
@pytest.mark.parametrize("size", [LARGE, SMALL], ids=["1600x1000", "1024x700"])
def test_every_example_opens_readable_with_its_objective_in_view(workbench, qtbot, path, size):
    window = workbench(size=size)
    assert window.files.open_example(path)
    qtbot.waitUntil(lambda: window.view._pending is None and not window.view._settled.isActive())
    seen = check_first_view(window)
    if size == LARGE:
        assert seen == ("all" if path.stem in WHOLE_AT_LARGE else "objective")


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
    assert check_first_view(window) == "objective"
    small = window.view.scale_factor()
    window.resize(*LARGE)
    qtbot.waitUntil(lambda: window.view.scale_factor() > small and whole_graph_in_view(window))
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
    qtbot.waitUntil(lambda: not window.view._settled.isActive())
    assert check_first_view(window) == "objective"


@pytest.mark.parametrize("name", ["mazur", "fanout", "xor", "spirals"])
def test_stepping_keeps_the_current_node_and_a_whole_graph_with_its_labels_in_view(workbench, qtbot, name):
    """Labels appear as the steps run (values, gradients, the loss after the objective): while
    the person has not zoomed or panned, the view frames them too rather than pan a column away
    (Mazur, fanout); a graph shown around its objective (XOR, spirals) scrolls to each step's
    node, at the readable zoom."""
    whole = name in WHOLE_AT_LARGE
    window = workbench(Document.open(EXAMPLES / f"{name}.json"), size=LARGE)
    qtbot.waitUntil(lambda: not window.view._settled.isActive())
    c = window.debugger.controller
    for _ in range(len(c.stepper.program.steps) + 2):  # into the next training step
        c.step()
        qtbot.waitUntil(lambda: not window.scene.label_pass.pending())
        current = window.scene.node_item(c.current_node) if c.current_node else None
        assert whole_graph_in_view(window) or not whole, c.stepper.cursor
        assert current is None or not outside(window, [c.current_node])
    assert window.view.scale_factor() >= readable_scale()


def test_a_saved_file_reopens_whole(workbench, qtbot, tmp_path):
    window = workbench(Document.open(EXAMPLES / "apple_orange.json"), size=LARGE)
    path = tmp_path / "mine.json"
    window.document.save(path)
    window.view.set_scale(2.0)  # the person zoomed in
    assert window.open_file(path)
    qtbot.waitUntil(lambda: not window.view._settled.isActive())
    assert check_first_view(window) == "all"
