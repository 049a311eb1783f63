"""Where a node added from the palette goes: a free place, and beside the selected node one from
which the edge the person draws next runs under no other node.

A place is free when the new node would cover no node and no edge. ``free_spot`` fills the
visible canvas going right, then down. ``spot_beside`` tries the places right of the selected
node (its row first, then the rows just above and below, then the next column), and takes the
first free one where the curve from the selected node's output to the new node's first input
crosses no other node.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QPainterPath

from app.editor import style
from app.editor.edge_item import curve_path
from app.editor.node_item import NodeItem
from app.editor.scene import GraphScene

NEW_NODE_SIZE = QSizeF(150, 80)
NODE_GAP = QSizeF(70, 30)  # between a new node and its neighbours (room for the edge's labels)
CLEARANCE = 12.0  # around a node: no other node comes nearer
MAX_ROWS = 40
COLUMNS_BESIDE, ROWS_BESIDE = 4, 3  # places tried right of the selected node: columns, rows each way
FIRST_INPUT_Y = style.HEADER_HEIGHT + style.ROW_HEIGHT * 1.5  # the first input port below a node's top


def _overlaps(rect: QRectF, taken: list[QRectF], edges: list[QPainterPath]) -> bool:
    room = rect.adjusted(-CLEARANCE, -CLEARANCE, CLEARANCE, CLEARANCE)
    return any(room.intersects(other) for other in taken) or any(edge.intersects(room) for edge in edges)


def _edges(scene: GraphScene) -> list[QPainterPath]:
    return [edge.mapToScene(edge.path()) for edge in scene.edge_items()]


def free_spot(scene: GraphScene, start: QPointF, columns: int, size: QSizeF = NEW_NODE_SIZE) -> QPointF:
    """The top-left corner of the first place, from ``start`` going right (``columns`` places)
    and then down row by row, where a node of ``size`` overlaps no other node."""
    taken = [item.sceneBoundingRect() for item in scene.node_items()]
    edges = _edges(scene)
    step_x, step_y = size.width() + NODE_GAP.width(), size.height() + NODE_GAP.height()
    for row in range(MAX_ROWS):
        for column in range(max(1, columns)):
            corner = QPointF(start.x() + column * step_x, start.y() + row * step_y)
            if not _overlaps(QRectF(corner, size), taken, edges):
                return corner
    return start


def spot_beside(scene: GraphScene, anchor: NodeItem, size: QSizeF = NEW_NODE_SIZE) -> QPointF:
    """The top-left corner of a place right of ``anchor`` that overlaps no node and from which an
    edge out of ``anchor`` passes under no other node (else the first free place to its right)."""
    others = [item.sceneBoundingRect() for item in scene.node_items() if item is not anchor]
    taken = [*others, anchor.sceneBoundingRect()]
    edges = _edges(scene)
    body = anchor.mapRectToScene(anchor.body_rect())
    start = anchor.output.scenePos()
    step_x, step_y = size.width() + NODE_GAP.width(), size.height() + NODE_GAP.height()
    rows = [0] + [sign * k for k in range(1, ROWS_BESIDE + 1) for sign in (1, -1)]
    for column in range(COLUMNS_BESIDE):
        for row in rows:
            corner = QPointF(body.right() + NODE_GAP.width() + column * step_x, body.top() + row * step_y)
            if _overlaps(QRectF(corner, size), taken, edges):
                continue
            edge = curve_path(start, corner + QPointF(0.0, FIRST_INPUT_Y))
            if not any(edge.intersects(other) for other in others):
                return corner
    return free_spot(scene, QPointF(body.right() + NODE_GAP.width(), body.top()), 1, size)
