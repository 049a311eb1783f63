"""The dataset editor in the window: ``install(window)`` adds the Dataset dock as a tab beside the
Inspector (:mod:`.panel`), its table model over the arrays (:mod:`.model`), the CSV import
dialog (:mod:`.import_dialog`), reading off the GUI thread (:mod:`.loader`) and the preview."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from app.dataset.panel import DatasetPanel
from app.window.first_layout import narrow_dock_content
from app.window.frame import WindowFrame

__all__ = ["DatasetPanel", "install"]


def install(window: WindowFrame) -> DatasetPanel:
    """Add the Dataset dock to ``window`` (a MainWindow); the caller keeps the panel (``create_window``
    keeps it as ``window.dataset_panel``)."""
    panel = DatasetPanel()
    dock = QDockWidget("Dataset")
    dock.setObjectName("datasetDock")
    dock.setWidget(narrow_dock_content(panel))  # its rows of buttons must not widen the inspector's column
    window.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea)
    window.tabifyDockWidget(window.inspector_dock, dock)
    window.inspector_dock.raise_()
    panel.set_document(window.document)
    window.documentChanged.connect(panel.set_document)
    return panel
