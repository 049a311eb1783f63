"""The editor tests' canvas: a document shown in a scene and a view, with mouse helpers."""
from __future__ import annotations

from typing import Iterator

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from app.editor import EditorView, GraphScene
from app.model.document import Document
from core.graph import Graph

LEFT = Qt.MouseButton.LeftButton


class Canvas:
    """A document shown in a scene and a view, with mouse helpers in scene coordinates."""

    def __init__(self, qtbot, graph: Graph) -> None:
        self.qtbot = qtbot
        self.doc = Document(graph)
        self.scene = GraphScene(self.doc)
        self.view = EditorView(self.scene)
        qtbot.addWidget(self.view)
        self.view.resize(1400, 700)
        self.view.show()
        qtbot.waitExposed(self.view)
        self.view.fit_to_graph()
        self.messages: list[str] = []
        self.scene.statusMessage.connect(self.messages.append)

    @property
    def graph(self) -> Graph:
        return self.doc.graph

    def at(self, scene_pos: QPointF) -> QPoint:
        return self.view.mapFromScene(scene_pos)

    def port(self, node: str, name: str = "out") -> QPoint:
        return self.at(self.scene.node_item(node).port(name).scenePos())

    def header(self, node: str) -> QPoint:
        return self.at(self.scene.node_item(node).scenePos() + QPointF(60, 10))

    def drag(self, start: QPoint, end: QPoint, steps: int = 6, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        viewport = self.view.viewport()
        QTest.mousePress(viewport, LEFT, modifier, start)
        for i in range(1, steps + 1):
            QTest.mouseMove(viewport, start + (end - start) * (i / steps))
        QTest.mouseRelease(viewport, LEFT, modifier, end)

    def texts(self) -> list[str]:
        stack = self.doc.undo_stack
        return [stack.text(i) for i in range(stack.count())]


def open_canvas(qtbot, graph: Graph) -> Iterator[Canvas]:
    """For a fixture: yield a Canvas on ``graph``, close its document afterwards."""
    canvas = Canvas(qtbot, graph)
    yield canvas
    canvas.doc.close()


def pair_graph() -> Graph:
    """A Constant c on the left, a Sigmoid s and a Tanh t on the right, nothing connected."""
    g = Graph()
    g.add_node("Constant", "c", value=2.0, pos=(0, 0))
    g.add_node("Sigmoid", "s", pos=(300, 0))
    g.add_node("Tanh", "t", pos=(300, 200))
    return g
