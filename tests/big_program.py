"""A Program view over a 3,000-node layered graph (about 5,600 steps), shown at a given size: the
long program the Program list's tests scroll, click and type in."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.debugger.controller import DebugController
from app.debugger.program_view import ProgramView
from app.model.document import Document
from benchmarks.bench_editor import layered_graph


def big_program_view(qtbot, width: int = 300, height: int = 600) -> tuple[DebugController, ProgramView]:
    """The controller and its shown Program view (registered with ``qtbot``)."""
    controller = DebugController(Document(layered_graph(3000, 4000)))
    view = ProgramView(controller)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    return controller, view


def settle(qtbot, controller: DebugController) -> None:
    """Wait until an action on the worker thread ended, then let the views follow."""
    qtbot.waitUntil(lambda: not controller.running)
    QApplication.processEvents()
