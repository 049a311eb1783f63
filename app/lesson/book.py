"""The lesson's pages: a debugger of its own on a copy of the graph, moved to each step.

:class:`LessonBook` opens the graph in a :class:`~app.model.document.Document` with a canvas
(:class:`~app.editor.scene.GraphScene`), a :class:`~app.debugger.controller.DebugController`
and the debugger's canvas labels, exactly as the window shows them; :meth:`LessonBook.goto`
runs the program to a step and says what the page holds (the step's name, which nodes to
show, the inspector's filled-in formulas). The graph given is never changed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF

from app.debugger.controller import DebugController
from app.debugger.labels import CanvasLabels
from app.editor.scene import GraphScene
from app.lesson.steps import check_steps
from app.model.document import Document, lay_out_if_unplaced
from core import io
from core.export.weights import weights_note
from core.formulas import CHAIN_RULE_HEADING, node_report
from core.graph import Graph
from core.program import CLEAR, FORWARD, UPDATE, Step


@dataclass
class PageText:
    """What one step's page says besides the picture."""

    number: int  # the step's number, from 1
    total: int
    phase: str  # forward pass | backward pass | update
    name: str  # the step's name, as the program view writes it: "forward affine1"
    lines: list[str] = field(default_factory=list)  # the filled-in formulas
    focus: list[str] = field(default_factory=list)  # the nodes the picture centres on
    current: str | None = None


class LessonBook:
    """The pages of one graph's lesson: page 0 is the title, page k the state after step k."""

    def __init__(self, graph: Graph, steps: Sequence[int] | None = None, after_updates: int = 0) -> None:
        """The lesson of ``steps`` (step numbers from 1, see :mod:`app.lesson.steps`); None: every step.
        ``after_updates``: the graph's weights are the results of that many updates (the title says so)."""
        copy = io.from_dict(io.to_dict(graph))  # the lesson steps a copy: the graph stays as it is
        lay_out_if_unplaced(copy)
        self.graph = copy
        self.document = Document(copy)
        self.scene = GraphScene(self.document)
        self.controller = DebugController(self.document)
        if self.controller.stepper is None:
            raise ValueError(f"the graph cannot run: {self.controller.problem}")
        self.labels = CanvasLabels(self.controller, self.scene)
        self.program = self.controller.stepper.program
        count = len(self.program.steps)
        self.steps = list(range(1, count + 1)) if steps is None else check_steps(steps, count)
        self.weights_note = weights_note(copy, after_updates, self.program.objective)  # "" for the file's weights

    @property
    def page_count(self) -> int:
        return 1 + len(self.steps)

    def close(self) -> None:
        self.labels.deleteLater()
        self.controller.deleteLater()
        self.scene.deleteLater()
        self.document.deleteLater()

    def goto(self, number: int) -> PageText:
        """Run the program up to step ``number`` (from 1) and describe the page."""
        self.controller.goto(number)
        self.scene.label_pass.run()
        step = self.program.steps[number - 1]
        stepper = self.controller.stepper
        assert stepper is not None
        page = PageText(number, len(self.program.steps), self.program.phase_at(number - 1), step.label,
                        current=step.node)
        if step.kind == CLEAR:
            page.focus = self.program.trainable_with_gradient() or list(self.program.order)
            page.lines.append("The parameters' gradients are kept from the last update: this update's add to them."
                              if self.graph.settings.keep_gradients else
                              "The parameters' gradients start from zero: the backward pass computes them anew.")
            return page
        if step.kind == UPDATE:
            updated = list(stepper.frame.updated)
            page.focus = updated or list(self.program.order)
            for p in updated:
                report = node_report(stepper, p)
                if report.update is not None:
                    page.lines += [f"{p}: {line}" for line in report.update.lines]
            if not updated:
                page.lines.append("Nothing to update: no trainable parameter gets a gradient.")
            return page
        assert step.node is not None
        report = node_report(stepper, step.node)
        page.focus = [step.node, *self._neighbours(step)]
        if step.kind == FORWARD:
            sections = [("Forward", [report.forward_formula or ""])]
        else:  # the chain rule where the local derivative is a diagonal (a full Jacobian adds nothing here)
            sections = [("Backward", list(report.backward_formulas.values())),
                        (CHAIN_RULE_HEADING, [c.text for c in report.chain if c.local is not None])]
        for heading, lines in sections:
            if any(lines):
                page.lines += [f"{heading}:", *(f"    {line}" for line in lines if line)]
        return page

    def _neighbours(self, step: Step) -> list[str]:
        """The nodes feeding the step's node and the nodes it feeds (in the program)."""
        node = step.node
        assert node is not None
        plan = self.program.plans.get(node)
        feeding = list(plan.srcs) if plan is not None else []
        fed = [e.dst for e in self.graph.consumers(node) if e.dst in self.program.order]
        return [n for n in dict.fromkeys(feeding + fed) if n != node]

    def area(self, nodes: list[str]) -> QRectF:
        """The scene rectangle holding ``nodes`` (and the labels of the edges between them)."""
        rect = QRectF()
        for n in nodes:
            try:
                item = self.scene.node_item(n)
            except KeyError:
                continue
            rect = rect.united(item.sceneBoundingRect())
        wanted = set(nodes)
        for e in self.graph.edges:
            if e.src in wanted and e.dst in wanted:
                edge = self.scene.edge_item(e.dst, e.port)
                if edge is None:
                    continue
                rect = rect.united(edge.sceneBoundingRect())
                for label in edge.label_items():
                    rect = rect.united(label.sceneBoundingRect())
        return rect
