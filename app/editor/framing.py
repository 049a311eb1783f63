"""Where the first view of a graph looks: all of it, unless that takes a zoom too small to read.

The whole graph (nodes, what they carry and the edges' labels) is shown when it fits at the
readable zoom or larger: the zoom at which the edges' labels (the canvas's smallest text, the
debugger's values and gradients) are at least LEGIBLE of the menus' text size, about 9 pixels on
a 96 dpi screen. Fitting further would make them specks (a graph fitted at 0.47 shows its
numbers 5 pixels tall). A graph too big for that is shown at the readable zoom around its
objective and the nodes feeding it (where the loss and the backward pass begin, and where the
debugger's output arrow comes), its left edge in a gap between nodes rather than through a
column of them; the person scrolls to the rest, the steps bring their node into sight, and
View > Fit to Graph (F) shows all of it smaller. The room right of the objective's
output, where the debugger draws its output arrow with the loss and the starting gradient, is
framed too, before they are shown.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app.editor import style
from app.editor.scene import GraphScene

MARGIN = 40.0  # scene units around what is framed
SNAP = 12.0  # scene units between a view's left edge and the nodes it leaves out of sight
LEGIBLE = 0.75  # a first view's labels are at least this fraction of the menus' text size
OUTPUT_ROOM = QRectF(0.0, -24.0, 66.0, 48.0)  # from the objective's output port: the debugger's output arrow
# and its labels, and a few units beyond them (framed as is: no MARGIN added around it)


def menu_font() -> QFont:
    return QApplication.font("QMenu")  # type: ignore[call-overload]  # PySide6 takes the class name as text


def readable_scale() -> float:
    """The smallest zoom at which an edge label's text is LEGIBLE of the menu font's size (node
    names and values are larger)."""
    return LEGIBLE * menu_font().pointSizeF() / style.font("label").pointSizeF()


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


def past_cut_nodes(scene: GraphScene, left: float, limit: float) -> float:
    """A view's left edge at ``left``, moved right past the nodes it would cut in two (their edges
    run out of sight instead), unless that passes ``limit``."""
    cut = [item.sceneBoundingRect().right() for item in scene.node_items()
           if item.sceneBoundingRect().left() < left < item.sceneBoundingRect().right()]
    moved = max(cut, default=left) + SNAP
    return moved if cut and moved <= limit else left


def shift_into(rect: QRectF, frame: QRectF) -> QPointF:
    """The smallest move of ``frame`` that brings ``rect`` inside it (its top-left first when too big)."""
    def along(lo: float, hi: float, f_lo: float, f_hi: float) -> float:
        if hi - lo > f_hi - f_lo or lo < f_lo:
            return lo - f_lo
        return max(0.0, hi - f_hi)

    return QPointF(along(rect.left(), rect.right(), frame.left(), frame.right()),
                   along(rect.top(), rect.bottom(), frame.top(), frame.bottom()))
