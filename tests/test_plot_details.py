"""Details of the training plots: the loss legend lists runs newest first with each held-out curve
beside its run; the Parameters tab shows its note and no empty axes before a run, and every
small plot names its x axis."""
from __future__ import annotations

from training_helpers import WAIT_MS, make_ui, open_example

from app.training.param_plots import NOTE


def _train(qtbot, ui, steps: int) -> None:
    ui.panel.steps.setValue(steps)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.train()


def test_held_out_curves_are_listed_beside_their_runs_newest_first(qtbot) -> None:
    ui = make_ui(qtbot, open_example("iris"))
    assert ui.session.document.graph.dataset.test_rows > 0
    _train(qtbot, ui, 20)
    _train(qtbot, ui, 20)
    labels = ui.plots.loss.legend_labels()
    assert [label.split(":")[0] + (" held out" if label.endswith("(held out)") else "") for label in labels] == [
        "Run 2", "Run 2 held out", "Run 1", "Run 1 held out"]


def test_the_parameters_tab_shows_no_empty_axes_and_labels_every_plot(qtbot) -> None:
    ui = make_ui(qtbot, open_example("xor"))
    plots = ui.plots
    plots.setCurrentWidget(plots.params)
    params = plots.params
    assert params.note.text() == NOTE and params.note.isVisible()
    assert not params.plots_area.isVisible()  # no plots with ticks and no data
    _train(qtbot, ui, 50)
    qtbot.waitUntil(lambda: params.plots_area.isVisible())
    assert len(params.curves) == 4
    items = [params.layout_widget.getItem(i // 3, i % 3) for i in range(4)]
    assert [item.getAxis("bottom").labelText for item in items] == ["update"] * 4
