"""The Dataset dock's object name is one constant (``app.window.first_layout.DATASET_DOCK``,
beside the other facts of the docks' layout): the dock is made with it, and the window and its
file handling find the dock by it."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDockWidget

from app.model.document import Document
from app.window.first_layout import DATASET_DOCK

APP = Path(__file__).resolve().parent.parent / "app"


def test_the_name_is_written_once() -> None:
    found = [str(p.relative_to(APP)) for p in sorted(APP.rglob("*.py"))
             for _ in range(p.read_text(encoding="utf-8").count(f'"{DATASET_DOCK}"'))]
    assert found == ["window/first_layout.py"]


def test_the_window_finds_the_dock_made_with_it(workbench) -> None:
    window = workbench(Document())
    dock = window.dataset_dock
    assert isinstance(dock, QDockWidget) and dock.objectName() == DATASET_DOCK
    assert dock.windowTitle() == "Dataset"
    assert window.findChildren(QDockWidget, DATASET_DOCK) == [dock]
