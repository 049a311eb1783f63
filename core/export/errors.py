"""The one error of the exports."""
from __future__ import annotations


class ExportError(ValueError):
    """The graph cannot be written in this format; the message says why in one line."""
