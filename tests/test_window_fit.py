"""The window keeps its size on a small screen: docks appearing or changing content never widen it."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.model.document import Document

ROOT = Path(__file__).resolve().parent.parent
MAZUR = ROOT / "resources" / "examples" / "mazur.json"


@pytest.fixture(autouse=True)
def _settings(isolated_settings):
    return isolated_settings


def _settle(qtbot, ms: int = 50) -> None:
    for _ in range(5):
        QApplication.processEvents()
    qtbot.wait(ms)  # layouts settle through posted events; nothing here is timed


def test_the_window_keeps_its_width_when_the_training_plots_appear_at_1024x700(workbench, qtbot):
    window = workbench(Document.open_example(MAZUR), size=(1024, 700))
    _settle(qtbot)
    assert window.width() == 1024
    window.training.show_plots()
    _settle(qtbot)
    assert window.training.plots_dock.isVisible()
    assert window.width() == 1024 and window.minimumSizeHint().width() <= 1024
    # the columns of docks keep room for their content: not squeezed to a sliver by the plots
    assert window.palette_dock.width() >= 180 and window.inspector_dock.width() >= 200


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_the_inspector_keeps_its_width_when_a_node_is_selected(workbench, qtbot, size):
    window = workbench(Document.open_example(MAZUR), size=size)
    window.run_steps(6)  # the nodes have values and gradients to show: tables of numbers
    _settle(qtbot)
    before = window.inspector_dock.width()
    canvas = window.view.width()
    for node_id in ("sigmoid2", "affine1", "loss"):
        window.scene.clearSelection()
        window.scene.node_item(node_id).setSelected(True)
        _settle(qtbot)
        assert window.selected_node() == node_id
        assert window.inspector_dock.width() == before, node_id
        assert window.view.width() == canvas and window.width() == size[0]
