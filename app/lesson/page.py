"""One page of the lesson, painted on any device: a PDF page, or an image.

Pages are laid out in a fixed frame of 1920 × 1080 units (16:9, a slide) that the painter
scales to the device. A step's page has a header (the step's number and phase, its name), the
canvas around the step's node at a scale where edge labels read on a projected slide, and the
filled-in formulas; the title page has the graph's name, its description and the whole graph.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTextOption

from app.editor import style
from app.lesson.book import LessonBook, PageText
from app.window.screenshot import render_scene

WIDTH, HEIGHT = 1920.0, 1080.0
MARGIN = 56.0
MIN_SCALE = 2.1  # scene units to page units: the canvas's 8 pt labels become ~22 px of 1080
MAX_SCALE = 2.6
WHOLE_SCALE = 1.2  # the smallest scale of a page about several nodes (clear gradients, update)
INK = QColor("#1f2933")
MUTED = QColor("#6b7785")
RULE = QColor("#d5dae1")


def font(pixels: float, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont()
    f.setPixelSize(max(1, round(pixels)))
    f.setBold(bold)
    f.setItalic(italic)
    return f


def fit_text(painter: QPainter, rect: QRectF, text: str, pixels: float, smallest: float,
             colour: QColor = INK, bold: bool = False) -> None:
    """Draw ``text`` wrapped in ``rect`` at ``pixels`` or smaller (down to ``smallest``); what
    still does not fit is cut at the bottom of ``rect``."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    size = pixels
    while size > smallest:
        needed = QFontMetricsF(font(size, bold)).boundingRect(rect, int(Qt.TextFlag.TextWordWrap), text)
        if needed.height() <= rect.height():
            break
        size -= 1.0
    painter.save()
    painter.setClipRect(rect)
    painter.setFont(font(size, bold))
    painter.setPen(colour)
    painter.drawText(rect, text, option)
    painter.restore()


def picture_rect(book: LessonBook, nodes: list[str], frame: QRectF, smallest: float = MIN_SCALE) -> QRectF:
    """The part of the scene a page shows: ``nodes`` and their edges' labels, centred, at a scale
    from MIN_SCALE to MAX_SCALE; a neighbourhood too large for MIN_SCALE is cut at its edges, but
    never the first node (the step's own) where it fits."""
    area = book.area(nodes).adjusted(-30, -30, 30, 30)
    if area.isEmpty():
        area = book.scene.itemsBoundingRect()
    scale = min(frame.width() / area.width(), frame.height() / area.height())
    scale = max(smallest, min(MAX_SCALE, scale))
    size = QSizeF(frame.width() / scale, frame.height() / scale)
    centre = area.center()
    source = QRectF(centre.x() - size.width() / 2, centre.y() - size.height() / 2, size.width(), size.height())
    own = book.area(nodes[:1]).adjusted(-40, -40, 40, 40)
    if not own.isEmpty():
        dx = max(0.0, own.right() - source.right()) - max(0.0, source.left() - own.left())
        dy = max(0.0, own.bottom() - source.bottom()) - max(0.0, source.top() - own.top())
        source.translate(dx, dy)
    return source


def paint_canvas(painter: QPainter, book: LessonBook, frame: QRectF, source: QRectF) -> None:
    painter.save()
    painter.setClipRect(frame)
    painter.fillRect(frame, style.BACKGROUND)
    render_scene(book.scene, painter, frame, source)
    painter.restore()
    painter.setPen(QPen(RULE, 2))
    painter.drawRect(frame)


def paint_title(painter: QPainter, book: LessonBook) -> None:
    graph = book.graph
    top = MARGIN
    fit_text(painter, QRectF(MARGIN, top, WIDTH - 2 * MARGIN, 90), graph.name or "A computational graph", 64, 36,
             bold=True)
    steps = len(book.program.steps)
    sub = (f"A lesson in {steps} steps: the forward pass ({book.program.n_forward}), the backward pass "
           f"({book.program.n_backward}) and the update, one page each.")
    fit_text(painter, QRectF(MARGIN, top + 96, WIDTH - 2 * MARGIN, 40), sub, 28, 18, MUTED)
    text_box = QRectF(MARGIN, top + 150, WIDTH - 2 * MARGIN, 250)
    text = "\n\n".join(t for t in (book.weights_note, graph.description) if t)
    if text:
        fit_text(painter, text_box, text, 30, 16)
    frame = QRectF(MARGIN, top + 420, WIDTH - 2 * MARGIN, HEIGHT - top - 420 - MARGIN)
    whole = book.scene.itemsBoundingRect().adjusted(-30, -30, 30, 30)
    scale = min(frame.width() / whole.width(), frame.height() / whole.height())
    size = QSizeF(frame.width() / scale, frame.height() / scale)
    source = QRectF(whole.center().x() - size.width() / 2, whole.center().y() - size.height() / 2,
                    size.width(), size.height())
    paint_canvas(painter, book, frame, source)


def paint_step(painter: QPainter, book: LessonBook, page: PageText) -> None:
    head = f"Step {page.number} of {page.total} · {page.phase}"
    fit_text(painter, QRectF(MARGIN, 28, WIDTH - 2 * MARGIN, 40), head, 28, 18, MUTED)
    fit_text(painter, QRectF(MARGIN, 66, WIDTH - 2 * MARGIN, 70), page.name, 54, 30, bold=True)
    formulas_top = 780.0
    frame = QRectF(MARGIN, 146, WIDTH - 2 * MARGIN, formulas_top - 146 - 24)
    # a step of one node: its neighbourhood at a readable scale; the clear and update steps concern
    # every trained parameter: all of them, smaller if need be (their values are on the nodes)
    smallest = MIN_SCALE if page.current is not None else WHOLE_SCALE
    paint_canvas(painter, book, frame, picture_rect(book, page.focus, frame, smallest))
    box = QRectF(MARGIN, formulas_top, WIDTH - 2 * MARGIN, HEIGHT - formulas_top - 36)
    fit_text(painter, box, "\n".join(page.lines), 30, 15)


def paint_page(painter: QPainter, book: LessonBook, index: int, device: QSizeF) -> None:
    """Page ``index`` of ``book`` (0: the title) on a device of ``device`` size: the 16:9 page at one
    scale across and down (never squeezed), centred where the device has another shape."""
    painter.save()
    scale = min(device.width() / WIDTH, device.height() / HEIGHT)
    painter.translate((device.width() - WIDTH * scale) / 2, (device.height() - HEIGHT * scale) / 2)
    painter.scale(scale, scale)
    painter.fillRect(QRectF(0, 0, WIDTH, HEIGHT), QColor("white"))
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    if index == 0:  # painted first, before the debugger's first step: the graph as the editor shows it
        book.scene.label_pass.run()
        paint_title(painter, book)
    else:
        paint_step(painter, book, book.goto(book.steps[index - 1]))
    painter.restore()
