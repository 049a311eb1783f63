"""What a training tick does: the held-out curves' bounds are kept when a curve is drawn, so fitting
the loss plot's view on a tick reads one pair per run, never the measurements; and a run's curve is
drawn in pieces, a tick giving new points to the last piece only (app.training.loss_traces)."""
from __future__ import annotations

import numpy as np
from training_helpers import MAZUR, WAIT_MS, make_ui, open_example

from app.model.document import Document
from app.training import loss_traces
from app.training.loss_plot import LossPlot
from app.training.runs import RUNNING, Run
from app.training.session import TrainingSession
from core import io
from core.settings import TrainingSettings


def test_the_view_fits_the_held_out_curves_as_drawn(qtbot) -> None:
    ui = make_ui(qtbot, open_example("iris"))
    ui.panel.steps.setValue(200)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as finished:
        ui.session.train()
    run = finished.args[0]
    loss = ui.plots.loss
    held = loss.held_out
    x, y = held.curve(run).getOriginalDataset()
    assert len(y) == len(run.evals.updates) > 2
    assert held.bounds() == (float(np.min(y)), float(np.max(y)))
    top = loss.plot.getViewBox().viewRange()[1][1]
    assert top >= (np.log10(np.max(y)) if loss.log_y.isChecked() else np.max(y))  # the view holds it

    evals = run.evals  # measurements the plot has not drawn yet do not move the bounds
    evals.test_loss.append(1e9)
    evals.test_accuracy.append(evals.test_accuracy[-1])
    evals.train_accuracy.append(evals.train_accuracy[-1])
    evals.updates.append(evals.updates[-1] + 1)  # last, as the worker adds a measurement
    assert held.bounds() == (float(np.min(y)), float(np.max(y)))
    held.redraw()
    assert held.bounds() == (float(np.min(y)), 1e9)

    ui.session.set_visible(run, False)
    assert held.bounds() is None  # a hidden run's curve is not fitted


def _synthetic(qtbot, monkeypatch, piece: int):
    """A loss plot of a session holding one run in progress of 10,000 planned updates, pieces of ``piece``."""
    monkeypatch.setattr(loss_traces, "PIECE", piece)
    session = TrainingSession(Document(io.load(MAZUR)))
    plot = LossPlot(session)
    qtbot.addWidget(plot)
    plot.resize(900, 400)
    plot.show()
    run = Run(1, TrainingSettings(), 10_000)
    run.status = RUNNING
    session.runs.append(run)
    session.runsChanged.emit()
    return session, plot, run


def test_a_tick_gives_new_points_to_the_last_piece_of_the_curve_only(qtbot, monkeypatch) -> None:
    session, plot, run = _synthetic(qtbot, monkeypatch, piece=1000)
    losses = np.exp(-np.linspace(0.0, 8.0, 10_000))
    trace = plot._traces[run.number]

    def tick(count: int) -> set[int]:
        """Draw ``count`` losses; the pieces given new data."""
        before = [piece.getOriginalDataset()[1] for piece in trace.pieces]  # kept: compared by identity
        run.losses[:count] = losses[:count]
        run.count = count
        plot.redraw()
        return {k for k, piece in enumerate(trace.pieces)
                if k >= len(before) or piece.getOriginalDataset()[1] is not before[k]}

    for count in (400, 900, 2_500, 2_900, 3_300):
        tick(count)
    assert len(trace.pieces) == 4  # 3,300 points: 1,000 updates a piece, each sharing its last point
    assert tick(3_700) == {3}  # a tick within the last piece
    assert tick(5_200) == {3, 4, 5} and len(trace.pieces) == 6  # it completes the last piece, begins two
    x, y = plot.curve_data(run)
    assert np.array_equal(x, np.arange(1, 5_201)) and np.array_equal(y, losses[:5_200])
    for a, b in zip(trace.pieces, trace.pieces[1:]):  # no gap between pieces
        assert a.getOriginalDataset()[0][-1] == b.getOriginalDataset()[0][0]


def test_every_piece_follows_the_runs_look(qtbot, monkeypatch) -> None:
    session, plot, run = _synthetic(qtbot, monkeypatch, piece=500)
    run.losses[:2_000] = np.exp(-np.linspace(0.0, 8.0, 2_000))
    run.count = 2_000
    plot.redraw()
    trace = plot._traces[run.number]
    assert len(trace.pieces) == 4 and all(p in plot.plot.listDataItems() for p in trace.pieces)
    session.set_visible(run, False)
    assert not any(p.isVisible() for p in trace.pieces)
    session.set_visible(run, True)
    plot.log_y.setChecked(True)
    assert all(p.opts["logMode"][1] and not p.opts["skipFiniteCheck"] for p in trace.pieces)
    plot.smoothing.setChecked(True)  # the raw curve goes faint under its smoothed line
    alphas = {p.opts["pen"].color().alpha() for p in trace.pieces}
    assert len(alphas) == 1 and alphas.pop() < 255
    session.clear_runs()
    session.runs.clear()
    session.runsChanged.emit()
    assert not any(p in plot.plot.listDataItems() for p in trace.pieces)
