"""The loss plot's log axis, turned on by itself once the loss spans more than two decades.

Over thousands of updates a loss often falls by orders of magnitude, and a linear axis then shows
nothing after the first hundred updates. Until the person ticks or unticks "Log scale" themselves,
the box is ticked when the drawn losses span more than ``DECADES`` decades; after that it is theirs.
"""
from __future__ import annotations

import math

from PySide6.QtWidgets import QCheckBox

DECADES = 2.0


class AutoLog:
    def __init__(self, box: QCheckBox) -> None:
        self.box = box
        self.chosen = False  # the person clicked the box: leave it as they set it
        box.clicked.connect(self._on_clicked)

    def _on_clicked(self, _checked: bool) -> None:
        self.chosen = True

    def check(self, lowest_positive: float, highest: float) -> None:
        """Tick the box when the losses from ``lowest_positive`` to ``highest`` span more than two decades."""
        if self.chosen or self.box.isChecked() or not (0 < lowest_positive < math.inf) or not math.isfinite(highest):
            return
        if math.log10(highest / lowest_positive) > DECADES:
            self.box.setChecked(True)
