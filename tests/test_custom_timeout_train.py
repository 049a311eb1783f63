"""A custom layer whose forward never returns: the question before training says what its check
found (the time-out, not a gradient disagreement), and the failed run is written in one line
without an exception's class name."""
from __future__ import annotations

import notebook_classes as nb
from custom_helpers import customised
from engine_fixtures import build_apple_orange
from test_custom_window import APPLE, WRONG_MUL, open_window, wait_checked  # noqa: F401  # the fixture

from app.code.checker import FAILED
from app.training.runs import FAILED as RUN_FAILED
from app.training.runs import summary_text
from core.custom.runner import LayerError, set_time_limit
from core.error_text import error_text

ENDLESS = nb.MUL_LAYER.replace("out = x * y", "while True: pass")


def endless_shopping():
    """The shopping graph with the tax trainable (a graph with nothing to train is not trained at all)
    and the last Multiply a layer whose forward never returns."""
    graph = customised(build_apple_orange(), {**APPLE, "price": ENDLESS})
    graph.set_attr("tax", "trainable", True)
    return graph


def test_training_on_a_timed_out_layer_asks_about_the_time_out_and_fails_in_one_line(
        open_window, qtbot, trust) -> None:  # noqa: F811
    trust.allow([nb.MUL_LAYER, nb.ADD_LAYER, ENDLESS])
    old = set_time_limit(0.3)
    try:
        window = open_window(endless_shopping())
        wait_checked(qtbot, window, "price", FAILED)
        asked: list[str] = []
        window.code.ask_train_failing = lambda failing: asked.append(window.code.training_question(failing)) or True
        with qtbot.waitSignal(window.training.session.runFinished, timeout=20000) as finished:
            window.training.session.train()
    finally:
        set_time_limit(old)
    (question,) = asked
    assert "disagrees with finite differences" not in question
    assert question.startswith("The check of price stopped at line 9: forward did not return within 0.3 s and "
                               "was stopped.")
    assert question.endswith("Train anyway?")
    run = finished.args[0]
    assert run.status == RUN_FAILED
    summary = summary_text(run)
    assert summary.startswith(f"Run {run.number} failed: price (MulLayer.forward, line 9): forward did not return")
    assert "Error" not in summary
    assert window.training.panel.status.text() == summary


def test_a_wrong_backward_is_still_asked_about_as_a_disagreement(open_window, qtbot, trust) -> None:  # noqa: F811
    trust.allow([nb.MUL_LAYER, nb.ADD_LAYER, WRONG_MUL])
    window = open_window(customised(build_apple_orange(), {**APPLE, "apple_price": WRONG_MUL}))
    wait_checked(qtbot, window, "apple_price", FAILED)
    question = window.code.training_question(["apple_price"])
    assert question == ("The backward of apple_price disagrees with finite differences: training follows those "
                        "gradients.\n\nSee Layer code. Train anyway?")


def test_error_text_is_one_line_without_class_names() -> None:
    err = LayerError("forward did not return within 5 s and was stopped", kind="timeout", class_name="Affine",
                     method="forward", line=13, node="affine")
    assert error_text(err) == "affine (Affine.forward, line 13): forward did not return within 5 s and was stopped"
    assert error_text(ValueError("first line\n  second line")) == "first line second line"
    assert error_text(MemoryError()) == "not enough memory"
    assert error_text(KeyError("w")) == "an internal error ('w'); please report it"
    assert error_text(RuntimeError()) == "an internal error with no message; please report it"
