"""Predict, then reveal: an exercise on the apple graph grades right and wrong answers and keeps the score."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import load_example

from core.exercise import HINTED, REVEALED, RIGHT, Exercise, ExerciseSpec, parse_answer, relative_error
from core.io.fileformat import dumps, loads
from core.stepper import Stepper


def apple_exercise(spec: ExerciseSpec | None = None) -> tuple[Stepper, Exercise]:
    graph = load_example("apple")
    stepper = Stepper(graph)
    return stepper, Exercise(stepper, spec or ExerciseSpec.of(graph))


def test_the_apple_graph_ships_as_an_exercise_of_every_step() -> None:
    assert ExerciseSpec.of(load_example("apple")) == ExerciseSpec("all", (), 1e-3)
    assert load_example("mazur").exercise is not None


def test_a_question_holds_the_stepper_until_it_is_answered() -> None:
    stepper, ex = apple_exercise()
    [q] = ex.questions()
    assert q.text == "out of mul_apple" and float(q.expected) == 200
    reason = stepper.run_forward()
    assert reason is not None and reason.kind == "question" and stepper.cursor == 0
    assert stepper.run_steps(1).kind == "question"  # one step is held too
    assert stepper.cursor == 0
    assert ex.answer(q, "200").correct
    stepper.step()
    assert stepper.cursor == 1 and float(stepper.frame.values["mul_apple"]) == 200


def test_right_wrong_hint_reveal_and_score_on_the_apple_graph() -> None:
    stepper, ex = apple_exercise()
    answers = {
        "out of mul_apple": ["200"],  # right at once
        "out of mul_tax": ["200", "220.1"],  # wrong, then right within 1e-3 after the hint
        "∂L/∂mul_apple, sent by mul_tax to its input x": ["1.1"],
        "∂L/∂tax, sent by mul_tax to its input y": ["2", "3"],  # wrong twice: revealed
        "∂L/∂apple, sent by mul_apple to its input x": ["2.2"],
        "∂L/∂apple_num, sent by mul_apple to its input y": ["110"],
    }
    seen = []
    while not stepper.at_end:
        for q in ex.open_questions():
            seen.append(q.text)
            for i, typed in enumerate(answers[q.text]):
                grade = ex.answer(q, typed)
                if q.text == "out of mul_tax" and i == 0:
                    assert not grade.correct and not grade.done
                    assert grade.message == "Not quite. Hint: out = x · y = 200 × 1.1 = ?"
                if q.text.startswith("∂L/∂tax") and i == 1:
                    assert grade.done and grade.message.startswith("The answer is 200: ∂L/∂y = ∂L/∂out · x")
        stepper.step()
    assert seen == list(answers)
    outcomes = [r.outcome for _, r in sorted(ex.results.items())]
    assert outcomes == [RIGHT, HINTED, RIGHT, REVEALED, RIGHT, RIGHT]
    assert ex.score() == (4, 6)
    assert ex.score_text() == "Score 4 / 6 right at the first try, 1 after a hint"
    summary = ex.summary()
    assert summary[3] == "step 4 (backward mul_tax): ∂L/∂tax, sent by mul_tax to its input y = 200 — revealed " \
                         "(you typed 2; 3)"


def test_step_back_lets_the_learner_retry() -> None:
    stepper, ex = apple_exercise()
    [q] = ex.questions()
    ex.answer(q, "1")
    ex.answer(q, "2")  # revealed
    stepper.step()
    stepper.step_back()
    ex.retry()
    [again] = ex.open_questions()
    assert ex.answer(again, "200").correct
    assert ex.results[again.key].outcome == HINTED  # the earlier tries count


def test_the_teacher_chooses_which_steps_are_asked() -> None:
    def asked(spec: ExerciseSpec) -> list[str]:
        stepper, ex = apple_exercise(spec)
        out = []
        while not stepper.at_end:
            for q in ex.open_questions():
                out.append(q.text.split(",")[0])
                ex.answer(q, np.array2string(q.expected))
            stepper.step()
        return out

    assert asked(ExerciseSpec("forward")) == ["out of mul_apple", "out of mul_tax"]
    assert asked(ExerciseSpec("backward")) == ["∂L/∂mul_apple", "∂L/∂tax", "∂L/∂apple", "∂L/∂apple_num"]
    assert asked(ExerciseSpec("parameters")) == ["∂L/∂tax", "∂L/∂apple", "∂L/∂apple_num"]
    assert asked(ExerciseSpec("nodes", ("mul_tax",))) == ["out of mul_tax", "∂L/∂mul_apple", "∂L/∂tax"]


def test_the_choice_is_saved_with_the_file() -> None:
    graph = load_example("apple")
    graph.exercise = ExerciseSpec("nodes", ("mul_tax",), 0.01).to_dict()
    again = loads(dumps(graph))
    assert ExerciseSpec.of(again) == ExerciseSpec("nodes", ("mul_tax",), 0.01)


def test_matrix_answers_and_typing_mistakes() -> None:
    stepper = Stepper(load_example("mazur"))
    ex = Exercise(stepper, ExerciseSpec("forward"))
    [q] = ex.questions()  # affine1: a 1×2 row
    assert "Hint" in ex.answer(q, "[[0.3775, 0.4]]").message
    assert ex.answer(q, "[[0.3775, 0.3925]]").correct
    assert parse_answer("[[0.1, 0.2]]").shape == (1, 2)
    for bad in ("import os", "[[1, 2], [3]]", "'x'"):
        with pytest.raises(ValueError):
            parse_answer(bad)
    assert relative_error(np.array([1.0, 2.0]), np.array([[1.0, 2.0]])) == 0.0
    assert relative_error(np.array([1.0]), np.array([[1.0, 2.0]])) is None


def test_the_exercise_in_the_window_hides_the_value_until_the_answer_and_keeps_score(make_main_window) -> None:
    from app import debugger, exercise
    from app.model.document import Document

    window = make_main_window(Document(load_example("apple")), install=[debugger.install, exercise.install])
    mode = window.exercise_mode
    c = window.debugger.controller
    mode.start()
    assert mode.dock.isVisible() and window.actions["exercise_stop"].isEnabled()
    panel = mode.panel
    assert "what is out of mul_apple?" in panel.prompt.text()
    c.step()  # held: the value must be typed first
    assert c.stepper.cursor == 0 and window.scene.edge_item("mul_tax", "x").labels() == (None, None)
    panel.type_answer("200")
    assert c.stepper.cursor == 1 and window.scene.edge_item("mul_tax", "x").labels()[0] == "200"
    panel.type_answer("221")
    assert "Hint: out = x · y = 200 × 1.1 = ?" in panel.verdict.text() and c.stepper.cursor == 1
    panel.type_answer("220")
    assert c.stepper.cursor == 2
    c.step()  # clear gradients: nothing asked
    for typed in ("1.1", "200", "2.2", "110"):
        panel.type_answer(typed)
    assert c.stepper.at_end  # nothing is trainable: no update step
    assert panel.score.text() == "Score 5 / 6 right at the first try, 1 after a hint"
    assert "step 2 (forward mul_tax): out of mul_tax = 220 — right after a hint (you typed 221; 220)" \
        in panel.summary.text()
    c.step_back()  # back before backward mul_apple: its questions are asked again
    assert "∂L/∂apple" in panel.prompt.text()
    mode.stop()
    c.step()
    assert not window.actions["exercise_stop"].isEnabled()


def test_the_teachers_choice_is_an_undoable_edit(make_main_window) -> None:
    from app.exercise.commands import SetExercise
    from app.model.document import Document

    doc = Document(load_example("apple"))
    doc.undo_stack.push(SetExercise(doc, ExerciseSpec("parameters")))
    assert doc.graph.exercise == {"ask": "parameters"}
    doc.undo_stack.undo()
    assert doc.graph.exercise == {"ask": "all"}
    doc.close()


def test_the_score_counts_every_asked_question_even_an_open_one() -> None:
    stepper, ex = apple_exercise()
    [q] = ex.open_questions()
    assert ex.score_text() == "Score 0 / 0 right at the first try"
    ex.answer(q, "oops")  # a typing mistake is not an answer
    assert ex.score() == (0, 0)
    assert not ex.answer(q, "199").done
    assert ex.score_text() == "Score 0 / 1 right at the first try"


def test_the_dock_keeps_focus_and_its_text_whole_and_says_why_the_exercise_ends(workbench, qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from app.model.document import Document

    window = workbench(Document(load_example("apple")), (1024, 700))
    mode, c = window.exercise_mode, window.debugger.controller
    mode.start()
    panel = mode.panel
    qtbot.waitUntil(lambda: panel.answer.isVisible() and panel.answer.width() > 0)
    placeholder = panel.answer.fontMetrics().horizontalAdvance(panel.answer.placeholderText())
    assert placeholder < panel.answer.width() - 12, "the placeholder is cut"
    for label in panel.findChildren(QLabel):
        if label.isVisible() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    window.activateWindow()
    panel.answer.setFocus()
    qtbot.waitUntil(panel.answer.hasFocus)
    panel.type_answer("200")  # right: the step runs and the next question is asked
    assert c.stepper.cursor == 1 and "mul_tax" in panel.prompt.text()
    assert panel.answer.hasFocus() and not panel.answer.isReadOnly()
    panel.type_answer("1")
    assert panel.score.text() == "Score 1 / 2 right at the first try"
    with qtbot.waitSignal(c.programChanged):
        window.document.graph.disconnect("mul_tax", "y")
    assert mode.exercise is None
    assert "The graph cannot run" in panel.verdict.text() and "the exercise stopped" in panel.verdict.text()
    qtbot.waitUntil(lambda: "the exercise stopped. Score 1 / 2" in window.statusBar().currentMessage())
    with qtbot.waitSignal(c.programChanged):
        window.document.graph.connect("tax", "mul_tax", "y")
    mode.start()
    panel.type_answer("200")
    with qtbot.waitSignal(c.programChanged):
        c.rebuild()  # a new program on the same graph (the layer's code was trusted, say)
    assert mode.exercise is not None and "started over (score 1 / 1 right at the first try before)" \
        in panel.verdict.text()
    qtbot.waitUntil(lambda: "the exercise started over" in window.statusBar().currentMessage())
