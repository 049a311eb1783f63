"""Exercise ▸ Choose Questions…: which steps are asked and the tolerance, saved with the file."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.exercise.commands import SetExercise
from core.exercise import ASK_KINDS, ASK_TEXT, ExerciseSpec


class QuestionsDialog(QDialog):
    def __init__(self, graph: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Exercise questions")
        spec = ExerciseSpec.of(graph)
        self.ask = QComboBox(self)
        for kind in ASK_KINDS:
            self.ask.addItem(ASK_TEXT[kind].capitalize(), kind)
        self.ask.setCurrentIndex(ASK_KINDS.index(spec.ask) if spec.ask in ASK_KINDS else 0)
        self.nodes = QListWidget(self)
        for node in graph.nodes.values():
            if not node.op.is_leaf:
                item = QListWidgetItem(node.id, self.nodes)
                item.setCheckState(Qt.CheckState.Checked if node.id in spec.nodes else Qt.CheckState.Unchecked)
        self.tolerance = QDoubleSpinBox(self)
        self.tolerance.setDecimals(6)
        self.tolerance.setRange(1e-6, 0.5)
        self.tolerance.setSingleStep(1e-3)
        self.tolerance.setValue(spec.tolerance)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Ask", self.ask)
        form.addRow("Hand-picked nodes", self.nodes)
        form.addRow("Relative tolerance", self.tolerance)
        form.addRow(buttons)
        self.ask.currentIndexChanged.connect(self._follow)
        self._follow()

    def _follow(self) -> None:
        self.nodes.setEnabled(self.ask.currentData() == "nodes")

    def spec(self) -> ExerciseSpec:
        picked = tuple(self.nodes.item(i).text() for i in range(self.nodes.count())
                       if self.nodes.item(i).checkState() == Qt.CheckState.Checked)
        kind = str(self.ask.currentData())
        return ExerciseSpec(kind, picked if kind == "nodes" else (), round(self.tolerance.value(), 6))


def choose_questions(window: Any) -> None:
    doc = window.document
    dialog = QuestionsDialog(doc.graph, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    spec = dialog.spec()
    if spec.ask == "nodes" and not spec.nodes:
        window.show_status("Pick at least one node for an exercise of hand-picked nodes")
        return
    doc.undo_stack.push(SetExercise(doc, spec))
    window.show_status(f"The exercise now {spec.describe()} (saved with the file)")
