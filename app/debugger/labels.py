"""The debugger's look on the canvas, through the editor's item hooks.

Node run states (pending, forward, backward), the current step's node, breakpoints, each
edge's value above and gradient below (an array too large to write out: its shape and range,
and a heat strip of its elements), a parameter's gradient and new value, gradient check
badges, and an output arrow after the objective (:mod:`.output_stub`), as in the figures of
"Deep Learning from Scratch". Only the nodes a step touched are refreshed, and of many, those out
of sight after the repaint (:mod:`.backlog`). A new program (an edit, an undo) or a reset, which
show no values, redraws only the items drawn in a look not their own; what a node's edges and
gradients are is asked of the graph and the program when the node is drawn, so none of it costs
the size of the graph.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

import numpy as np
from PySide6.QtCore import QObject
from shiboken6 import isValid

from app.debugger.backlog import DrawBacklog, EdgeKey
from app.debugger.controller import DebugController
from app.debugger.output_stub import OutputStub
from app.editor import style
from app.editor.edge_item import EdgeItem
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
    from core.gradcheck_report import GradCheckReport

EDGE_LABEL_WIDTH = 190.0  # a wider label (its widest row) drops a digit, then becomes a summary
NODE_LINE_WIDTH = 185.0  # a parameter's text never widens its node past this: the gap beside it holds labels
UNCHECKABLE_TIP = ("Gradient check: not checkable here: no finite-difference step gave finite values, "
                   "so this gradient is neither confirmed nor refuted")


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
        self._places: dict[str, dict[str, int]] = {}  # node → its op's input ports' places, found when first drawn
        self._marked: dict[int, Any] = {}  # the node and edge items drawn in a look not their own, by id
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
        self._marked = {}  # a new scene's items are in their own look
        self.backlog.clear()
        self.backlog = DrawBacklog(self._draw, self)  # the old scene may still ask the old one
        label_pass = getattr(scene, "label_pass", None)
        if label_pass is not None:
            label_pass.add_prerequisite(self.backlog)
        self._on_program_changed()
        self.refresh(None)

    # ----------------------------------------------------------- bookkeeping
    def _on_program_changed(self) -> None:
        """A new program: what was found in the old one goes. Nothing is drawn here: the
        controller's stateChanged (of every node) follows each new program."""
        s = self.controller.stepper
        self._program = s.program if s is not None else None
        self._places = {}

    def _edges_at(self, node: str) -> list[EdgeKey]:
        """The edges into and out of ``node`` (source, destination, port), from the graph's index."""
        graph = self.controller.document.graph  # type: ignore[union-attr]
        into = (graph.edge_into(node, port) for port in graph.nodes[node].inputs)
        return [(e.src, e.dst, e.port) for e in (*into, *graph.consumers(node)) if e is not None]

    def _grad_key(self, dst: str, port: str) -> tuple[str, int] | None:
        """Where the gradient of the edge into ``dst``'s ``port`` is sent (the stepper's key):
        ``dst`` and the port's place among its op's inputs (a node's ports asked once a program)."""
        place = self._places.get(dst)
        if place is None:
            plan = self._program.plans.get(dst) if self._program is not None else None
            ports = plan.op.ports(plan.attrs) if plan is not None else ()
            place = self._places[dst] = {name: i for i, name in enumerate(ports)}
        i = place.get(port)
        return (dst, i) if i is not None else None

    def _senders(self, node: str) -> list[str]:
        """The nodes whose backward steps send ``node`` a part of its gradient, one per part."""
        p = self._program
        return [consumer for consumer, _ in p.grad_sources.get(node, ())] if p is not None else []

    def _mark(self, item: Any, marked: bool) -> None:
        """Remember whether ``item`` is drawn in a look other than its own (values, run state,
        breakpoint): with no values shown, only those are drawn again."""
        if marked:
            self._marked[id(item)] = item
        else:
            self._marked.pop(id(item), None)

    def _marked_now(self, graph: Any) -> tuple[list[str], list[EdgeKey]]:
        """The nodes and edges whose items are drawn in a look not their own (by their ids now:
        a renamed node keeps its item), and the nodes with a breakpoint."""
        nodes, edges = set(self.controller.breakpoints) & graph.nodes.keys(), []
        for key, item in list(self._marked.items()):
            if not isValid(item) or item.scene() is not self.scene:
                del self._marked[key]  # removed from the scene (a deleted node or edge)
            elif isinstance(item, EdgeItem):
                edges.append((item.src, item.dst, item.port))
            else:
                nodes.add(item.node_id)
        return sorted(nodes), edges

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
        """Redraw the nodes in ``dirty`` (a set of ids) and their edges; ``None``: everything,
        which, with no values to show (a new program, a reset), is the items drawn otherwise."""
        doc = self.controller.document
        if self.scene is None or doc is None:
            return
        graph = doc.graph
        edges: Iterable[EdgeKey]
        if dirty is None:
            self._drawn = {}
            self.backlog.clear()
            if self.controller.active:
                nodes, edges = list(graph.nodes), [(e.src, e.dst, e.port) for e in graph.edges]
            else:
                nodes, edges = self._marked_now(graph)
        else:
            nodes = [n for n in dirty if n in graph.nodes]
            edges = {edge for node in nodes for edge in self._edges_at(node)}
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
            self._mark(item, node in c.breakpoints)
            return
        self._mark(item, True)
        item.set_current(node == c.current_node)
        if node in p.plans:
            state = "backward" if s.backward_done(node) else ("forward" if s.forward_done(node) else "pending")
            item.set_run_state(state)
            item.set_value_text(sum_line(s, node) if len(set(self._senders(node))) > 1 else None)
            return
        senders = set(self._senders(node))
        complete = bool(senders) and all(s.backward_done(n) for n in senders)
        item.set_run_state("backward" if complete else "forward")
        item.set_value_text(self._leaf_text(node, complete))

    def _leaf_text(self, node: str, complete: bool) -> str | None:
        s = self.controller.stepper
        assert s is not None
        updated = s.frame.updated.get(node)
        if updated is not None:
            return node_line("new", updated[1], updated[0])
        adding = sum_line(s, node) if len(self._senders(node)) > 1 else None  # a sum of parts
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
            sent = self._grad_key(dst, port)
            grad = s.frame.sent.get(sent) if sent is not None else None
        value_text, value_heat = self._content(value)
        grad_text, grad_heat = self._content(grad)
        shown = _Drawn(value_text, grad_text, value_heat, grad_heat)
        self._mark(item, not shown.same(_BARE))
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
