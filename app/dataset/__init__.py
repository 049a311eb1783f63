"""The dataset editor in the window: ``install(window)`` adds the Dataset dock as a tab beside the
Inspector (:mod:`.panel`), its table model over the arrays (:mod:`.model`), the CSV import
dialog (:mod:`.import_dialog`), reading off the GUI thread (:mod:`.loader`) and the preview."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from app.dataset.panel import DatasetPanel
from app.window.first_layout import narrow_dock_content

__all__ = ["DatasetPanel", "install"]


def install(window: Any) -> DatasetPanel:
    panel = DatasetPanel()
    dock = QDockWidget("Dataset")
    dock.setObjectName("datasetDock")
    dock.setWidget(narrow_dock_content(panel))  # its rows of buttons must not widen the inspector's column
    window.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea)
    window.tabifyDockWidget(window.inspector_dock, dock)
    window.inspector_dock.raise_()
    panel.set_document(window.document)
    window.documentChanged.connect(panel.set_document)
    window.dataset_panel, window.dataset_dock = panel, dock
    return panel
