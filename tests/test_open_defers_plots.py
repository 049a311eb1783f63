"""Opening a file paints before the training plots are made: building them (pyqtgraph, a scatter of the
dataset's rows) waits for the first run or for their dock to be shown, however big the dataset."""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QEvent, QObject

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
