"""What a training tick reads: the held-out curves' bounds are kept when a curve is drawn, so
fitting the loss plot's view on a tick reads one pair per run, never the measurements."""
from __future__ import annotations

import numpy as np
from training_helpers import WAIT_MS, make_ui, open_example


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
