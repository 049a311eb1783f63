"""The lesson's pages: one reader of "1-5, 8" (app.lesson.steps) for the command line's --range and
the window's Pages field; its messages name the entry that is wrong; the PDF holds exactly the
chosen steps' pages, from the command line and from File ▸ Export ▸ Lesson (PDF)…."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES, load_example
from pdf_text import page_texts, squeeze
from PySide6.QtWidgets import QDialogButtonBox

from app.cli.main import main
from app.lesson.steps import check_steps, parse_steps
from app.model.document import Document
from app.window.lesson_pages import LessonPagesDialog
from core.program import Program

MAZUR = EXAMPLES / "mazur.json"


@pytest.mark.parametrize(("text", "steps"), [
    ("6-10", [6, 7, 8, 9, 10]),
    ("1-3, 8", [1, 2, 3, 8]),
    (" 8 ,1–2,2-3 ", [1, 2, 3, 8]),  # the en dash the workbench writes; overlaps counted once
    ("4", [4]),
    ("5-5", [5]),
])
def test_step_numbers_and_ranges_are_read(text: str, steps: list[int]) -> None:
    assert parse_steps(text) == steps
    assert parse_steps(text, 10) == steps


@pytest.mark.parametrize(("text", "count", "words"), [
    ("", None, "no steps given"),
    ("1-3,,8", None, "an empty entry between commas in '1-3,,8'"),
    ("1-3, x", None, "'x' is not a step number or a range like 6-10"),
    ("2-", None, "'2-' is not a step number"),
    ("0-4", None, "'0-4': steps count from 1"),
    ("-3", None, "'-3': steps count from 1"),
    ("9-4", None, "'9-4' goes backwards: write the smaller step first, like 4-9"),
    ("1-5, 8-40", 38, "'8-40' is past the last step: the steps are within 1–38"),
])
def test_a_mistake_names_the_entry(text: str, count: int | None, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_steps(text, count)
    assert words in str(caught.value)


def test_steps_outside_the_program_are_refused() -> None:
    assert check_steps([3, 1, 3], 5) == [1, 3]
    with pytest.raises(ValueError, match="step 6 is not in the program: the steps are within 1–5"):
        check_steps([1, 6], 5)


def _step_pages(path: Path, program: Program, steps: list[int]) -> None:
    """The PDF is the title page, then the pages of ``steps`` in order, each naming its step."""
    texts = page_texts(path.read_bytes())
    assert len(texts) == 1 + len(steps)
    for k, text in zip(steps, texts[1:]):
        assert f"Step{k}of{len(program.steps)}" in squeeze(text)
        assert squeeze(program.steps[k - 1].label) in squeeze(text)


def test_the_command_line_takes_ranges_and_single_steps(tmp_path: Path, qapp, capsys) -> None:
    program = Program(load_example("mazur"))
    out = tmp_path / "some.pdf"
    assert main(["export", str(MAZUR), str(out), "--range", "1-2, 5"]) == 0
    _step_pages(out, program, [1, 2, 5])
    assert main(["export", str(MAZUR), str(tmp_path / "x.pdf"), "--range", "3-1"]) == 2
    assert "range: '3-1' goes backwards" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_the_pages_field_says_what_is_wrong_and_holds_ok_back(qtbot) -> None:
    dialog = LessonPagesDialog(38)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.message.isHidden() and dialog.steps() == list(range(1, 39))  # empty: all
    dialog.field.setText("1-5, 8-40")
    assert not ok.isEnabled() and dialog.message.isVisible()
    assert dialog.message.text() == "'8-40' is past the last step: the steps are within 1–38"
    dialog.accept()
    assert dialog.result() == LessonPagesDialog.DialogCode.Rejected  # a wrong text is never accepted
    dialog.field.setText("1-5, 8")
    assert ok.isEnabled() and dialog.message.isHidden() and dialog.steps() == [1, 2, 3, 4, 5, 8]


def test_the_window_exports_the_chosen_pages(make_main_window, tmp_path: Path, monkeypatch) -> None:
    window = make_main_window(Document.open_example(MAZUR))
    program = Program(window.document.graph)
    asked: list[int] = []

    def answer(dialog: LessonPagesDialog) -> int:
        asked.append(dialog.count)
        dialog.field.setText("2-3, 7")
        return LessonPagesDialog.DialogCode.Accepted

    monkeypatch.setattr(LessonPagesDialog, "exec", answer)
    window._ask_export_path = lambda caption, suggested, file_filter: str(tmp_path / "lesson.pdf")
    assert window.exports.export("pdf") is True
    assert asked == [len(program.steps)]
    _step_pages(tmp_path / "lesson.pdf", program, [2, 3, 7])


def test_cancelling_the_pages_question_writes_nothing(make_main_window, tmp_path: Path, monkeypatch) -> None:
    window = make_main_window(Document.open_example(MAZUR))
    monkeypatch.setattr(LessonPagesDialog, "exec", lambda dialog: LessonPagesDialog.DialogCode.Rejected)
    where: list[str] = []
    window._ask_export_path = lambda caption, suggested, file_filter: where.append(caption) or str(tmp_path / "l.pdf")
    assert window.exports.export("pdf") is False
    assert where == [] and list(tmp_path.iterdir()) == []  # not even asked where
