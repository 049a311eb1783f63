"""The shared guard (``no_unanswered_dialogs`` in conftest.py) answers the workbench's own file
dialogs, which app.window.file_dialogs makes and runs with ``exec``: a test that opens one gets
Cancel and fails. So no test file patches ``QFileDialog``'s static functions itself: the window
never calls them, and such a patch would block nothing."""
from __future__ import annotations

import re
from pathlib import Path

from training_helpers import make_ui, open_example

from app.window import file_dialogs

TESTS = Path(__file__).resolve().parent


def test_the_guard_answers_every_dialog_the_factory_makes(qapp, no_unanswered_dialogs) -> None:
    shown = no_unanswered_dialogs
    assert file_dialogs.save_path(None, "Export the runs", "runs.csv", "CSV (*.csv)") == ""
    assert file_dialogs.open_path(None, "Open Graph", "", "All files (*)") == ""
    assert file_dialogs.folder_path(None, "Export Step Images to Folder") == ""
    assert [s.split(":")[0] for s in shown] == ["dialog"] * 3
    shown.clear()  # opened on purpose here


def test_the_loss_plot_s_export_asks_through_the_factory_and_the_guard_answers(qtbot, tmp_path,
                                                                                no_unanswered_dialogs) -> None:
    ui = make_ui(qtbot, open_example("mazur"))
    ui.plots.loss.ask_export_png()
    ui.plots.loss.ask_export_csv()
    assert len(no_unanswered_dialogs) == 2  # cancelled: nothing written, nothing hangs
    no_unanswered_dialogs.clear()


def test_no_test_file_patches_qfiledialog_s_static_functions() -> None:
    patch = re.compile(r"setattr\(\s*QFileDialog\s*,\s*[\"']get")
    found = [p.name for p in TESTS.glob("*.py") if p.name != "conftest.py" and patch.search(p.read_text("utf-8"))]
    assert found == []
