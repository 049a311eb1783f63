"""Where the shipped resources live: examples, data sets, style sheets and icons.

They are the package ``resources`` (the repository's ``resources/`` folder), found where Python
imports it from, so the same code finds them in a checkout, an editable install, a wheel and a source
distribution. They are read only: examples open as untitled copies. (Not ``importlib.resources``:
its import costs the window's first paint ~7 ms, and the package is a folder in every install.)
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import resources as _shipped

ROOT = Path(_shipped.__file__).resolve().parent
DEFAULT_EXAMPLE = "mazur.json"


def resources_dir() -> Path:
    return ROOT


def examples_dir() -> Path:
    return ROOT / "examples"


def styles_dir() -> Path:
    return ROOT / "styles"


def icons_dir() -> Path:
    return ROOT / "icons"


def is_shipped(path: str | Path) -> bool:
    """Whether ``path`` is one of the shipped files (opened, it becomes an untitled copy: never saved over)."""
    try:
        return Path(path).resolve().is_relative_to(ROOT.resolve())
    except OSError:
        return False


def default_example() -> Path:
    return examples_dir() / DEFAULT_EXAMPLE


def to_open(path: str | None) -> tuple[Path, bool]:
    """The file that opening ``path`` reads (None: the default example), and whether it is shipped
    (an example, or a path into the shipped examples: it opens as an untitled copy)."""
    shown = Path(path) if path else default_example()
    return shown, not path or is_shipped(shown)


class Example(NamedTuple):  # not a dataclass: importing dataclasses costs the first paint ~1.5 ms
    path: Path
    name: str


def examples() -> list[Example]:
    """Every shipped example, sorted by its display name (the file's "name", else its file name)."""
    found = []
    for path in sorted(examples_dir().glob("*.json")):
        found.append(Example(path, _example_name(path)))
    return sorted(found, key=lambda e: e.name.lower())


def _example_name(path: Path) -> str:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path.stem
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name.strip() else path.stem


def style_sheet() -> str:
    """The application's style sheet: every .qss file in resources/styles, in name order."""
    parts = []
    for path in sorted(styles_dir().glob("*.qss")):
        try:
            parts.append(path.read_text(encoding="utf-8"))
        except OSError:
            continue
    return "\n".join(parts)
