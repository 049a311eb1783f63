"""The legend's place is judged only when the view, the legend or the curves' extent on screen
changed, applied only when it differs, and its own moves set off nothing (app.training.legend_place)."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication
from training_helpers import WAIT_MS, make_ui, open_example

from app.training import legend_place
from app.training.legend_place import counts_under, points_under, shown_points
from app.training.plot_style import add_legend, make_plot


def _settled(qtbot, placer) -> None:
    """Process events until a look changes nothing more (each look is a zero timer)."""
    for _ in range(20):
        before = (placer.judged, placer.applied)
        for _ in range(5):
            QApplication.processEvents()
        if (placer.judged, placer.applied) == before and not placer._timer.isActive():
            return
    raise AssertionError("the legend kept being placed")


def _plot(qtbot, x, y):
    widget = make_plot(bottom="x", left="y")
    qtbot.addWidget(widget)
    widget.resize(520, 240)
    plot = widget.getPlotItem()
    legend = add_legend(plot)
    curve = plot.plot(x, y, name="curve")
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: legend.isVisible() and legend.width() > 0)
    plot.getViewBox().disableAutoRange()  # the view stays put while the data change, as when a run is followed
    _settled(qtbot, legend.placer)
    return widget, plot, legend, curve


def test_a_move_of_the_legend_sets_off_no_look(qtbot) -> None:
    x = np.linspace(0.0, 10.0, 400)
    _widget, plot, legend, _curve = _plot(qtbot, x, 10.0 - x)
    placer = legend.placer
    judged, applied = placer.judged, placer.applied
    where = legend.pos()
    legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-30, 20))  # as an anchor of the placement moves it
    assert legend.pos() != where
    _settled(qtbot, placer)
    assert (placer.judged, placer.applied) == (judged, applied)


def test_new_data_within_the_same_extent_on_screen_are_not_judged_again(qtbot) -> None:
    x = np.linspace(0.0, 10.0, 400)
    _widget, plot, legend, curve = _plot(qtbot, x, 10.0 - x)
    placer = legend.placer
    judged, applied = placer.judged, placer.applied
    wobble = 10.0 - x + 0.01 * np.sin(x)  # the same box of points on screen, other values inside it
    wobble[[0, -1]] = [10.0, 0.0]
    for _ in range(5):  # five ticks of a run
        curve.setData(x, wobble)
        _settled(qtbot, placer)
    assert (placer.judged, placer.applied) == (judged, applied)


def test_a_tick_that_widens_the_curves_extent_looks_at_the_legends_corner_only(qtbot, monkeypatch) -> None:
    x = np.linspace(0.0, 10.0, 400)
    _widget, plot, legend, curve = _plot(qtbot, x[:200], 10.0 - x[:200])  # half a falling run
    placer = legend.placer
    where = legend.sceneBoundingRect()
    judged, applied = placer.judged, placer.applied
    looked: list[int] = []
    counts = legend_place.counts_under
    monkeypatch.setattr(legend_place, "counts_under", lambda shown, rects, to_scene: looked.append(len(rects))
                        or counts(shown, rects, to_scene))
    curve.setData(x, 10.0 - x)  # the rest of it: further right, lower, away from the top-right legend
    _settled(qtbot, placer)
    assert looked == [1]  # one look at the legend's own corner: still free, so nothing else is judged
    assert (placer.judged, placer.applied) == (judged, applied)
    assert legend.sceneBoundingRect() == where


def test_a_curve_that_grows_into_the_legends_corner_moves_it(qtbot) -> None:
    x = np.linspace(0.0, 10.0, 400)
    _widget, plot, legend, curve = _plot(qtbot, x[:100], np.zeros(100))  # low and on the left
    box = plot.getViewBox().sceneBoundingRect()
    assert legend.sceneBoundingRect().left() > box.center().x()  # top right: nothing there
    y = np.where(x > 7.5, 10.0, 0.0) * (x / 10.0)  # the run goes on and jumps up at the right
    plot.getViewBox().setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    _settled(qtbot, legend.placer)
    applied = legend.placer.applied
    curve.setData(x, y)
    _settled(qtbot, legend.placer)
    assert legend.placer.applied == applied + 1
    assert points_under(plot, legend.sceneBoundingRect()) == 0
    assert legend.sceneBoundingRect().right() < box.center().x()  # top left now


def test_the_corners_are_counted_in_one_pass_over_the_points(qtbot) -> None:
    x = np.linspace(0.0, 10.0, 400)
    _widget, plot, legend, _curve = _plot(qtbot, x, x)  # rising: bottom left and top right covered
    box = plot.getViewBox().sceneBoundingRect()
    w, h = legend.width(), legend.height()
    top_right = box.adjusted(box.width() - w, 0, 0, h - box.height())
    top_left = box.adjusted(0, 0, w - box.width(), h - box.height())
    rects = [top_right, top_left]
    shown = shown_points(plot)
    to_scene = plot.getViewBox().childGroup.sceneTransform()
    counts = counts_under(shown, rects, to_scene)
    sx = np.array([to_scene.map(float(a), float(b))[0] for a, b in zip(shown[0][1], shown[0][2])])
    sy = np.array([to_scene.map(float(a), float(b))[1] for a, b in zip(shown[0][1], shown[0][2])])
    expected = [int(np.count_nonzero((sx >= r.left()) & (sx <= r.right()) & (sy >= r.top()) & (sy <= r.bottom())))
                for r in rects]  # each point mapped to the screen, one by one
    assert counts == expected and counts[0] > 0 and counts[1] == 0


def test_a_mazur_run_judges_the_loss_legend_at_most_once_a_tick_or_view_change(qtbot) -> None:
    ui = make_ui(qtbot, open_example("mazur"))
    placer = ui.plots.loss.legend.placer
    counts = {"ticks": 0, "ranges": 0}

    def count(key: str) -> None:
        counts[key] += 1

    ui.session.ticked.connect(lambda: count("ticks"))
    ui.plots.loss.plot.getViewBox().sigRangeChanged.connect(lambda *_: count("ranges"))
    judged, applied = placer.judged, placer.applied
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.train()
    _settled(qtbot, placer)
    # the run's start adds a curve and its entry; each tick may widen the curve, each range change
    # (the view following the run, the log axis turned on by itself) moves it on screen
    assert placer.judged - judged <= counts["ticks"] + counts["ranges"] + 2
    assert placer.applied - applied <= 2
    assert points_under(ui.plots.loss.plot, ui.plots.loss.legend.sceneBoundingRect()) == 0
