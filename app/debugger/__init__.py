"""The step-through debugger in the window: ``install(window)`` adds its menu, toolbar and docks.

:class:`~app.debugger.controller.DebugController` owns the core Stepper; the canvas look
(:mod:`.labels`), the program view, the inspector section and the step-image export follow it.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QToolButton

from app.debugger.controller import DebugController
from app.debugger.debug_inspector import DebugInspector
from app.debugger.export import export_step_images
from app.debugger.labels import CanvasLabels
from app.debugger.program_view import ProgramView
from app.debugger.run_shapes import RunShapes
from app.model.document import Document
from app.training.session import TrainingSession
from app.window import file_dialogs
from app.window.edit_lock import EditLock
from app.window.frame import WindowFrame
from app.window.status import NOTE_MS
from core.format import plural

__all__ = ["DebugController", "Debugger", "install"]

MENU_ORDER = ("step", "step_back", None, "run_forward", "run_backward", "apply_update", "continue",
              "run_to_node", "cancel", "reset", None, "toggle_breakpoint", "break_on_nonfinite", None,
              "gradient_check")
TOOLBAR_ORDER = ("step_back", "step", "continue", "run_forward", "run_backward", "apply_update", "reset")


class Debugger(QObject):
    """Everything the debugger adds to one window, wired to the window's signals."""

    def __init__(self, window: WindowFrame) -> None:
        super().__init__(window)
        self.window = window
        self.controller = DebugController(window.document, self)
        self.controller.dialog_parent = window
        self.training_session: TrainingSession | None = None
        self.labels = CanvasLabels(self.controller, window.scene, self)
        self.run_shapes = RunShapes(self.controller, self)  # shapes only a run tells, for canvas and inspector
        self.program_view = ProgramView(self.controller)
        self.inspector = DebugInspector(self.controller)
        self.dock = QDockWidget("Program", window)
        self.dock.setObjectName("debuggerProgramDock")
        self.dock.setWidget(self.program_view)
        window.add_dock(self.dock, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.inspector.add_section("Values & gradients", self.inspector)
        self._add_menus()
        window.documentChanged.connect(self._on_document_changed)
        window.selectedNodeChanged.connect(self._on_selected)
        self.controller.statusChanged.connect(lambda text: window.show_status(text))
        self.controller.statusRefreshed.connect(window.status.refresh_lasting)
        if self.controller.status:
            window.show_status(self.controller.status)
        self.controller.nodeRequested.connect(self.select_node)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("debugCancelRun")
        self.cancel_button.setDefaultAction(self.controller.action("cancel"))
        self.cancel_button.hide()
        window.status.bar.addPermanentWidget(self.cancel_button)
        self.lock = EditLock(window, tuple(self.controller.actions.values()), (self.dock,))
        self.controller.runningChanged.connect(self._on_running)
        if not self.attach_training():  # create_window attaches it once training is installed;
            QTimer.singleShot(0, self, self.attach_training)  # a window built otherwise: look again

    def _on_running(self, running: bool) -> None:
        """An action runs off the GUI thread: the window takes no edit, Cancel shows; and back."""
        if running:
            self.lock.hold()
        else:
            self.lock.release()
        self.cancel_button.setVisible(running)

    def attach_training(self, session: TrainingSession | None = None) -> bool:
        """Follow the training session (``window.training.session`` unless given): nothing steps
        while a run is going on. True when a session is followed (again: no change)."""
        if session is None:
            training = getattr(self.window, "training", None)
            session = getattr(training, "session", None)
        if session is None or session is self.training_session:
            return session is not None
        self.training_session = session
        session.stateChanged.connect(self.controller.set_training_state)
        self.controller.set_training_state(session.state)
        return True

    def _add_menus(self) -> None:
        c, w = self.controller, self.window
        menu = w.menu("&Debug")
        for name in MENU_ORDER:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(c.action(name))
        toolbar = w.toolbar("Debug")
        for name in TOOLBAR_ORDER:
            toolbar.addAction(c.action(name))
        self.export_action = QAction("Export Step &Images…", self)
        self.export_action.setObjectName("debug_export_step_images")
        self.export_action.setStatusTip("Write a numbered PNG of the canvas after every step of a training step")
        self.export_action.triggered.connect(lambda _checked=False: self.export_images())
        _add_after(w.menu("&File"), getattr(w, "actions", {}).get("export_svg"), self.export_action)

    def _on_document_changed(self, document: Document) -> None:
        self.controller.set_document(document)  # first: the new scene never sees the old program's current node
        self.labels.set_scene(self.window.scene)
        self.inspector.set_selected_node(None)

    def _on_selected(self, node: object) -> None:
        node_id = node if isinstance(node, str) else None
        self.controller.set_selected_node(node_id)
        self.inspector.set_selected_node(node_id)

    def select_node(self, node: str) -> None:
        """Select ``node`` on the canvas and bring it into view (a NaN/Inf stop does this)."""
        scene = self.window.scene
        try:
            item = scene.node_item(node)
        except KeyError:
            return
        scene.clearSelection()
        item.setSelected(True)
        self.window.view.ensureVisible(item)

    def export_images(self, folder: str | None = None) -> list:
        """File ▸ Export Step Images…: ask for a folder (unless given), write the PNG series; what
        it did is a note in the status bar, which then returns to the debugger's state."""
        if self.controller.training_busy:
            self.window.show_status("Export Step Images waits until the training run ends", NOTE_MS)
            return []
        if folder is None:
            folder = file_dialogs.folder_path(self.window, "Export Step Images to Folder")
            if not folder:
                return []
        try:
            paths = export_step_images(self.controller, self.window.scene, folder)
        except (OSError, ValueError) as exc:
            self.window.show_status(f"Export Step Images failed: {exc}", NOTE_MS)
            return []
        self.window.show_status(f"Wrote {plural(len(paths), 'step image')} to {folder}", NOTE_MS)
        return paths


def _add_after(menu: QMenu, anchor: QAction | None, action: QAction) -> None:
    """Put ``action`` right after ``anchor`` in ``menu`` (at the end when there is no anchor)."""
    entries = menu.actions()
    if anchor in entries and entries.index(anchor) + 1 < len(entries):
        menu.insertAction(entries[entries.index(anchor) + 1], action)
    else:
        menu.addAction(action)


def install(window: WindowFrame) -> Debugger:
    """The debugger of ``window`` (a MainWindow): the one it holds as ``window.debugger``, else a
    new one added to it (its menu, toolbar and docks); the caller keeps it (``create_window`` does)."""
    existing = getattr(window, "debugger", None)
    if isinstance(existing, Debugger):
        return existing
    return Debugger(window)
