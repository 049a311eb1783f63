"""A timer's slice of the label pass does not make the shown view repaint straight after it:
the view is kept quiet while the slice changes items (and through the slices that follow
before its repaint), then repaints its whole viewport from a timer of its own, so input waits
for the slice or the paint, not both. No timing is asserted: the order of events is."""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF
from PySide6.QtWidgets import QGraphicsView
from wide_graphs import fan_out_graph

from app import debugger
from app.model.document import Document
from core import io

QUIET = QGraphicsView.ViewportUpdateMode.NoViewportUpdate


class Paints(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: Any) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


@pytest.fixture
def stepped(make_main_window, tmp_path, qtbot):
    """A window of a 161-node fan-out graph after its first step, its labels still waiting."""
    path = tmp_path / "fan.json"
    io.save(fan_out_graph(40, size=1), path)
    window = make_main_window(Document.open(path), install=[debugger.install])
    window.resize(1600, 1000)
    window.view.set_scale(1.0, QPointF(0.0, 0.0))
    qtbot.waitUntil(lambda: not window.scene.label_pass.pending())
    window.run_steps(1)
    QCoreApplication.sendPostedEvents(window.scene.label_pass)
    assert window.scene.label_pass.pending()
    window.scene.label_pass._timer.stop()  # the test runs the slices itself
    return window


def test_a_slice_leaves_the_repaint_to_a_later_tick_and_the_view_then_repaints_all_it_shows(stepped, qtbot):
    view, passes = stepped.view, stepped.scene.label_pass
    own_mode = view.viewportUpdateMode()
    assert own_mode != QUIET
    paints = Paints(view.viewport())
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    before = paints.count

    passes._tick()
    passes._timer.stop()
    assert view.viewportUpdateMode() == QUIET  # what the slice changed is not repainted on its own
    QCoreApplication.sendPostedEvents()  # the scene's queued updates and any update request
    assert paints.count == before

    qtbot.waitUntil(lambda: view.viewportUpdateMode() == own_mode)
    qtbot.waitUntil(lambda: paints.count > before)  # the whole viewport, in a tick of its own


def test_slices_before_the_repaint_share_it_and_the_view_gets_its_own_mode_back(stepped, qtbot):
    view, passes = stepped.view, stepped.scene.label_pass
    own_mode = view.viewportUpdateMode()
    for _ in range(3):  # three slices while the first one's repaint waits
        passes._tick()
        passes._timer.stop()
        assert view.viewportUpdateMode() == QUIET
    qtbot.waitUntil(lambda: view.viewportUpdateMode() == own_mode)
    while passes.pending():  # the rest, each slice with the event loop in between
        passes._tick()
        passes._timer.stop()
        QCoreApplication.processEvents()
    qtbot.waitUntil(lambda: view.viewportUpdateMode() == own_mode)


def test_a_hidden_view_is_left_alone(stepped):
    view, passes = stepped.view, stepped.scene.label_pass
    own_mode = view.viewportUpdateMode()
    view.hide()
    passes._tick()
    passes._timer.stop()
    assert view.viewportUpdateMode() == own_mode
