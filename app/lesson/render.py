"""Writing the lesson: one PDF of slide-sized pages (Qt's ``QPdfWriter``), or one PNG per page.

Both go through the atomic writer: the PDF is made in memory, the PNGs one by one (each file
complete or absent). ``progress(done, total)`` is called after every page; returning False
stops the work (:class:`Cancelled`), and no PDF is written. A QApplication must exist
(:func:`application` makes an offscreen one for the command line).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPaintDevice, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from app.lesson.book import LessonBook
from app.lesson.page import HEIGHT, WIDTH, paint_page
from app.window.screenshot import save_png
from core.graph import Graph
from core.io.atomic import write_atomic

Progress = Callable[[int, int], bool]
# a widescreen presentation slide, 960 × 540 pt (13.33 × 7.5 in). Qt gives a page size upright and
# turns it with the layout's orientation: a size given wide and then called Landscape comes out
# portrait (540 × 960) with the 16:9 page squeezed into it
SLIDE = QPageSize(QSizeF(540, 960), QPageSize.Unit.Point, "Slide 16:9")
PNG_SIZE = (1920, 1080)


class Cancelled(Exception):
    """The person stopped the export; nothing was written."""


def application() -> QApplication:
    """The running QApplication, or a new one (offscreen when there is no display)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QApplication(sys.argv[:1])


def layout_dpi() -> int:
    """The dots per inch every page device gets: the screen's, the one the canvas measured its text
    with (a node's width, a label's box). A device of another resolution turns the canvas's point
    sizes into other sizes, and the text overflows boxes measured for the screen (cut labels)."""
    screen = QGuiApplication.primaryScreen()
    return round(screen.logicalDotsPerInchX()) if screen is not None else 96


def pdf_writer(device: QIODevice, title: str) -> QPdfWriter:
    """A PDF writer of landscape 16:9 slides at the layout's resolution."""
    writer = QPdfWriter(device)
    writer.setTitle(title)
    writer.setCreator("Backprop Workbench")
    writer.setResolution(layout_dpi())
    writer.setPageLayout(QPageLayout(SLIDE, QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)))
    return writer


def page_image() -> QImage:
    """A blank 1920 × 1080 image for one PNG page, at the layout's resolution."""
    image = QImage(*PNG_SIZE, QImage.Format.Format_ARGB32)
    dots_per_metre = round(layout_dpi() / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def page_size(device: QPaintDevice) -> QSizeF:
    return QSizeF(device.width(), device.height())


def page_name(index: int) -> str:
    """``page_000.png`` is the title; ``page_K.png`` the page of step K."""
    return f"page_{index:03d}.png"


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and not progress(done, total):
        raise Cancelled()


def lesson_pdf(graph: Graph, steps: Sequence[int] | None = None, progress: Progress | None = None,
               after_updates: int = 0) -> bytes:
    """The lesson as PDF bytes: the title page and the page of each of ``steps`` (None: every step);
    ``after_updates``: the graph's weights are the results of that many updates (the title says so)."""
    application()
    book = LessonBook(graph, steps, after_updates)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, f"{graph.name or 'Graph'} — a lesson from Backprop Workbench")
    painter = QPainter()
    try:
        if not painter.begin(writer):
            raise OSError("cannot draw the PDF")
        size = page_size(writer)
        for index in range(book.page_count):
            if index:
                writer.newPage()
            paint_page(painter, book, index, size)
            _tick(progress, index + 1, book.page_count)
    finally:
        if painter.isActive():
            painter.end()
        buffer.close()
        book.close()
    return bytes(data.data())


def write_lesson_pdf(graph: Graph, path: str | Path, steps: Sequence[int] | None = None,
                     progress: Progress | None = None) -> int:
    """Write the lesson PDF to ``path``; returns the number of pages."""
    pdf = lesson_pdf(graph, steps, progress)
    write_atomic(path, pdf)
    return pdf.count(b"/Type /Page\n")


def write_lesson_pngs(graph: Graph, folder: str | Path, overwrite: bool = False, steps: Sequence[int] | None = None,
                      progress: Progress | None = None) -> list[Path]:
    """Write every page as ``page_NNN.png`` (1920 × 1080) into ``folder`` (made if missing).
    Raises ``FileExistsError`` naming the first page file that exists, unless ``overwrite``."""
    application()
    book = LessonBook(graph, steps)
    folder = Path(folder)
    paths = [folder / page_name(0)] + [folder / page_name(k) for k in book.steps]
    try:
        if not overwrite:
            for p in paths:
                if p.exists():
                    raise FileExistsError(str(p))
        folder.mkdir(parents=True, exist_ok=True)
        for index, path in enumerate(paths):
            image = page_image()
            painter = QPainter(image)
            try:
                paint_page(painter, book, index, page_size(image))
            finally:
                painter.end()
            save_png(image, path)
            _tick(progress, index + 1, len(paths))
    finally:
        book.close()
    return paths


assert PNG_SIZE == (int(WIDTH), int(HEIGHT))
