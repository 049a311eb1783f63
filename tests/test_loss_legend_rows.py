"""What the loss plot's legend lists (app.training.legend_rows): after many runs across two
documents, this document's runs newest first, then the other document's (faint), at most MAX_RUNS
runs and the rest counted on one line; never taller than the data area, however small the dock."""
from __future__ import annotations

import weakref

import numpy as np
from PySide6.QtWidgets import QApplication
from training_helpers import EXAMPLES

from app.model.document import Document
from app.training.legend_rows import FAINT_TEXT, MAX_RUNS, Row, pick_rows, runs_text
from app.training.loss_plot import LossPlot
from app.training.runs import COLOURS, FINISHED, Run
from app.training.session import TrainingSession
from core.settings import TrainingSettings


def _groups(*runs: tuple[str, bool, bool]) -> list[list[Row]]:
    """A group per run: (name, own, with a held-out curve)."""
    return [[Row(name, name, own)] + ([Row(name + "h", name + " (held out)", own)] if held else [])
            for name, own, held in runs]


def test_rows_are_bounded_by_the_room_and_the_run_count_and_say_what_was_left_out():
    groups = _groups(("R9", True, False), ("R8", True, True), ("R7", True, False), ("R3", False, False),
                     ("R2", False, False), ("R1", False, False), ("R0", False, False))
    assert [r.text for r in pick_rows(groups, 20)] == [
        "R9", "R8", "R8 (held out)", "R7", "R3", "R2", "+2 runs of other files"]  # MAX_RUNS runs
    assert MAX_RUNS == 5
    assert [r.text for r in pick_rows(groups, 4)] == ["R9", "R8", "R8 (held out)", "+1 earlier run, 4 of other files"]
    assert [r.text for r in pick_rows(groups, 3)] == ["R9", "+2 earlier runs, 4 of other files"]
    assert [r.text for r in pick_rows(groups, 1)] == ["R9"]  # the newest run while one row fits
    assert pick_rows(groups, 0) == []
    held_first = _groups(("R9", True, True), ("R8", True, False))
    assert [r.text for r in pick_rows(held_first, 2)] == ["R9", "+1 earlier run"]
    assert [r.text for r in pick_rows(held_first[:1], 1)] == ["R9"]
    summary = pick_rows(groups, 3, lambda text, short: short)[-1]
    assert summary.item is None and summary.text == "+6 more"
    assert runs_text(3, 0, False) == "+3 earlier runs" and runs_text(0, 1, False) == "+1 run of other files"


def _runs_in_two_documents(qtbot, size: tuple[int, int]):
    """A loss plot after 4 runs of mazur.json and then 3 of xor.json (shown now)."""
    mazur, xor = Document.open(EXAMPLES / "mazur.json"), Document.open(EXAMPLES / "xor.json")
    session = TrainingSession(mazur)
    plot = LossPlot(session)
    qtbot.addWidget(plot)
    plot.resize(*size)
    plot.show()
    qtbot.waitExposed(plot)
    for number in range(1, 8):
        if number == 5:
            session.set_document(xor)
        document = session.document
        run = Run(number, TrainingSettings(learning_rate=1.0 / number), 300, source=document.title(),
                  owner=weakref.ref(document), colour=COLOURS[number - 1])
        run.losses[:] = np.exp(-np.arange(300) / (40.0 * number))
        run.count, run.status = 300, FINISHED
        session.runs.append(run)
        session.runsChanged.emit()
    return session, plot, (mazur, xor)


def _settled(plot: LossPlot) -> None:
    for _ in range(3):  # the layout takes the legend's size, the view its new height
        plot.grab()
        QApplication.processEvents()


def test_the_legend_lists_this_documents_runs_newest_first_then_the_others_faint(qtbot):
    session, plot, _documents = _runs_in_two_documents(qtbot, (1100, 520))
    _settled(plot)
    labels = session.labels()
    assert plot.legend_labels() == [labels[7], labels[6], labels[5], labels[4], labels[3], "+2 runs of other files"]
    assert labels[7].startswith("Run 7") and "mazur.json" in labels[4]
    colours = [label.opts["color"] for _, label in plot.legend.items]
    assert FAINT_TEXT not in colours[:3] and colours[3:5] == [FAINT_TEXT, FAINT_TEXT]
    view = plot.plot.getViewBox().sceneBoundingRect()
    assert plot.legend.sceneBoundingRect().height() <= view.height()

    session.set_visible(session.runs[-1], False)  # a hidden run is not listed: the next is the newest
    assert plot.legend_labels()[0] == labels[6] and plot.legend_labels()[-1] == "+1 run of other files"


def test_at_a_small_dock_size_the_legend_fits_the_view_and_lists_the_newest_run(qtbot):
    session, plot, _documents = _runs_in_two_documents(qtbot, (420, 210))
    _settled(plot)
    view = plot.plot.getViewBox().sceneBoundingRect()
    legend = plot.legend.sceneBoundingRect()
    assert plot.legend.isVisible() and legend.height() <= view.height()
    assert legend.width() <= view.width()
    labels = plot.legend_labels()
    assert labels[0].startswith("Run 7") and 1 < len(labels) < 6, labels
    assert labels[-1].startswith("+") and labels[-1].endswith("more")  # cut short with the labels

    plot.resize(1100, 520)  # a taller plot has room for more rows again
    qtbot.waitUntil(lambda: len(plot.legend_labels()) == 6)
    assert plot.legend_labels()[0] == session.labels()[7]


def test_a_slide_lists_the_runs_in_full(qtbot):
    session, plot, _documents = _runs_in_two_documents(qtbot, (420, 210))
    _settled(plot)
    rows = plot.legend_rows(960, 400)
    labels = session.labels()
    assert [r.text for r in rows] == [labels[7], labels[6], labels[5], labels[4], labels[3], "+2 runs of other files"]


def test_the_accuracy_legend_follows_the_same_rule(qtbot):
    """Seven classifier runs with held-out rows: the Accuracy tab's legend lists the newest runs of
    this document first, two rows each, within the plot's height."""
    from app.training.heldout import EvalTrace
    from app.training.heldout_plot import AccuracyPlot

    session, loss, _documents = _runs_in_two_documents(qtbot, (420, 210))
    for run in session.runs:
        run.evals = EvalTrace(classifier=True, held_out=True, updates=[1, 2], test_loss=[1.0, 0.5],
                              test_accuracy=[0.5, 0.75], train_accuracy=[0.5, 1.0])
    accuracy = AccuracyPlot(session)
    qtbot.addWidget(accuracy)
    accuracy.resize(700, 420)
    accuracy.show()
    qtbot.waitExposed(accuracy)
    session.runsChanged.emit()
    for _ in range(3):
        accuracy.grab()
        QApplication.processEvents()
    labels = [label.text for _, label in accuracy.legend.items]
    assert labels[0].startswith("Run 7") and labels[0].endswith("(training)") and labels[1].endswith("(held out)")
    assert labels[2].startswith("Run 6") and labels[-1].startswith("+") and len(labels) <= 2 * MAX_RUNS + 1
    view = accuracy.plot.getViewBox().sceneBoundingRect()
    assert accuracy.legend.sceneBoundingRect().height() <= view.height()
