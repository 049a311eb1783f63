"""What the GUI thread does with a big dataset at Train, while a run goes on and at Stop is
bounded by the rows the plots draw, not by the rows of the file (a million-row spirals file at
batch size 0 froze the window for seconds); the first sample of the parameters' norms costs no
extra pass over the rows."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
from training_helpers import EXAMPLES, WAIT_MS

from app import training
from app.training.sample import PLOT_ROWS
from core import io
from core.trainer import Trainer

ROWS = 60_000  # more than PLOT_ROWS; small enough for a quick whole-batch update


class Counted(np.ndarray):
    """A dataset column that records how many rows each NumPy call on the GUI thread read."""

    gui = threading.get_ident()
    seen: list[int] = []

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):  # noqa: ANN001
        plain = [np.asarray(a) if isinstance(a, Counted) else a for a in inputs]
        self._note(inputs)
        return getattr(ufunc, method)(*plain, **kwargs)

    def __array_function__(self, func, types, args, kwargs):  # noqa: ANN001
        self._note(args)
        plain = [np.asarray(a) if isinstance(a, Counted) else a for a in args]
        return func(*plain, **kwargs)

    def __getitem__(self, key):  # noqa: ANN001
        picked = np.asarray(self)[key]  # indexing reads the rows it picks (a slice reads none: a view)
        if not isinstance(key, slice):
            self._note([picked.view(Counted)])
        return picked.view(Counted) if picked.ndim else picked

    @classmethod
    def _note(cls, arrays) -> None:  # noqa: ANN001
        if threading.get_ident() == cls.gui:
            cls.seen.extend(a.shape[0] for a in arrays if isinstance(a, Counted) and a.ndim)


def _open_big(window, tmp_path: Path):
    data = json.loads((EXAMPLES / "spirals.json").read_text(encoding="utf-8"))
    data["dataset"]["size"] = ROWS
    data["training"]["batch_size"] = 0  # the whole set
    data["training"]["steps"] = 1_000_000
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert window.open_file(path)
    dataset = window.document.graph.dataset
    for name in list(dataset.fields):
        dataset.fields[name] = dataset.fields[name].view(Counted)
    dataset._split = None
    return dataset


def test_train_ticks_and_stop_read_a_bounded_sample_of_a_big_dataset_on_the_gui_thread(make_main_window, qtbot,
                                                                                        tmp_path):
    window = make_main_window(install=[training.install])
    dataset = _open_big(window, tmp_path)
    assert dataset.rows == ROWS
    Counted.gui = threading.get_ident()
    Counted.seen = []
    session = window.training.session
    session.train()  # the plots are made now (first run): the Model tab draws the decision regions
    plots = window.training.plots
    plots.setCurrentWidget(plots.model)
    qtbot.waitUntil(lambda: session.runs[-1].count >= 2 and plots.model.refreshes >= 1, timeout=WAIT_MS)
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        session.stop()
    assert session.runs[-1].status == "stopped"
    assert Counted.seen, "the GUI thread read no dataset rows: the check measured nothing"
    assert max(Counted.seen) <= PLOT_ROWS  # never a pass over all 60,000 rows on the GUI thread
    decision = plots.model.decision
    assert len(decision.points.data) == PLOT_ROWS


def test_the_norms_at_update_0_are_the_starting_weights_and_the_first_updates_gradient(make_main_window,
                                                                                      qtbot):
    window = make_main_window(install=[training.install])
    assert window.files.open_example(EXAMPLES / "xor.json")
    session = window.training.session
    window.training.panel.steps.setValue(5)
    reference = Trainer(io.load(EXAMPLES / "xor.json"))
    start = reference.weights()
    reference.run(1)
    first = reference.gradients()
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS) as finished:
        session.train()
    trace = finished.args[0].params
    assert trace.updates[:1] == [0] and trace.updates == sorted(set(trace.updates))
    i = 0
    for name in trace.names:
        assert trace.norms[name][i] == np.linalg.norm(start[name])
        assert trace.grad_norms[name][i] == np.linalg.norm(first[name]) > 0
