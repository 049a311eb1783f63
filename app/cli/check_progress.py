"""The ``check`` command's progress on standard error, for a check that runs past a moment.

A check that ends within :data:`QUIET` seconds prints nothing (short runs, and the tests' output,
stay as they were). Past it, a terminal gets one line redrawn in place ("checking gradients:
12,345 of 34,499 elements (affine1)") at most every :data:`REDRAW` seconds, erased at the end;
a file or a pipe gets a plain line every :data:`LOG_EVERY` seconds instead.
"""
from __future__ import annotations

import time
from typing import TextIO

from core.gradcheck_bounds import progress_words

QUIET = 1.0
REDRAW = 0.1
LOG_EVERY = 5.0


class CheckProgress:
    """A :data:`core.gradcheck.Progress` callback that writes to ``stream``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.perf_counter()
        self.next = self.start + QUIET
        self.width = 0  # characters of the line drawn in place (0: none)

    def __call__(self, done: int, total: int, name: str) -> None:
        now = time.perf_counter()
        if now < self.next:
            return
        self.next = now + (REDRAW if self.tty else LOG_EVERY)
        text = f"checking gradients: {progress_words(done, total, name)}"
        if self.tty:
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Erase the line drawn in place (the verdict follows on standard output)."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
