"""The lesson PDF's pages are the PNG pages: landscape 16:9 slides, painted at one scale across
and down, the canvas's text at the size the canvas measured it for (no label cut), and the page
text holds the edge labels whole."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES
from pdf_text import page_boxes, page_texts, page_transforms, squeeze
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QFont, QFontMetricsF

from app.cli.main import main
from app.lesson.render import PNG_SIZE, page_image, pdf_writer


@pytest.fixture
def mazur_pdf(tmp_path: Path, qapp) -> bytes:
    out = tmp_path / "mazur.pdf"
    assert main(["export", str(EXAMPLES / "mazur.json"), str(out)]) == 0
    return out.read_bytes()


def test_every_page_is_a_landscape_16_by_9_slide(mazur_pdf: bytes) -> None:
    boxes = page_boxes(mazur_pdf)
    assert len(boxes) == 13
    for x0, y0, x1, y1 in boxes:
        width, height = x1 - x0, y1 - y0
        assert width > height
        assert width / height == pytest.approx(16 / 9, rel=1e-3)


def test_pages_are_painted_at_one_scale_across_and_down(mazur_pdf: bytes) -> None:
    for k, matrices in enumerate(page_transforms(mazur_pdf)):
        assert matrices, k
        for a, b, c, d, _, _ in matrices:
            if b == 0 and c == 0:  # a scale, perhaps mirrored: never squeezed
                assert abs(a) == pytest.approx(abs(d), rel=1e-6), (k, a, d)


def test_the_page_text_holds_the_labels_whole(mazur_pdf: bytes) -> None:
    texts = [squeeze(t) for t in page_texts(mazur_pdf)]
    first_step = texts[1]  # forward affine1: its edges carry x, W1 and b1, its output the sum
    for label in ("[0.05,0.1]", "[[0.15,0.25],[0.2,0.3]]", "0.35", "[0.3775,0.3925]"):
        assert label in first_step, label
    assert "[[0.05,0.1]]·[[0.15,0.25],[0.2,0.3]]+0.35=[[0.3775,0.3925]]" in first_step


def test_text_in_points_is_as_wide_on_the_pdf_page_as_on_the_png_page(qapp) -> None:
    """The canvas sizes its boxes for its text in points, measured for the screen. A page is painted
    in a 1920 × 1080 frame scaled to its device, and the device turns points into frame units by its
    own resolution: both page devices must turn them as the screen does, or labels overflow their
    boxes (the PDF's were cut at 144 dpi)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, "t")
    image = page_image()
    assert (image.width(), image.height()) == PNG_SIZE
    assert writer.width() / writer.height() == pytest.approx(16 / 9, rel=1e-3)
    font = QFont()
    font.setPointSizeF(8.0)
    text = "[0.3775, 0.3925]"
    on_screen = QFontMetricsF(font).horizontalAdvance(text)
    assert QFontMetricsF(font, writer).horizontalAdvance(text) == pytest.approx(on_screen, rel=0.01)
    assert QFontMetricsF(font, image).horizontalAdvance(text) == pytest.approx(on_screen, rel=0.01)
    buffer.close()
