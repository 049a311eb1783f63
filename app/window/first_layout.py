"""The window's first size and the docks' first widths: the canvas gets most of the width.

On a screen of at least :data:`SMALLEST` the window takes the available area (up to
:data:`LARGEST`); the docks start narrow, and the canvas gets the rest. Without a real screen
(the offscreen platform reports 800×600) the window is :data:`FALLBACK`. A dock whose content
is wide by nature scrolls it (:func:`narrow_dock_content`) rather than widen its column.

The side columns of docks reach the bottom of the window (:func:`arrange`): a dock at the bottom
(the training plots) takes room from the canvas only, not from the palette or the Program list.
A dock marked with :data:`HIDDEN_AT_START` stays hidden when a saved layout is restored, until
its owner shows it. View ▸ Reset Layout (:func:`add_reset`) puts the docks back as they first were.
"""
from __future__ import annotations

from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

SMALLEST = QSize(1024, 700)
LARGEST = QSize(1920, 1200)
FALLBACK = QSize(1400, 900)
PALETTE_WIDTH, INSPECTOR_WIDTH = 222, 268  # the docks' first widths (later, as the person left them)
HIDDEN_AT_START = "hiddenAtStart"  # a dock property: not shown by a restored layout
DATASET_DOCK = "datasetDock"  # the Dataset dock's object name (app.dataset makes it; the window finds it by it)


def default_size() -> QSize:
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return FALLBACK
    area = screen.availableGeometry().size()
    if area.width() < SMALLEST.width() or area.height() < SMALLEST.height():
        return FALLBACK
    return area.boundedTo(LARGEST)


def narrow_dock_content(widget: QWidget) -> QScrollArea:
    """``widget`` in a scroll area: a dock holding it can be as narrow as the docks beside it
    (its content scrolls sideways rather than widening the whole column of docks)."""
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    return scroll


def arrange(window: QMainWindow) -> None:
    """The left and right columns of docks go down to the status bar."""
    Qt = QtCore.Qt  # looked up when used: loading Qt's namespace takes ~20 ms the first paint does without
    window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)


def hide_docks_waiting_for_use(window: QMainWindow) -> None:
    """After a saved layout was restored: the docks that wait for their use stay hidden."""
    for dock in window.findChildren(QDockWidget):
        if dock.property(HIDDEN_AT_START):
            dock.hide()


def _hidden_on_purpose(widget: QWidget) -> bool:
    """Hidden by a call to hide(), not merely not shown yet (a dock added to a window already shown
    is hidden until the event loop shows it)."""
    return widget.isHidden() and widget.testAttribute(QtCore.Qt.WidgetAttribute.WA_WState_ExplicitShowHide)


def add_reset(window: Any, menu_action_before: QAction | None = None) -> QAction:
    """View ▸ Reset Layout: the docks where, and as wide as, they were in a new window."""
    first: QByteArray = window.saveState()
    shown = {dock: not _hidden_on_purpose(dock) for dock in window.findChildren(QDockWidget)}

    def reset() -> None:
        window.restoreState(first)
        for dock, visible in shown.items():
            dock.setFloating(False)
            dock.setVisible(visible and not dock.property(HIDDEN_AT_START))
        side = [d for d in (getattr(window, "palette_dock", None), getattr(window, "inspector_dock", None)) if d]
        window.resizeDocks(side, [PALETTE_WIDTH, INSPECTOR_WIDTH][: len(side)], QtCore.Qt.Orientation.Horizontal)

    action = QAction("Reset &Layout", window)
    action.setStatusTip("Put every dock back where it was in a new window")
    action.triggered.connect(reset)
    menu = window.menu("View")
    if menu_action_before is not None:
        menu.insertAction(menu_action_before, action)
    else:
        menu.addAction(action)
    window.actions["reset_layout"] = action
    return action
