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
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from app.lesson.book import LessonBook
from app.lesson.page import HEIGHT, WIDTH, paint_page
from app.window.screenshot import save_png
from core.graph import Graph
from core.io.atomic import write_atomic

Progress = Callable[[int, int], bool]
SLIDE = QPageSize(QSizeF(13.333, 7.5), QPageSize.Unit.Inch, "Slide 16:9")  # a widescreen presentation slide
PDF_DPI = 144  # 13.333 in × 144 = 1920 device units across
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


def page_name(index: int) -> str:
    """``page_000.png`` is the title; ``page_K.png`` the page of step K."""
    return f"page_{index:03d}.png"


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and not progress(done, total):
        raise Cancelled()


def lesson_pdf(graph: Graph, steps: Sequence[int] | None = None, progress: Progress | None = None) -> bytes:
    """The lesson as PDF bytes: the title page and the page of each of ``steps`` (None: every step)."""
    application()
    book = LessonBook(graph, steps)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(f"{graph.name or 'Graph'} — a lesson from Backprop Workbench")
    writer.setCreator("Backprop Workbench")
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(SLIDE, QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    try:
        if not painter.begin(writer):
            raise OSError("cannot draw the PDF")
        size = QSizeF(writer.width(), writer.height())
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
            image = QImage(*PNG_SIZE, QImage.Format.Format_ARGB32)
            painter = QPainter(image)
            try:
                paint_page(painter, book, index, QSizeF(*PNG_SIZE))
            finally:
                painter.end()
            save_png(image, path)
            _tick(progress, index + 1, len(paths))
    finally:
        book.close()
    return paths


assert PNG_SIZE == (int(WIDTH), int(HEIGHT))
