"""The command line's two kinds of failure, shared by its sub-commands and their helpers."""
from __future__ import annotations


class UsageError(Exception):
    """A user's mistake: reported as one line, exit status 2."""


class RunError(Exception):
    """The work itself failed (a NaN loss): reported as one line, exit status 1."""
