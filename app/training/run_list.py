"""The runs of the session as a list: a checkbox shows or hides each curve; Remove and Clear."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.training.runs import Run
from app.training.session import TrainingSession

NUMBER_ROLE = Qt.ItemDataRole.UserRole


def swatch(hex_colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(hex_colour))
    return QIcon(pixmap)


class RunList(QWidget):
    """Follows the session's runs; edits go back to the session."""

    def __init__(self, session: TrainingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.list = QListWidget()
        self.list.setObjectName("trainingRunList")
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setToolTip("Runs of this session: untick to hide a curve")
        self.list.setWordWrap(True)
        self.list.setMinimumWidth(120)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected runs")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Remove every run (except one in progress)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._items: dict[int, QListWidgetItem] = {}
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button.clicked.connect(session.clear_runs)
        session.runsChanged.connect(self.sync)
        session.stateChanged.connect(self._update_buttons)
        self.sync()

    def item(self, run: Run) -> QListWidgetItem:
        return self._items[run.number]

    def sync(self) -> None:
        """Add, remove and relabel items to match the session's runs."""
        labels = self.session.labels()
        self.list.blockSignals(True)
        try:
            for number in [n for n in self._items if n not in labels]:
                self.list.takeItem(self.list.row(self._items.pop(number)))
            for run in self.session.runs:
                item = self._items.get(run.number)
                if item is None:
                    item = QListWidgetItem(swatch(run.colour), "")
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setData(NUMBER_ROLE, run.number)
                    self.list.addItem(item)
                    self._items[run.number] = item
                item.setText(labels[run.number])
                label = labels[run.number]
                item.setToolTip(f"{label} ({run.source}, {run.status})" if run.source else label)
                item.setCheckState(Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked)
        finally:
            self.list.blockSignals(False)
        self._update_buttons()

    def remove_selected(self) -> None:
        chosen = {item.data(NUMBER_ROLE) for item in self.list.selectedItems()}
        for run in [r for r in self.session.runs if r.number in chosen]:
            self.session.remove_run(run)

    def _run_of(self, item: QListWidgetItem) -> Run | None:
        number = item.data(NUMBER_ROLE)
        return next((r for r in self.session.runs if r.number == number), None)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        run = self._run_of(item)
        if run is not None:
            self.session.set_visible(run, item.checkState() == Qt.CheckState.Checked)

    def _update_buttons(self, *_args: object) -> None:
        current = self.session.current
        chosen = [self._run_of(i) for i in self.list.selectedItems()]
        self.remove_button.setEnabled(any(r is not None and r is not current for r in chosen))
        self.clear_button.setEnabled(any(r is not current for r in self.session.runs))
