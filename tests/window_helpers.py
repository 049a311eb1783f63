"""Shared by the main window's tests (test_window_*.py): the shipped examples, an edit that makes the
document unsaved, and a scripted answer to the unsaved-changes question."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from app import commands
from app.window.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.json"))
MAZUR = ROOT / "resources" / "examples" / "mazur.json"
Button = QMessageBox.StandardButton


def edit_weight(window: MainWindow, value: float = 0.7) -> None:
    """Set W1[0, 1] through the undo stack: the document has unsaved changes."""
    window.document.undo_stack.push(commands.SetValue(window.document, "W1", value, index=(0, 1)))


def answer_save_changes(window: MainWindow, choice: QMessageBox.StandardButton) -> list[int]:
    """Make the window's unsaved-changes question answer ``choice``; the list grows by one per question."""
    asked: list[int] = []

    def ask() -> QMessageBox.StandardButton:
        asked.append(1)
        return choice

    window._ask_save_changes = ask
    return asked
