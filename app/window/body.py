"""What the main window holds once built, and the work on it that needs the engine.

:meth:`MainWindow.build <app.window.main_window.MainWindow.build>` calls :func:`build`: the undo
group, the file and export operations, autosave, the canvas, the palette and the inspector docks,
the status bar, the File/Edit/View/Help menus and the document. The window's own module imports
this one only when it builds, so the launcher can paint the window before NumPy and the engine
are imported (:mod:`app.window.opening`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QUndoGroup
from PySide6.QtWidgets import QDockWidget, QWidget

from app.editor.editing import DROP_OFFSET
from app.editor.palette import Palette
from app.editor.placement import NEW_NODE_SIZE, NODE_GAP, free_spot, spot_beside
from app.editor.scene import GraphScene
from app.editor.view import EditorView
from app.inspector.panel import Inspector
from app.model.document import Document
from app.window import first_layout
from app.window import menus as window_menus
from app.window.autosave import DEFAULT_INTERVAL_MS, Autosaver
from app.window.exports import ExportOps
from app.window.files import FileOps
from app.window.first_layout import INSPECTOR_WIDTH, PALETTE_WIDTH
from app.window.frame import WindowFrame
from app.window.status import NOTE_MS, StatusArea

VIEW_MARGIN = 40.0  # between a new node and the edge of the visible canvas


def build(window: WindowFrame, host: Any, document: Document | None, recovery_dir: Path | None,
          autosave_ms: int | None) -> None:
    """Fill ``window`` and show ``document`` in it (None: an empty graph). ``host`` is the same window
    as the file and export operations see it."""
    window.setDockNestingEnabled(True)
    window.setAcceptDrops(True)  # a .json file dropped on the window opens it
    window.undo_group = QUndoGroup(window)
    window.files = FileOps(host, window)
    window.exports = ExportOps(host, window)
    window.autosaver = Autosaver(recovery_dir, DEFAULT_INTERVAL_MS if autosave_ms is None else autosave_ms, window)
    window.autosaver.failed.connect(lambda message: window.show_status(message, 10000))
    window.view = EditorView(None, window)
    window.setCentralWidget(window.view)
    window.palette = Palette()
    window.palette.opActivated.connect(window.add_node_at_centre)
    window.palette_dock = _dock(window, "Palette", "paletteDock", window.palette)
    window.inspector = Inspector()
    window.inspector.statusMessage.connect(lambda text: window.status.note(text))
    window.inspector_dock = _dock(window, "Inspector", "inspectorDock", window.inspector)
    window.status = StatusArea(window)
    window.status.bar.insertPermanentWidget(0, window.files.saver.progress)  # a long save's progress and Cancel
    window_menus.build(window)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.palette_dock)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.inspector_dock)
    window.resizeDocks([window.palette_dock, window.inspector_dock], [PALETTE_WIDTH, INSPECTOR_WIDTH],
                       Qt.Orientation.Horizontal)
    first_layout.arrange(window)
    window.set_document(document if document is not None else Document())


def _dock(window: WindowFrame, title: str, name: str, widget: QWidget) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    return dock


def new_scene(window: WindowFrame, document: Document) -> GraphScene:
    """The canvas's scene of ``document``, connected to the window's status bar."""
    scene = GraphScene(document, window)
    scene.statusMessage.connect(window.status.note)
    window.status.watch(scene)
    return scene


def add_node_at_centre(window: WindowFrame, op_type: str) -> str | None:
    """See :meth:`MainWindow.add_node_at_centre <app.window.main_window.MainWindow.add_node_at_centre>`."""
    scene, view = window.scene, window.view
    selected = [scene.node_item(n) for n in scene.selected_node_ids()]
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    if selected:
        anchor = max(selected, key=lambda item: item.sceneBoundingRect().right())
        corner = spot_beside(scene, anchor)
    else:
        step = NEW_NODE_SIZE.width() + NODE_GAP.width()
        columns = int((visible.width() - 2 * VIEW_MARGIN) // step)
        corner = free_spot(scene, visible.topLeft() + QPointF(VIEW_MARGIN, VIEW_MARGIN), columns)
    node_id = view.add_node(op_type, corner + QPointF(*DROP_OFFSET))
    if node_id is not None:
        view.ensureVisible(scene.node_item(node_id).sceneBoundingRect(), 40, 40)
        window.show_status(f"Added {node_id}: connect it by dragging from one port to another", NOTE_MS)
    return node_id
