"""Recovery after a crash, or after a close by a signal that kept unsaved changes: the newest copy
autosave kept is offered when the window starts, and a restored copy opens as the unsaved document
it was, under the same title (saving it is the person's choice)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from app.window.autosave import Recovery
    from app.window.frame import WindowFrame


def offer(window: WindowFrame, ask: Callable[[Recovery], bool], show_error: Callable[[str, str], None]) -> bool:
    """Offer the newest recovery file (``ask``: restore it?); True when it was restored."""
    from app.model.document import Document
    from app.window.autosave import find_recoveries
    from core import io

    found = find_recoveries(window.autosaver.directory)
    if not found:
        return False
    recovery = found[0]
    if not ask(recovery):
        recovery.remove()
        window.show_status("Recovered changes discarded", 5000)
        return False
    try:
        graph = Document.read(recovery.path)  # a data file gone since is marked missing, not refused
    except io.FormatError as exc:
        recovery.remove()
        show_error("Cannot restore the unsaved changes", str(exc))
        return False
    if not window.files.maybe_save():
        return False
    document = Document(graph, recovery.source)
    document.example = recovery.example  # an untitled copy of an example keeps its title
    document.mark_modified()
    window.set_document(document)
    window.autosaver.adopt(recovery.path)  # the restored changes stay on disk until written again
    recovery.remove()
    window.show_status(f"Restored unsaved changes to {recovery.title}: save them to keep them", 10000)
    return True


def ask_restore(parent: QWidget, title: str, recovery: Recovery) -> bool:
    """Restore or Discard the unsaved changes ``recovery`` holds."""
    when = QDateTime.fromSecsSinceEpoch(int(recovery.saved_at)).toString("yyyy-MM-dd hh:mm")
    box = QMessageBox(QMessageBox.Icon.Question, title, restore_question(recovery),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(f"They were saved automatically at {when}.")
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def restore_question(recovery: Recovery) -> str:
    """What the start-up asks: after a crash, that the workbench did not close cleanly; after a
    close by a signal (a logout, ``kill``), that it was closed with the changes kept."""
    if recovery.ended_by is not None:
        return (f"The workbench was closed ({recovery.ended_by}) while {recovery.title} had unsaved changes; "
                "they were kept. Restore them?")
    return f"The workbench did not close cleanly. Restore the unsaved changes to {recovery.title}?"
