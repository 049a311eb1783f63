"""Crash recovery keeps what it restored: a second crash soon after a restore loses nothing, and the
temporary files of an autosave killed before its rename are removed at the next start."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from test_autosave import MAZUR, ROOT, _edit, make_window  # noqa: F401 - make_window: a fixture

from app.model.document import Document
from app.window.autosave import find_recoveries
from core import io


def _crash_leaving(window) -> None:
    """What a killed process leaves of ``window``'s autosaver: its files, and no live lock."""
    window.autosaver._lock.unlock()
    window.autosaver._lock = None
    window.autosaver.path = window.autosaver.path.with_name("elsewhere.json")  # its clean-up touches nothing


@pytest.fixture
def maker(make_window):  # noqa: F811 - the fixture imported above
    return make_window


def test_a_restored_recovery_stays_on_disk_until_written_again(maker, tmp_path):
    crashed = maker(Document.open(MAZUR))
    _edit(crashed.document, 0.42)
    assert crashed.autosaver.write_now()
    _crash_leaving(crashed)

    window = maker(autosave_ms=3_600_000)  # no timer tick before the second crash
    window._ask_restore = lambda recovery: True
    assert window.offer_recovery()
    assert window.document.graph.nodes["W1"].value[0, 0] == 0.42
    # the second crash, before any autosave of the restored document: the next start still finds it
    _crash_leaving(window)
    (found,) = find_recoveries(tmp_path / "recovery")
    assert found.title == "mazur.json" and found.source == MAZUR
    assert io.load(found.path).nodes["W1"].value[0, 0] == 0.42


def test_an_autosave_killed_before_its_rename_leaves_no_temporary_file_behind(tmp_path):
    folder = tmp_path / "recovery"
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from PySide6.QtCore import QCoreApplication
        app = QCoreApplication([])
        from app.window.autosave import Autosaver
        saver = Autosaver(Path({str(folder)!r}))
        saver.directory.mkdir(parents=True)
        saver._take_lock()
        tmp = saver.directory / ("." + saver.path.name + ".0123abcd.tmp")
        tmp.write_text('{{"half": ')  # the write's temporary file, as a kill -9 leaves it
        print(tmp)
        os._exit(9)
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    left = folder / os.path.basename(done.stdout.strip())
    assert left.exists()
    # a running workbench's own temporary file is kept
    from app.window.autosave import Autosaver

    alive = Autosaver(folder)
    alive._take_lock()
    own = folder / f".{alive.path.name}.4567cdef.tmp"
    own.write_text("{")
    assert find_recoveries(folder) == []
    assert not left.exists() and own.exists()
    alive.stop()
