"""A custom layer's node after it has run (pytest-qt): the canvas and the inspector show the shape
the run gave (validation never runs the code, so before that they say "?" and "known once it
runs"); the inspector's texts wrap at its width instead of being cut."""
from __future__ import annotations

from pathlib import Path

from custom_helpers import customised
from PySide6.QtWidgets import QApplication, QLabel
from test_custom_window import open_window  # noqa: F401  # the fixture

from app.window.first_layout import INSPECTOR_WIDTH
from core import io
from core.custom.templates import SIGMOID

MAZUR = Path(__file__).resolve().parents[1] / "resources" / "examples" / "mazur.json"


def _mazur_custom_sigmoid2(open_window, trust):  # noqa: F811
    trust.allow([SIGMOID])
    return open_window(customised(io.load(MAZUR), {"sigmoid2": SIGMOID}))


def test_nodes_after_a_custom_layer_show_their_shape_once_it_ran(open_window, trust) -> None:  # noqa: F811
    window = _mazur_custom_sigmoid2(open_window, trust)
    scene, panel = window.scene, window.inspector.node_panel
    window.inspector.set_node("sigmoid2")
    assert [scene.node_item(n).shape_text for n in ("sigmoid2", "loss")] == ["?", "?"]
    assert panel.shape.text().startswith("known once it runs")
    controller = window.debugger.controller
    controller.run_forward()
    scene.validate_now()
    window.inspector.refresh()
    assert [scene.node_item(n).shape_text for n in ("sigmoid2", "loss")] == ["1×2", "scalar"]
    assert panel.shape.text().startswith("1×2 (as it last ran")
    window.inspector.set_node("loss")
    assert panel.shape.text().startswith("scalar (as it last ran")
    controller.run_backward()
    controller.apply_update()  # a new training step: the shapes stay known
    scene.validate_now()
    assert scene.node_item("loss").shape_text == "scalar"


def test_the_custom_layer_inspector_fits_its_width(open_window, trust, qtbot) -> None:  # noqa: F811
    window = _mazur_custom_sigmoid2(open_window, trust)
    window.resize(1600, 1000)
    window.show()
    window.inspector_dock.raise_()
    window.scene.select_nodes(["sigmoid2"])
    window.debugger.controller.run_forward()
    window.debugger.controller.run_backward()
    window.inspector.refresh()
    QApplication.processEvents()
    inspector = window.inspector
    assert inspector.width() <= INSPECTOR_WIDTH + 10
    viewport = inspector.scroll.viewport().width()
    assert inspector._content.minimumSizeHint().width() <= viewport
    for label in inspector._content.findChildren(QLabel):
        if label.isVisible():
            right = label.mapTo(inspector._content, label.rect().topRight()).x()
            assert right <= viewport, (label.text()[:40], right, viewport)
