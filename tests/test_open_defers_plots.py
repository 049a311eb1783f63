"""Opening a file paints before the training plots are made: building them (pyqtgraph, a scatter of the
dataset's rows) waits for the first run or for their dock to be shown, however big the dataset; their
modules are imported once the canvas painted (``after_next_paint``). The first epoch's order of the rows
is worked out where the file is read (off the GUI thread in the window)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel

from app.model.document import Document
from app.window.after_paint import after_next_paint
from core.data import dataset as dataset_module
from core.data.dataset import Batcher

ROOT = Path(__file__).resolve().parent.parent


def _spirals(tmp_path: Path, rows: int) -> Path:
    data = json.loads((ROOT / "resources" / "examples" / "spirals.json").read_text(encoding="utf-8"))
    data["dataset"]["size"] = rows
    data["training"]["batch_size"] = 128
    path = tmp_path / f"spirals_{rows}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


class _Paints(QObject):
    def __init__(self, window) -> None:
        super().__init__()
        self.window = window
        self.plots_at_paint: list[bool] = []

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self.plots_at_paint:
            self.plots_at_paint.append(self.window.training._plots is not None)
        return False


def test_opening_a_dataset_file_paints_without_making_the_plots(workbench, qtbot, tmp_path):
    window = workbench()
    assert window.training._plots is None
    paints = _Paints(window)
    qtbot.addWidget(window)
    assert window.open_file(_spirals(tmp_path, 100_000))
    assert window.document.graph.dataset.rows == 100_000
    assert window.training._plots is None
    window.installEventFilter(paints)
    window.update()
    qtbot.waitUntil(lambda: bool(paints.plots_at_paint))
    window.removeEventFilter(paints)
    assert paints.plots_at_paint == [False]
    assert window.training._plots is None and not window.training.plots_dock.isVisible()
    window.training.plots_dock.show()  # shown from the menu: made now, for this document's rows
    qtbot.waitUntil(lambda: window.training._plots is not None)
    title = window.training.plots.model.decision.plot.titleLabel
    qtbot.waitUntil(lambda: title.text == "5,000 of 100,000 rows drawn")  # a bounded sample of the rows


def test_the_first_run_makes_the_plots_before_its_thread_starts(workbench, qtbot, tmp_path):
    window = workbench()
    assert window.open_file(_spirals(tmp_path, 200))
    assert window.training._plots is None
    session = window.training.session
    window.training.panel.steps.setValue(3)
    started = []
    session.runStarted.connect(lambda run: started.append(window.training._plots is not None))
    with qtbot.waitSignal(session.runFinished, timeout=60_000):
        session.train()
    assert started == [True] and window.training.plots_dock.isVisible()
    assert window.training.plots.loss.curve(session.runs[-1]) is not None


def test_after_next_paint_calls_once_after_the_widgets_paint(qtbot):
    widget = QLabel("x")
    qtbot.addWidget(widget)
    calls: list[bool] = []
    painted: list[int] = []
    widget.paintEvent = lambda event: (painted.append(1), QLabel.paintEvent(widget, event))
    after_next_paint(widget, lambda: calls.append(bool(painted)))
    assert calls == []
    widget.show()
    qtbot.waitUntil(lambda: calls == [True])  # called, and only after the widget painted
    widget.update()
    qtbot.waitUntil(lambda: len(painted) >= 2)
    turned: list[int] = []
    QTimer.singleShot(0, lambda: turned.append(1))  # a turn of the loop after the second paint
    qtbot.waitUntil(lambda: bool(turned))
    assert calls == [True]  # once


def test_reading_a_file_works_out_the_first_batch_off_the_gui_thread(tmp_path):
    path = _spirals(tmp_path, 10_000)
    dataset_module._permutation.cache_clear()
    graph = Document.read(path)
    before = dataset_module._permutation.cache_info()
    assert before.currsize == 1
    first = Batcher.for_training(graph.dataset, graph.settings).indices(0)
    assert dataset_module._permutation.cache_info().hits == before.hits + 1  # the window's step finds it
    assert np.array_equal(first, np.random.default_rng([0, 0]).permutation(10_000)[:128])
