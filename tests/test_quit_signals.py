"""SIGTERM (a logout, ``kill PID``) and SIGINT (Ctrl+C) end the workbench cleanly: the window closes
without a question, the exit status is 128 + the signal's number, unsaved edits stay in the
recovery file for the next start to offer (the latest edit included, not only the last autosave),
and with no unsaved edits no recovery state is left, so the next start asks nothing.

Each test runs the workbench as the command line starts it (``app.window.launch.run``) in its own
process under the offscreen platform, with its application data in the test's folder."""
from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.window.autosave import find_recoveries
from core import io

ROOT = Path(__file__).resolve().parent.parent
MAZUR = ROOT / "resources" / "examples" / "mazur.json"
READY_WITHIN_S = 120  # a guard against a hung child, not a timing

DRIVER = '''
import sys

from app import commands
from app.window import launch
from app.window.main_window import MainWindow

offer = MainWindow.offer_recovery


def offer_then_ready(self):  # the first thing the event loop runs
    result = offer(self)
    if sys.argv[2] == "edit":
        self.document.undo_stack.push(commands.SetValue(self.document, "W1", 0.625, index=(0, 1)))
    print("ready", flush=True)
    return result


MainWindow.offer_recovery = offer_then_ready
sys.exit(launch.run(sys.argv[1]))
'''


def _run_until_signal(tmp_path: Path, mode: str, signum: int) -> tuple[int, Path]:
    """Start the workbench, wait until its event loop runs, send ``signum``; (exit status, data folder)."""
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(data),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    child = subprocess.Popen([sys.executable, str(driver), str(MAZUR), mode], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        with selectors.DefaultSelector() as waiting:
            waiting.register(child.stdout, selectors.EVENT_READ)
            assert waiting.select(READY_WITHIN_S), "the workbench never reached its event loop"
        line = child.stdout.readline()
        assert line.strip() == "ready", child.stderr.read() if child.poll() is not None else line
        child.send_signal(signum)
        status = child.wait(READY_WITHIN_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    return status, data


def _recovery_folder(data: Path) -> Path:
    folders = list(data.rglob("recovery"))
    assert len(folders) <= 1
    return folders[0] if folders else data / "no recovery folder"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_unsaved_edits_are_kept_for_the_next_start(tmp_path: Path, signum: signal.Signals) -> None:
    status, data = _run_until_signal(tmp_path, "edit", signum)
    assert status == 128 + signum
    found = find_recoveries(_recovery_folder(data))
    assert len(found) == 1  # the next start offers it
    assert found[0].ended_by == signum.name  # and says the signal closed it, not a crash
    graph = io.load(found[0].path)
    assert graph.node("W1").value[0, 1] == 0.625  # the edit made just before the signal


def test_with_no_unsaved_edits_no_recovery_state_is_left(tmp_path: Path) -> None:
    status, data = _run_until_signal(tmp_path, "no edit", signal.SIGTERM)
    assert status == 128 + signal.SIGTERM
    folder = _recovery_folder(data)
    assert find_recoveries(folder) == []
    assert not folder.exists() or list(folder.iterdir()) == []  # no recovery file, source note or lock
