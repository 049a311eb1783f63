"""Pictures of the workbench: the canvas as PNG (at a scale factor) or SVG, and the whole window.

Used by File ▸ Export Canvas and by ``--screenshot``. Each function raises ``OSError`` with the
path in its message when the file cannot be written.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from core.io.atomic import write_atomic

MARGIN = 30.0
SLIDE_SCALE = 1.5  # canvas pictures for slides and handouts: the edge labels read at a glance


def save_png(picture: QImage | QPixmap, path: str | os.PathLike[str]) -> None:
    """Write ``picture`` as a PNG, atomically: the old file stays until the new one is complete."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not picture.save(buffer, "PNG"):  # type: ignore[call-overload]  # the stubs say bytes; PySide6 takes str
        raise OSError(f"cannot encode a PNG image for {path}")
    buffer.close()
    write_atomic(path, bytes(data.data()))


def canvas_rect(scene: QGraphicsScene, margin: float = MARGIN) -> QRectF:
    """The part of the scene holding items, with a margin (a small square when it is empty)."""
    rect = scene.itemsBoundingRect()
    if rect.isEmpty():
        rect = QRectF(0, 0, 200, 120)
    return rect.adjusted(-margin, -margin, margin, margin)


def _background(scene: QGraphicsScene) -> QColor:
    brush = scene.backgroundBrush()
    return brush.color() if brush.style() != Qt.BrushStyle.NoBrush else QColor("white")


def render_scene(scene: QGraphicsScene, painter: QPainter, target: QRectF, source: QRectF) -> None:
    """Draw the scene unselected and uncached: cached items would become blurry bitmaps."""
    selected = scene.selectedItems()
    cached = [(item, item.cacheMode()) for item in scene.items() if item.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    for item in selected:
        item.setSelected(False)
    for item, _ in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        scene.render(painter, target, source)
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)
        for item in selected:
            item.setSelected(True)


def export_png(scene: QGraphicsScene, path: str | Path, scale: float = 2.0) -> QSize:
    """Render the whole graph to a PNG ``scale`` times its scene size; returns the image size."""
    source = canvas_rect(scene)
    size = QSize(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(_background(scene))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    try:
        render_scene(scene, painter, QRectF(0, 0, size.width(), size.height()), source)
    finally:
        painter.end()
    save_png(image, path)
    return size


def export_svg(scene: QGraphicsScene, path: str | Path, title: str = "Backprop Workbench graph") -> QSize:
    """Render the whole graph to an SVG file (vector shapes and text); returns its size."""
    source = canvas_rect(scene)
    size = QSize(max(1, round(source.width())), max(1, round(source.height())))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Exported from Backprop Workbench")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"cannot draw the SVG for {path}")
    try:
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), _background(scene))
        render_scene(scene, painter, QRectF(0, 0, size.width(), size.height()), source)
    finally:
        painter.end()
    buffer.close()
    write_atomic(path, bytes(data.data()))
    return size


def grab_window(widget: QWidget, path: str | Path) -> QSize:
    """Save a picture of ``widget`` as it is drawn now, every canvas label in its place (PNG);
    returns its size."""
    for view in [widget, *widget.findChildren(QGraphicsView)]:
        scene = view.scene() if isinstance(view, QGraphicsView) else None
        if scene is not None and hasattr(scene, "layout_labels_now"):
            scene.layout_labels_now()
    pixmap = widget.grab()
    save_png(pixmap, path)
    return pixmap.size()
