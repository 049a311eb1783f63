"""The inspector's "Values & gradients" section: one node at the stepper's cursor, with its formulas.

It shows the selected node, or the node of the current step when none is selected: its value
and the gradient arriving at its output (tables, heat maps for matrices), the forward and
backward formulas filled with the real numbers, the chain rule, the contributions that add up
at a node feeding several others, the update of a parameter, and the gradient check.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.debugger.arrays import ArrayPanel
from app.debugger.controller import DebugController
from app.inspector.wrap_label import WrapLabel
from core.format import format_number, plural
from core.formulas import NodeReport, node_report

STATE_TEXT = {"forward": "forward done", "backward": "backward done"}


class DebugInspector(QWidget):
    def __init__(self, controller: DebugController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.selected: str | None = None
        self.report: NodeReport | None = None
        self._stale = True
        self.title = WrapLabel("", self)
        self.value_panel = ArrayPanel("Value", self)
        self.grad_panel = ArrayPanel("Gradient", self)
        self.new_panel = ArrayPanel("New value after the update", self)
        self.formulas = WrapLabel("", self)
        self.formulas.setTextFormat(Qt.TextFormat.RichText)
        self.formulas.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_button = QPushButton("Gradient check", self)
        self.check_button.clicked.connect(self.check_gradient)
        self.check_result = WrapLabel("", self)
        row = QHBoxLayout()
        row.addWidget(self.check_button)
        row.addWidget(self.check_result, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.value_panel)
        layout.addWidget(self.grad_panel)
        layout.addWidget(self.new_panel)
        layout.addWidget(self.formulas)
        layout.addLayout(row)
        layout.addStretch(1)
        controller.stateChanged.connect(self._on_state_changed)
        controller.programChanged.connect(self._on_program_changed)
        controller.gradientChecked.connect(self._on_state_changed)
        controller.checkStarted.connect(self._on_state_changed)
        self.refresh()

    # ----------------------------------------------------------------- inputs
    def set_selected_node(self, node: str | None) -> None:
        """The node the window selected (None: follow the current step)."""
        self.selected = node
        self.refresh()

    def check_target(self) -> str | None:
        """What the button checks: the selected node's own gradient when it has one (None: all)."""
        return self.selected if self.controller.checks.checkable(self.selected) else None

    def check_gradient(self) -> bool:
        """The button: check the selected node's gradient, or every gradient when none is selected."""
        return self.controller.checks.start(self.check_target())

    @property
    def node_id(self) -> str | None:
        return self.selected if self.selected is not None else self.controller.current_node

    def _on_state_changed(self, *_args: object) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _on_program_changed(self) -> None:
        doc = self.controller.document
        if self.selected is not None and (doc is None or self.selected not in doc.graph.nodes):
            self.selected = None
        self._on_state_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # ---------------------------------------------------------------- drawing
    def refresh(self) -> None:
        self._stale = False
        node, s = self.node_id, self.controller.stepper
        self._refresh_check_button()
        self.check_result.setText(self._check_text(node))
        if s is None or node is None or node not in s.graph.nodes:
            self.report = None
            why = f"The graph cannot run: {self.controller.problem}" if s is None and self.controller.problem else \
                "Select a node, or step (F10), to see its values and gradients."
            self.title.setText(why)
            for panel in (self.value_panel, self.grad_panel, self.new_panel):
                panel.set_array(None, "")
            self.formulas.setText("")
            return
        r = self.report = node_report(s, node)
        state = r.note or STATE_TEXT.get(r.state, r.state)
        self.title.setText(f"<b>{html.escape(node)}</b> ({html.escape(r.op_type)}) · {html.escape(state)}")
        computed = node in s.program.plans
        self.value_panel.set_array(r.value, node, title="Value (out)" if computed else "Value used in this step")
        grad_note = "" if r.grad is None or r.grad_complete else "partial: not every contribution has arrived"
        grad_title = f"Gradient ∂L/∂{node}" + (" (∂L/∂out in the formulas)" if computed else "")
        self.grad_panel.set_array(r.grad, f"∂L/∂{node}", grad_note, title=grad_title)
        self.new_panel.set_array(r.update.new if r.update is not None else None, node)
        self.formulas.setText(self._formulas_html(r))

    def _refresh_check_button(self) -> None:
        c = self.controller
        target = self.check_target()
        self.check_button.setEnabled(c.stepper is not None and not c.training_busy and not c.checking)
        if c.checking:
            self.check_button.setText("Checking…")
        else:
            self.check_button.setText(f"Check ∂L/∂{target}" if target else "Gradient check (all)")
        self.check_button.setToolTip(
            f"Compare backprop's gradient of {target} with central finite differences" if target else
            "Compare every gradient (parameters and nodes) with central finite differences; badges on the nodes")

    @staticmethod
    def _formulas_html(r: NodeReport) -> str:
        blocks = r.sections()
        if not blocks and r.state == "pending":
            blocks.append(("", ["The formulas appear once the forward step of this node has run."]))
        parts = []
        for title, lines in blocks:
            head = f"<b>{html.escape(title)}</b><br>" if title else ""
            body = "<br>".join(html.escape(line) for line in lines)
            parts.append(f"<p style='margin:2px 0 6px 0'>{head}{body}</p>")
        return "".join(parts)

    def _check_text(self, node: str | None) -> str:
        report = self.controller.checks.report
        if report is None:
            return ""
        mine = [e for e in report.entries if e.name == node]
        if mine:
            e = mine[0]
            ok = "agrees with finite differences" if e.passed else "DISAGREES with finite differences"
            sampled = f" over {e.checked:,} sampled of {e.numeric.size:,} elements" if e.sampled is not None else ""
            cut = report.rows < report.batch_rows
            rows = f", on the first {report.rows:,} of {report.batch_rows:,} rows" if cut else ""
            return (f"Gradient check of ∂L/∂{node}: {ok}, relative error {format_number(e.error, 3)}{sampled} "
                    f"(threshold {format_number(report.threshold)}{rows})")
        if len(report.entries) == 1:
            e = report.entries[0]
            return f"Last gradient check: only ∂L/∂{e.name}, which {'passes' if e.passed else 'FAILS'}"
        bad = report.failures()
        verdict = "all agree" if not bad else f"{len(bad)} {'disagrees' if len(bad) == 1 else 'disagree'}"
        return f"Last gradient check: {plural(len(report.entries), 'gradient')}, {verdict}"

    def formulas_text(self) -> str:
        """The formulas as plain text (what the label shows, without markup)."""
        return self.report.as_text() if self.report is not None else ""
