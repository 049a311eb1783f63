"""The debugger's look on the canvas, through the editor's item hooks.

Node run states (pending, forward, backward), the current step's node, breakpoints, each
edge's value above and gradient below (an array too large to write out: its shape and range,
and a heat strip of its elements), a parameter's gradient and new value, gradient check
badges, and an output arrow after the objective (its value and the starting gradient 1), as in
the figures of "Deep Learning from Scratch". Only the nodes a step touched are refreshed, and
of many, those out of sight after the repaint (:mod:`.backlog`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget
from shiboken6 import isValid

from app.debugger.backlog import DrawBacklog, EdgeKey
from app.debugger.controller import DebugController
from app.editor import style
from app.editor.edge_item import EdgeLabelItem
from app.editor.edge_label import label_lines
from app.editor.node_text import value_width
from app.teach.sums import sum_line
from core.format import (
    EDGE_DIGITS,
    edge_array,
    format_edge_label,
    format_nested,
    format_number,
    format_shape,
    format_summary,
    is_small,
)
from core.program import Program

if TYPE_CHECKING:  # the checker's module loads with the first check
    from core.gradcheck import GradCheckReport

STUB_LENGTH = 56.0
EDGE_LABEL_WIDTH = 190.0  # a wider label (its widest row) drops a digit, then becomes a summary
NODE_LINE_WIDTH = 185.0  # a parameter's text never widens its node past this: the gap beside it holds labels
UNCHECKABLE_TIP = ("Gradient check: not checkable here: no finite-difference step gave finite values, "
                   "so this gradient is neither confirmed nor refuted")


class OutputStub(QGraphicsItem):
    """An arrow leaving the objective's output, with its value above and its gradient below.

    The two labels are the editor's own edge labels, so they look like every other edge's.
    """

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.value_text: str | None = None
        self.grad_text: str | None = None
        self._value = EdgeLabelItem(style.VALUE_TEXT)
        self._grad = EdgeLabelItem(style.GRAD_TEXT)
        for label in (self._value, self._grad):
            label.setParentItem(self)
            label.setVisible(False)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setVisible(False)

    def set_labels(self, value: str | None, grad: str | None) -> None:
        if (value, grad) == (self.value_text, self.grad_text):
            return
        self.value_text, self.grad_text = value, grad
        self.setVisible(value is not None or grad is not None)
        for label, text, sign in ((self._value, value, -1.0), (self._grad, grad, 1.0)):
            label.setVisible(text is not None)
            if text is not None:
                label.set_content(text, None)
                rect = label.boundingRect()
                label.setPos(STUB_LENGTH / 2 + 4.0, sign * (rect.height() / 2 + 3.0))

    def labels(self) -> tuple[str | None, str | None]:
        return self.value_text, self.grad_text

    def boundingRect(self) -> QRectF:
        return QRectF(0.0, -6.0, STUB_LENGTH + 4.0, 12.0)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        end = STUB_LENGTH
        painter.setPen(QPen(style.EDGE, 1.8))
        painter.drawLine(QPointF(8.0, 0.0), QPointF(end - 4.0, 0.0))
        head = QPainterPath(QPointF(end + 2, 0.0))
        head.lineTo(end - 7, -4.5)
        head.lineTo(end - 7, 4.5)
        head.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.EDGE)
        painter.drawPath(head)


def _writers(arr: np.ndarray) -> list[Callable[[np.ndarray], str]]:
    """The ways to write ``arr`` on the canvas, longest first: in full (4, then 3 digits), then a
    summary of its shape and range (3, then 4 digits)."""
    if arr.size == 1:
        return [lambda a: format_number(a.reshape(()), EDGE_DIGITS)]
    full = [format_edge_label, lambda a: format_nested(a, 3)] if is_small(arr) and arr.size > 0 else []
    return full + [format_summary, lambda a: format_summary(a, 4)]


def node_line(prefix: str, value: np.ndarray, old: np.ndarray | None = None) -> str:
    """``prefix`` and ``value`` in as many digits as fit a node of the usual width (a small
    matrix takes one line per row on the node).

    With ``old`` (a parameter before its update), a writing that shows the new value exactly
    like the old one is skipped: the line never suggests that nothing changed.
    """
    arr = edge_array(np.asarray(value, dtype=float))
    before = None if old is None else edge_array(np.asarray(old, dtype=float))
    for write in _writers(arr):
        text = write(arr)
        if before is not None and before.shape == arr.shape and text == write(before):
            continue
        line = f"{prefix} {text}"
        if value_width(line) <= NODE_LINE_WIDTH:
            return line
    return f"{prefix} {format_shape(arr.shape)} (see inspector)"


def label_width(text: str) -> float:
    """The width of an edge label's text (a small matrix takes one line per row)."""
    return max((style.text_width("label", line) for line in label_lines(text)), default=0.0)


def edge_text(value: np.ndarray) -> tuple[str, bool]:
    """An edge label that fits EDGE_LABEL_WIDTH, and whether it writes every element out.

    A small array is written in full with 4 digits, else 3; when neither fits, or the array is
    large, the label is a summary (shape and range) that a heat strip accompanies.
    """
    arr = edge_array(np.asarray(value, dtype=float))
    writers = _writers(arr)
    if arr.size <= 1:
        return writers[0](arr), True
    for write in writers[:-2]:
        text = write(arr)
        if label_width(text) <= EDGE_LABEL_WIDTH:
            return text, True
    return format_summary(arr), False


def _edge_content(array: np.ndarray | None) -> tuple[str | None, np.ndarray | None]:
    """An edge label's text for ``array`` and the array its heat strip shows (None when the text
    writes every element out)."""
    if array is None:
        return None, None
    text, written = edge_text(array)
    return text, None if written else array


@dataclass(frozen=True, eq=False)
class _Drawn:
    """What an edge shows: its two texts and the arrays behind its heat strips."""

    value_text: str | None
    grad_text: str | None
    value_heat: np.ndarray | None
    grad_heat: np.ndarray | None

    def same(self, other: "_Drawn") -> bool:
        """The same texts and the very same arrays (a new array of a later step is drawn anew)."""
        return ((self.value_text, self.grad_text) == (other.value_text, other.grad_text)
                and self.value_heat is other.value_heat and self.grad_heat is other.grad_heat)


_BARE = _Drawn(None, None, None, None)  # an edge with no label


class CanvasLabels(QObject):
    """Applies the controller's state to a GraphScene's items, once per user action."""

    def __init__(self, controller: DebugController, scene: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.scene: Any = None
        self.stub: OutputStub | None = None
        self._program: Program | None = None
        self._grad_senders: dict[str, set[str]] = {}
        self._edges: dict[str, list[tuple[str, str, str]]] = {}  # node → edges at it (src, dst, port)
        self._grad_keys: dict[tuple[str, str], tuple[str, int] | None] = {}  # edge → where its gradient is sent
        self._summed: set[str] = set()  # nodes whose gradient is a sum of parts
        self._shown_badges: set[str] = set()
        self._drawn: dict[tuple[str, str], _Drawn] = {}  # edge → what it shows
        self._written: dict[int, tuple[np.ndarray, str | None, np.ndarray | None]] = {}  # this refresh's texts
        self.backlog = DrawBacklog(self._draw, self)
        controller.stateChanged.connect(self.refresh)
        controller.programChanged.connect(self._on_program_changed)
        controller.gradientChecked.connect(self.show_gradcheck)
        self.set_scene(scene)

    def set_scene(self, scene: Any) -> None:
        """Draw on ``scene`` from now on (the window makes a new scene for a new document)."""
        self.scene = scene
        self.stub = None
        self._shown_badges = set()
        self.backlog.clear()
        self.backlog = DrawBacklog(self._draw, self)  # the old scene may still ask the old one
        label_pass = getattr(scene, "label_pass", None)
        if label_pass is not None:
            label_pass.add_prerequisite(self.backlog)
        self._on_program_changed()

    # ----------------------------------------------------------- bookkeeping
    def _on_program_changed(self) -> None:
        s = self.controller.stepper
        self._program = s.program if s is not None else None
        self._grad_senders = {}
        self._summed = set()
        if self._program is not None:
            for node, sources in self._program.grad_sources.items():
                self._grad_senders[node] = {consumer for consumer, _ in sources}
                if len(sources) > 1:
                    self._summed.add(node)
        if self.scene is None or self.controller.document is None:
            self._index_edges()  # refresh(None) indexes them otherwise
        self.refresh(None)

    def _index_edges(self) -> None:
        self._edges, self._grad_keys = {}, {}
        doc, p = self.controller.document, self._program
        if doc is None:
            return
        places: dict[str, dict[str, int]] = {}  # a node's input ports and their places, asked once per node
        for e in doc.graph.edges:
            key = (e.src, e.dst, e.port)
            self._edges.setdefault(e.src, []).append(key)
            self._edges.setdefault(e.dst, []).append(key)
            place = places.get(e.dst)
            if place is None:
                plan = p.plans.get(e.dst) if p is not None else None
                ports = plan.op.ports(plan.attrs) if plan is not None else ()
                place = places[e.dst] = {port: i for i, port in enumerate(ports)}
            i = place.get(e.port)
            self._grad_keys[(e.dst, e.port)] = (e.dst, i) if i is not None else None

    def _node_item(self, node: str) -> Any:
        try:
            return self.scene.node_item(node)
        except (KeyError, AttributeError):
            return None

    def _edge_item(self, dst: str, port: str) -> Any:
        try:
            return self.scene.edge_item(dst, port)
        except (KeyError, AttributeError):
            return None

    # --------------------------------------------------------------- drawing
    def refresh(self, dirty: set[str] | None = None) -> None:
        """Redraw the nodes in ``dirty`` (a set of ids) and their edges; ``None``: everything."""
        doc = self.controller.document
        if self.scene is None or doc is None:
            return
        if dirty is None:
            self._index_edges()
            self._drawn = {}
            self.backlog.clear()
            nodes = list(doc.graph.nodes)
        else:
            nodes = [n for n in dirty if n in doc.graph.nodes]  # type: ignore[union-attr]
        edges = {edge for node in nodes for edge in self._edges.get(node, ())}
        current = [node for node in nodes if node == self.controller.current_node]
        if current:
            self._draw(current, [])  # first: the views scroll to it, which decides what is in sight
        self._draw(*self.backlog.split(self.scene, [n for n in nodes if n not in current], edges))
        self._draw_stub()

    def _draw(self, nodes: list[str], edges: list[EdgeKey]) -> None:
        self._written = {}
        for node in nodes:
            self._draw_node(node)
        for src, dst, port in edges:
            self._draw_edge(src, dst, port)

    def _draw_node(self, node: str) -> None:
        item = self._node_item(node)
        if item is None:
            return
        c, s, p = self.controller, self.controller.stepper, self._program
        item.set_breakpoint(node in c.breakpoints)
        if s is None or p is None or not c.active or node not in p.order:
            item.set_run_state("idle")
            item.set_current(False)
            item.set_value_text(None)
            return
        item.set_current(node == c.current_node)
        if node in p.plans:
            state = "backward" if s.backward_done(node) else ("forward" if s.forward_done(node) else "pending")
            item.set_run_state(state)
            item.set_value_text(sum_line(s, node) if len(self._grad_senders.get(node, ())) > 1 else None)
            return
        senders = self._grad_senders.get(node, set())
        complete = bool(senders) and all(s.backward_done(n) for n in senders)
        item.set_run_state("backward" if complete else "forward")
        item.set_value_text(self._leaf_text(node, complete))

    def _leaf_text(self, node: str, complete: bool) -> str | None:
        s = self.controller.stepper
        assert s is not None
        updated = s.frame.updated.get(node)
        if updated is not None:
            return node_line("new", updated[1], updated[0])
        adding = sum_line(s, node) if node in self._summed else None
        if adding is not None:
            return adding
        if complete and node in s.frame.grads:
            return node_line("∂L =", s.frame.grads[node])
        return None

    def _draw_edge(self, src: str, dst: str, port: str) -> None:
        item = self._edge_item(dst, port)
        if item is None:
            return
        c, s, p = self.controller, self.controller.stepper, self._program
        value = grad = None
        if s is not None and p is not None and c.active:
            value = s.frame.values.get(src) if src in p.order else None
            sent = self._grad_keys.get((dst, port))
            grad = s.frame.sent.get(sent) if sent is not None else None
        value_text, value_heat = self._content(value)
        grad_text, grad_heat = self._content(grad)
        shown = _Drawn(value_text, grad_text, value_heat, grad_heat)
        before = self._drawn.get((dst, port))
        if before is None and shown.same(_BARE) and not item.label_items():
            before = _BARE  # nothing to show, nothing shown: the item is left alone
        if before is not None and before.same(shown):
            self._drawn[(dst, port)] = shown
            return
        self._drawn[(dst, port)] = shown
        item.set_content(value_text, grad_text,
                         False if before is not None and before.value_heat is value_heat else value_heat,
                         False if before is not None and before.grad_heat is grad_heat else grad_heat)

    def _content(self, array: np.ndarray | None) -> tuple[str | None, np.ndarray | None]:
        """:func:`_edge_content`, once per array a refresh draws (a fanned-out value labels many edges)."""
        if array is None:
            return None, None
        written = self._written.get(id(array))
        if written is None or written[0] is not array:
            written = self._written[id(array)] = (array, *_edge_content(array))
        return written[1], written[2]

    def _draw_stub(self) -> None:
        c, s, p = self.controller, self.controller.stepper, self._program
        target = self._node_item(p.objective) if p is not None else None
        if self.stub is not None and not isValid(self.stub):
            self.stub = None
        if self.stub is not None and (target is None or self.stub.parentItem() is not target.output):
            if self.stub.scene() is not None:
                self.stub.scene().removeItem(self.stub)
            self.stub = None
        if target is None or s is None or p is None:
            return
        if self.stub is None:
            self.stub = OutputStub(target.output)
        if not c.active:
            self.stub.set_labels(None, None)
            return
        value = s.frame.values.get(p.objective)
        grad = s.frame.grads.get(p.objective) if s.backward_done(p.objective) else None
        self.stub.set_labels(None if value is None else format_edge_label(value),
                             None if grad is None else format_edge_label(grad))

    # -------------------------------------------------------- gradient check
    def show_gradcheck(self, report: GradCheckReport | None) -> None:
        """A badge with the relative error on every checked node; red above the threshold."""
        for node in self._shown_badges:
            item = self._node_item(node)
            if item is not None:
                item.set_badge(None)
        self._shown_badges = set()
        if report is None:
            return
        for entry in report.entries:
            item = self._node_item(entry.name)
            if item is None:
                continue
            if not entry.checkable:
                item.set_badge("? not checkable", True, tip=UNCHECKABLE_TIP, colour=style.UNCHECKABLE)
            else:
                mark = "✓" if entry.passed else "✗"
                item.set_badge(f"{mark} {format_number(entry.error, 3)}", entry.passed)
            self._shown_badges.add(entry.name)
