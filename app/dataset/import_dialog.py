"""The CSV import dialog: the layout found (delimiter, decimal mark, header), a preview of the
first rows, which column feeds which field (a label column becomes one-hot rows or class
indices), and the held-out fraction with its seed. It reads nothing itself: ``mapping()`` says
what to read."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.dataset.boxes import PercentBox
from core.data.csvfile import INDEX, ONE_HOT, ColumnMapping, LabelColumn, Layout, default_mapping

FEATURE, TARGET, LABEL_ONE_HOT, LABEL_INDEX, IGNORE = "feature", "target", "one-hot", "index", "ignore"
ROLES = {
    FEATURE: "features (x)",
    TARGET: "target numbers (t)",
    LABEL_ONE_HOT: "label → one-hot (t)",
    LABEL_INDEX: "label → class index (t)",
    IGNORE: "ignore",
}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


class CsvImportDialog(QDialog):
    """Choose how a CSV file becomes the dataset; ``mapping()``, ``test_fraction()`` and
    ``split_seed()`` give the answer after ``exec()``."""

    def __init__(self, layout: Layout, test_fraction: float = 0.0, split_seed: int = 0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = layout
        self.setWindowTitle(f"Import {layout.path.name}")
        self.resize(760, 560)
        box = QVBoxLayout(self)
        delimiter = DELIMITERS.get(layout.delimiter, repr(layout.delimiter))
        found = (f"{len(layout.columns)} columns, delimiter: {delimiter}, "
                 f"decimal mark: '{layout.decimal}', "
                 + ("the first line names the columns" if layout.header else "no header line (columns numbered)"))
        self.found = QLabel(found)
        self.found.setWordWrap(True)
        box.addWidget(self.found)

        box.addWidget(QLabel("First rows:"))
        self.preview = QTableWidget(len(layout.preview), len(layout.columns))
        self.preview.setHorizontalHeaderLabels(list(layout.columns))
        for r, row in enumerate(layout.preview):
            for c, cell in enumerate(row[: len(layout.columns)]):
                self.preview.setItem(r, c, QTableWidgetItem(cell))
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        box.addWidget(self.preview, 2)

        box.addWidget(QLabel("Which column feeds which field:"))
        self.roles = QTableWidget(len(layout.columns), 2)
        self.roles.setHorizontalHeaderLabels(["column", "becomes"])
        self.roles.verticalHeader().hide()
        guess = default_mapping(layout)
        guessed = {c: FEATURE for c in guess.fields.get("x", ())}  # core.data.csvfile.guess_target says why
        guessed.update({c: TARGET for c in guess.fields.get("t", ())})
        guessed.update({lab.column: LABEL_ONE_HOT for lab in guess.labels.values()})
        self.combos: list[QComboBox] = []
        for i, name in enumerate(layout.columns):
            self.roles.setItem(i, 0, QTableWidgetItem(name))
            combo = QComboBox()
            for key, text in ROLES.items():
                combo.addItem(text, key)
            combo.setCurrentIndex(list(ROLES).index(guessed.get(name, IGNORE)))
            combo.currentIndexChanged.connect(self._check)
            self.roles.setCellWidget(i, 1, combo)
            self.combos.append(combo)
        self.roles.resizeColumnsToContents()
        box.addWidget(self.roles, 2)

        form = QFormLayout()
        names = QHBoxLayout()
        self.x_name, self.t_name = QLineEdit("x"), QLineEdit("t")
        for text, edit in (("features field", self.x_name), ("target field", self.t_name)):
            names.addWidget(QLabel(text))
            names.addWidget(edit)
            edit.textChanged.connect(self._check)
        form.addRow("Field names:", names)
        split = QHBoxLayout()
        self.fraction = PercentBox()
        self.fraction.setValue(100.0 * test_fraction)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(split_seed)
        split.addWidget(self.fraction)
        split.addWidget(QLabel("seed"))
        split.addWidget(self.seed)
        form.addRow("Held out:", split)
        form.addRow("", self.fraction.note)
        box.addLayout(form)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        box.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self._check()

    def accept(self) -> None:
        if self.fraction.take_new_note():  # Return ended a share past the maximum: read the note first
            return
        super().accept()

    def set_role(self, column: str, role: str) -> None:
        self.combos[self.layout_.columns.index(column)].setCurrentIndex(list(ROLES).index(role))

    def role(self, column: str) -> str:
        return str(self.combos[self.layout_.columns.index(column)].currentData())

    def problem_text(self) -> str:
        """Why the choice cannot be imported, or ""."""
        roles = [str(c.currentData()) for c in self.combos]
        x, t = self.x_name.text().strip(), self.t_name.text().strip()
        labels = [r for r in roles if r in (LABEL_ONE_HOT, LABEL_INDEX)]
        if not x or not t or x == t:
            return "give the two fields different names"
        if FEATURE not in roles and TARGET not in roles and not labels:
            return "choose at least one column to import"
        if len(labels) > 1:
            return "only one column can be the label"
        if labels and TARGET in roles:
            return "the target is either a label column or number columns, not both"
        return ""

    def _check(self) -> None:
        text = self.problem_text()
        self.problem.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not text)

    def mapping(self) -> ColumnMapping:
        cols = self.layout_.columns
        x, t = self.x_name.text().strip(), self.t_name.text().strip()
        by_role: dict[str, list[str]] = {}
        for name, combo in zip(cols, self.combos):
            by_role.setdefault(str(combo.currentData()), []).append(name)
        fields = {}
        if by_role.get(FEATURE):
            fields[x] = tuple(by_role[FEATURE])
        if by_role.get(TARGET):
            fields[t] = tuple(by_role[TARGET])
        labels = {}
        for role, encoding in ((LABEL_ONE_HOT, ONE_HOT), (LABEL_INDEX, INDEX)):
            if by_role.get(role):
                labels[t] = LabelColumn(by_role[role][0], encoding)
        return ColumnMapping(fields, labels)

    def test_fraction(self) -> float:
        return round(self.fraction.value() / 100.0, 4)

    def split_seed(self) -> int:
        return self.seed.value()
