"""The inspector with nothing selected: the graph's name, description, objective, data and settings."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.inspector.objective_choice import ObjectiveChoices, show_choices
from app.inspector.wrap_label import WrapLabel
from core.data.dataset import Dataset
from core.format import format_shape
from core.graph import Graph, Problem
from core.settings import TrainingSettings
from core.validation import validate

SHORT_DESCRIPTION = 160  # characters shown before "more"


def dataset_summary(dataset: Dataset | None) -> str:
    if dataset is None:
        return "none"
    if dataset.missing and dataset.source is not None:
        return f"{dataset.source.path.name} is missing: no rows (Locate… in the Dataset tab)"
    fields = ", ".join(f"{name} ({format_shape(arr.shape)})" for name, arr in dataset.fields.items())
    rows = f"{dataset.rows:,} row{'s' if dataset.rows != 1 else ''}"
    if dataset.test_rows:
        rows += f" ({dataset.test_rows:,} held out)"
    if dataset.generator:
        return f"{dataset.generator} generator, {rows}, seed {dataset.seed}: {fields}"
    if dataset.source is not None:
        return f"{dataset.source.path.name}, {rows}: {fields}"
    return f"{rows}: {fields}"


def settings_summary(settings: TrainingSettings) -> str:
    batch = "full batch" if settings.batch_size <= 0 else f"batch {settings.batch_size}"
    parts = [settings.optimizer.upper() if settings.optimizer == "sgd" else settings.optimizer.capitalize(),
             f"learning rate {settings.learning_rate:g}",
             f"{settings.steps:,} update{'' if settings.steps == 1 else 's'}", batch, f"seed {settings.seed}"]
    if settings.optimizer == "momentum":
        parts.insert(2, f"momentum {settings.momentum:g}")
    elif settings.optimizer == "adam":
        parts.insert(2, f"β₁ {settings.beta1:g}, β₂ {settings.beta2:g}")
    return ", ".join(parts)


def objective_summary(graph: Graph, found: str | None) -> str:
    """How the objective ``found`` (``graph.objective_id()``) was chosen."""
    if found is None:
        return "none (add a loss node)"
    node = graph.nodes.get(found)
    label = node.label() if node else found
    return label if graph.objective is not None else f"{label}, found automatically"


def _wrapping(text: str = "") -> QLabel:
    label = WrapLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class GraphPanel(QWidget):
    """A summary of the whole graph, shown when no single node is selected.

    The objective can be chosen here: ``objectiveChosen(node id or None)`` asks for it.
    """

    objectiveChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = _wrapping()
        self.name.setObjectName("inspectorTitle")
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.description = _wrapping()
        self.description.setObjectName("inspectorDoc")
        self.description.setTextFormat(Qt.TextFormat.RichText)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                 | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.description.linkActivated.connect(lambda link: self._show_description(link == "more"))
        self._description = ""
        self.counts = _wrapping()
        self.objective_choice = QComboBox()
        self._choices = ObjectiveChoices(self.objective_choice)
        self.objective_choice.setModel(self._choices)
        self.objective_choice.activated.connect(self._on_objective)
        self.objective_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.objective_choice.setMinimumContentsLength(12)
        self.dataset = _wrapping()
        self.settings = _wrapping()
        self.problems = _wrapping()
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.hint = _wrapping("Select a node to edit its attributes and values.")
        self.hint.setObjectName("inspectorHint")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Nodes:", self.counts)
        form.addRow("Objective:", self.objective_choice)
        form.addRow("Dataset:", self.dataset)
        form.addRow("Training:", self.settings)
        form.addRow("Problems:", self.problems)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name)
        layout.addWidget(self.description)
        layout.addLayout(form)
        layout.addWidget(self.hint)

    def _show_description(self, expanded: bool) -> None:
        text = self._description
        self.description.setVisible(bool(text))
        self.description.setToolTip("")
        if len(text) <= SHORT_DESCRIPTION:
            self.description.setText(html.escape(text, quote=False))
            return
        if expanded:
            self.description.setText(f"{html.escape(text, quote=False)} <a href='less'>less</a>")
        else:
            cut = text.rfind(" ", 0, SHORT_DESCRIPTION)
            short = text[: cut if cut > 0 else SHORT_DESCRIPTION].rstrip(" ,;:")
            self.description.setText(f"{html.escape(short, quote=False)}… <a href='more'>more</a>")

    def _on_objective(self, index: int) -> None:
        self.objectiveChosen.emit(self.objective_choice.itemData(index))

    def show_graph(self, graph: Graph, title: str = "", problems: list[Problem] | None = None) -> None:
        """Show ``graph``'s summary; ``problems``: its validation, when already made."""
        self.name.setText(graph.name or title or "Untitled graph")
        self._description = graph.description
        self._show_description(expanded=False)
        params = len(graph.parameters())
        plural = "s" if params != 1 else ""
        self.counts.setText(f"{len(graph.nodes)} nodes, {len(graph.edges)} edges, {params} parameter{plural}")
        objective = graph.objective_id()
        self.objective_choice.setToolTip(f"The backward pass starts from: {objective_summary(graph, objective)}")
        show_choices(self.objective_choice, self._choices, graph, objective)
        self.dataset.setText(dataset_summary(graph.dataset))
        self.settings.setText(settings_summary(graph.settings))
        found = validate(graph) if problems is None else problems
        if not found:
            self.problems.setText("none")
        else:
            items = "".join(f"<li>{html.escape(p.message, quote=False)}</li>" for p in found[:8])
            more = f"<li>… and {len(found) - 8} more</li>" if len(found) > 8 else ""
            count = f"<span style='color:#b00020'>{len(found)}</span>"
            self.problems.setText(f"{count}<ul style='margin:0'>{items}{more}</ul>")
