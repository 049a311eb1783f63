"""A graph of many parameters opens without a plot per parameter: the Parameters tab draws the first
MAX_PLOTS and says how many there are (1,250 plots, made on the GUI thread, froze the window 52 s)."""
from __future__ import annotations

from training_helpers import EXAMPLES, WAIT_MS
from wide_graphs import fan_out_graph

from app.model.document import Document
from app.training.param_plots import MAX_PLOTS, NOTE


def test_the_parameters_tab_draws_the_first_plots_of_a_graph_of_many_parameters(workbench, qtbot) -> None:
    window = workbench()
    plots = window.training.plots
    assert window.files.open_example(EXAMPLES / "xor.json")
    assert plots.params.names == ["W1", "b1", "W2", "b2"] and plots.params.note.text() == NOTE

    wide = fan_out_graph(60)  # x and p0 … p59: 61 trainable parameters
    window.set_document(Document(wide))
    assert plots.params.names == ["x"] + [f"p{i}" for i in range(MAX_PLOTS - 1)]
    assert plots.params.note.text() == NOTE + f" (the first {MAX_PLOTS} of 61 parameters)"

    window.training.panel.steps.setValue(3)
    with qtbot.waitSignal(window.training.session.runFinished, timeout=WAIT_MS):
        window.training.session.train()
    assert len(plots.params.names) == MAX_PLOTS
    assert plots.params.note.text().endswith(f"(log scale) (the first {MAX_PLOTS} of 61 parameters)")
