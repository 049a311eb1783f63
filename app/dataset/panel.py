"""The dataset editor: the fields (name, width, the Input nodes that read them), the rows in a
table over the arrays, generators, the held-out split, import and export, and a small preview.
Every change is an undoable command pushed on the document's stack; the panel redraws when the
graph says its dataset changed, never because it made the change itself."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.commands import RenameField, SetCell, SetDataset
from app.dataset.boxes import PercentBox, count_words
from app.dataset.files import DatasetFiles
from app.dataset.generator_box import GeneratorControls
from app.dataset.model import DatasetTableModel
from app.dataset.preview import PreviewPlot
from app.editor import style
from core.data import edit
from core.data.dataset import Dataset
from core.format import format_shape

ROW_HEIGHT = 22
MIN_PREVIEW_WIDTH = 120
MAX_GENERATED = 1_000_000
MAX_SEED = 999_999  # the seed boxes stay narrow; the file format takes any seed ≥ 0


def _button(text: str) -> QToolButton:
    """A push button as narrow as its text (the dock fits beside the canvas at 1024 pixels)."""
    button = QToolButton()
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


def _row(*widgets: QWidget, stretch: bool = False) -> QHBoxLayout:
    """The widgets side by side at their own widths and the rest of the row empty, or (``stretch``)
    the last one taking the rest."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    if stretch:
        row.setStretchFactor(widgets[-1], 1)
    else:
        row.addStretch(1)
    return row


def summary_text(dataset: Dataset | None) -> str:
    if dataset is None:
        return "No dataset: add an Input node, import a file or generate rows."
    if dataset.missing:
        return f"No rows: {dataset.missing_text()}. Locate it, or go on without its rows."
    if dataset.source is not None:
        origin = dataset.source.path.name
    elif dataset.edited_from is not None:
        origin = f"from {dataset.edited_from.path.name}, edited"
    else:
        origin = f"{dataset.generator} generator (seed {dataset.seed})" if dataset.generator else "the graph's own rows"
    rows = f"{dataset.rows:,} row{'s' if dataset.rows != 1 else ''}"
    if dataset.test_rows:
        rows += f" ({dataset.train_rows:,} training, {dataset.test_rows:,} held out)"
    fields = ", ".join(f"{k} {format_shape(v.shape)}" for k, v in dataset.fields.items())
    return f"{origin}: {rows}; {fields}"


class DatasetPanel(DatasetFiles):
    """Follows one document's dataset; ``imported`` (text) after a file became the dataset."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DatasetTableModel(self._on_cell_edit)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        box.addWidget(self.summary)
        self.locate_button = _button("Locate…")
        self.locate_button.setToolTip("Point the graph at the data file where it is now")
        locate = QHBoxLayout()
        locate.addWidget(self.locate_button)
        locate.addStretch(1)
        box.addLayout(locate)

        self.import_button = _button("Import…")
        self.import_button.setToolTip("Read a CSV file (choose its columns) or NumPy .npy/.npz arrays")
        self.export_button = _button("Export…")
        self.export_button.setToolTip("Write the rows as a CSV file")
        self.rows_button = _button("Rows")
        self.rows_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        rows_menu = QMenu(self.rows_button)
        self.add_action = rows_menu.addAction("Add Row")
        self.add_action.setToolTip("Insert a row after the selected one (a copy of it)")
        self.remove_action = rows_menu.addAction("Remove Selected Rows")
        self.rows_button.setMenu(rows_menu)
        box.addLayout(_row(self.import_button, self.export_button, self.rows_button))

        self.field_combo = QComboBox()
        self.field_combo.setToolTip("The field whose width and name the buttons beside it change")
        self.width_spin = QSpinBox()
        self.width_spin.setRange(0, 100_000)  # 0 only while no field is shown ("no field")
        self._width_words = count_words(self.width_spin, "column")
        self.width_spin.setKeyboardTracking(False)
        self.rename_button = _button("Rename…")
        self.rename_button.setToolTip("Rename the field; the Input nodes that read it follow")
        box.addLayout(_row(QLabel("Field"), self.field_combo, stretch=True))
        box.addLayout(_row(self.width_spin, self.rename_button))  # own row: the dock is as narrow as the inspector
        self.readers = QLabel()
        self.readers.setWordWrap(True)
        box.addWidget(self.readers)

        self.generate_button = _button("Generate")
        self.generate_button.setToolTip("Replace the rows with a generator's (x and t)")
        self.generator = GeneratorControls(self.generate_button, MAX_GENERATED, MAX_SEED)
        self.generator_combo = self.generator.combo
        self.size_spin, self.seed_spin = self.generator.size_spin, self.generator.seed_spin
        box.addLayout(_row(QLabel("Generator"), self.generator_combo, stretch=True))
        self.generator_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.generator_combo.setMinimumContentsLength(8)  # a narrow dock elides "Choose a generator…"
        box.addLayout(_row(self.size_spin))  # one or two boxes a row: the whole row fits the inspector's width
        box.addLayout(_row(self.seed_spin, self.generate_button))

        self.fraction_spin = PercentBox()
        self.fraction_spin.setKeyboardTracking(False)
        self.fraction_spin.setToolTip("The share of the rows kept out of training (shaded in the table)")
        self.split_seed_spin = QSpinBox()
        self.split_seed_spin.setRange(0, MAX_SEED)
        self.split_seed_spin.setPrefix("seed ")
        self.split_seed_spin.setKeyboardTracking(False)
        self.split_seed_spin.setToolTip("The seed of the draw that picks the held-out rows")
        box.addLayout(_row(QLabel("Held out"), self.fraction_spin))
        box.addLayout(_row(QLabel("drawn with"), self.split_seed_spin))
        box.addWidget(self.fraction_spin.note)  # says when a typed share was past the maximum
        for label in (self.summary, self.readers, self.fraction_spin.note):  # wrap at the dock's width, never widen it
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(60)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # a million rows: no per-row sizing
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview = PreviewPlot()
        self.preview.setMinimumWidth(MIN_PREVIEW_WIDTH)  # a plot's own minimum would widen the dock
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setSizes([400, 180])
        box.addWidget(splitter, 1)

        self.locate_button.clicked.connect(self.ask_locate)
        self.import_button.clicked.connect(self.ask_import)
        self.export_button.clicked.connect(self.ask_export)
        self.add_action.triggered.connect(self.add_row)
        self.remove_action.triggered.connect(self.remove_selected_rows)
        self.generate_button.clicked.connect(self.generate)
        self.rename_button.clicked.connect(self.ask_rename)
        self.width_spin.valueChanged.connect(self._on_width)
        self.fraction_spin.valueChanged.connect(self._on_split)
        self.split_seed_spin.valueChanged.connect(self._on_split)
        self.field_combo.currentIndexChanged.connect(self._show_field)
        self.refresh()

    # ------------------------------------------------------------ following
    def set_document(self, document: Any) -> None:
        if self.document is not None:
            bridge = self.document.bridge
            for signal in (bridge.datasetChanged, bridge.nodeAdded, bridge.nodeRemoved, bridge.attrChanged):
                signal.disconnect(self._on_graph_changed)
        self.loader.cancel()
        self.document = document
        bridge = document.bridge
        for signal in (bridge.datasetChanged, bridge.nodeAdded, bridge.nodeRemoved, bridge.attrChanged):
            signal.connect(self._on_graph_changed)
        self.refresh()

    @property
    def dataset(self) -> Dataset | None:  # the files' part reads it too
        return self.document.graph.dataset if self.document is not None else None

    def _on_graph_changed(self, *_args: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        dataset = self.dataset
        self.model.set_dataset(dataset)
        self.summary.setText(summary_text(dataset))
        self.generator.show(dataset)
        if dataset is not None and self.preview.dataset is not dataset or dataset is None:
            self.preview.set_dataset(dataset)
        else:
            self.preview.redraw()
        current = self.field_combo.currentText()
        self.field_combo.blockSignals(True)
        self.field_combo.clear()
        if dataset is not None:
            self.field_combo.addItems(list(dataset.fields))
            if current in dataset.fields:
                self.field_combo.setCurrentText(current)
        self.field_combo.blockSignals(False)
        for spin in (self.fraction_spin, self.split_seed_spin):
            spin.blockSignals(True)
        self.fraction_spin.setValue(100.0 * dataset.test_fraction if dataset else 0.0)
        self.split_seed_spin.setValue(dataset.split_seed if dataset else 0)
        for spin in (self.fraction_spin, self.split_seed_spin):
            spin.blockSignals(False)
        missing = dataset is not None and dataset.missing
        self.summary.setStyleSheet(f"color: {style.PROBLEM.name()};" if missing else "")
        self.locate_button.setVisible(missing)
        has = dataset is not None and not missing
        for w in (self.export_button, self.rows_button, self.width_spin, self.fraction_spin,
                  self.split_seed_spin, self.rename_button):
            w.setEnabled(has)
        self._show_field()

    def _show_field(self) -> None:
        dataset, name = self.dataset, self.field_combo.currentText()
        arr = dataset.fields.get(name) if dataset is not None else None
        self.width_spin.blockSignals(True)  # no edit: the suffix's word follows below
        self.width_spin.setMinimum(1 if arr is not None else 0)  # 0 reads "no field": nothing left of another
        self.width_spin.setSpecialValueText("" if arr is not None else "no field")  # shown at the minimum
        self.width_spin.setValue(arr.reshape(arr.shape[0], -1).shape[1] if arr is not None else 0)
        self.width_spin.blockSignals(False)
        self._width_words()
        if arr is None:
            self.readers.setText("")
            return
        graph = self.document.graph
        readers = [n.id for n in graph.nodes.values() if n.op_type == "Input" and n.attrs.get("field") == name]
        self.readers.setText(f"read by {', '.join(readers)}" if readers else "read by no Input node")

    # ------------------------------------------------------------ commands
    def push(self, command: Any) -> None:
        self.document.undo_stack.push(command)

    def _on_cell_edit(self, field: str, row: int, col: int, value: float) -> None:
        self.push(SetCell(self.document, field, row, col, value))

    def _replace(self, make: Any, text: str) -> bool:
        try:
            new = make()
        except ValueError as exc:
            self.show_error("Cannot change the dataset", str(exc))
            return False
        self.push(SetDataset(self.document, new, text))
        return True

    def add_row(self) -> None:
        dataset = self.dataset
        if dataset is None:
            return
        rows = self.selected_rows()
        at = rows[-1] + 1 if rows else dataset.rows
        self._replace(lambda: edit.add_rows(dataset, at), f"Add row {at + 1}")

    def remove_selected_rows(self) -> None:
        dataset, rows = self.dataset, self.selected_rows()
        if dataset is None or not rows:
            return
        self._replace(lambda: edit.remove_rows(dataset, rows), f"Remove {len(rows)} row{'s' if len(rows) != 1 else ''}")

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})

    def _on_width(self, width: int) -> None:
        dataset, name = self.dataset, self.field_combo.currentText()
        if dataset is None or name not in dataset.fields:
            return
        text = f"Set {name} to {width} column{'s' if width != 1 else ''}"
        self._replace(lambda: edit.set_width(dataset, name, width), text)

    def _on_split(self, *_args: object) -> None:
        dataset = self.dataset
        if dataset is None:
            return
        fraction = round(self.fraction_spin.value() / 100.0, 4)
        seed = self.split_seed_spin.value()
        if (fraction, seed) == (dataset.test_fraction, dataset.split_seed):
            return
        text = f"Hold out {fraction:.1%} (seed {seed})"
        if not self._replace(lambda: edit.with_split(dataset, fraction, seed), text):
            self.refresh()

    def ask_rename(self) -> None:
        old = self.field_combo.currentText()
        if self.dataset is None or not old:
            return
        new = self.ask_field_name(old)
        if new and new != old:
            self.rename_field(old, new)

    def rename_field(self, old: str, new: str) -> None:
        try:
            command = RenameField(self.document, old, new)
        except ValueError as exc:
            self.show_error("Cannot rename the field", str(exc))
            return
        self.push(command)
        self.field_combo.setCurrentText(new)

    def generate(self) -> None:
        choice = self.generator.choice()
        if choice is None:
            return
        name, size, seed = choice
        self._replace(lambda: Dataset.generate(name, size, seed), f"Generate {size:,} {name} rows")
