"""Labels the debugger's backlog changes in a slice of the label pass's timer do not post a pass
of their own (it ran right after the slice, before the next paint): the timer's next tick places
their first slice, as that pass did, and the labels end where a pass posted for each burst put them."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF
from wide_graphs import fan_out_graph

from app import debugger
from app.editor import label_pass
from app.model.document import Document
from core import io


def _stepped(make_main_window: Any, path: Any) -> Any:
    window = make_main_window(Document.open(path), install=[debugger.install])
    window.resize(1600, 1000)
    window.view.set_scale(0.25, QPointF(0.0, 0.0))  # many items in sight, more than a step draws at once
    window.debugger.labels.backlog.clock = iter(range(10**6)).__next__  # each batch "takes" a second: one a slice
    QCoreApplication.sendPostedEvents(window.scene.label_pass)
    window.run_steps(1)
    QCoreApplication.sendPostedEvents(window.scene.label_pass)  # the burst's first slice, before the repaint
    window.scene.label_pass._timer.stop()  # the test runs the ticks itself
    assert window.debugger.labels.backlog.pending()
    return window


def _settle(passes: Any, record: list[str]) -> None:
    """Tick until nothing waits, noting what each tick did ("drew", "posted" when a pass was posted)."""
    run_posted = passes.run_posted

    def posted() -> None:
        if passes._posted:
            record.append("posted")
        run_posted()

    passes.run_posted = posted
    while passes.pending():
        drawing = any(work.pending() for work in passes._prerequisites)
        passes._tick()
        passes._timer.stop()
        record.append("drew" if drawing else "tick")
        QCoreApplication.sendPostedEvents(passes)


def _places(window: Any) -> dict[Any, tuple[float, float]]:
    return {(*edge.key, side): (label.pos().x(), label.pos().y())
            for edge in window.scene.edge_items() for label, side in edge.labels_with_side()}


def test_a_backlog_slice_leaves_its_labels_to_the_next_tick_and_they_land_where_a_posted_pass_put_them(
        make_main_window, tmp_path, monkeypatch):
    path = tmp_path / "fan.json"
    io.save(fan_out_graph(60, size=2), path)
    waiting = _stepped(make_main_window, path)
    record: list[str] = []
    _settle(waiting.scene.label_pass, record)
    assert record.count("drew") >= 2
    assert "posted" not in record

    posted = _stepped(make_main_window, path)
    monkeypatch.setattr(label_pass.LabelPass, "_post", _post_always)
    reference: list[str] = []
    _settle(posted.scene.label_pass, reference)
    assert "posted" in reference  # the way it was: each backlog slice posted a pass
    assert _places(waiting) == _places(posted)
    assert len(_places(waiting)) == 2 * 60 + 1


def _post_always(self: label_pass.LabelPass) -> None:
    """The pass's post as it was: every burst posts a pass, even one a backlog slice draws."""
    if not self._posted:
        self._posted = True
        QCoreApplication.postEvent(self, label_pass.QEvent(label_pass.PASS_EVENT))

