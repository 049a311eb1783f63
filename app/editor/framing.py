"""Where the first view of a graph looks: all of it, unless that takes a zoom too small to read.

The whole graph (nodes, what they carry and the edges' labels) is shown when it fits at a zoom of
at least WHOLE_FLOOR: every shipped example opens whole. A graph too big for that (hundreds of
nodes) is shown at the readable zoom (node names at least as large as the menus' text: the
name's font size times the zoom, against the menu font's size) around its objective and the
nodes feeding it (where the loss and the backward pass begin); the person scrolls to the rest,
or presses F to see it all smaller. The room right of the objective's output, where the
debugger draws its output arrow with the loss and the starting gradient, is framed too, before
they are shown.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app.editor import style
from app.editor.scene import GraphScene

MARGIN = 40.0  # scene units around what is framed
WHOLE_FLOOR = 0.4  # the smallest zoom a graph opens at whole: below it, node names are specks
OUTPUT_ROOM = QRectF(0.0, -24.0, 66.0, 48.0)  # from the objective's output port: the debugger's output arrow
# and its labels, and a few units beyond them (framed as is: no MARGIN added around it)


def menu_font() -> QFont:
    return QApplication.font("QMenu")  # type: ignore[call-overload]  # PySide6 takes the class name as text


def readable_scale() -> float:
    """The smallest zoom at which a node's name is as large as the menu font."""
    return menu_font().pointSizeF() / style.font("title").pointSizeF()


def objective_rects(scene: GraphScene) -> tuple[QRectF, QRectF]:
    """The objective node's rectangle (with the room for its output arrow), and the one around it
    and the nodes connected to its inputs, both with a margin (empty without an objective)."""
    graph = scene.graph
    objective = graph.objective_id()
    if objective is None or objective not in graph.nodes:
        return QRectF(), QRectF()
    own = scene.node_item(objective).sceneBoundingRect()
    rect = QRectF(own)
    for node_id in graph.sources(objective):
        if node_id is not None:
            rect = rect.united(scene.node_item(node_id).sceneBoundingRect())
    return (with_output(scene, own.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)),
            with_output(scene, rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)))


def with_output(scene: GraphScene, rect: QRectF) -> QRectF:
    """``rect`` and OUTPUT_ROOM beside the objective's output port (``rect`` without an objective)."""
    objective = scene.graph.objective_id()
    if rect.isEmpty() or objective is None or objective not in scene.graph.nodes:
        return rect
    return rect.united(OUTPUT_ROOM.translated(scene.node_item(objective).output.scenePos()))
