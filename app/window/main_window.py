"""The main window: palette (left), canvas (centre), inspector (right), menus, status bar.

Other modules extend it through a small API: :meth:`MainWindow.menu`, :meth:`MainWindow.toolbar`,
:meth:`MainWindow.add_dock`, :meth:`MainWindow.show_status`, and the signals ``documentChanged``
(after :meth:`MainWindow.set_document`) and ``selectedNodeChanged`` (the single selected node).

``MainWindow(document)`` is built at once. The launcher makes it in two parts so the window paints
before NumPy and the engine are imported: :meth:`MainWindow.opening` (title, size and place, the
menu bar's names greyed, "Opening …" in the middle) and, after the first paint, :meth:`MainWindow.build`,
the same code ``MainWindow(document)`` runs. This module imports Qt only; what the built window
holds comes from :mod:`app.window.body` when it is built. ``Qt``'s namespace is looked up where it
is used (``QtCore.Qt``): loading it takes ~20 ms, which the first paint does without.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6 import QtCore
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMenu, QMessageBox, QToolBar, QWidget

from app.model.title import document_title
from app.window import first_layout, recovery
from app.window.first_layout import DATASET_DOCK, default_size
from app.window.frame import WindowFrame
from app.window.opening import Placeholder

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from app.code.room import CodeRoom
    from app.dataset.panel import DatasetPanel
    from app.debugger import Debugger
    from app.exercise import ExerciseMode
    from app.model.document import Document
    from app.teach.published import Published
    from app.training import Training
    from app.window.autosave import Recovery

APP_TITLE = "Backprop Workbench"
MENU_ORDER = ("File", "Edit", "View", "Debug", "Training", "Help")
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
LAYOUT_VERSION = 1


class MainWindow(WindowFrame):
    """The workbench window around one Document at a time."""

    def __init__(self, document: Document | None = None, *, recovery_dir: Path | None = None,
                 autosave_ms: int | None = None, parent: QWidget | None = None) -> None:
        """The window built, showing ``document`` (None: an empty graph); ``autosave_ms`` None: the
        autosave's usual interval."""
        self._start(parent)
        self.build(document, recovery_dir=recovery_dir, autosave_ms=autosave_ms)

    @classmethod
    def opening(cls, name: str, example: bool = False, parent: QWidget | None = None) -> MainWindow:
        """The window before :meth:`build`: titled as the document of the file ``name`` will be
        (``example``: an untitled copy of a shipped example), at its saved size and place, the menu
        bar's names greyed, "Opening ``name``…" in the middle (its ``centralWidget()``, a
        :class:`~app.window.opening.Placeholder` that says when it has painted). It cannot be used
        until built; closing it then saves nothing."""
        window = cls.__new__(cls)
        window._start(parent)
        for menu in MENU_ORDER:
            window.menu(menu)
        window.menuBar().setEnabled(False)
        window.setCentralWidget(Placeholder(f"Opening {name}…"))
        window.setWindowTitle(f"{document_title(name, example)} — {APP_TITLE}")
        return window

    def _start(self, parent: QWidget | None) -> None:
        """What every window has from the start: its name, size and place, no document yet."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.built = False
        self.document: Document = None  # type: ignore[assignment]  # set by set_document
        self.scene = None  # type: ignore[assignment]
        self.debugger: Debugger | None = None  # the rooms create_window installs
        self.training: Training | None = None
        self.build_dataset_panel: Callable[[], DatasetPanel] | None = None  # set by the dataset room
        self._dataset_panel: DatasetPanel | None = None
        self.code: CodeRoom | None = None
        self.exercise_mode: ExerciseMode | None = None
        self.published: Published | None = None
        self._selected: str | None = None
        self._layout_restored = False
        self.ending_signal: int | None = None  # the signal that ends the workbench (app/window/quit_signals.py)
        self._menus: dict[str, QMenu] = {}
        self._toolbars: dict[str, QToolBar] = {}
        self.actions = {}
        self.resize(default_size())
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)

    def build(self, document: Document | None = None, *, recovery_dir: Path | None = None,
              autosave_ms: int | None = None) -> None:
        """Fill the window (:mod:`app.window.body`) and show ``document``; its menus work from now on."""
        from app.window import body

        body.build(self, self, document, recovery_dir, autosave_ms)
        self.built = True
        self.menuBar().setEnabled(True)

    # -------------------------------------------------------------- the API
    def menu(self, name: str) -> QMenu:
        """The menu called ``name`` ("File", "Debug", ...), created in the fixed order when missing."""
        key = name.replace("&", "")
        if key in self._menus:
            return self._menus[key]
        menu = QMenu(f"&{key}", self)
        menu.setObjectName(f"{key.lower()}Menu")
        rank = MENU_ORDER.index(key) if key in MENU_ORDER else MENU_ORDER.index("Help") - 0.5
        before = None
        for other, existing in self._menus.items():
            other_rank = MENU_ORDER.index(other) if other in MENU_ORDER else MENU_ORDER.index("Help") - 0.5
            if other_rank > rank and (before is None or other_rank < before[0]):
                before = (other_rank, existing)
        if before is None:
            self.menuBar().addMenu(menu)
        else:
            self.menuBar().insertMenu(before[1].menuAction(), menu)
        self._menus[key] = menu
        return menu

    def toolbar(self, name: str) -> QToolBar:
        """The tool bar called ``name``, created at the top when missing (listed in View ▸ Toolbars)."""
        if name in self._toolbars:
            return self._toolbars[name]
        bar = QToolBar(name, self)
        bar.setObjectName(f"{name.lower().replace(' ', '')}Toolbar")
        self.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, bar)
        self._toolbars[name] = bar
        from app.window import menus as window_menus  # loaded when the window is built

        window_menus.list_toolbar(self, bar)
        return bar

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea | None = None) -> None:
        """Add ``dock`` in ``area`` (None: on the right); listed in View ▸ Docks, its place remembered
        between runs."""
        if not dock.objectName():
            dock.setObjectName(f"{dock.windowTitle().lower().replace(' ', '')}Dock")
        self.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea if area is None else area, dock)
        from app.window import menus as window_menus  # loaded when the window is built

        window_menus.list_dock(self, dock)
        if self._layout_restored:
            self.restoreDockWidget(dock)

    def show_status(self, text: str, timeout_ms: int = 0) -> None:
        """``timeout_ms`` 0: the lasting status (the debugger's state); more: a note for that long,
        after which the lasting status comes back."""
        self.status.show(text, timeout_ms)

    @property
    def dataset_panel(self) -> DatasetPanel | None:
        """The Dataset dock's panel, built when first asked for (the dock's first showing), not at start-up."""
        if self._dataset_panel is None and self.build_dataset_panel is not None:
            self._dataset_panel = self.build_dataset_panel()
        return self._dataset_panel

    @dataset_panel.setter
    def dataset_panel(self, panel: DatasetPanel | None) -> None:
        self._dataset_panel = panel

    @property
    def dataset_dock(self) -> QDockWidget | None:
        """The Dataset dock, once the dataset room is installed."""
        return self.findChild(QDockWidget, DATASET_DOCK)

    def run_steps(self, count: int) -> None:
        """Run ``count`` steps of the debugger (the command line's ``--steps``)."""
        if self.debugger is None:
            raise RuntimeError("the window has no debugger")
        self.debugger.controller.run_steps(count)

    def open_file(self, path: str | Path) -> bool:
        return self.files.open_file(path)

    def save(self) -> bool:
        return self.files.save()

    def set_document(self, document: Document) -> None:
        """Show ``document``: a new scene, the inspector, undo/redo, title, autosave follow it."""
        old = self.document
        old_scene = self.scene
        if old is not None:
            old.modifiedChanged.disconnect(self._update_title)
            old.pathChanged.disconnect(self._update_title)
            self.undo_group.removeStack(old.undo_stack)
        self.document = document
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        from app.window.body import new_scene

        self.scene = new_scene(self, document)
        self.scene.nodeSelectionChanged.connect(self._on_selection)
        self.view.setScene(self.scene)
        document.modifiedChanged.connect(self._update_title)
        document.pathChanged.connect(self._update_title)
        document.bridge.nodeRenamed.connect(self._on_renamed)
        self.inspector.set_document(document)
        self.autosaver.set_document(document)
        self._selected = None
        self._update_title()
        self.selectedNodeChanged.emit(None)
        self.documentChanged.emit(document)
        self.view.show_graph()  # after the rooms that follow the document have added their items
        if old is not None and old is not document:
            old.close()
        if old_scene is not None:
            old_scene.deleteLater()

    # -------------------------------------------------------------- editing
    def add_node_at_centre(self, op_type: str) -> str | None:
        """Add a node of ``op_type`` (the palette's double-click): right of the selected node,
        where an edge from it would pass under no other node (:mod:`app.editor.placement`), or
        else at the first free place of the visible canvas going right, then down.
        The new node is selected (the next one goes to its right) and scrolled into view."""
        from app.window.body import add_node_at_centre

        return add_node_at_centre(self, op_type)

    # ---------------------------------------------------------------- state
    def _on_selection(self, node_ids: list[str]) -> None:
        selected = node_ids[0] if len(node_ids) == 1 else None
        if selected != self._selected:
            self._selected = selected
            self.inspector.set_node(selected)
            self.selectedNodeChanged.emit(selected)

    def _on_renamed(self, new_id: str, old_id: str) -> None:
        if self._selected == old_id:
            self._selected = new_id
            self.selectedNodeChanged.emit(new_id)

    def selected_node(self) -> str | None:
        return self._selected

    def _update_title(self, *args: Any) -> None:
        self.setWindowTitle(f"{self.document.title()}[*] — {APP_TITLE}")
        self.setWindowModified(self.document.is_modified())

    def _dropped_file(self, event: QDragEnterEvent | QDropEvent) -> Path | None:
        data = event.mimeData()
        urls = data.urls() if data is not None and data.hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile() and urls[0].toLocalFile().lower().endswith(".json"):
            return Path(urls[0].toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        QTimer.singleShot(0, lambda: self.open_file(path))  # not inside the drop: the prompt may need the loop

    def showEvent(self, event: QShowEvent) -> None:
        if self.built:
            self.restore_layout()
        super().showEvent(event)

    def restore_layout(self) -> None:
        """Put the docks where the person left them, once: at the built window's first showing (the
        launcher calls it when it has built a window already shown)."""
        if not self._layout_restored:
            self._layout_restored = True
            state = QSettings().value(STATE_KEY)
            if state is not None:
                self.restoreState(state, LAYOUT_VERSION)
                first_layout.hide_docks_waiting_for_use(self)

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(STATE_KEY, self.saveState(LAYOUT_VERSION))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.built:  # closed while opening: nothing to save, and the layout saved before stays
            event.accept()
            return
        ending = self.ending_signal  # a logout or kill: nobody to ask
        self.files.finish_saving()  # a save in progress ends first (or is cancelled in its wait: then the question)
        if ending is None and not self.files.maybe_save():
            event.ignore()
            return
        self.save_layout()
        if ending is not None and self.document.is_modified():  # the unsaved edits are offered at the next start
            import signal

            self.autosaver.keep(signal.Signals(ending).name)
        else:
            self.autosaver.stop()
        event.accept()

    # ------------------------------------------------------------- recovery
    def offer_recovery(self) -> bool:
        """After a crash: offer the newest recovery file; True when it was restored (:mod:`.recovery`)."""
        return recovery.offer(self, self._ask_restore, self._show_error)

    # ----------------------------------------- questions (tests answer them)
    def _ask_restore(self, found: Recovery) -> bool:
        return recovery.ask_restore(self, APP_TITLE, found)

    def _ask_save_changes(self) -> QMessageBox.StandardButton:
        """Save / Discard / Cancel for the open document's unsaved changes."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE,
                          f"Save the changes to {self.document.title()}?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText("Your changes will be lost if you don't save them.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return QMessageBox.StandardButton(box.exec())

    def _ask_open_path(self, start: Path) -> str:
        from app.window import file_dialogs

        return file_dialogs.open_path(self, "Open Graph", str(start), "Workbench graphs (*.json);;All files (*)")

    def _ask_save_path(self, caption: str, suggested: str, file_filter: str) -> str:
        from app.window import file_dialogs

        return file_dialogs.save_path(self, caption, suggested, file_filter)

    def _ask_export_path(self, caption: str, suggested: str, file_filter: str) -> str:
        """Where to export (the dialog does not ask about replacing: ``_ask_overwrite`` does)."""
        from app.window import file_dialogs

        return file_dialogs.save_path(self, caption, suggested, file_filter, file_dialogs.Option.DontConfirmOverwrite)

    def _ask_overwrite(self, path: Path) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, f"{path.name} already exists. Replace it?",
                          QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText(f"The file in {path.parent} will be overwritten.")
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is replace

    def _show_error(self, title: str, text: str) -> None:
        QMessageBox.critical(self, title, text)
