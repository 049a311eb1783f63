"""The window's own menus: File, Edit, View and Help, with the shortcuts people expect.

Help ▸ Keyboard Shortcuts lists every action's keys, read from the menus when it is shown
(``app.window.help``), so a shortcut added anywhere appears there.

Actions are kept in ``window.actions`` by short name ("save", "undo", "fit", ...). Keys without a
modifier (F, Delete) and Select All act on the canvas only, so they never steal typing elsewhere.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMessageBox, QToolBar

from app.cli.about import library_versions, program_version
from app.window import help as app_help
from app.window import resources
from app.window.exports import KINDS
from app.window.frame import WindowFrame

Key = QKeySequence.StandardKey
CANVAS = Qt.ShortcutContext.WidgetWithChildrenShortcut


def _action(window: WindowFrame, name: str, text: str, slot: Callable[[], object],
            shortcut: QKeySequence | Key | str | None = None, tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.actions[name] = action
    return action


def _canvas_action(window: WindowFrame, name: str, text: str, slot: Callable[[], object],
                   shortcut: QKeySequence | Key | str, tip: str = "") -> QAction:
    """An action whose shortcut works while the canvas has the focus (the menu entry works always)."""
    action = _action(window, name, text, slot, shortcut, tip)
    action.setShortcutContext(CANVAS)
    window.view.addAction(action)
    return action


def build(window: WindowFrame) -> None:
    window.actions = {}
    _file_menu(window)
    _edit_menu(window)
    _view_menu(window)
    _help_menu(window)


def _file_menu(window: WindowFrame) -> None:
    files = window.files
    menu = window.menu("File")
    menu.addAction(_action(window, "new", "&New", files.new, Key.New, "Start an empty graph"))
    menu.addAction(_action(window, "open", "&Open…", files.open_dialog, Key.Open, "Open a graph file"))
    examples = menu.addMenu("Open &Example")
    examples.setObjectName("examplesMenu")
    for example in resources.examples():
        action = examples.addAction(example.name)
        action.setStatusTip(str(example.path))
        action.setData(str(example.path))
        action.triggered.connect(lambda _checked=False, p=example.path: files.open_example(p))
    if examples.isEmpty():
        examples.addAction("No examples found").setEnabled(False)
    recent = menu.addMenu("Open &Recent")
    recent.setObjectName("recentMenu")
    window.recent_menu = recent
    recent.aboutToShow.connect(lambda: fill_recent(window))
    files.recent.changed.connect(lambda: fill_recent(window))
    fill_recent(window)
    menu.addSeparator()
    menu.addAction(_action(window, "save", "&Save", files.save, Key.Save, "Save the graph"))
    menu.addAction(_action(window, "save_as", "Save &As…", files.save_as, Key.SaveAs,
                           "Save the graph under a new name"))
    menu.addAction(_action(window, "save_copy", "Save a &Copy…", files.save_copy,
                           tip="Save the graph to another file and go on with this one"))
    menu.addSeparator()
    menu.addAction(_action(window, "export_png", "Export Canvas as &PNG…", lambda: files.export_canvas("png"),
                           tip="Save a picture of the whole graph"))
    menu.addAction(_action(window, "export_svg", "Export Canvas as S&VG…", lambda: files.export_canvas("svg"),
                           tip="Save the whole graph as a vector drawing"))
    exports = menu.addMenu("E&xport")
    exports.setObjectName("exportMenu")
    tips = {"py": "The graph as a standalone NumPy script in the notebook's style",
            "ipynb": "The graph as a Jupyter notebook, one cell per step",
            "pdf": "A slide for every step: the canvas, the step's name and its formulas"}
    for kind, (text, _caption, _filter) in KINDS.items():
        exports.addAction(_action(window, f"export_{kind}", text, _exporter(window, kind), tip=tips[kind]))
    menu.addSeparator()
    quit_keys = QKeySequence(Key.Quit) if not QKeySequence(Key.Quit).isEmpty() else QKeySequence("Ctrl+Q")
    quit_action = _action(window, "quit", "&Quit", window.close, quit_keys, "Close the workbench")
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    menu.addAction(quit_action)


def _exporter(window: WindowFrame, kind: str) -> Callable[[], bool]:
    return lambda: window.exports.export(kind)


def fill_recent(window: WindowFrame) -> None:
    menu: QMenu = window.recent_menu
    menu.clear()
    paths = window.files.recent.paths()
    for i, path in enumerate(paths, 1):
        label = f"&{i} {path.name}" if i < 10 else path.name
        action = menu.addAction(label)
        action.setStatusTip(str(path))
        action.setToolTip(str(path))
        action.setData(str(path))
        action.triggered.connect(lambda _checked=False, p=Path(path): window.files.open_recent(p))
    if not paths:
        menu.addAction("No recent files").setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction("&Clear Recent Files")
    clear.setEnabled(bool(paths))
    clear.triggered.connect(window.files.recent.clear)


def _edit_menu(window: WindowFrame) -> None:
    menu = window.menu("Edit")
    undo = window.undo_group.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence(Key.Undo))
    undo.setProperty(app_help.NAME_PROPERTY, "Undo")  # its text names the edit ("Undo Connect …")
    redo = window.undo_group.createRedoAction(window, "&Redo")
    redo.setShortcut(QKeySequence(Key.Redo))
    redo.setProperty(app_help.NAME_PROPERTY, "Redo")
    window.actions["undo"], window.actions["redo"] = undo, redo
    menu.addAction(undo)
    menu.addAction(redo)
    menu.addSeparator()
    scene = lambda: window.scene  # noqa: E731  (the scene changes with the document)
    menu.addAction(_action(window, "cut", "Cu&t", lambda: scene().cut_selection(), Key.Cut,
                           "Copy the selected nodes to the clipboard and delete them"))
    menu.addAction(_action(window, "copy", "&Copy", lambda: scene().copy_selection(), Key.Copy,
                           "Copy the selected nodes (and the edges between them)"))
    menu.addAction(_action(window, "paste", "&Paste", lambda: scene().paste(), Key.Paste,
                           "Paste nodes from the clipboard"))
    menu.addAction(_action(window, "duplicate", "D&uplicate", lambda: scene().duplicate_selection(), "Ctrl+D",
                           "Copy and paste the selected nodes in one step"))
    menu.addAction(_canvas_action(window, "delete", "&Delete", lambda: scene().delete_selection(), Key.Delete,
                                  "Delete the selected nodes and edges"))
    menu.addSeparator()
    menu.addAction(_canvas_action(window, "select_all", "Select &All", lambda: scene().select_all(), Key.SelectAll))


def _view_menu(window: WindowFrame) -> None:
    view = window.view
    menu = window.menu("View")
    menu.addAction(_canvas_action(window, "fit", "&Fit to Graph", view.fit_to_graph, "F", "Show the whole graph"))
    menu.addAction(_action(window, "zoom_in", "Zoom &In", view.zoom_in, Key.ZoomIn))
    menu.addAction(_action(window, "zoom_out", "Zoom &Out", view.zoom_out, Key.ZoomOut))
    menu.addAction(_action(window, "actual_size", "&Actual Size", view.actual_size, "Ctrl+0"))
    menu.addSeparator()
    menu.addAction(_action(window, "auto_layout", "Auto-&Layout", lambda: window.scene.auto_layout(), "Ctrl+L",
                           "Arrange the graph left to right by depth"))
    menu.addSeparator()
    window.docks_menu = menu.addMenu("&Docks")
    window.toolbars_menu = menu.addMenu("&Toolbars")
    window.toolbars_menu.menuAction().setVisible(False)
    list_dock(window, window.palette_dock)
    list_dock(window, window.inspector_dock)


def list_dock(window: WindowFrame, dock: QDockWidget) -> None:
    """Show/hide ``dock`` from View ▸ Docks."""
    window.docks_menu.addAction(dock.toggleViewAction())


def list_toolbar(window: WindowFrame, bar: QToolBar) -> None:
    window.toolbars_menu.addAction(bar.toggleViewAction())
    window.toolbars_menu.menuAction().setVisible(True)


def _help_menu(window: WindowFrame) -> None:
    menu = window.menu("Help")
    window.help_dialogs = {}
    menu.addAction(_action(window, "getting_started", "&Getting Started",
                           lambda: app_help.show_dialog(window, app_help.GettingStartedDialog), Key.HelpContents,
                           "Build a graph, step through it, train it: how, in a few lines"))
    menu.addAction(_action(window, "shortcuts", "&Keyboard Shortcuts",
                           lambda: app_help.show_dialog(window, app_help.ShortcutsDialog), "Ctrl+/",
                           "Every shortcut of the window"))
    menu.addSeparator()
    about = _action(window, "about", "&About Backprop Workbench", lambda: show_about(window))
    about.setMenuRole(QAction.MenuRole.AboutRole)
    menu.addAction(about)


ABOUT = """<h3>Backprop Workbench</h3>
<p>Build a computational graph, step through its forward and backward passes one node at a time,
and train it while the loss falls.</p>
<p><b>Add</b> a node: drag it from the palette, or double-click it.<br>
<b>Connect</b>: drag from an output port (right) to an input port (left).<br>
<b>Pan</b>: middle-drag or Space+drag. <b>Zoom</b>: the wheel. <b>Fit</b>: F.<br>
<b>Edit</b> weights: select a node and change its cells in the inspector.</p>"""


def about_html() -> str:
    """The About text: what the workbench is, then its version and its libraries' (what a bug report needs)."""
    rows = [("Backprop Workbench", program_version()), *library_versions()]
    table = "".join(f"<tr><td>{html.escape(name)}</td><td>&nbsp;{html.escape(version)}</td></tr>"
                    for name, version in rows)
    return f"{ABOUT}<p><b>Versions</b> (for a bug report)</p><table>{table}</table>"


def show_about(window: WindowFrame) -> None:
    QMessageBox.about(window, "About Backprop Workbench", about_html())
