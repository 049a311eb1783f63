"""The command line's paths: ``example:NAME`` resolved to a shipped example, and an output refused before
any work when its folder is missing. Light on purpose: the window's start-up uses it without the
headless commands' imports."""
from __future__ import annotations

from pathlib import Path

from app.cli.errors import UsageError

EXAMPLE_PREFIX = "example:"


def resolve(path: str) -> str:
    """``example:NAME`` names a shipped example (``example:mazur``), wherever the program is installed;
    any other text is a path, returned as it is."""
    if not path.startswith(EXAMPLE_PREFIX):
        return path
    from app.window import resources

    name = path[len(EXAMPLE_PREFIX):].removesuffix(".json")
    found = resources.examples_dir() / f"{name}.json"
    if not name or "/" in name or "\\" in name or not found.is_file():
        names = ", ".join(sorted(p.stem for p in resources.examples_dir().glob("*.json")))
        raise UsageError(f"{path}: no such example (examples: {names})")
    return str(found)


def writable(path: str, what: str, force: bool | None = None) -> None:
    """Refuse an output whose folder is missing before any work is done, and (``force`` False:
    the command has ``--force`` and it was not given) an output file that exists."""
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{what} {path}: is a folder")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{what} {path}: the folder {folder} does not exist")
    if force is False and p.exists():
        raise UsageError(f"{what} {path}: the file exists (add --force to overwrite it)")
