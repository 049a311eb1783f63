"""The window takes no edit while something works on its graph off the GUI thread.

:class:`EditLock` disables, until it is released, every menu entry outside View and Help (and Auto-Layout) except
the owner's own actions (their toolbar buttons and shortcuts with them: New, Open, Save, Undo,
Paste, Train, ...), the canvas's gestures (it still scrolls and paints) and the docks' panels
except the ones named as kept. It puts back only what it disabled itself.
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from app.window.frame import WindowFrame

OPEN_MENUS = ("View", "Help")  # their entries edit nothing (menu titles without the '&') ...
OPEN_MENU_EDITS = ("auto_layout",)  # ... but this one, which moves the nodes (by window.actions name)


class EditLock:
    def __init__(self, window: WindowFrame, keep_actions: tuple[QAction, ...] = (),
                 keep_docks: tuple[QDockWidget, ...] = ()) -> None:
        self.window = window
        self.keep_actions = keep_actions
        self.keep_docks = keep_docks
        self._actions: list[QAction] = []
        self._widgets: list[QWidget] = []
        self._interactive = False
        self.held = False

    def hold(self) -> None:
        if self.held:
            return
        self.held = True
        for menu_action in self.window.menuBar().actions():
            menu = menu_action.menu()
            if isinstance(menu, QMenu) and menu.title().replace("&", "") not in OPEN_MENUS:
                self._disable_menu(menu)
        for name in OPEN_MENU_EDITS:
            action = self.window.actions.get(name)
            if action is not None and action.isEnabled():
                action.setEnabled(False)
                self._actions.append(action)
        for dock in self.window.findChildren(QDockWidget):
            widget = dock.widget()
            if dock not in self.keep_docks and widget is not None and widget.isEnabled():
                widget.setEnabled(False)
                self._widgets.append(widget)
        self.view = self.window.view
        self._interactive = self.view.isInteractive()
        self.view.setInteractive(False)

    def _disable_menu(self, menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                self._disable_menu(action.menu())  # type: ignore[arg-type]
            if action.isEnabled() and not action.isSeparator() and action not in self.keep_actions:
                action.setEnabled(False)
                self._actions.append(action)

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        for action in self._actions:
            try:
                action.setEnabled(True)
            except RuntimeError:  # deleted meanwhile (a menu rebuilt)
                pass
        for widget in self._widgets:
            try:
                widget.setEnabled(True)
            except RuntimeError:
                pass
        self._actions, self._widgets = [], []
        try:
            self.view.setInteractive(self._interactive)
        except RuntimeError:
            pass
