"""Ending on a signal: SIGTERM (a logout, ``kill PID``) and SIGINT (Ctrl+C in the terminal) close the
window cleanly instead of killing the process where it stands.

A clean close here asks nothing (nobody may be there to answer): unsaved edits are written to the
recovery file and kept, so the next start offers them (saying the workbench was closed by the
signal, not that it crashed); with no unsaved edits the recovery state is removed and the next
start asks nothing. The exit status is 128 + the signal's
number (143 for SIGTERM, 130 for SIGINT), as a shell reports a process that a signal ended.

Python runs a signal handler only when the interpreter gets control, and in Qt's event loop it may
not for a long time. The handler's C part writes the signal's number to a socket
(:func:`signal.set_wakeup_fd`); a :class:`QSocketNotifier` on the other end wakes the event loop,
and the close happens there, on the GUI thread, between two events.
"""
from __future__ import annotations

import signal
import socket
from types import FrameType
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier

SIGNALS = (signal.SIGTERM, signal.SIGINT)


def exit_status(signum: int) -> int:
    return 128 + signum


class QuitSignals(QObject):
    """While installed, SIGTERM and SIGINT end ``window`` (a MainWindow) and the event loop cleanly."""

    def __init__(self, window: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.received: int | None = None
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self._previous = {s: signal.signal(s, self._note) for s in SIGNALS}
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._wake)

    @staticmethod
    def _note(signum: int, frame: FrameType | None) -> None:
        """The Python part of the handler: nothing (the wake-up socket carries the signal's number)."""

    def _wake(self) -> None:
        try:
            data = self._read.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        numbers = [n for n in data if n in {int(s) for s in SIGNALS}]
        if numbers:
            self.end(numbers[0])

    def end(self, signum: int) -> None:
        """Close the window without a question (keeping or removing the recovery file), then leave
        the event loop with ``128 + signum``. A second signal while closing changes nothing."""
        if self.received is not None:
            return
        self.received = signum
        self.window.ending_signal = signum
        self.window.close()
        app = QCoreApplication.instance()
        if app is not None:
            app.exit(exit_status(signum))

    def uninstall(self) -> None:
        """Give the signals back their handlers from before, and close the socket."""
        self._notifier.setEnabled(False)
        for s, handler in self._previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        signal.set_wakeup_fd(self._previous_fd)
        self._read.close()
        self._write.close()
