"""``check`` on a big file: a bounded number of loss evaluations, the note that says what was
checked, ``--all`` for everything; its progress on standard error only past a moment; Ctrl-C ends
it with one line."""
from __future__ import annotations

import io as textio
import json
from pathlib import Path

import pytest
from helpers import EXAMPLES

import app.cli.check_progress as check_progress
import core.gradcheck as gradcheck
from app.cli.check_progress import CheckProgress
from app.cli.main import main


def sine_file(tmp_path: Path, rows: int) -> Path:
    """The sine example (1-16-1, the whole set in one batch) with ``rows`` generated rows."""
    doc = json.loads((EXAMPLES / "sine.json").read_text())
    doc["dataset"]["size"] = rows
    path = tmp_path / f"sine_{rows}.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture
def evaluations(monkeypatch):
    """Counts the objective's evaluations of every check."""
    count = [0]
    original = gradcheck._Run.loss_with

    def counted(self, node, value):
        count[0] += 1
        return original(self, node, value)

    monkeypatch.setattr(gradcheck._Run, "loss_with", counted)
    return count


def test_check_of_a_big_file_evaluates_the_loss_as_often_as_on_its_first_rows(tmp_path, capsys, evaluations):
    assert main(["check", str(sine_file(tmp_path, 200_000))]) == 0
    big = evaluations[0]
    out = capsys.readouterr().out
    assert out.splitlines()[1] == "checked on the first 256 of 200,000 rows of the batch (--all checks every row " \
                                  "and element)"
    assert "PASS: all 8 gradients agree" in out
    # 16 + 16 + 16 + 1 weights, 256 × 16 twice, 256 and 1: 8,498 elements, two evaluations each at least
    assert 2 * 8498 <= big <= 3 * 8498
    evaluations[0] = 0
    assert main(["check", str(sine_file(tmp_path, 2_000))]) == 0
    assert "first 256 of 2,000 rows" in capsys.readouterr().out
    assert 2 * 8498 <= evaluations[0] <= 3 * 8498  # the same bound a hundred times fewer rows gives


def test_check_all_moves_every_row(tmp_path, capsys, evaluations):
    assert main(["check", "--all", str(sine_file(tmp_path, 300))]) == 0
    out = capsys.readouterr().out
    assert "checked on the first" not in out and "PASS: all 8 gradients agree" in out
    assert evaluations[0] >= 2 * (49 + 300 * 16 * 2 + 300 + 1)


def test_a_shipped_example_prints_no_note(capsys):
    assert main(["check", "example:xor"]) == 0
    captured = capsys.readouterr()
    assert "checked on" not in captured.out and "sampled" not in captured.out
    assert captured.err == ""  # a short run prints no progress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def perf_counter(self) -> float:
        return self.now


class Terminal(textio.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_quiet_for_a_second_then_one_line_redrawn_and_erased(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(check_progress, "time", clock)
    stream = Terminal()
    progress = CheckProgress(stream)
    progress(0, 500, "")
    clock.now += 0.5
    progress(10, 500, "W1")
    assert stream.getvalue() == ""
    clock.now += 0.6
    progress(20, 500, "W1")
    progress(21, 500, "W1")  # within REDRAW of the last: not drawn
    clock.now += 0.2
    progress(1_200, 5_000, "affine1")
    progress.close()
    assert stream.getvalue() == ("\rchecking gradients: 20 of 500 elements (W1)"
                                 "\rchecking gradients: 1,200 of 5,000 elements (affine1)"
                                 "\r" + " " * 53 + "\r")


def test_progress_to_a_file_is_a_line_every_few_seconds(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(check_progress, "time", clock)
    stream = textio.StringIO()
    progress = CheckProgress(stream)
    for k in range(100):
        clock.now += 0.125
        progress(k, 100, "b1")
    progress.close()
    assert stream.getvalue().splitlines() == [f"checking gradients: {k} of 100 elements (b1)" for k in (7, 47, 87)]


def test_ctrl_c_ends_the_check_with_one_line(tmp_path, capsys, monkeypatch):
    original = gradcheck._Run.loss_with
    count = [0]

    def interrupted(self, node, value):
        count[0] += 1
        if count[0] == 500:
            raise KeyboardInterrupt
        return original(self, node, value)

    monkeypatch.setattr(gradcheck._Run, "loss_with", interrupted)
    assert main(["check", str(sine_file(tmp_path, 1_000))]) == 130
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.endswith("error: interrupted\n")
