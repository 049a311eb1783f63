"""The status bar's permanent part: how many validation problems the graph has."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from .editor.scene import GraphScene

MAX_TOOLTIP_PROBLEMS = 12


class StatusArea:
    """A problem counter at the right of the window's status bar, following one scene at a time."""

    def __init__(self, window: QMainWindow) -> None:
        self.problems = QLabel()
        self.problems.setObjectName("problemCount")
        window.statusBar().addPermanentWidget(self.problems)
        self._scene: GraphScene | None = None

    def watch(self, scene: GraphScene) -> None:
        if self._scene is not None:
            try:
                self._scene.problemsChanged.disconnect(self._on_problems)
            except RuntimeError:
                pass
        self._scene = scene
        scene.problemsChanged.connect(self._on_problems)
        self._on_problems(len(scene.problems))

    def _on_problems(self, count: int) -> None:
        label = self.problems
        if count == 0:
            label.setText("No problems")
            label.setToolTip("The graph is valid: it can run forward and backward.")
        else:
            label.setText(f"{count} problem{'s' if count != 1 else ''}")
            found = self._scene.problems if self._scene is not None else []
            lines = [p.message for p in found[:MAX_TOOLTIP_PROBLEMS]]
            if len(found) > MAX_TOOLTIP_PROBLEMS:
                lines.append(f"… and {len(found) - MAX_TOOLTIP_PROBLEMS} more")
            label.setToolTip("\n".join(lines))
        label.setProperty("bad", count > 0)
        label.style().unpolish(label)
        label.style().polish(label)
