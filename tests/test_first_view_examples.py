"""The shipped spirals and XOR examples open readable at 1600×1000: at the readable zoom (0.84:
the edges' labels 9 pixels tall, where fitting them whole took 0.47 and 0.65, labels 5 and 7
pixels), around the loss with no node cut at the canvas's edge; F still shows all of it, and
stepping brings the inputs into sight with their labels legible and apart."""
from __future__ import annotations

from typing import Any

import pytest
from helpers import EXAMPLES
from PySide6.QtGui import QFontInfo

from app.editor import style
from app.editor.edge_label import EdgeLabelItem
from app.editor.framing import readable_scale
from app.model.document import Document

LARGE = (1600, 1000)


def _shown(window: Any):  # noqa: ANN202
    view = window.view
    return view.mapToScene(view.viewport().rect()).boundingRect()


def _seen(window: Any) -> tuple[set[str], set[str]]:
    """The nodes wholly in sight, and those cut by the canvas's edge."""
    shown = _shown(window)
    whole, cut = set(), set()
    for node_id in window.document.graph.nodes:
        rect = window.scene.node_item(node_id).sceneBoundingRect()
        if shown.contains(rect):
            whole.add(node_id)
        elif shown.intersects(rect):
            cut.add(node_id)
    return whole, cut


def _opened(workbench: Any, qtbot: Any, name: str, size: tuple[int, int] = LARGE) -> Any:
    window = workbench(Document.open(EXAMPLES / f"{name}.json"), size=size)
    qtbot.waitUntil(lambda: window.view._pending is None and not window.view._settled.isActive())
    return window


@pytest.mark.parametrize(("name", "in_sight", "fitted"), [
    ("spirals", {"affine2", "tanh2", "W3", "b3", "affine3", "t", "loss"}, 0.47),
    ("xor", {"affine1", "tanh1", "W2", "b2", "affine2", "t", "loss"}, 0.65),
])
def test_spirals_and_xor_open_at_the_readable_zoom_around_the_loss_and_f_shows_all(
        workbench, qtbot, name, in_sight, fitted):
    window = _opened(workbench, qtbot, name)
    view = window.view
    assert view.scale_factor() == pytest.approx(0.84375)
    assert view.scale_factor() == pytest.approx(readable_scale())
    assert QFontInfo(style.font("label")).pixelSize() * view.scale_factor() >= 9.0
    whole, cut = _seen(window)
    assert whole == in_sight
    assert cut == set()  # the first column is out of sight whole, not cut in half

    view.fit_to_graph()  # F
    assert view.scale_factor() == pytest.approx(fitted, abs=0.01)
    whole, cut = _seen(window)
    assert whole == set(window.document.graph.nodes)


@pytest.mark.parametrize(("name", "layer"), [("spirals", "affine3"), ("xor", "affine2")])
def test_at_1280_by_800_the_first_view_leaves_out_a_column_whole_rather_than_cut_it(workbench, qtbot, name, layer):
    """Right-aligned on the loss's output arrow, the canvas's left edge would run through the
    column before the last layer (tanh and the layer's parameters cut in two): it moves into the
    gap after that column, the edges running out of sight."""
    window = _opened(workbench, qtbot, name, (1280, 800))
    assert window.view.scale_factor() == pytest.approx(readable_scale())
    whole, cut = _seen(window)
    assert whole == {layer, "t", "loss"}
    assert cut == set()


def test_xor_stepped_through_shows_each_steps_node_with_legible_labels_apart(workbench, qtbot):
    window = _opened(workbench, qtbot, "xor")
    controller, scene = window.debugger.controller, window.scene
    seen: set[str] = set()
    for _ in range(len(controller.stepper.program.steps) - 1):  # the forward and the backward pass
        controller.step()
        qtbot.waitUntil(lambda: not scene.label_pass.pending(), timeout=10000)
        if controller.current_node:
            assert controller.current_node in _seen(window)[0], controller.current_node
            seen |= _seen(window)[0]
    assert {"x", "W1", "b1", "loss"} <= seen  # the inputs came into sight on the way, and the loss
    assert window.view.scale_factor() == pytest.approx(readable_scale())
    labels = [item.sceneBoundingRect() for item in scene.items()
              if isinstance(item, EdgeLabelItem) and item.isVisible() and item.text]
    assert len(labels) >= 18  # a value and a gradient on each of the nine edges, and the output arrow's
    assert not any(a.intersects(b) for i, a in enumerate(labels) for b in labels[i + 1:])
