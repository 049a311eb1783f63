"""A Linux desktop entry for the installed program: the launcher, its icon and the file type.

``install(data_home)`` writes, under ``$XDG_DATA_HOME`` (``~/.local/share`` by default):
``applications/backprop-workbench.desktop``, the icon in the hicolor theme (scalable SVG and PNGs of the usual
sizes, shipped in ``resources/icons/hicolor``) and ``mime/packages/backprop-workbench.xml``, which recognises a
workbench file by its ``"format": "backprop-workbench"`` line (so other JSON files keep their own handler).
``uninstall(data_home)`` removes exactly those files. Each returns the paths it touched; the desktop's caches are
refreshed when the tools for it are on the PATH, and their absence is not an error.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from app.window import resources
from core.io.atomic import write_atomic

APP_ID = "backprop-workbench"
MIME_TYPE = "application/x-backprop-workbench+json"
PNG_SIZES = (16, 32, 48, 64, 128, 256)


def default_data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def launcher() -> str:
    """The command the desktop runs: the entry-point script beside this Python, else ``python -m app``."""
    script = Path(sys.executable).parent / APP_ID
    if script.is_file() and os.access(script, os.X_OK):
        return _quote(str(script))
    return f"{_quote(sys.executable)} -m app"


def _quote(word: str) -> str:
    """Quoting of the desktop entry spec's Exec key: a word with a reserved character goes in double quotes."""
    if not any(c in word for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return word
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def desktop_entry(exec_command: str) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=Backprop Workbench",
        "GenericName=Backpropagation Workbench",
        "Comment=Build a computational graph, step through backpropagation, train it and watch the loss",
        f"Exec={exec_command} %f",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Education;Science;Math;",
        "Keywords=backpropagation;neural network;gradient;computational graph;",
        f"MimeType={MIME_TYPE};",
        "StartupWMClass=backprop-workbench",
        "",
    ])


def mime_package() -> str:
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">',
        f'  <mime-type type="{MIME_TYPE}">',
        "    <comment>Backprop Workbench graph</comment>",
        '    <sub-class-of type="application/json"/>',
        f'    <icon name="{APP_ID}"/>',
        '    <magic priority="80">',
        '      <match type="string" value="&quot;backprop-workbench&quot;" offset="0:256"/>',
        "    </magic>",
        "  </mime-type>",
        "</mime-info>",
        "",
    ])


def _targets(data_home: Path) -> dict[Path, bytes]:
    """Every file the entry consists of, with its content."""
    icons = data_home / "icons" / "hicolor"
    files: dict[Path, bytes] = {
        data_home / "applications" / f"{APP_ID}.desktop": desktop_entry(launcher()).encode(),
        data_home / "mime" / "packages" / f"{APP_ID}.xml": mime_package().encode(),
        icons / "scalable" / "apps" / f"{APP_ID}.svg": (resources.icons_dir() / "workbench.svg").read_bytes(),
    }
    for size in PNG_SIZES:
        shipped = resources.icons_dir() / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        files[icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = shipped.read_bytes()
    return files


def install(data_home: Path | None = None) -> list[Path]:
    home = data_home or default_data_home()
    written = []
    for path, content in _targets(home).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, content)
        written.append(path)
    _refresh(home)
    return written


def uninstall(data_home: Path | None = None) -> list[Path]:
    home = data_home or default_data_home()
    removed = []
    for path in _targets(home):
        if path.exists():
            path.unlink()
            removed.append(path)
    _refresh(home)
    return removed


def _refresh(home: Path) -> None:
    """Tell the desktop's caches (when their tools are installed; silently nothing otherwise)."""
    commands = [
        ("update-desktop-database", [str(home / "applications")]),
        ("update-mime-database", [str(home / "mime")]),
        ("gtk-update-icon-cache", ["-q", "-t", "-f", str(home / "icons" / "hicolor")]),
    ]
    for tool, args in commands:
        exe = shutil.which(tool)
        if exe is None:
            continue
        try:
            subprocess.run([exe, *args], capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
