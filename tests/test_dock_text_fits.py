"""No text or button of the Dataset and Exercise docks is cut at the right at the default layout
(1600×1000) or at 1024×700: the panels are no wider than their docks (long texts wrap), every
button shows its whole text, every label the whole of its text."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QLabel, QScrollArea
from pytestqt.exceptions import TimeoutError

from app.model.document import Document

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
SIZES = [(1600, 1000), (1024, 700)]
IDS = [f"{w}x{h}" for w, h in SIZES]


def cut(scroll: QScrollArea) -> list[str]:
    """What of the panel in ``scroll`` is not shown whole: past the viewport's right edge, or a
    button, box or label narrower (or a wrapped label lower) than its text needs."""
    QApplication.processEvents()
    panel, viewport = scroll.widget(), scroll.viewport()
    found = []
    if panel.width() > viewport.width():
        found.append(f"the panel is {panel.width()} px wide in a {viewport.width()} px dock")
    for w in panel.findChildren(QAbstractButton) + panel.findChildren(QAbstractSpinBox) + \
            panel.findChildren(QComboBox) + panel.findChildren(QLabel):
        if not w.isVisibleTo(panel) or w.window() is not scroll.window():
            continue
        text = w.text() if hasattr(w, "text") else w.currentText()
        right = w.mapTo(viewport, QPoint(w.width(), 0)).x()
        if right > viewport.width():
            found.append(f"{text[:50]!r} ends at {right} px, past the dock's {viewport.width()} px")
        if isinstance(w, QLabel) and w.wordWrap():
            if w.heightForWidth(w.width()) > w.height():
                found.append(f"{text[:50]!r} is {w.height()} px high, needs {w.heightForWidth(w.width())}")
        elif isinstance(w, (QAbstractButton, QAbstractSpinBox)) or (isinstance(w, QLabel) and text):
            if w.sizeHint().width() > w.width():
                found.append(f"{text[:50]!r} is {w.width()} px wide, needs {w.sizeHint().width()}")
    return found


def settled(qtbot, scroll: QScrollArea) -> list[str]:
    try:
        qtbot.waitUntil(lambda: not cut(scroll), timeout=3000)
    except TimeoutError:
        pass
    return cut(scroll)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_the_dataset_dock_shows_its_text_whole(workbench, qtbot, size) -> None:
    window = workbench(Document.open(EXAMPLES / "digits.json"), size)
    window.dataset_dock.show()
    window.dataset_dock.raise_()
    panel = window.dataset_panel
    scroll = window.dataset_dock.widget()
    qtbot.waitUntil(panel.isVisible)
    assert panel.summary.text() == "digits.csv: 1,797 rows (1,438 training, 359 held out); x 1797×64, t 1797×10"
    assert settled(qtbot, scroll) == []
    window.set_document(Document())
    assert panel.summary.text() == "No dataset: add an Input node, import a file or generate rows."
    assert settled(qtbot, scroll) == []


def narrowed(window, qtbot, dock, width: int) -> None:
    """The column of ``dock`` made ``width`` pixels wide (as a person drags its edge)."""
    window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: abs(dock.width() - width) <= 2)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@pytest.mark.parametrize("dock_width", [None, 220], ids=["default", "narrowed"])
def test_the_exercise_dock_shows_its_text_and_check_button_whole(workbench, qtbot, size, dock_width) -> None:
    window = workbench(Document.open(EXAMPLES / "apple.json"), size)
    mode = window.exercise_mode
    mode.start()
    if dock_width is not None:
        narrowed(window, qtbot, mode.dock, dock_width)
    window.debugger.controller.step()
    panel = mode.panel
    panel.type_answer("1")  # wrong: a hint
    panel.type_answer(str(np.asarray(panel.question.expected).tolist()))  # right after the hint
    panel.type_answer("1")  # the next question: wrong, a hint
    assert panel.score.text() == "Score 0 / 2 right at the first try, 1 after a hint"
    assert panel.verdict.text()
    assert settled(qtbot, mode.dock.widget()) == []
    assert panel.check_button.isEnabled()
