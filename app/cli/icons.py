"""``make icons``: render the shipped PNG icons (the sizes a desktop theme asks for) from the one SVG.

Run again after changing ``resources/icons/workbench.svg``; the PNGs are committed so an install needs no Qt
rendering (``app/cli/desktop.py`` copies them).
"""
from __future__ import annotations

import os
import sys

from app.cli.desktop import APP_ID, PNG_SIZES
from app.window import resources
from core.io.atomic import write_atomic


def render() -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(resources.icons_dir() / "workbench.svg"))
    written = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide6 takes str
        out = resources.icons_dir() / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, bytes(data.data()))
        written.append(str(out))
    return written


if __name__ == "__main__":
    print("\n".join(render()))
