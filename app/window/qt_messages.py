"""Qt's own messages on standard error, without the notes of a platform plugin that say nothing to a user.

The offscreen plugin (screenshots, tests) writes "This plugin does not support
propagateSizeHints()" every time a window's size limits change: a fact about the plugin, not a
problem. Every other message goes on to standard error as before.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

UNSAID = ("This plugin does not support propagateSizeHints()",)
_installed = False


def _handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in UNSAID:
        return
    print(message, file=sys.stderr)


def quiet_platform_notes() -> None:
    """Install the filter once (before the QApplication exists, so its first notes are caught too)."""
    global _installed
    if not _installed:
        qInstallMessageHandler(_handler)
        _installed = True
