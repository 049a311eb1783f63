"""The main window as the rooms that serve it see it: what ``menus.py``, ``help.py``, the debugger
and the training dock may use of what the window holds, declared in one place.

:class:`~app.window.main_window.MainWindow` implements it. The helpers name this type instead of
importing ``main_window.py`` (which imports them), so the imports form no circle.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QUndoGroup
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar, QWidget

if TYPE_CHECKING:  # for the hints only: the window's first paint imports none of them (app.window.opening)
    from PySide6.QtCore import Qt

    from app.editor.palette import Palette
    from app.editor.scene import GraphScene
    from app.editor.view import EditorView
    from app.inspector.panel import Inspector
    from app.model.document import Document
    from app.window.autosave import Autosaver
    from app.window.exports import ExportOps
    from app.window.files import FileOps
    from app.window.status import StatusArea


class WindowFrame(QMainWindow):
    """The document and its canvas, the file actions, the undo group, the docks and menus; the
    signals the rooms follow: ``documentChanged`` (after a new document is shown) and
    ``selectedNodeChanged`` (the single selected node, or None)."""

    documentChanged = Signal(object)
    selectedNodeChanged = Signal(object)  # node id or None
    document: Document
    scene: GraphScene
    view: EditorView
    files: FileOps
    exports: ExportOps
    undo_group: QUndoGroup
    autosaver: Autosaver
    palette: Palette  # type: ignore[assignment]  # the attribute hides QWidget.palette()
    palette_dock: QDockWidget
    inspector: Inspector
    inspector_dock: QDockWidget
    status: StatusArea
    actions: dict[str, QAction]  # type: ignore[assignment]  # by short name; QWidget.actions() lists them
    recent_menu: QMenu
    docks_menu: QMenu
    toolbars_menu: QMenu
    help_dialogs: dict[type, QWidget]  # the one dialog of each kind (Help), made on first use

    def menu(self, name: str) -> QMenu:
        """The menu ``name`` of the menu bar, made on first use."""
        raise NotImplementedError

    def toolbar(self, name: str) -> QToolBar:
        raise NotImplementedError

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea | None = None) -> None:
        """Add ``dock`` in ``area`` (None: on the right)."""
        raise NotImplementedError

    def show_status(self, text: str, timeout_ms: int = 0) -> None:
        raise NotImplementedError

    def set_document(self, document: Document) -> None:
        """Show ``document`` (a new canvas; the rooms follow ``documentChanged``)."""
        raise NotImplementedError

    def add_node_at_centre(self, op_type: str) -> str | None:
        raise NotImplementedError

    def selected_node(self) -> str | None:
        """The single selected node, or None."""
        raise NotImplementedError
