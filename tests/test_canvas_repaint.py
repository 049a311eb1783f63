"""What the canvas shows on screen is what it would paint afresh: labels that move while the view
paints leave no copy behind (the window's pixels, from the offscreen platform's backing store,
against a fresh render of the canvas, after every step of a training step)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint
from PySide6.QtGui import QImage
from training_helpers import open_example


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine())[:, :image.width() * 4].reshape(
        image.height(), image.width(), 4)[:, :, :3].astype(int)


def stale_pixels(window) -> int:
    """Pixels of the canvas on screen that differ clearly from a fresh render of it."""
    # the scene's queued look at what moved first: the fresh render would take the places it
    # paints the moved items at for the places they were shown at, and leave the old ones as they are
    QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall.value)
    viewport = window.view.viewport()
    corner = viewport.mapTo(window, QPoint(0, 0))
    screen = window.screen().grabWindow(window.winId(), corner.x(), corner.y(),
                                        viewport.width(), viewport.height()).toImage()
    fresh = viewport.grab().toImage()
    if screen.size() != fresh.size():
        return -1
    return int(np.count_nonzero(np.abs(_pixels(screen) - _pixels(fresh)).sum(axis=2) > 60))


def test_no_label_is_left_behind_on_screen_while_stepping(workbench, qtbot):
    window = workbench(open_example("mazur"), (1600, 1000))
    c = window.debugger.controller
    label_pass = window.scene.label_pass
    for _ in range(len(c.stepper.program.steps) + 1):
        c.step()
        # once every label is in its place, the screen shows what a fresh paint shows
        qtbot.waitUntil(lambda: not label_pass.pending() and stale_pixels(window) == 0, timeout=3000)
