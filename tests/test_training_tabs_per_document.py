"""The Accuracy and Parameters tabs follow the document that is open (issue 12's review): accuracy
only for a classification objective, another document's runs dimmed and never read out as this
one's, and the parameter norms of another document's run not shown under this one's."""
from __future__ import annotations

import numpy as np
from training_helpers import EXAMPLES, WAIT_MS

from app.training.param_plots import NOTE
from core import io
from core.data.evaluate import graph_classifies


def test_graph_classifies_by_its_objective() -> None:
    assert graph_classifies(io.load(EXAMPLES / "xor.json")) and graph_classifies(io.load(EXAMPLES / "iris.json"))
    assert not graph_classifies(io.load(EXAMPLES / "sine.json"))
    assert not graph_classifies(io.load(EXAMPLES / "mazur.json"))


def test_accuracy_and_parameters_tabs_show_only_the_open_documents_runs(workbench, qtbot) -> None:
    window = workbench()
    training = window.training
    plots = training.plots
    accuracy_tab = plots.indexOf(plots.accuracy)
    assert window.files.open_example(EXAMPLES / "xor.json")
    training.panel.steps.setValue(50)
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS) as finished:
        training.session.train()
    xor_run = finished.args[0]
    assert plots.isTabVisible(accuracy_tab)
    assert plots.accuracy.readout.text().startswith(f"Run 1 at update {xor_run.count:,}: training ")
    assert plots.params.note.text().startswith("Run 1: the norm of each parameter")
    assert plots.params.names == ["W1", "b1", "W2", "b2"]

    for name in ("sine", "apple"):  # regression, and no objective that classifies
        assert window.files.open_example(EXAMPLES / f"{name}.json")
        assert not plots.isTabVisible(accuracy_tab)
    assert window.files.open_example(EXAMPLES / "mazur.json")
    assert plots.params.run is None and plots.params.note.text() == NOTE
    assert plots.params.names == ["W1", "W2"]
    plots.params.show()
    plots.setCurrentWidget(plots.params)
    x, _ = plots.params.curves["W1"][0].getData()
    assert x is None or len(x) == 0  # nothing of XOR's run drawn under Mazur's W1

    assert window.files.open_example(EXAMPLES / "iris.json")  # a classifier with no run of its own
    assert plots.isTabVisible(accuracy_tab)
    assert plots.accuracy.readout.text() == " "
    pen = plots.accuracy._items[(xor_run.number, "train_accuracy")].opts["pen"]
    assert pen.color().alpha() < 255  # another document's run: dimmed
    labels = [label.text for _, label in plots.accuracy.legend.items]
    head, _, tail = labels[0].partition("…")  # as long as the plot's width allows: cut in the middle
    full = "Run 1: SGD, lr 0.5, full batch (xor.json (example)) (training)"
    assert len(labels) == 1 and full.startswith(head) and full.endswith(tail) and head.startswith("Run 1: ")

    assert window.files.open_example(EXAMPLES / "xor.json")  # a new copy of XOR: not the document that ran
    assert plots.params.run is None
    training.panel.steps.setValue(20)
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS) as finished:
        training.session.train()
    assert plots.accuracy.readout.text().startswith("Run 2 at update 20: training ")
    own = plots.accuracy._items[(finished.args[0].number, "train_accuracy")].opts["pen"]
    assert own.color().alpha() == 255
    assert np.isfinite(plots.accuracy.curve_data(finished.args[0], "train_accuracy")[1]).all()
