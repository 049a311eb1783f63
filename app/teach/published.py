"""Published values beside ours in the window: an inspector section and marks on the canvas.

The section lists the selected node's published values (or the current step's node's) with
their source and whether the engine agrees at the debugger's cursor; a node where a published
value of this training step disagrees gets a short red mark ("differs") on the canvas, a
documented variant a quiet one ("variant"), their full sentences in the node's tooltip.
"""
from __future__ import annotations

import html
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.inspector.wrap_label import WrapLabel
from app.window.frame import WindowFrame
from core.references import (
    AGREES,
    DISAGREES,
    VARIANT,
    Agreement,
    Reference,
    compare,
    placed,
    quantity_at,
    references,
)

COLOURS = {AGREES: "#2f8f5b", VARIANT: "#9a6a00", DISAGREES: "#c0392b"}


def canvas_node(graph: Any, ref: Reference) -> str:
    """The node a reference is drawn on: its own, or its entry's or neuron's once the layer is expanded."""
    return placed(graph, ref)[0]


def agreements(stepper: Any) -> list[Agreement]:
    """Every reference of the stepper's graph, compared where the cursor has computed it."""
    return [compare(ref, quantity_at(stepper, ref)) for ref in references(stepper.graph)]


def line(a: Agreement, training_step: int | None = None) -> str:
    """'value of W2[0,0] after 1 update: published 0.35891648 — Mazur, ... — agrees to 8 digits (place)'.
    ``training_step`` (0 for the first): where the debugger is, to say where ours is shown."""
    ref = a.reference
    what = f"{ref.quantity} of {ref.target}"
    if ref.after_updates:
        what += f" after {ref.after_updates} update{'s' if ref.after_updates > 1 else ''}"
    text = a.text()
    if a.ours is None and training_step is not None and training_step != ref.after_updates:
        text = text.replace("ours is not computed yet", f"ours is in training step {ref.after_updates + 1}")
    return f"{what}: {text} ({ref.place})" if ref.place else f"{what}: {text}"


class PublishedSection(QWidget):
    """The inspector section: the published values of one node, each beside ours."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.host = window
        self.label = WrapLabel("", self)  # never cut at the inspector's width
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)

    def shown(self) -> list[Agreement]:
        controller = self.host.debugger.controller
        stepper = controller.stepper
        node = self.host.selected_node() or controller.current_node
        if stepper is None or node is None:
            return []
        graph = stepper.graph
        return [a for a in agreements(stepper) if canvas_node(graph, a.reference) == node]

    def lines(self) -> list[str]:
        return [line(a, self._training_step()) for a in self.shown()]

    def _training_step(self) -> int | None:
        stepper = self.host.debugger.controller.stepper
        return None if stepper is None else int(stepper.iteration)

    def refresh(self, *_args: object) -> None:
        step = self._training_step()
        parts = [f"<p style='margin:2px 0; color:{COLOURS.get(a.status, '#555')}'>{html.escape(line(a, step))}</p>"
                 for a in self.shown()]
        self.label.setText("".join(parts) or "No published value for this node.")


BADGES = {DISAGREES: ("differs", False, ""), VARIANT: ("variant", True, COLOURS[VARIANT])}  # text, ok, colour


class PublishedMarks(QObject):
    """Marks on the canvas where a published figure applies in this training step: 'differs' on
    a node where one disagrees, 'variant' on a documented variant; the full lines in the tooltip."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.marked: set[str] = set()

    def refresh(self, *_args: object) -> None:
        stepper = self.window.debugger.controller.stepper
        scene = self.window.scene
        found: dict[str, list[Agreement]] = {}
        if stepper is not None and self.window.debugger.controller.active:
            for a in agreements(stepper):  # a figure of another training step has no status here
                if a.status:
                    found.setdefault(canvas_node(stepper.graph, a.reference), []).append(a)
        wanted = {}
        for node, shown in found.items():
            worst = DISAGREES if any(a.status == DISAGREES for a in shown) else VARIANT
            if any(a.status == worst for a in shown):
                step = int(stepper.iteration)  # type: ignore[union-attr]
                wanted[node] = (*BADGES[worst], "\n".join(line(a, step) for a in shown if a.status != AGREES))
        for node in self.marked - set(wanted):
            item = _item(scene, node)
            if item is not None:
                item.set_badge(None)
        for node, (text, ok, colour, tip) in wanted.items():
            item = _item(scene, node)
            if item is not None:
                item.set_badge(text, ok, tip, colour)
        self.marked = set(wanted)


def _item(scene: Any, node: str) -> Any:
    try:
        return scene.node_item(node)
    except (KeyError, AttributeError):
        return None


class Published(NamedTuple):
    """The room's handle: the inspector section and the canvas marks (the window keeps it)."""

    section: PublishedSection
    marks: PublishedMarks


def install(window: WindowFrame) -> Published:
    """Add the inspector section and the canvas marks to a window that has the debugger."""
    section = PublishedSection(window)
    window.inspector.add_section("Published values", section)
    marks = PublishedMarks(window)
    host: Any = window  # a MainWindow: the section follows its debugger (installed first)
    controller = host.debugger.controller
    for signal in (controller.stateChanged, controller.programChanged, window.selectedNodeChanged):
        signal.connect(section.refresh)
    controller.stateChanged.connect(marks.refresh)
    controller.programChanged.connect(marks.refresh)
    section.refresh()
    return Published(section, marks)
