"""The command line's two kinds of failure, shared by its sub-commands and their helpers."""
from __future__ import annotations

import sys

PROG = "backprop-workbench"


class UsageError(Exception):
    """A user's mistake: reported as one line, exit status 2."""


class RunError(Exception):
    """The work itself failed (a NaN loss): reported as one line, exit status 1."""


def report(message: str, status: int) -> int:
    """Print ``message`` as the one line every failure of the command line and the window launcher
    gives (``backprop-workbench: error: ...``) on standard error; return ``status``."""
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return status
