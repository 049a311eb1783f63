"""The inspector's word-wrapped label asks for the height its text needs at its width, measured afresh
each time: wider, it gives room back (a window built while shown lays its docks out narrow first)."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.inspector.wrap_label import WrapLabel

TEXT = "Matt Mazur's step-by-step backpropagation example: inputs (0.05, 0.10), targets (0.01, 0.99)"


def _shown(qtbot, label: WrapLabel, width: int) -> QWidget:
    holder = QWidget()
    qtbot.addWidget(holder)
    QVBoxLayout(holder).addWidget(label)
    holder.resize(width, 400)
    holder.show()
    qtbot.waitExposed(holder)
    return holder


def test_a_label_made_wider_gives_its_height_back(qtbot):
    label = WrapLabel(TEXT)
    holder = _shown(qtbot, label, 120)
    narrow = label.minimumHeight()
    one_line = label.fontMetrics().lineSpacing()
    assert narrow >= 3 * one_line  # several lines at 120 px
    holder.resize(1200, 400)
    qtbot.waitUntil(lambda: label.width() > 1000)
    assert label.minimumHeight() < 2 * one_line  # one line at 1200 px
    assert label.minimumHeight() == label.heightForWidth(label.width())


def test_a_label_that_only_grows_keeps_its_height(qtbot):
    label = WrapLabel(TEXT, shrinks=False)
    holder = _shown(qtbot, label, 120)
    narrow = label.minimumHeight()
    holder.resize(1200, 400)
    qtbot.waitUntil(lambda: label.width() > 1000)
    assert label.minimumHeight() == narrow
