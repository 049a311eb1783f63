"""A gradient check that could measure nothing ("not checkable here") is shown as such in the
window: not as a pass (✓, "agrees", "code passed") and not as a failure."""
from __future__ import annotations

import numpy as np
from custom_helpers import LOG_OF_NEGATIVE
from engine_fixtures import build_overflowing_square

from app import debugger
from app.code.checker import NOT_CHECKABLE, PASSED, LayerChecker
from app.debugger.status import check_summary
from app.editor import style
from app.model.document import Document
from core.custom.check import check_layer
from core.gradcheck import check_gradients
from core.gradcheck_report import GradCheckEntry, GradCheckReport


def mixed_report() -> GradCheckReport:
    """q measured and agreeing, p with no element measured (as the overflowing square gives)."""
    measured = GradCheckEntry("q", "parameter", 2e-10, True, np.array([1.0, 1.0]), np.array([1.0, 1.0]))
    unmeasured = GradCheckEntry("p", "parameter", float("nan"), True, np.array([2e300]), np.array([np.nan]),
                                unchecked=1)
    return GradCheckReport(params=(unmeasured, measured), nodes=(), threshold=1e-6, eps=1e-6, loss=1.0)


def test_the_status_says_not_checkable_for_one_gradient() -> None:
    report = check_gradients(build_overflowing_square(), names=["p"])
    assert report.entry("p").verdict == "not checkable here"
    text = check_summary(report, 0.5)
    assert text.startswith("Gradient check of ∂L/∂p: not checkable here")
    assert "agrees" not in text and "nan" not in text


def test_the_status_names_the_unchecked_beside_the_checked() -> None:
    text = check_summary(mixed_report(), 0.5)
    assert text.startswith("Gradient check of 2 gradients (parameters and nodes): all agree; largest relative "
                           "error 2e-10 at q; not checkable here: p ")


def test_the_status_of_a_check_that_measured_nothing() -> None:
    report = check_gradients(build_overflowing_square())
    assert report.unchecked() and len(report.unchecked()) == len(report.entries)
    assert "none could be checked here" in check_summary(report, 0.5)


def test_the_canvas_badge_is_neither_a_tick_nor_a_cross(make_main_window, qtbot) -> None:
    window = make_main_window(Document(build_overflowing_square()), install=[debugger.install])
    controller = window.debugger.controller
    with qtbot.waitSignal(controller.gradientChecked, timeout=20000):
        assert controller.checks.start()
    item = window.scene.node_item("p")
    assert item.badge == ("? not checkable", True)
    assert item.badge_colour == "#9e6a00" == style.UNCHECKABLE  # neither a pass's green nor a failure's red
    assert "neither confirmed nor refuted" in item.badge_tip


def test_a_custom_layer_that_measured_nothing_is_not_called_passed(trust) -> None:
    code = LOG_OF_NEGATIVE
    trust.allow([code])
    result = check_layer(code, [np.array([1.0, 2.0])], node="bad")
    assert result.passed and not result.checkable
    checker = LayerChecker()
    checker.results["bad"] = (code, result, "")
    assert checker.state("bad", code) == NOT_CHECKABLE != PASSED
