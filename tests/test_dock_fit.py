"""The docks of the right column fit their first width (pytest-qt) at 1600×1000 and 1280×800: the
dataset panel's rows wrap into the dock instead of running off its right edge (no label, box or
button cut), and the inspector's objective choice is as wide as the text it shows."""
from __future__ import annotations

import pytest
from helpers import EXAMPLES
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget

from app import dataset as dataset_ui
from app.model.document import Document
from core import io
from core.graph import Graph


def _sticking_out(container: QWidget, room: int) -> list[str]:
    out = []
    for child in container.findChildren(QWidget):
        if child.isVisible() and child.mapTo(container, child.rect().topRight()).x() > room:
            out.append(f"{type(child).__name__} {child.objectName()}")
    return out


@pytest.mark.parametrize("size", [(1600, 1000), (1280, 800)])
@pytest.mark.parametrize("example", [None, "iris"])
def test_the_dataset_panel_fits_its_dock(make_main_window, size, example) -> None:
    document = Document.open(EXAMPLES / f"{example}.json") if example else Document()
    window = make_main_window(document, install=[dataset_ui.install])
    window.resize(*size)
    window.dataset_dock.show()
    window.dataset_dock.raise_()
    QApplication.processEvents()
    panel, scroll = window.dataset_panel, window.dataset_dock.widget()
    room = scroll.viewport().width()
    assert panel.minimumSizeHint().width() <= room
    assert _sticking_out(panel, room) == []


def test_the_objective_choice_shows_its_whole_text(make_main_window) -> None:
    graph = io.load(EXAMPLES / "sine.json")
    doc = io.to_dict(graph)
    for node in doc["nodes"]:  # a long automatic id, as a new MeanSquaredError node gets
        if node["id"] == "loss":
            node["id"] = "meansquarederror1"
    for edge in doc["edges"]:
        for key in ("src", "dst", "from", "to"):
            if edge.get(key) == "loss":
                edge[key] = "meansquarederror1"
    graph = io.from_dict(doc)
    assert isinstance(graph, Graph) and "meansquarederror1" in graph.nodes
    window = make_main_window(Document(graph))
    window.resize(1280, 800)
    QApplication.processEvents()
    combo = window.inspector.graph_panel.objective_choice
    assert combo.currentText() == "Automatic: meansquarederror1"
    text_width = QFontMetrics(combo.font()).horizontalAdvance(combo.currentText())
    assert combo.width() >= text_width + 20  # the text and the arrow
    room = window.inspector.scroll.viewport().width()
    assert combo.mapTo(window.inspector._content, combo.rect().topRight()).x() <= room
