"""Shown views kept from repainting while the label pass's timer places a slice of labels.

A timer's slice does not make the shown views repaint straight after it: while it runs they do
not hear of the items it changes (``NoViewportUpdate``), and a timer of each view repaints its
whole viewport in a tick of its own, REPAINT_EVERY ms (label_pass.py) on while more slices follow (the slices in
between stay quiet too, so a few slices share one paint), at once after the last. Input and
other timers waiting after the slice are served before that paint, so the event loop waits for
the slice or for the paint of the zoomed-out canvas, not for both back to back (2 cores under
load stretched the two together past 100 ms at 1,000 nodes). The label pass (label_pass.py)
quietens the views before each tick and starts each view's repaint timer after it.
"""
from __future__ import annotations

from PySide6.QtWidgets import QGraphicsView

from app.editor.host import SceneHost


def quiet_views(scene: SceneHost) -> list[QGraphicsView]:
    """The shown views of ``scene``, told not to repaint what changes until :func:`repaint_later`."""
    quiet = []
    for view in scene.views():
        if view.isVisible() and view.viewportUpdateMode() != QGraphicsView.ViewportUpdateMode.NoViewportUpdate:
            view.setProperty(_MODE, view.viewportUpdateMode())
            view.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.NoViewportUpdate)
            quiet.append(view)
    return quiet


def repaint_later(view: QGraphicsView) -> None:
    """A quietened view repaints all it shows (what changed while it was quiet is not known)."""
    mode = view.property(_MODE)
    if mode is not None:
        view.setProperty(_MODE, None)
        view.setViewportUpdateMode(mode)
        view.viewport().update()


_MODE = "label_pass_update_mode"  # the view's own update mode, while a slice keeps it quiet
