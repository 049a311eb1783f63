"""Debug ▸ Keep Gradients from the Last Update: the switch that skips the "clear gradients" step.

It is a training setting saved with the file (``keep_gradients``); toggling it is an undoable
edit, and the check mark follows the document's settings.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction

from app.commands import SetSettings

TEXT = "&Keep Gradients from the Last Update"
TIP = ("Skip the 'clear gradients' step: each update's parameter gradients are added to the last "
       "update's (the forgotten zero_grad), so they add up and the loss misbehaves")


def install(window: Any) -> QAction:
    action = QAction(TEXT, window)
    action.setCheckable(True)
    action.setStatusTip(TIP)
    action.setToolTip(TIP)
    window.actions["keep_gradients"] = action

    def follow(*_args: object) -> None:
        action.setChecked(window.document.graph.settings.keep_gradients)

    def toggled(checked: bool) -> None:
        settings = window.document.graph.settings
        if settings.keep_gradients != checked:
            window.document.undo_stack.push(SetSettings(window.document, settings.with_changes(keep_gradients=checked)))

    def on_document(document: Any) -> None:
        document.bridge.settingsChanged.connect(follow)
        follow()

    action.toggled.connect(toggled)
    window.documentChanged.connect(on_document)
    on_document(window.document)
    menu = window.menu("Debug")
    menu.addSeparator()
    menu.addAction(action)
    return action
