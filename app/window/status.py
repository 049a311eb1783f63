"""The status bar: a lasting message for the state of things, short notes that time out, and
the problem counter at the right.

``show(text, 0)`` sets the lasting message (the debugger's phase and step, for instance);
``show(text, ms)`` shows a note for ``ms`` milliseconds, after which the lasting message comes
back. Hovering a menu entry (its status tip) does the same. A new lasting message replaces a
note at once: it says what the user's latest action did; ``refresh_lasting`` rewords it when the
state changed quietly (training wrote the weights), leaving a note that shows in place.

The progress of a training run is neither: ``show_progress`` puts it in a label of its own at the
right, which ``end_progress`` hides when the run stops. (A lasting message would come back after
every menu or dialog that closes, long after its run ended.)
"""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from app.editor.scene import GraphScene

MAX_TOOLTIP_PROBLEMS = 12
NOTE_MS = 8000  # how long the editor's and the inspector's notes stay


class StatusArea:
    """The window's status bar, following one scene at a time for its problem counter."""

    def __init__(self, window: QMainWindow) -> None:
        self.bar = window.statusBar()
        self.progress = QLabel()
        self.progress.setObjectName("runProgress")
        self.progress.hide()
        self.bar.addPermanentWidget(self.progress)
        self.problems = QLabel()
        self.problems.setObjectName("problemCount")
        self.bar.addPermanentWidget(self.problems)
        self.lasting = ""
        self.note_ms = NOTE_MS
        self._scene: GraphScene | None = None
        self.bar.messageChanged.connect(self._on_message_changed)

    # ------------------------------------------------------------ messages
    def show(self, text: str, timeout_ms: int = 0) -> None:
        """``timeout_ms`` 0: the lasting message; more: a note that gives way to it after that time."""
        if timeout_ms <= 0:
            self.lasting = text
            self.bar.showMessage(text)
        else:
            self.bar.showMessage(text, timeout_ms)

    def refresh_lasting(self, text: str) -> None:
        """The lasting message in new words (the state changed quietly, as when training wrote
        the weights): shown now unless a note is showing, which it comes back after."""
        showing, before = self.bar.currentMessage(), self.lasting
        self.lasting = text
        if showing in ("", before):
            self.bar.showMessage(text)

    def show_progress(self, text: str) -> None:
        """The progress of the run that is running now (shown until :meth:`end_progress`)."""
        self.progress.setText(text)
        self.progress.show()

    def end_progress(self) -> None:
        self.progress.hide()
        self.progress.clear()

    def note(self, text: str) -> None:
        """A short note (what an edit did, why it was refused) for ``note_ms`` milliseconds."""
        self.show(text, self.note_ms)

    def _on_message_changed(self, text: str) -> None:
        if not text and self.lasting:
            self.bar.showMessage(self.lasting)  # a note timed out, or a status tip went away

    # ------------------------------------------------------------ problems
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
