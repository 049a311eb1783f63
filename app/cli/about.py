"""What a bug report needs: the program's version and the versions of the libraries under it.

``program_version`` reads the installed distribution's metadata (the version in pyproject.toml);
``library_versions`` imports Qt only when asked, so ``--version`` stays a headless, fast call.
"""
from __future__ import annotations

import platform
import sys

DISTRIBUTION = "backprop-workbench"


def program_version() -> str:
    from importlib import metadata  # slow to import: only when the version is asked for

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def library_versions() -> list[tuple[str, str]]:
    """(name, version) of Python, Qt, PySide6, NumPy and pyqtgraph, in that order."""
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6.QtCore import qVersion

    return [
        ("Python", f"{platform.python_version()} ({sys.platform})"),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("NumPy", numpy.__version__),
        ("pyqtgraph", pyqtgraph.__version__),
    ]


def version_text() -> str:
    """``backprop-workbench 0.1.0`` then one line per library: the text of ``--version`` and of About."""
    lines = [f"{DISTRIBUTION} {program_version()}"]
    lines += [f"{name} {version}" for name, version in library_versions()]
    return "\n".join(lines)
