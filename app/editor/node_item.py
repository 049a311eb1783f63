"""A node on the canvas: header with its id, the op's symbol and title, ports with names, the
output shape and a value line (a small matrix one row per line).

A node is as wide as its texts are at the zoom where they are widest (:mod:`.node_text`), so
no readable zoom cuts them; texts are drawn unclipped into the padding besides. A value text
wider than MAX_WIDTH allows is elided with "…" and the tooltip holds it in full.

Passive: the scene calls its setters when the graph or the debugger says something changed;
dragging it only moves the item, and the scene turns the drop into one MoveNodes command.
Painting is cached per item (DeviceCoordinateCache); every setter calls ``update()``.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from app.editor import style
from app.editor.node_marks import paint_marks, paint_ports
from app.editor.node_text import (
    caption_symbol,
    default_value_text,
    drawn_width,
    shape_label,
    value_height,
    value_lines,
    value_width,
)
from app.editor.port_item import OUTPUT, PortItem
from core.graph import Node

RUN_STATES = ("idle", "pending", "forward", "backward")
TITLE_LOD = 0.25  # below this zoom even the node's id is not drawn
TEXT_LOD = 0.35  # below this zoom the smaller texts (op, ports, shape, value) are not drawn
MAX_WIDTH = 280.0
NO_CLIP = Qt.TextFlag.TextDontClip
POSITION_CHANGED = QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged  # read once: itemChange is called often


class NodeItem(QGraphicsItem):
    Type = QGraphicsItem.UserType + 1  # type: ignore[attr-defined]  # missing from the stubs

    def __init__(self, node: Node) -> None:
        super().__init__()
        op = node.op
        self.node_id = node.id
        self.op_type = node.op_type
        self.title = op.title_of(node.attrs)
        self.symbol = caption_symbol(op.title, op.symbol, op.family)
        self.family = op.family
        self.header_colour = style.family_colour(op.family)
        self.shape_text = ""
        self.shape_unknown: str | None = None  # why the output shape shows "?"
        self.problem: str | None = None
        self.run_state = "idle"
        self.current = False
        self.badge: tuple[str, bool] | None = None
        self.badge_tip = ""  # the badge's full sentence, in the tooltip
        self.badge_colour = ""
        self.code_badge: str | None = None  # a custom layer's check state (app.code.checker)
        self.breakpoint = False
        self._default_value: str | None = default_value_text(node)
        self._value_override: str | None = None
        self._doc = op.doc
        self._lines: list[tuple[float, str]] = []
        self._unshaped_width = 0.0  # set by each layout (_needed_width)
        self._caption_width = 0.0  # the symbol's and title's part of the caption's width, as _unshaped_width
        self._elided = False  # the value text is wider than MAX_WIDTH allows: the tooltip has it
        self._hover = False
        self._texts_shown = True  # whether the last paint drew texts (a zoomed-out paint does not)
        self.inputs: dict[str, PortItem] = {name: PortItem(name, False, self) for name in node.inputs}
        self.output = PortItem(OUTPUT, True, self)
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setPos(QPointF(*node.pos))
        self._layout()
        self._update_tooltip()

    def type(self) -> int:
        return self.Type

    # ------------------------------------------------------------ queries
    def port(self, name: str) -> PortItem:
        return self.output if name == OUTPUT else self.inputs[name]

    def ports(self) -> list[PortItem]:
        return [*self.inputs.values(), self.output]

    def value_text(self) -> str | None:
        return self._value_override if self._value_override is not None else self._default_value

    def value_lines(self) -> list[str]:
        """The lines the value text is drawn as (a small matrix: one per row)."""
        return [line for _, line in self._lines]

    def body_rect(self) -> QRectF:
        return QRectF(0, 0, self._width, self._height)

    def text_rect(self) -> QRectF:
        """Where the value text is drawn, as wide as its text (empty without one)."""
        if not self._lines:
            return QRectF()
        width = max(indent + drawn_width("body", line) for indent, line in self._lines)
        height = value_height(len(self._lines))
        return QRectF(style.PAD, self._value_y - 2, min(width, self._width - 2 * style.PAD), height)

    # ------------------------------------------------- model-driven setters
    def set_node_id(self, node_id: str) -> None:
        self.node_id = node_id
        self._update_tooltip()  # it begins with the id
        self._relayout()

    def refresh_from(self, node: Node) -> None:
        """Re-read the node's value and attributes (after value_changed / attr_changed)."""
        text = default_value_text(node)
        ports = tuple(node.inputs)
        title = node.op.title_of(node.attrs)
        if text != self._default_value or ports != tuple(self.inputs) or title != self.title:
            self._default_value, self.title = text, title
            if ports != tuple(self.inputs):  # a custom layer's code changed its ports
                for item in self.inputs.values():
                    item.setParentItem(None)  # type: ignore[arg-type]  # detach: PySide takes None
                    if item.scene() is not None:
                        item.scene().removeItem(item)
                self.inputs = {name: PortItem(name, False, self) for name in ports}
            self._update_tooltip()
            self._relayout()

    def set_shape(self, shape: tuple[int, ...] | None, unknown: str | None = None) -> None:
        """Show ``shape``; with no shape and an ``unknown`` reason, "?" (the reason is in the tooltip)."""
        text = "?" if shape is None and unknown else shape_label(shape)
        reason = unknown if shape is None else None
        if reason != self.shape_unknown:
            self.shape_unknown = reason
            self._update_tooltip()
        if text != self.shape_text:
            self.shape_text = text
            if self._width_with(text) != self._width:  # the shape is the only text that changed
                self._relayout()
            elif self._texts_shown:
                self.update()

    def set_problem(self, message: str | None) -> None:
        if message != self.problem:
            self.problem = message
            self._update_tooltip()
            self.update()

    # ------------------------------------------------------ debugger hooks
    def set_run_state(self, state: str) -> None:
        if state not in RUN_STATES:
            raise ValueError(f"unknown run state {state!r} (one of {', '.join(RUN_STATES)})")
        if state != self.run_state:
            self.run_state = state
            self.setOpacity(0.45 if state == "pending" else 1.0)
            self.update()

    def set_current(self, current: bool) -> None:
        """Mark the debugger's current node (the views scroll to show it, as IDE debuggers do)."""
        if current != self.current:
            self.current = current
            self.setZValue(2 if current else 0)
            self.update()
            scene = self.scene()
            if current and scene is not None and hasattr(scene, "reveal_node"):
                scene.reveal_node(self)

    def set_badge(self, text: str | None, ok: bool = True, tip: str = "", colour: str = "") -> None:
        """A short mark above the node's top right (None: none); ``tip`` goes to the tooltip,
        ``colour`` (a CSS colour) replaces the green of ``ok`` or the red of a problem."""
        badge = None if text is None else (text, ok)
        if badge != self.badge or tip != self.badge_tip or colour != self.badge_colour:
            self.prepareGeometryChange()
            self.badge, self.badge_tip, self.badge_colour = badge, tip if badge else "", colour
            self._update_tooltip()
            self.update()

    def set_code_badge(self, state: str | None) -> None:
        if state != self.code_badge:
            self.code_badge = state
            self.update()

    def set_breakpoint(self, on: bool) -> None:
        if on != self.breakpoint:
            self.breakpoint = on
            self.update()

    def set_value_text(self, text: str | None) -> None:
        """Show ``text`` under the title; ``None`` returns to the default (a leaf's value)."""
        if text != self._value_override:
            self._value_override = text
            self._relayout()

    # ------------------------------------------------------------- layout
    def _relayout(self) -> None:
        self.prepareGeometryChange()
        self._layout()
        self.update()
        scene = self.scene()
        if scene is not None and hasattr(scene, "node_geometry_changed"):
            scene.node_geometry_changed(self)

    def _needed_width(self) -> float:
        """The width the texts need; what does not depend on the shape is kept for ``_width_with``."""
        title_w = drawn_width("title", self.node_id) + 2 * style.PAD
        ports_w = max((drawn_width("body", p) for p in self.inputs), default=0.0) + 3 * style.PAD
        self._unshaped_width = max(style.NODE_MIN_WIDTH, title_w, value_width(self.value_text()), ports_w)
        self._caption_width = drawn_width("symbol", self.symbol + "  ") + drawn_width("small", self.title)
        return self._width_with(self.shape_text)

    def _width_with(self, shape_text: str) -> float:
        """The width needed with ``shape_text`` as the shape (every other text as at the last layout)."""
        caption_w = self._caption_width + drawn_width("body", shape_text) + 4 * style.PAD
        return min(MAX_WIDTH, max(self._unshaped_width, caption_w))

    def _layout(self) -> None:
        rows = 1 + len(self.inputs)
        self._lines = value_lines(self.value_text())
        self._width = self._needed_width()
        room = self._width - 2 * style.PAD
        elided = any(indent + drawn_width("body", line) > room for indent, line in self._lines)
        if elided or self._elided:
            self._elided = elided
            self._update_tooltip()
        self._value_y = style.HEADER_HEIGHT + rows * style.ROW_HEIGHT
        self._height = self._value_y + value_height(len(self._lines)) + style.BOTTOM_PAD
        self._bounds = QRectF(-10.0, -12.0, self._width + 20.0, self._height + 20.0)
        self._body = QPainterPath()
        self._body.addRoundedRect(self.body_rect(), style.CORNER, style.CORNER)
        self._header = QPainterPath()
        header = QRectF(0, 0, self._width, style.HEADER_HEIGHT + style.CORNER)
        self._header.addRoundedRect(header, style.CORNER, style.CORNER)
        self._header = self._header.intersected(_rect_path(QRectF(0, 0, self._width, style.HEADER_HEIGHT)))
        self.output.setPos(self._width, self._row_y(0))
        for i, port in enumerate(self.inputs.values()):
            port.setPos(0.0, self._row_y(i + 1))

    def _row_y(self, row: int) -> float:
        return style.HEADER_HEIGHT + (row + 0.5) * style.ROW_HEIGHT

    def _update_tooltip(self) -> None:
        lines = [f"{self.node_id} ({self.title})", self._doc]
        if self._elided:
            lines.append(self.value_text() or "")
        if self.shape_unknown:
            lines.append(self.shape_unknown)
        if self.problem:
            lines.insert(0, "Problem: " + self.problem)
        lines.append(self.badge_tip)
        self.setToolTip("\n".join(line for line in lines if line))

    # ------------------------------------------------------------ Qt items
    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._body

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change is POSITION_CHANGED:
            scene = self.scene()
            if scene is not None and hasattr(scene, "node_geometry_changed"):
                scene.node_geometry_changed(self)
        return value  # what QGraphicsItem.itemChange returns, without a call into it

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = False
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_body(painter)
        if lod >= TITLE_LOD:
            self._paint_title(painter)
        self._texts_shown = lod >= TEXT_LOD
        if self._texts_shown:
            self._paint_texts(painter)
        self._paint_outlines(painter)
        paint_ports(painter, self.ports())
        paint_marks(painter, self.body_rect(), self.breakpoint, self.code_badge, self.badge, self.badge_colour)

    def _paint_body(self, painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 30, 45, 28))
        painter.drawPath(self._body.translated(1.5, 2.5))
        tint = {"forward": style.FORWARD_TINT, "backward": style.BACKWARD_TINT}.get(self.run_state, style.NODE_BODY)
        painter.setBrush(tint)
        painter.drawPath(self._body)
        painter.setBrush(self.header_colour)
        painter.drawPath(self._header)

    def _paint_title(self, painter: QPainter) -> None:
        header = QRectF(style.PAD, 0, self._width - 2 * style.PAD, style.HEADER_HEIGHT)
        painter.setFont(style.font("title"))
        painter.setPen(style.HEADER_TEXT)
        title = style.metrics("title").elidedText(self.node_id, Qt.TextElideMode.ElideRight, header.width())
        painter.drawText(header, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)

    def _paint_texts(self, painter: QPainter) -> None:
        w, pad = self._width, style.PAD
        row0 = QRectF(pad, style.HEADER_HEIGHT, w - 2 * pad - 6, style.ROW_HEIGHT)
        painter.setFont(style.font("body"))
        painter.setPen(style.TEXT)
        painter.drawText(row0, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self.shape_text)
        caption = QRectF(row0)
        if self.symbol:
            painter.setFont(style.font("symbol"))
            painter.setPen(self.header_colour.darker(115))
            painter.drawText(caption, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.symbol)
            caption.setLeft(caption.left() + style.text_width("symbol", self.symbol + "  "))
        painter.setFont(style.font("small"))
        painter.setPen(style.TEXT_MUTED)
        painter.drawText(caption, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(style.font("body"))
        painter.setPen(style.TEXT)
        for i, name in enumerate(self.inputs):
            rect = QRectF(pad + 2, style.HEADER_HEIGHT + (i + 1) * style.ROW_HEIGHT, w - 2 * pad, style.ROW_HEIGHT)
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        painter.setPen(style.TEXT_MUTED if self._value_override is None else style.TEXT)
        step = style.metrics("body").lineSpacing()
        for i, (indent, line) in enumerate(self._lines):
            rect = QRectF(pad + indent, self._value_y - 2 + i * step, w - 2 * pad - indent, style.VALUE_HEIGHT)
            if self._elided:
                fit = rect.width() * style.text_width("body", line) / drawn_width("body", line)
                line = style.metrics("body").elidedText(line, Qt.TextElideMode.ElideRight, fit)
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | NO_CLIP, line)

    def _paint_outlines(self, painter: QPainter) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.isSelected():
            painter.setPen(QPen(style.SELECTION, 2.2))
        elif self._hover:
            painter.setPen(QPen(style.NODE_BORDER_HOVER, 1.4))
        else:
            painter.setPen(QPen(style.NODE_BORDER, 1.0))
        painter.drawPath(self._body)
        if self.problem:
            painter.setPen(QPen(style.PROBLEM, 2.0))
            painter.drawRoundedRect(self.body_rect().adjusted(-3.5, -3.5, 3.5, 3.5), style.CORNER + 3, style.CORNER + 3)
        if self.current:
            painter.setPen(QPen(style.CURRENT, 3.0))
            painter.drawRoundedRect(self.body_rect().adjusted(-6, -6, 6, 6), style.CORNER + 5, style.CORNER + 5)


def _rect_path(rect: QRectF) -> QPainterPath:
    path = QPainterPath()
    path.addRect(rect)
    return path
