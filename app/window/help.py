"""Help ▸ Keyboard Shortcuts and Help ▸ Getting Started (its text: :mod:`app.window.getting_started`).

The shortcut list is read from the window's own actions each time it is shown (every menu,
sub-menus included, then actions that live only on the window or the canvas), so it lists what
the keys really do, including the debugger's and the training's. The canvas's mouse gestures,
which are no actions, follow in a short fixed list.
"""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMenu,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.window.frame import WindowFrame
from app.window.getting_started import getting_started_html as text_of_getting_started

NAME_PROPERTY = "shortcutName"  # an action whose text changes (Undo …) names itself for the list
GESTURES_GROUP = "Canvas (mouse)"
GESTURES = (
    ("Add a node", "Drag it from the palette, or double-click it there"),
    ("Connect two ports", "Drag from an output (right) to an input (left)"),
    ("Disconnect an edge", "Drag its input end off the port"),
    ("Select", "Click; drag on empty canvas for a rubber band"),
    ("Pan", "Middle-drag, or Space+drag"),
    ("Zoom around the pointer", "Mouse wheel"),
    ("Cancel a connection being dragged", "Esc"),
    ("Menu of a node, an edge or the canvas", "Right-click"),
)


class Shortcut(NamedTuple):
    group: str  # the menu path, such as "Debug" or "File ▸ Open Recent"
    name: str
    keys: str  # in the platform's own notation, several separated by ", "


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = (item.child(k) for k in range(item.childCount()))
    return [child for child in children if child is not None]


def _clean(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("…", "").strip()


def action_name(action: QAction) -> str:
    named = action.property(NAME_PROPERTY)
    return named if isinstance(named, str) and named else _clean(action.text())


def action_keys(action: QAction) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty())


def shortcuts(window: WindowFrame) -> list[Shortcut]:
    """Every action of the window with a shortcut, grouped by the menu it is in (in menu order)."""
    found: list[Shortcut] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: list[str]) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, [*path, _clean(action.text())])
            elif not action.isSeparator() and id(action) not in seen and action_keys(action):
                seen.add(id(action))
                found.append(Shortcut(" ▸ ".join(path), action_name(action), action_keys(action)))

    for top in window.menuBar().actions():
        sub = top.menu()
        if isinstance(sub, QMenu):
            walk(sub, [_clean(top.text())])
    for action in [*QWidget.actions(window), *window.view.actions()]:  # window.actions is a dict
        if id(action) not in seen and action_keys(action):
            seen.add(id(action))
            found.append(Shortcut("Other", action_name(action), action_keys(action)))
    return found


def keys_for(window: WindowFrame, name: str) -> str:
    """The keys of the action called ``name`` (as listed), or "" when it has none."""
    return next((s.keys for s in shortcuts(window) if s.name == name), "")


class ShortcutsDialog(QDialog):
    """The list of shortcuts with a filter; refreshed from the window's actions when shown."""

    def __init__(self, window: WindowFrame) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Keyboard Shortcuts")
        self.setObjectName("shortcutsDialog")
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by action or key…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Shortcut"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(660, 600)

    def refresh(self) -> None:
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        rows = [*shortcuts(self.window_), *(Shortcut(GESTURES_GROUP, name, how) for name, how in GESTURES)]
        for row in rows:
            group = groups.get(row.group)
            if group is None:
                group = QTreeWidgetItem(self.tree, [row.group])
                group.setFirstColumnSpanned(True)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                groups[row.group] = group
            QTreeWidgetItem(group, [row.name, row.keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self._apply_filter(self.filter.text())

    def _groups(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def rows(self) -> list[tuple[str, str, str]]:
        """(group, action, keys) of every row shown (not filtered out)."""
        shown = []
        for group in self._groups():
            for child in _children(group):
                if not child.isHidden():
                    shown.append((group.text(0), child.text(0), child.text(1)))
        return shown

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for group in self._groups():
            any_shown = False
            for child in _children(group):
                shown = not needle or needle in child.text(0).lower() or needle in child.text(1).lower()
                child.setHidden(not shown)
                any_shown |= shown
            group.setHidden(not any_shown)

    def showEvent(self, event) -> None:  # noqa: ANN001 (QShowEvent)
        self.refresh()
        super().showEvent(event)


def getting_started_html(window: WindowFrame) -> str:
    """The Getting Started text, naming the keys the window really has."""
    return text_of_getting_started(lambda name: keys_for(window, name))


class GettingStartedDialog(QDialog):
    """A short text on building, stepping and training; filled in when shown."""

    def __init__(self, window: WindowFrame) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Getting Started")
        self.setObjectName("gettingStartedDialog")
        self.text = QTextBrowser(self)
        self.text.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(560, 600)

    def showEvent(self, event) -> None:  # noqa: ANN001 (QShowEvent)
        self.text.setHtml(getting_started_html(self.window_))
        super().showEvent(event)


def show_dialog(window: WindowFrame, kind: type[QDialog]) -> QDialog:
    """Show the window's one dialog of ``kind`` (made on first use), without blocking the window."""
    dialogs: dict[type, QWidget] = window.help_dialogs
    dialog = dialogs.get(kind)
    if dialog is None:
        dialog = dialogs[kind] = kind(window)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog  # type: ignore[return-value]
