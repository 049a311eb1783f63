"""The program as it is installed: the wheel and the sdist carry every shipped resource, resources are found
through importlib, the version and the libraries' versions are told, the desktop entry goes in and out again,
and every dependency is pinned in constraints.txt."""
from __future__ import annotations

import configparser
import struct
import subprocess
import sys
import tarfile
import zipfile
from importlib import resources as importlib_resources
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement

from app.cli import desktop
from app.cli.about import library_versions, program_version
from app.cli.main import main
from app.window import resources

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def shipped_files() -> list[str]:
    """Every file under resources/, as a path relative to the repository ('resources/examples/mazur.json')."""
    found = [p for p in (ROOT / "resources").rglob("*") if p.is_file()]
    return sorted(str(p.relative_to(ROOT)) for p in found if "__pycache__" not in p.parts and p.suffix != ".pyc")


def build(kind: str, out: Path) -> Path:
    """Build a wheel or an sdist of this checkout with the installed setuptools (no download)."""
    code = (f"import sys; from setuptools import build_meta as b; "
            f"print(b.build_{kind}(sys.argv[1]))")
    done = subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return out / done.stdout.strip().splitlines()[-1]


def test_the_wheel_carries_every_shipped_resource(tmp_path: Path) -> None:
    wheel = build("wheel", tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = shipped_files()
    assert "resources/examples/mazur.json" in shipped and len(shipped) >= 10
    assert [p for p in shipped if p not in names] == []
    assert "app/cli/main.py" in names and "core/graph.py" in names


def test_the_sdist_carries_every_shipped_resource(tmp_path: Path) -> None:
    sdist = build("sdist", tmp_path)
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert [p for p in shipped_files() if p not in names] == []


def test_resources_are_found_through_importlib() -> None:
    assert resources.ROOT == Path(str(importlib_resources.files("resources")))
    assert resources.default_example().is_file()
    names = {e.path.name for e in resources.examples()}
    assert {"mazur.json", "apple.json", "xor.json"} <= names
    assert "QMainWindow" in resources.style_sheet() or resources.style_sheet().strip()


def test_version_is_the_pyproject_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"backprop-workbench {PYPROJECT['project']['version']}"
    assert program_version() == PYPROJECT["project"]["version"]
    named = [line.split()[0] for line in lines[1:]]
    assert named == ["Python", "Qt", "PySide6", "NumPy", "pyqtgraph"]


def test_about_dialog_names_the_versions(qtbot) -> None:  # noqa: ANN001
    import numpy
    from PySide6.QtCore import qVersion

    from app.window.menus import about_html

    text = about_html()
    assert program_version() in text and qVersion() in text and numpy.__version__ in text
    assert dict(library_versions())["Qt"] == qVersion()


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_shipped_icons_have_their_sizes() -> None:
    for size in desktop.PNG_SIZES:
        path = resources.icons_dir() / "hicolor" / f"{size}x{size}" / "apps" / f"{desktop.APP_ID}.png"
        assert png_size(path) == (size, size)


def test_desktop_entry_goes_in_and_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["--install-desktop-entry"]) == 0
    entry_path = tmp_path / "applications" / "backprop-workbench.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(entry_path, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Name"] == "Backprop Workbench"
    command = section["Exec"].split()
    assert command[-1] == "%f" and Path(command[0]).is_file()
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / f"{section['Icon']}.svg").is_file()
    assert png_size(tmp_path / "icons" / "hicolor" / "48x48" / "apps" / f"{section['Icon']}.png") == (48, 48)
    mime = (tmp_path / "mime" / "packages" / "backprop-workbench.xml").read_text(encoding="utf-8")
    assert section["MimeType"].rstrip(";") in mime and "&quot;backprop-workbench&quot;" in mime
    written = capsys.readouterr().out
    assert written.startswith("wrote 9 files")

    assert main(["--uninstall-desktop-entry"]) == 0
    assert [p for p in tmp_path.rglob("*backprop-workbench*") if p.is_file()] == []
    assert capsys.readouterr().out.startswith("removed 9 files")
    assert main(["--uninstall-desktop-entry"]) == 0  # nothing left to remove is not an error
    assert capsys.readouterr().out.startswith("removed 0 files")


def test_exec_key_quotes_paths_with_spaces() -> None:
    assert desktop._quote("/opt/bw/bin/backprop-workbench") == "/opt/bw/bin/backprop-workbench"
    assert desktop._quote("/home/a b/bin/x") == '"/home/a b/bin/x"'
    assert desktop._quote('/tmp/$x"y') == '"/tmp/\\$x\\"y"'


def test_examples_are_named_from_anywhere(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["eval", "example:apple"]) == 0
    assert capsys.readouterr().out.startswith("loss = 220.00000000000003")
    assert main(["eval", "example:nothing"]) == 2
    err = capsys.readouterr().err
    assert "example:nothing: no such example" in err and "mazur" in err


def test_every_dependency_is_pinned_exactly() -> None:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            assert str(req.specifier).startswith("=="), line
            pins[req.name.lower().replace("_", "-")] = req
    wanted = list(PYPROJECT["project"]["dependencies"])
    for extra in PYPROJECT["project"]["optional-dependencies"].values():
        wanted += extra
    for text in wanted:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue
        pin = pins.get(req.name.lower().replace("_", "-"))
        assert pin is not None, f"{req.name} is not pinned in constraints.txt"
        version = str(pin.specifier).removeprefix("==")
        assert req.specifier.contains(version), f"{pin} is outside pyproject's range {req}"


def test_a_shipped_example_named_on_the_command_line_opens_as_an_untitled_copy(tmp_path: Path) -> None:
    """example:NAME, or a path into the installed examples, given to the window: Save never writes into them."""
    from app.window.launch import _open

    named = main.__globals__["resolve"]("example:spirals")
    for given in (named, str(resources.examples_dir() / "xor.json")):
        document, error = _open(given)
        assert error is None and document is not None
        assert document.path is None and document.example == Path(given).name
        document.close()
    own = tmp_path / "mine.json"
    own.write_bytes((resources.examples_dir() / "xor.json").read_bytes())
    document, error = _open(str(own))
    assert error is None and document is not None and document.path == own
    document.close()
