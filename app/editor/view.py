"""The canvas widget: a light grid, pan, zoom around the cursor, fit, and drops from the palette."""
from __future__ import annotations

import math
from typing import Callable

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QWidget

from app.editor.framing import objective_rects, past_cut_nodes, readable_scale, shift_into, with_output
from app.editor.grid import draw_grid
from app.editor.scene import GraphScene
from app.editor.undo_framing import UndoFraming
from app.editor.view_cue import OutOfViewCue

OP_MIME_TYPE = "application/x-backprop-op"
MIN_SCALE, MAX_SCALE = 0.1, 4.0
FIT_MAX_SCALE = 1.25
FIT_MARGIN = 40.0
ZOOM_STEP = 1.25
REVEAL_MARGIN = 24.0  # pixels between a revealed node and the edge of the canvas
WORLD = 100_000.0  # the scene rectangle the view scrolls over: panning never hits an edge


class EditorView(QGraphicsView):
    """Shows a GraphScene. ``zoomChanged(float)`` carries the scale after every zoom."""

    zoomChanged = Signal(float)

    def __init__(self, scene: GraphScene | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        # Every change repaints the whole viewport: labels move in bursts (a step, the label pass's
        # slices, an auto-pan), and with partial updates an old place was now and then left unpainted
        # (a label twice, a stray piece; tests/test_canvas_repaint.py failed 1 run in 4). Items are
        # cached as pixmaps, so a whole repaint costs about what a partial one did (bench_fanout).
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self.setSceneRect(QRectF(-WORLD, -WORLD, 2 * WORLD, 2 * WORLD))
        self._pan_from: QPoint | None = None
        self._space = False
        self._pending: Callable[[], None] | None = None  # a framing asked before the view had its size
        self._auto: Callable[[], None] | None = None  # the first view, kept on resizes until a zoom or pan
        self._settled = QTimer(self)  # the first view again once what the new graph brings is on the scene
        self._settled.setSingleShot(True)
        self._settled.setInterval(0)
        self._settled.timeout.connect(self._frame_again)
        self.undo_framing = UndoFraming(self._extent, self.show_graph, self)
        self.cue = OutOfViewCue(self.viewport())  # while the first view shows part of the graph
        self._partial = False  # the first view shows part of the graph
        if scene is not None:
            self.setScene(scene)

    def setScene(self, scene: QGraphicsScene | None) -> None:  # noqa: N802  (Qt's name)
        super().setScene(scene)
        graph = scene if isinstance(scene, GraphScene) else None
        self.undo_framing.watch(graph.document.undo_stack if graph is not None else None)

    def _extent(self) -> QRectF | None:
        """The graph's rectangle on the scene (None without a graph)."""
        scene = self.graph_scene()
        return scene.graph_rect() if scene is not None else None

    def graph_scene(self) -> GraphScene | None:
        scene = self.scene()
        return scene if isinstance(scene, GraphScene) else None

    # --------------------------------------------------------------- zoom
    def scale_factor(self) -> float:
        return self.transform().m11()

    def set_scale(self, scale: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``scale`` (clamped), keeping the scene point under viewport ``anchor`` in place."""
        self._pending = self._auto = None
        scale = min(MAX_SCALE, max(MIN_SCALE, scale))
        anchor = anchor if anchor is not None else QPointF(self.viewport().rect().center())
        fixed = self.mapToScene(anchor.toPoint())
        self.resetTransform()
        self.scale(scale, scale)
        moved = self.mapToScene(anchor.toPoint())
        self._scroll_by_scene(fixed - moved)
        self._zoomed(scale)

    def zoom_in(self) -> None:
        self.set_scale(self.scale_factor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_scale(self.scale_factor() / ZOOM_STEP)

    def actual_size(self) -> None:
        self.set_scale(1.0)

    def fit_to_graph(self) -> None:
        """Show the whole graph (at most a little larger than actual size). Asked before the
        view is shown, it fits again once the view has its real size."""
        rect = self._graph_rect()
        if rect is None:
            return self._defer(self.fit_to_graph)
        view = self.viewport().rect()
        scale = min(view.width() / rect.width(), view.height() / rect.height())
        self._frame(rect, min(FIT_MAX_SCALE, max(MIN_SCALE, scale)), rect.center())

    def show_graph(self) -> None:
        """The first view of a graph: all of it, centred, when it fits at the readable zoom
        (:mod:`.framing`: the edges' labels legible) or larger; otherwise the readable zoom,
        with the objective and the nodes feeding it in view and as
        much of the graph before them as fits. F shows all of it. Until the person zooms or
        pans, a resize frames it again, and so does a step whose node (or its new labels) would
        otherwise need a pan; so does the event loop's next turn (the views that follow the new
        document, such as the debugger's arrow after the objective, have added their items)."""
        self._show_graph()
        self._settled.start()

    def _frame_again(self) -> None:
        if self._auto is not None and self.isVisible():
            self._auto()

    def _show_graph(self) -> None:
        rect = self._graph_rect()
        scene = self.graph_scene()
        if rect is None or scene is None:
            return self._defer(self._show_graph)
        view = self.viewport().rect()
        readable = readable_scale()
        fit = min(view.width() / rect.width(), view.height() / rect.height())
        self._partial = fit < readable
        if fit >= readable:
            self._frame(rect, min(FIT_MAX_SCALE, fit), rect.center())
        else:
            own, focus = objective_rects(scene)
            if focus.isEmpty():  # no objective: where the forward pass starts
                own = focus = QRectF(rect.left(), rect.top(), min(rect.width(), view.width() / readable), rect.height())
            half_w, half_h = view.width() / readable / 2, view.height() / readable / 2
            # the objective at the right and as much as fits before it: its inputs, then the rest
            x = max(rect.left() + half_w, focus.right() - half_w)
            x += past_cut_nodes(scene, x - half_w, focus.left()) - (x - half_w)
            y = rect.center().y() if rect.height() <= 2 * half_h else focus.center().y()
            if focus.height() > 2 * half_h:
                y = own.center().y()
            self._frame(rect, readable, QPointF(x, y))
        self._auto = self._show_graph
        self._update_cue()

    def _update_cue(self) -> None:
        """The out-of-view note stands with a first view that shows part of the graph."""
        self.cue.set_shown(self._auto is not None and self._partial)

    def reveal(self, wanted: QRectF, needed: QRectF | None = None) -> None:
        """Show the scene rectangle ``wanted`` (the debugger's current node and its neighbours;
        when it does not fit, ``needed``, the node itself): while the first view stands, by
        framing the graph as it is now (with the labels the steps added); else by scrolling
        just enough."""
        if not self.isVisible() or self._pending is not None or self._in_view(wanted, needed):
            return
        if self._auto is not None:
            self._auto()
            if self._in_view(wanted, needed):
                return
        self._auto = None
        visible = self._inner_view()
        if needed is not None and (wanted.width() > visible.width() or wanted.height() > visible.height()):
            wanted = needed
        self._scroll_by_scene(shift_into(wanted, visible))

    def _inner_view(self) -> QRectF:
        """What the view shows, less REVEAL_MARGIN pixels all round: where a scroll brings a node."""
        margin = REVEAL_MARGIN / max(self.scale_factor(), 1e-9)
        return self.mapToScene(self.viewport().rect()).boundingRect().adjusted(margin, margin, -margin, -margin)

    def _in_view(self, wanted: QRectF, needed: QRectF | None) -> bool:
        """``wanted`` is in view, or, when it could not be, ``needed`` is."""
        whole = self.mapToScene(self.viewport().rect()).boundingRect()
        visible = self._inner_view()
        if needed is not None and (wanted.width() > visible.width() or wanted.height() > visible.height()):
            wanted = needed
        return whole.contains(wanted)

    def _graph_rect(self) -> QRectF | None:
        """The graph's rectangle with a margin; None (after showing the origin) when there is no
        graph to frame or the view has no size yet."""
        scene = self.graph_scene()
        rect = scene.graph_rect() if scene is not None else QRectF()
        if scene is None or rect.isEmpty():
            self._pending = None
            self.resetTransform()
            self.centerOn(0, 0)
            self._zoomed(1.0)
            return None
        if not self.isVisible():
            return None
        return with_output(scene, rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN))

    def _defer(self, framing: Callable[[], None]) -> None:
        """Frame the graph once the view is shown (a hidden view's size is not its real one)."""
        scene = self.graph_scene()
        if scene is not None and not scene.graph_rect().isEmpty():
            self._pending = framing

    def _frame(self, rect: QRectF, scale: float, centre: QPointF) -> None:
        self._pending = self._auto = None
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(centre)
        self._zoomed(scale)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending is not None:
            self._pending()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._view_changed()
        again = self._pending or self._auto
        if again is not None and self.isVisible():
            again()

    def paintEvent(self, event: QPaintEvent) -> None:
        scene = self.graph_scene()
        moved = scene is not None and scene.layout_visible_labels()  # a burst's pass posted before this paint
        super().paintEvent(event)
        if moved:
            # Labels that move while the view paints are drawn in their new places, and the view
            # then takes those for the places they were painted at: their old places would keep
            # their pixels (a label twice, a stray piece of one). The next paint covers them.
            self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._view_changed()

    def _view_changed(self) -> None:
        self._update_cue()
        scene = self.graph_scene()
        if scene is not None:
            scene.view_changed()

    def _zoomed(self, scale: float) -> None:
        self._update_cue()
        scene = self.graph_scene()
        if scene is not None:
            scene.set_view_scale(scale)
            scene.view_changed()
        self.zoomChanged.emit(scale)

    def _scroll_by_scene(self, delta: QPointF) -> None:
        scale = self.scale_factor()
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + round(delta.x() * scale))
        v.setValue(v.value() + round(delta.y() * scale))

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps == 0:
            return
        self.set_scale(self.scale_factor() * math.pow(1.15, steps), event.position())
        event.accept()

    # ---------------------------------------------------------------- pan
    def _start_pan(self, pos: QPoint) -> None:
        self._pan_from = pos
        self._auto = None
        self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._auto = None  # the person works on the canvas: a resize leaves their view alone
        self._update_cue()
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (button == Qt.MouseButton.LeftButton and self._space):
            self._start_pan(event.position().toPoint())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            pos = event.position().toPoint()
            delta = pos - self._pan_from
            self._pan_from = pos
            h, v = self.horizontalScrollBar(), self.verticalScrollBar()
            h.setValue(h.value() - delta.x())
            v.setValue(v.value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        if event.key() == Qt.Key.Key_F and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.fit_to_graph()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            if self._pan_from is None:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    # ---------------------------------------------------------- add nodes
    def add_node(self, op_type: str, scene_pos: QPointF | None = None) -> str | None:
        """Add a node at ``scene_pos`` (default: the middle of the visible canvas)."""
        scene = self.graph_scene()
        if scene is None:
            return None
        if scene_pos is None:
            scene_pos = self.mapToScene(self.viewport().rect().center())
            taken = {node.pos for node in scene.graph.nodes.values()}
            while (round(scene_pos.x() - 75), round(scene_pos.y() - 12)) in taken:
                scene_pos += QPointF(30, 30)
        return scene.add_node(op_type, scene_pos)

    def _op_type(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> str | None:
        data = event.mimeData()
        if data is None or not data.hasFormat(OP_MIME_TYPE):
            return None
        return bytes(data.data(OP_MIME_TYPE).data()).decode("utf-8").strip() or None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._op_type(event) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._op_type(event) is not None:
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        op_type = self._op_type(event)
        if op_type is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.add_node(op_type, self.mapToScene(event.position().toPoint()))

    # --------------------------------------------------------- background
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        draw_grid(painter, QRectF(rect), self.scale_factor())
