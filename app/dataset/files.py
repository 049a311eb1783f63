"""The dataset panel's files: importing a CSV file (through its dialog) or NumPy arrays, locating
a graph's CSV file that moved, exporting the rows as CSV, all read or written off the GUI thread
with progress and cancel, and the questions the panel asks (tests answer them).
:class:`DatasetPanel` builds on it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QProgressDialog, QWidget

from app.commands import SetDataset
from app.dataset.import_dialog import CsvImportDialog
from app.dataset.loader import DataLoader
from app.window import file_dialogs
from core.data.csvfile import DataError, detect
from core.data.dataset import Dataset
from core.data.sources import csv_dataset, numpy_fields, write_csv

DATA_FILTER = "Data files (*.csv *.tsv *.txt *.npy *.npz);;CSV files (*.csv *.tsv *.txt);;NumPy arrays (*.npy *.npz)"


class DatasetFiles(QWidget):
    """The files' part of the dataset panel: ``imported`` (the file's name) after a file became
    the dataset, ``importFailed`` (the message), ``exported`` (the path) after the rows were written."""

    imported = Signal(str)
    importFailed = Signal(str)
    exported = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Any = None
        self.loader = DataLoader(self)
        self.loader.finished.connect(self._on_job_done)
        self.loader.failed.connect(self._on_job_failed)
        self._failure_title = ""
        self._progress: QProgressDialog | None = None

    @property
    def dataset(self) -> Dataset | None:
        raise NotImplementedError

    def push(self, command: Any) -> None:
        raise NotImplementedError

    def ask_import(self) -> None:
        path = self.ask_open_path()
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """A .npy/.npz file at once; a CSV file through the import dialog. The rows are read on a
        worker thread; the dataset changes only when all of them were read."""
        if self.loader.busy:
            return
        dataset = self.dataset
        fraction, seed = (dataset.test_fraction, dataset.split_seed) if dataset is not None else (0.0, 0)
        if path.suffix.lower() in (".npy", ".npz"):
            self.start_loading(path.name, lambda: Dataset(numpy_fields(path), test_fraction=fraction, split_seed=seed))
            return
        try:
            layout = detect(path)
        except DataError as exc:
            self._failure_title = "Cannot import the data"
            self._on_job_failed(str(exc))
            return
        dialog = CsvImportDialog(layout, fraction, seed, self)
        if not self.confirm_import(dialog):
            return
        mapping, fraction, seed = dialog.mapping(), dialog.test_fraction(), dialog.split_seed()
        self.start_loading(path.name, lambda: csv_dataset(path, mapping, fraction, seed, layout))

    def ask_locate(self) -> None:
        """Locate…: where the missing data file of the dataset is now."""
        dataset = self.dataset
        if dataset is None or not dataset.missing or dataset.source is None:
            return
        path = self.ask_locate_path(dataset.source.path)
        if path:
            self.locate(Path(path))

    def locate(self, path: Path) -> None:
        """Read the missing data file's rows from ``path`` with the graph's column mapping and held-out
        split (off the GUI thread); one undoable step makes them the dataset, which saving then
        refers to at ``path``."""
        dataset = self.dataset
        if dataset is None or dataset.source is None or self.loader.busy:
            return
        mapping, fraction, seed = dataset.source.mapping, dataset.test_fraction, dataset.split_seed
        self._start_job(f"Reading {path.name}…", "Cannot import the data", path.name,
                        lambda: ("locate", csv_dataset(path, mapping, fraction, seed)))

    def start_loading(self, name: str, read: Any) -> None:
        """Read a dataset with ``read()`` off the GUI thread; it becomes the graph's when all is read."""
        self._start_job(f"Reading {name}…", "Cannot import the data", name, lambda: ("import", read()))

    def _start_job(self, label: str, failure_title: str, name: str, work: Any) -> None:
        self._failure_title = failure_title
        self._progress = QProgressDialog(label, "Cancel", 0, 0, self)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(400)
        self._progress.canceled.connect(self.loader.cancel)
        self.loader.start(name, work)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None

    def _on_job_done(self, result: tuple[str, Any], name: str) -> None:
        self._close_progress()
        kind, value = result
        if kind in ("import", "locate"):
            self.push(SetDataset(self.document, value, f"{kind.capitalize()} {name}"))
            self.imported.emit(name)
        else:
            self.exported.emit(name)

    def _on_job_failed(self, message: str) -> None:
        self._close_progress()
        if self._failure_title.startswith("Cannot import"):
            self.importFailed.emit(message)
        self.show_error(self._failure_title, message)

    def ask_export(self) -> None:
        dataset = self.dataset
        if dataset is None:
            return
        path = self.ask_save_path()
        if not path or self.loader.busy:
            return
        name = Path(path).name

        def export() -> tuple[str, str]:
            write_csv(dataset, path)
            return ("export", path)

        self._start_job(f"Writing {name}…", "Cannot export the dataset", name, export)

    # ------------------------------------------- questions (tests answer them)
    def ask_open_path(self) -> str:
        return file_dialogs.open_path(self, "Import Data", "", DATA_FILTER)

    def ask_locate_path(self, missing: Path) -> str:
        folder = next((p for p in missing.parents if p.is_dir()), Path.home())  # its folder, if still there
        return file_dialogs.open_path(self, f"Locate {missing.name}", str(folder),
                                      "CSV files (*.csv *.tsv *.txt);;All files (*)")

    def ask_save_path(self) -> str:
        return file_dialogs.save_path(self, "Export Dataset as CSV", "dataset.csv", "CSV files (*.csv)")

    def ask_field_name(self, old: str) -> str:
        text, ok = QInputDialog.getText(self, "Rename Field", f"New name for the field {old}:", text=old)
        return text.strip() if ok else ""

    def confirm_import(self, dialog: CsvImportDialog) -> bool:
        return dialog.exec() == CsvImportDialog.DialogCode.Accepted

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.critical(self, title, text)
