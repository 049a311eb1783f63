"""Where a node may be placed: at most :data:`MAX_COORDINATE` scene units either way from the origin.

The file format refuses a place beyond it (the canvas indexes its edges by cells of the scene, so a
node billions of units away made it ask for exabytes), the editor's moves stop at it, and a save
writes every node within it, so that every file the workbench writes opens again.
"""
from __future__ import annotations

import math

MAX_COORDINATE = 1_000_000  # scene units either way from the origin (a laid-out 5,000-node graph spans ~125,000)


def within_bounds(pos: tuple[float, float]) -> tuple[float, float]:
    """``pos`` with each coordinate brought into [-MAX_COORDINATE, MAX_COORDINATE] (a NaN: 0)."""
    return _coordinate(pos[0]), _coordinate(pos[1])


def _coordinate(value: float) -> float:
    value = float(value)
    if math.isnan(value):
        return 0.0
    return min(max(value, -float(MAX_COORDINATE)), float(MAX_COORDINATE))
