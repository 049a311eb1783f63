"""A narrow Program dock (about 130 pixels) keeps its words whole: the legend's entries wrap
onto more lines ("not computed yet / (dimmed)") instead of being cut mid-word, and the heading
breaks before its dot or its count of steps, never after a dangling "Training step 1 ·"."""
from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF, QTextDocument
from PySide6.QtWidgets import QApplication

from app.debugger.controller import DebugController
from app.debugger.legend import WRAP, Legend
from app.debugger.program_view import ProgramView
from app.model.document import Document
from tests.training_helpers import open_example


def _lines(label, width: int) -> list[str]:
    """The lines a word-wrapping label shows its rich text on at ``width`` pixels."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setHtml(label.text())
    doc.setTextWidth(width)
    doc.size()  # lays the text out
    block = doc.firstBlock()
    layout = block.layout()
    text = block.text()
    return [text[layout.lineAt(i).textStart():layout.lineAt(i).textStart() + layout.lineAt(i).textLength()]
            .replace("\u00a0", " ").strip() for i in range(layout.lineCount())]


def test_the_legend_wraps_its_words_at_a_narrow_width(qtbot):
    legend = Legend()
    qtbot.addWidget(legend)
    wide, narrow = legend.heightForWidth(400), legend.heightForWidth(130)
    assert narrow > 2 * wide  # one column, and some entries on two lines
    metrics = QFontMetricsF(legend._font())
    room = legend._text_width(130)
    places = legend._places(130)
    for text, (_x, _y, high) in zip(legend.texts(), places, strict=True):
        for word in text.split(" "):
            assert metrics.horizontalAdvance(word) <= room, word  # every word fits whole
        assert metrics.boundingRect(QRectF(0, 0, room, 10_000), WRAP, text).height() <= high
    assert places[0][2] > places[1][2]  # "not computed yet (dimmed)" takes two lines
    tops = [y for _x, y, _h in places]
    assert tops == sorted(tops) and all(b - a >= h for (a, b, h) in zip(tops, tops[1:], (p[2] for p in places)))


def test_the_heading_breaks_at_its_dot(qtbot):
    controller = DebugController(Document(open_example("mazur").graph))
    view = ProgramView(controller)
    qtbot.addWidget(view)
    controller.run_steps(3)
    QApplication.processEvents()
    for width in (120, 150, 200):
        lines = _lines(view.header, width)
        assert lines[0].startswith("Training step 1"), (width, lines)
        assert lines[-1].endswith("12 steps run")  # the count stays with its word
        assert not any(line.endswith("·") for line in lines)
    assert _lines(view.header, 120) == ["Training step 1", "· 3 of 12 steps run"]
    assert _lines(view.header, 400) == ["Training step 1 · 3 of 12 steps run"]
