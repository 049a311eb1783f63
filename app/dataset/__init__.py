"""The dataset editor in the window: ``install(window)`` adds the Dataset dock as a tab beside the
Inspector (:mod:`.panel`), its table model over the arrays (:mod:`.model`), the CSV import
dialog (:mod:`.import_dialog`), reading off the GUI thread (:mod:`.loader`) and the preview.

The dock's panel (and its modules) is built when the dock is first shown, or when the window's
``dataset_panel`` is first asked for: the window's first paint, with the dock behind the
Inspector's tab, does without it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from app.window.first_layout import DATASET_DOCK, narrow_dock_content

if TYPE_CHECKING:
    from app.dataset.panel import DatasetPanel
    from app.window.main_window import MainWindow

__all__ = ["install"]


def install(window: MainWindow) -> None:
    """Add the Dataset dock to ``window``; its panel is ``window.dataset_panel``, built on first use."""
    dock = QDockWidget("Dataset")
    dock.setObjectName(DATASET_DOCK)
    window.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea)
    window.tabifyDockWidget(window.inspector_dock, dock)
    window.inspector_dock.raise_()

    def build() -> DatasetPanel:
        from app.dataset.panel import DatasetPanel

        panel = DatasetPanel()
        dock.setWidget(narrow_dock_content(panel))  # its rows of buttons must not widen the inspector's column
        panel.set_document(window.document)
        window.documentChanged.connect(panel.set_document)
        return panel

    def on_visibility(shown: bool) -> None:
        if shown and window.build_dataset_panel is not None:
            window.dataset_panel  # noqa: B018 - asking builds it (once)

    window.build_dataset_panel = build
    dock.visibilityChanged.connect(on_visibility)
