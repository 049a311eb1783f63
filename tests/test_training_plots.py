"""The training plots: runs as labelled curves, export, centred smoothing, read-out, decision regions,
the regression's prediction, and training installed in the main window."""
from __future__ import annotations

import csv

import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox
from training_helpers import EXAMPLES, MAZUR, WAIT_MS, make_ui, open_example, reference

import app.debugger
import app.training
from app.model.document import Document
from app.training.decision_plot import GRID, class_scores
from app.training.export import runs_csv_text
from app.training.loss_traces import centred_mean
from app.training.probe import CLASSIFICATION, REGRESSION, Probe
from app.training.runs import Run, run_labels
from app.training.session import RUNNING
from app.window.main_window import MainWindow
from core.settings import TrainingSettings


def _train(qtbot, ui, steps: int | None = None, lr: float | None = None) -> Run:
    if steps is not None:
        ui.panel.steps.setValue(steps)
    if lr is not None:
        ui.panel.learning_rate.setValue(lr)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as finished:
        ui.session.train()
    return finished.args[0]


def test_two_runs_with_different_learning_rates_make_two_labelled_curves(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    first = _train(qtbot, ui, steps=400)
    loss = ui.plots.loss
    assert loss.legend_labels() == ["Run 1: SGD, lr 0.5, batch 1"]
    second = _train(qtbot, ui, lr=0.1)
    assert loss.legend_labels() == ["Run 2: lr 0.1", "Run 1: lr 0.5"]  # newest first
    runs_list = loss.runs.list
    assert [runs_list.item(i).text() for i in range(runs_list.count())] == loss.legend_labels()[::-1]
    for run, engine in ((first, reference(MAZUR, 400)), (second, reference(MAZUR, 400, learning_rate=0.1))):
        x, y = loss.curve_data(run)
        assert np.array_equal(y, np.array(engine.losses)) and np.array_equal(x, np.arange(1, 401))
    assert loss.curve(first).opts["pen"].color() != loss.curve(second).opts["pen"].color()


def test_labels_name_only_what_differs():
    base = TrainingSettings()
    runs = [
        Run(1, base, 10),
        Run(2, base.with_changes(optimizer="adam", learning_rate=0.01), 10),
        Run(3, base.with_changes(batch_size=32), 10),
    ]
    assert run_labels(runs) == [
        "Run 1: SGD, lr 0.1, full batch",
        "Run 2: Adam, lr 0.01, full batch",
        "Run 3: SGD, lr 0.1, batch 32",
    ]
    assert run_labels(runs[:1] + [Run(4, base, 10)]) == ["Run 1: SGD, lr 0.1, full batch",
                                                          "Run 4: SGD, lr 0.1, full batch"]
    other = Run(5, base, 10, source="xor.json")
    assert run_labels([Run(1, base, 10, source="mazur.json"), other]) == ["Run 1: mazur.json", "Run 5: xor.json"]


def test_csv_export_holds_every_update_of_every_run(qtbot, tmp_path):
    ui = make_ui(qtbot, open_example("mazur"))
    short = _train(qtbot, ui, steps=300)
    long = _train(qtbot, ui, steps=500, lr=0.25)
    path = tmp_path / "runs.csv"
    assert ui.plots.loss.save_csv(str(path))
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["update", "Run 1: lr 0.5", "Run 2: lr 0.25"]
    body = rows[1:]
    assert [int(r[0]) for r in body] == list(range(1, 501))
    assert np.array_equal([float(r[1]) for r in body[:300]], short.history)
    assert all(r[1] == "" for r in body[300:])
    assert np.array_equal([float(r[2]) for r in body], long.history)


def test_csv_export_to_a_missing_folder_says_where(qtbot, tmp_path):
    ui = make_ui(qtbot, open_example("mazur"))
    _train(qtbot, ui, steps=10)
    target = tmp_path / "no-such-folder" / "runs.csv"
    with qtbot.waitSignal(ui.session.message) as message:
        assert not ui.plots.loss.save_csv(str(target))
    assert message.args[0].startswith(f"Could not write {target}")
    assert not target.parent.exists()


def test_csv_text_of_no_runs_is_a_header():
    assert runs_csv_text([], []) == "update\n"


def test_png_export_writes_the_plot(qtbot, tmp_path):
    ui = make_ui(qtbot, open_example("mazur"))
    _train(qtbot, ui, steps=200)
    path = tmp_path / "loss.png"
    assert ui.plots.loss.save_png(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1920, 1080)  # a slide's size, not the dock's (test_loss_plot_slide)


def test_png_export_leaves_out_the_crosshair_and_the_auto_range_button(qtbot, tmp_path):
    ui = make_ui(qtbot, open_example("mazur"))
    _train(qtbot, ui, steps=200)
    loss = ui.plots.loss
    clean = tmp_path / "clean.png"
    loss.save_png(str(clean))
    loss.show_readout(120, 0.1)
    loss.plot.autoBtn.show()
    marked = tmp_path / "marked.png"
    assert loss.save_png(str(marked))
    assert QImage(str(marked)) == QImage(str(clean))
    assert loss._vline.isVisible() and loss._hline.isVisible() and loss.plot.autoBtn.isVisible()  # still on screen
    assert QImage(loss.plot_widget.grab().toImage()) != QImage(str(clean))  # and they do draw there


def test_the_legend_appears_with_the_first_run_top_right_and_translucent(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    loss = ui.plots.loss
    assert not loss.legend.isVisible() and loss.stack.currentWidget() is loss.placeholder
    assert not loss.png_button.isEnabled() and not loss.csv_button.isEnabled()
    _train(qtbot, ui, steps=200)
    assert loss.legend.isVisible() and loss.png_button.isEnabled() and loss.csv_button.isEnabled()
    box = loss.plot.getViewBox().sceneBoundingRect()
    legend = loss.legend.sceneBoundingRect()
    assert box.contains(legend)
    assert box.right() - legend.right() < 30 and legend.top() - box.top() < 30
    assert legend.left() > box.center().x()  # the right half: a falling loss curve is low there
    assert loss.legend.opts["brush"].color().alpha() < 200
    ui.session.clear_runs()  # no empty legend box; the axes stay, ready for the next run
    assert not loss.legend.isVisible() and loss.plot_widget.isVisible()
    assert not loss.png_button.isEnabled() and not loss.csv_button.isEnabled()


def test_runs_can_be_hidden_removed_and_cleared(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    runs = [_train(qtbot, ui, steps=50, lr=lr) for lr in (0.5, 0.2, 0.1)]
    loss = ui.plots.loss
    loss.runs.item(runs[1]).setCheckState(Qt.CheckState.Unchecked)
    assert not runs[1].visible and not loss.curve(runs[1]).isVisible()
    assert loss.legend_labels() == ["Run 3: lr 0.1", "Run 1: lr 0.5"]
    loss.runs.item(runs[1]).setCheckState(Qt.CheckState.Checked)
    assert loss.curve(runs[1]).isVisible() and len(loss.legend_labels()) == 3

    loss.runs.list.clearSelection()
    loss.runs.item(runs[0]).setSelected(True)
    qtbot.mouseClick(loss.runs.remove_button, Qt.MouseButton.LeftButton)
    assert ui.session.runs == runs[1:]
    assert loss.legend_labels() == ["Run 3: lr 0.1", "Run 2: lr 0.2"] and loss.runs.list.count() == 2
    assert all(item not in loss.plot.listDataItems() for item in [runs[0]])

    qtbot.mouseClick(loss.runs.clear_button, Qt.MouseButton.LeftButton)
    assert ui.session.runs == [] and loss.legend_labels() == [] and loss.runs.list.count() == 0
    assert loss.plot.listDataItems() == []


def test_clear_keeps_the_run_in_progress(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    done = _train(qtbot, ui, steps=20)
    ui.panel.steps.setValue(5_000_000)
    live = ui.session.train()
    ui.session.clear_runs()
    assert ui.session.runs == [live] and done not in ui.session.runs
    ui.session.remove_run(live)  # the run being trained cannot be removed
    assert ui.session.runs == [live]
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()


def _centred(h: np.ndarray, width: int) -> np.ndarray:
    """The centred mean written out: the window shrinks alike on both sides near the ends."""
    half = width // 2
    out = []
    for i in range(len(h)):
        k = min(half, i, len(h) - 1 - i)
        out.append(h[i - k : i + k + 1].mean())
    return np.array(out)


def test_smoothing_is_a_centred_mean_named_so_and_log_scale(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    run = _train(qtbot, ui, steps=300)
    loss = ui.plots.loss
    assert "centred" in loss.smoothing.text() and loss.window.suffix() == " updates"
    loss.window.setValue(21)
    loss.smoothing.setChecked(True)
    trace = loss._traces[run.number]
    x, y = trace.smooth.getOriginalDataset()
    h = run.history
    assert np.array_equal(x, np.arange(1, 301)) and np.allclose(y, _centred(h, 21), rtol=1e-12, atol=0)
    assert y[0] == h[0] and np.isclose(y[-1], h[-1], rtol=1e-12) and np.isclose(y[150], h[140:161].mean(), rtol=1e-12)
    assert trace.smooth.isVisible() and loss.window.isEnabled()
    assert loss.legend_labels() == ["Run 1: SGD, lr 0.5, batch 1"]  # the legend names the smoothed line
    loss.window.setValue(6)  # an even width becomes the odd one above: the window stays centred
    assert loss.window.value() == 7
    assert np.allclose(trace.smooth.getOriginalDataset()[1], _centred(h, 7), rtol=1e-12, atol=0)
    loss.log_y.setChecked(True)
    assert loss.plot.getAxis("left").logMode and "log" in loss.plot.getAxis("left").labelText
    loss.smoothing.setChecked(False)
    assert not trace.smooth.isVisible()


def test_a_centred_mean_does_not_shift_a_falling_curve():
    """A trailing mean of a falling line lies above it (reads as later convergence); a centred one does not."""
    values = np.linspace(1.0, 0.0, 1001)
    cumsum = np.concatenate([[0.0], np.cumsum(values)])
    smooth = centred_mean(cumsum, 1001, 25)
    assert np.allclose(smooth, values, rtol=0, atol=1e-12)
    trailing = np.array([values[max(0, i - 50) : i + 1].mean() for i in range(1001)])
    assert np.all(trailing[51:] > values[51:] + 0.02)


def test_centred_mean_of_a_growing_run_matches_a_direct_one():
    values = np.random.default_rng(1).normal(size=1000)
    cumsum = np.concatenate([[0.0], np.cumsum(values)])
    smooth = centred_mean(cumsum, 1000, 25)
    assert smooth[0] == values[0] and np.isclose(smooth[999], values[999])
    assert np.isclose(smooth[500], values[475:526].mean()) and np.isclose(smooth[10], values[:21].mean())
    assert np.allclose(centred_mean(cumsum, 600, 25), _centred(values[:600], 51), rtol=1e-12, atol=1e-12)


def test_crosshair_reads_the_loss_of_each_visible_run(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    a = _train(qtbot, ui, steps=100)
    b = _train(qtbot, ui, steps=50, lr=0.1)
    text = ui.plots.loss.show_readout(75, 0.1)
    assert text == f"update 75 · Run 1: {a.history[74]:.6g}"
    text = ui.plots.loss.show_readout(10, 0.1)
    assert text == f"update 10 · Run 1: {a.history[9]:.6g} · Run 2: {b.history[9]:.6g}"
    assert ui.plots.loss.readout.text() == text


def test_the_live_plot_follows_the_run_while_it_trains(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(5_000_000)
    run = ui.session.train()
    loss = ui.plots.loss
    seen = []
    for _ in range(3):
        with qtbot.waitSignal(loss.redrawn, timeout=WAIT_MS):
            pass
        x, y = loss.curve_data(run)
        seen.append(len(x))
        assert np.array_equal(y, run.losses[: len(y)])
    assert seen[0] < seen[-1] and ui.session.state == RUNNING
    loss.plot_widget.viewport().repaint()  # auto-range is settled when the view paints
    left, right = loss.plot.getViewBox().viewRange()[0]
    assert left <= 1 and right >= seen[-1]  # auto-range follows the run
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()


def test_decision_regions_update_during_xor_training(qtbot):
    ui = make_ui(qtbot, open_example("xor"))
    model = ui.plots.model
    ui.plots.setCurrentWidget(model)
    assert ui.plots.tabText(ui.plots.indexOf(model)) == "Decision regions" and model.kind == CLASSIFICATION
    before = model.decision.image.image.copy()
    ui.panel.steps.setValue(5_000_000)
    ui.panel.optimizer.setCurrentIndex(ui.panel.optimizer.findData("adam"))
    ui.panel.learning_rate.setValue(0.002)
    run = ui.session.train()
    images = []
    while len(images) < 3:
        with qtbot.waitSignal(model.refreshed, timeout=WAIT_MS):
            pass
        assert ui.session.state == RUNNING
        images.append((run.count, model.decision.image.image.copy()))
    assert images[0][0] < images[-1][0]
    assert any(not np.array_equal(img, before) for _, img in images)
    assert not np.array_equal(images[0][1], images[-1][1])
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()
    # after the run the regions are those of the written-back weights
    probe = Probe(ui.document.graph)
    grid, _ = probe.grid_inputs(GRID)
    weights = {p.id: p.value for p in ui.document.graph.parameters()}
    best = np.argmax(class_scores(probe, weights, grid), axis=1).reshape(GRID, GRID)
    shown = model.decision.image.image
    assert shown.shape == (GRID, GRID, 3)
    blue_wins = best == 0
    assert np.all(shown[blue_wins][:, 2] >= shown[blue_wins][:, 0])  # class 0 is tinted blue
    assert np.all(shown[~blue_wins][:, 0] >= shown[~blue_wins][:, 2])  # class 1 orange


def test_trained_xor_separates_the_corners(qtbot):
    ui = make_ui(qtbot, open_example("xor"))
    ui.plots.setCurrentWidget(ui.plots.model)
    _train(qtbot, ui)
    probe = Probe(ui.document.graph)
    weights = {p.id: p.value for p in ui.document.graph.parameters()}
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    assert np.argmax(class_scores(probe, weights, corners), axis=1).tolist() == [0, 1, 1, 0]
    x, y = ui.plots.model.decision.points.getData()
    assert sorted(zip(x.tolist(), y.tolist())) == sorted(map(tuple, corners.tolist()))


def test_regression_shows_the_prediction_against_the_target(qtbot):
    ui = make_ui(qtbot, open_example("sine"))
    model = ui.plots.model
    ui.plots.setCurrentWidget(model)
    assert ui.plots.tabText(ui.plots.indexOf(model)) == "Prediction" and model.kind == REGRESSION
    _train(qtbot, ui)
    tx, ty = model.prediction.target.getOriginalDataset()
    assert np.allclose(ty, np.sin(tx))
    px, py = model.prediction.prediction.getOriginalDataset()
    probe = Probe(ui.document.graph)
    weights = {p.id: p.value for p in ui.document.graph.parameters()}
    assert np.array_equal(py, probe.predict(weights, px.reshape(-1, 1)).reshape(-1))
    assert np.max(np.abs(py - np.sin(px))) < 0.1  # the trained network follows the sine


def test_graphs_without_a_drawable_model_say_so(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    ui.plots.setCurrentWidget(ui.plots.model)
    assert ui.plots.model.kind is None and ui.plots.model.stack.currentWidget() is ui.plots.model.note
    assert ui.plots.tabText(ui.plots.indexOf(ui.plots.model)) == "Model"


def test_install_adds_docks_menu_and_follows_the_windows_document(qtbot, tmp_path, monkeypatch):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = MainWindow(Document.open(MAZUR), recovery_dir=tmp_path / "recovery")
    qtbot.addWidget(window)
    debugger = window.debugger = app.debugger.install(window)
    training = window.training = app.training.install(window)
    window.show()
    qtbot.waitExposed(window)
    texts = [a.text() for a in window.menu("Training").actions()]
    assert texts[:4] == ["&Train", "&Pause", "&Stop", "&Reset weights"]
    assert training.session.document is window.document
    signals = [training.session.runFinished, debugger.controller.programChanged]
    with qtbot.waitSignals(signals, timeout=WAIT_MS, order="strict"):
        window.menu("Training").actions()[0].trigger()
    assert window.isWindowModified()
    engine = reference(MAZUR, 10_001)
    weights = engine.weights()
    assert np.array_equal(window.document.graph.nodes["W2"].value, reference(MAZUR, 10_000).weights()["W2"])
    # the debugger steps through the next training step with the trained weights
    debugger.controller.run_forward()
    assert debugger.controller.stepper.loss == engine.losses[-1]
    debugger.controller.apply_update()
    assert np.array_equal(window.document.graph.nodes["W1"].value, weights["W1"])

    xor = Document.open(EXAMPLES / "xor.json")
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.set_document(xor)
    assert training.session.document is xor
    assert training.plots.tabText(training.plots.indexOf(training.plots.model)) == "Decision regions"
    assert training.panel.learning_rate.value() == xor.graph.settings.learning_rate
    assert len(training.session.runs) == 1  # the curve of the other file stays, labelled with its file
    run = _train(qtbot, training, steps=10)
    assert training.plots.loss.legend_labels() == ["Run 2: xor.json, full batch", "Run 1: mazur.json, batch 1"]
    assert run.source == "xor.json"


def test_the_log_axis_turns_on_by_itself_when_the_loss_spans_more_than_two_decades(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    loss = ui.plots.loss
    _train(qtbot, ui, steps=100)  # 0.298 … 0.03: one decade, a linear axis shows it
    assert not loss.log_y.isChecked()
    _train(qtbot, ui, steps=3000)  # 0.298 … 0.00025: three decades
    assert loss.log_y.isChecked()
    assert loss.plot.getAxis("left").logMode


def test_a_log_axis_the_person_turned_off_stays_off(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    loss = ui.plots.loss
    loss.log_y.click()
    loss.log_y.click()  # ticked and unticked: their choice
    _train(qtbot, ui, steps=3000)
    assert not loss.log_y.isChecked()
