"""Export for teaching: the canvas after every step of a training step, as numbered PNG files.

``step_000.png`` is the start of the training step (no step run yet) and ``step_K.png`` the
canvas after step K, up to the update. The cursor goes back where it was afterwards.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from app.debugger.controller import DebugController
from app.window.screenshot import SLIDE_SCALE, export_png

DEFAULT_SCALE = SLIDE_SCALE


def step_image_name(k: int) -> str:
    return f"step_{k:03d}.png"


def export_step_images(controller: DebugController, scene: Any, folder: str | Path,
                       scale: float = DEFAULT_SCALE) -> list[Path]:
    """Write one PNG per step of the current training step into ``folder``; returns the paths.

    Raises ``ValueError`` when the graph cannot run and ``OSError`` (naming the file) when a
    file cannot be written.
    """
    s = controller.stepper
    if s is None:
        raise ValueError(f"the graph cannot run: {controller.problem}")
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(f"cannot create the folder {folder}: {exc.strerror or exc}") from None
    back_to = s.cursor
    steps = len(s.program.steps)
    paths: list[Path] = []
    try:
        controller.goto(0)
        for k in range(steps + 1):
            if k > 0:
                controller.step()
            path = folder / step_image_name(k)
            export_png(scene, path, scale)
            paths.append(path)
    finally:
        controller.goto(back_to)
    return paths
