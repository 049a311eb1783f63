"""The window keeps its size on a small screen: docks appearing or changing content never widen it."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.document import Document

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
