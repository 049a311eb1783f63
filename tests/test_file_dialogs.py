"""The file dialogs never read a file's contents: typing ``/proc`` in Save As froze the window for
good (Qt's icon provider sniffed ``/proc/kmsg`` on the GUI thread). Every dialog is made by
``app.window.file_dialogs``, whose icon provider names a file by its name only."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QFileInfo
from PySide6.QtWidgets import QDialog, QFileDialog, QFileIconProvider, QFileSystemModel

from app.window import file_dialogs
from app.window.file_dialogs import NameOnlyIcons

ROOT = Path(__file__).resolve().parent.parent
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"  # a PDF's first bytes, in a file whose name says nothing


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "blob").write_bytes(PDF_BYTES)
    (tmp_path / "rows.csv").write_text("x,y\n1,2\n")
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "pipe")  # a read of it blocks until someone writes
    return tmp_path


def test_qt_s_own_provider_reads_contents_and_ours_does_not(qapp, folder):
    blob = QFileInfo(str(folder / "blob"))
    assert QFileIconProvider().type(blob) == "PDF document"  # Qt read the bytes: what froze on /proc/kmsg
    ours = NameOnlyIcons()
    assert "PDF" not in ours.type(blob)
    assert ours.type(QFileInfo(str(folder / "rows.csv"))) == "CSV document"  # by its extension
    assert ours.type(QFileInfo(str(folder / "sub"))) == "Folder"
    assert ours.type(QFileInfo(str(folder / "pipe"))) == "Special file"
    assert not ours.icon(QFileInfo(str(folder / "pipe"))).isNull()
    assert not ours.icon(QFileIconProvider.IconType.Folder).isNull()  # Qt's other overload still answers


def test_a_dialog_lists_a_folder_by_names_only(qtbot, folder):
    dialog = file_dialogs.make_dialog(None, "Open Graph", str(folder), "All files (*)")
    qtbot.addWidget(dialog)
    assert dialog.iconProvider() is file_dialogs.icon_provider()
    assert dialog.testOption(QFileDialog.Option.DontUseCustomDirectoryIcons)
    model = dialog.findChild(QFileSystemModel)
    assert model is not None and model.iconProvider() is file_dialogs.icon_provider()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.show()

    def typed(name: str) -> str:
        index = model.index(str(folder / name))
        return str(model.data(index.siblingAtColumn(2)) or "") if index.isValid() else ""

    qtbot.waitUntil(lambda: typed("blob") != "" and typed("pipe") != "" and typed("rows.csv") != "")
    assert "PDF" not in typed("blob")
    assert typed("rows.csv") == "CSV document"
    dialog.reject()


def _record_dialogs(monkeypatch) -> list[QFileDialog]:
    made: list[QFileDialog] = []

    def cancel(self: QDialog) -> int:
        assert isinstance(self, QFileDialog)
        made.append(self)
        return 0

    monkeypatch.setattr(QDialog, "exec", cancel)
    return made


def test_every_question_for_a_path_uses_the_name_only_dialog(workbench, monkeypatch, tmp_path):
    window = workbench()
    made = _record_dialogs(monkeypatch)
    assert window._ask_open_path(tmp_path) == ""
    assert window._ask_save_path("Save Graph As", str(tmp_path / "g.json"), "Workbench graphs (*.json)") == ""
    assert window._ask_export_path("Export", str(tmp_path / "g.py"), "Python (*.py)") == ""
    assert window.dataset_panel.ask_open_path() == ""
    assert window.dataset_panel.ask_save_path() == ""
    window.training.plots.loss.ask_export_png()
    assert window.debugger.export_images() == []
    assert [d.windowTitle() for d in made] == ["Open Graph", "Save Graph As", "Export", "Import Data",
                                               "Export Dataset as CSV", "Export the loss plot",
                                               "Export Step Images to Folder"]
    assert all(d.iconProvider() is file_dialogs.icon_provider() for d in made)
    save_as = made[1]
    assert save_as.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert save_as.selectedFiles() == [str(tmp_path / "g.json")]  # the suggested name is filled in
    assert made[2].testOption(QFileDialog.Option.DontConfirmOverwrite)  # the export asks itself
    assert made[6].fileMode() == QFileDialog.FileMode.Directory


def test_no_module_makes_a_file_dialog_of_its_own():
    makers = re.compile(r"QFileDialog\.get|QFileDialog\(")
    found = [str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py")
             if p.name != "file_dialogs.py" and makers.search(p.read_text(encoding="utf-8"))]
    assert found == []
