"""The window's gradient check on a big batch: its progress in the status line, Cancel Run (Esc)
enabled while it runs and ending it with a "cancelled" message and no verdict; a finished check
says it covered the batch's first rows."""
from __future__ import annotations

import functools
import re

import pytest
from helpers import load_example
from PySide6.QtCore import QCoreApplication

import core.gradcheck as gradcheck
from app.debugger.controller import DebugController
from app.debugger.debug_inspector import DebugInspector
from app.model.document import Document
from core.data.dataset import Dataset
from core.gradcheck_bounds import Bounds


@pytest.fixture
def big(qtbot):
    g = load_example("spirals")
    g.set_dataset(Dataset.generate("spirals", 3000))  # the whole set in one batch: 256 rows are checked
    controller = DebugController(Document(g))
    yield controller
    controller.checker.cancel()
    controller.checker.wait(10)


def test_progress_shows_and_esc_cancels_with_no_verdict(big, qtbot):
    c = big
    reports: list[object] = []
    c.gradientChecked.connect(reports.append)
    assert not c.action("cancel").isEnabled()
    shown: list[tuple[int, int]] = []
    c.checker.progressed.connect(lambda tally: shown.append((tally.done, tally.total)))
    with qtbot.waitSignal(c.checker.progressed, timeout=20_000):
        assert c.gradient_check()
    assert c.checking and c.action("cancel").isEnabled()
    assert c.action("cancel").shortcut().toString() == "Esc"
    qtbot.waitUntil(lambda: len(shown) >= 2 and shown[-1][0] > 0, timeout=20_000)
    total = shown[-1][1]
    assert total == 64 + 32 + 1024 + 32 + 64 + 2 + 4 * 256 * 32 + 256 * 2 + 1  # every element at 256 rows
    assert re.fullmatch(rf"Checking gradients: [\d,]+ of {total:,} elements \(\w+\)"
                        r" · Esc cancels", c.status), c.status
    job = c.checker._job
    c.action("cancel").trigger()
    assert not c.checking and not c.action("cancel").isEnabled() and c.action("gradient_check").isEnabled()
    assert c.status.startswith("Gradient check cancelled after ") and "no verdict" in c.status
    said = re.search(r"after ([\d,]+) of ([\d,]+) elements", c.status)
    assert said is not None and int(said.group(2).replace(",", "")) == total, c.status
    done = int(said.group(1).replace(",", ""))
    assert 0 < done < total
    assert job.join(10)  # its thread ended at its next element
    assert done <= c.checker.tally.done <= done + 1  # the element running at the cancel may still count
    QCoreApplication.processEvents()  # a job that ended rings the watch: a dropped one reports nothing
    assert reports == [] and c.checks.report is None


def test_progress_figures_rise_to_the_end_and_the_verdict_names_the_rows(big, qtbot):
    c = big
    shown: list[int] = []
    c.checker.progressed.connect(lambda tally: shown.append(tally.done))
    with qtbot.waitSignal(c.checker.finished, timeout=120_000) as finished:
        assert c.checks.start("affine3")  # 512 elements: a short check
    report = finished.args[0]
    assert shown == sorted(shown)
    assert c.checker.tally.done == c.checker.tally.total == 512
    assert report.scope == "checked on the first 256 of 3,000 rows of the batch"
    assert c.status.startswith("Gradient check of ∂L/∂affine3: backprop agrees with finite differences")
    assert "(checked on the first 256 of 3,000 rows of the batch, threshold 1e-6, " in c.status
    inspector = DebugInspector(c)
    qtbot.addWidget(inspector)
    inspector.set_selected_node("affine3")
    assert inspector.check_result.text().startswith("Gradient check of ∂L/∂affine3: agrees with finite differences")
    assert inspector.check_result.text().endswith("(threshold 1e-6, on the first 256 of 3,000 rows)")


def test_a_sampled_entry_says_how_many_elements_the_inspector_shows(big, qtbot, monkeypatch):
    c = big
    bounded = functools.partial(gradcheck.prepare_check, bounds=Bounds(rows=40, elements=1000))
    monkeypatch.setattr(gradcheck, "prepare_check", bounded)
    with qtbot.waitSignal(c.checker.finished, timeout=120_000):
        assert c.checks.start("W2")
    inspector = DebugInspector(c)
    qtbot.addWidget(inspector)
    inspector.set_selected_node("W2")
    assert "over 1,000 sampled of 1,024 elements" in inspector.check_result.text()
