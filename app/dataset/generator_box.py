"""The dataset editor's generator controls (which generator, how many rows, which seed, Generate).
They show the dataset's own generator, size and seed when it was generated, and make no claim
when the rows are the graph's own or a file's: the box then reads "Choose a generator…" and
Generate waits until one is chosen."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSpinBox, QToolButton

from app.dataset.boxes import count_words
from core.data.dataset import GENERATORS, Dataset

CHOOSE = "Choose a generator…"
DEFAULT_SIZE = 200


class GeneratorControls:
    """The combo box, the size and seed boxes and the Generate button, kept in step with a dataset."""

    def __init__(self, generate_button: QToolButton, max_size: int, max_seed: int) -> None:
        self.button = generate_button
        self.combo = QComboBox()
        self.combo.addItem(CHOOSE)
        self.combo.addItems(sorted(GENERATORS))
        self.size_spin, self.seed_spin = QSpinBox(), QSpinBox()
        self.size_spin.setRange(1, max_size)
        self.size_spin.setValue(DEFAULT_SIZE)
        count_words(self.size_spin, "row")
        self.seed_spin.setRange(0, max_seed)
        self.seed_spin.setPrefix("seed ")
        self._shown: Dataset | None = None
        self._first = True
        self.combo.currentIndexChanged.connect(self._enable)
        self._enable()

    def show(self, dataset: Dataset | None) -> None:
        """Show what made ``dataset`` (only when the dataset is another one than last shown, so a
        choice being made survives unrelated edits of the graph)."""
        if dataset is self._shown and not self._first:
            return
        self._shown, self._first = dataset, False
        made_by = dataset.generator if dataset is not None else None
        self.combo.setCurrentText(made_by if made_by in GENERATORS and made_by else CHOOSE)
        if dataset is not None and made_by in GENERATORS:
            self.size_spin.setValue(dataset.size)
            self.seed_spin.setValue(dataset.seed)
        else:
            self.size_spin.setValue(dataset.rows if dataset is not None else DEFAULT_SIZE)
            self.seed_spin.setValue(0)
        self._enable()

    def choice(self) -> tuple[str, int, int] | None:
        """(generator, size, seed), or None while no generator is chosen."""
        if self.combo.currentIndex() == 0:
            return None
        return self.combo.currentText(), self.size_spin.value(), self.seed_spin.value()

    def _enable(self) -> None:
        chosen = self.combo.currentIndex() > 0
        for w in (self.size_spin, self.seed_spin, self.button):
            w.setEnabled(chosen)
