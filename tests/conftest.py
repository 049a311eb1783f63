"""Test settings shared by the whole suite: Qt renders offscreen, examples are easy to find, and
the property-based tests run under one settings profile (CI uses the same).

Window tests share three fixtures: ``isolated_settings`` (QSettings and application data in the
test's own folder), ``make_main_window`` (a shown MainWindow that never waits on close) and
``window`` (one holding Mazur's example; a test file may define a ``window`` of its own).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Property-based tests: a fixed set of examples (derandomized, so the suite gives the same result
# every run and CI sees what a developer saw), a bounded count, and a deadline per example that
# a hang cannot pass but a loaded machine does not reach. HYPOTHESIS_PROFILE=fuzz explores anew.
_PROPERTY = {"deadline": 20_000, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
             "database": None}
settings.register_profile("workbench", max_examples=120, derandomize=True, **_PROPERTY)
settings.register_profile("fuzz", max_examples=2_000, **_PROPERTY)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "workbench"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "resources" / "examples"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_dialogs: the test answers a real modal dialog itself")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Empty the clipboard: Qt's offscreen platform crashes at exit while it holds our data."""
    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets is not None else None
    if app is not None:
        app.clipboard().clear()


@pytest.fixture(autouse=True)
def no_unanswered_dialogs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A modal dialog nobody answers would hang the suite: every dialog a test did not stub is
    answered with Cancel (or an empty file name) and fails the test; the workbench's own file
    dialogs (app.window.file_dialogs) are answered through ``QDialog.exec``. Tests that click a
    real dialog themselves carry the ``real_dialogs`` mark."""
    if "real_dialogs" in request.keywords or "PySide6.QtWidgets" not in sys.modules:
        yield
        return
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    shown: list[str] = []

    def record(kind: str, answer: Any) -> Callable[..., Any]:
        def stub(*args: Any, **kwargs: Any) -> Any:
            texts = [a for a in args if isinstance(a, str)]
            shown.append(f"{kind}: {' | '.join(texts)[:200]}")
            return answer
        return stub

    cancel = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QDialog, "exec", record("dialog", 0))
    monkeypatch.setattr(QMessageBox, "exec", record("message box", int(cancel.value)))
    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record(f"QMessageBox.{name}", cancel)))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(record("QMessageBox.about", None)))
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(record(f"QFileDialog.{name}", ("", ""))))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(record("QFileDialog.getExistingDirectory", "")))
    yield shown  # a test that opens a dialog on purpose reads, and clears, what was shown
    assert not shown, f"a modal dialog opened that the test did not expect: {shown}"


@pytest.fixture(autouse=True)
def collect_cycles_between_tests() -> Iterable[None]:
    """Once a window job has run, cycles are collected by a timer of the GUI thread only
    (app.window.background.Collector); between tests no event loop runs it, so collect here."""
    yield
    background = sys.modules.get("app.window.background")
    if background is not None:
        background.Collector.now()


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and application data of this test live in its own temporary folder (returned)."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


ROOMS = {"Debugger": "debugger", "Training": "training", "DatasetPanel": "dataset_panel",  # where the window
         "CodeRoom": "code", "ExerciseMode": "exercise_mode", "Published": "published"}  # keeps each


@pytest.fixture
def make_main_window(qtbot: Any, tmp_path: Path, isolated_settings: Path) -> Callable[..., Any]:
    """``make(document=None, install=(), **kwargs)``: a MainWindow, shown and exposed.

    Recovery files go to the test's folder and closing never waits for an answer. Each
    ``install`` hook (``app.debugger.install``, ...) is called with the window before it is shown.
    """
    from PySide6.QtWidgets import QMessageBox

    from app.window.main_window import MainWindow

    def make(document: Any = None, install: Iterable[Callable[[Any], Any]] = (), **kwargs: Any) -> MainWindow:
        kwargs.setdefault("recovery_dir", tmp_path / "recovery")
        window = MainWindow(document, **kwargs)
        window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        qtbot.addWidget(window)
        for hook in install:  # keep each room where the window declares it (the others keep themselves)
            room = hook(window)
            if type(room).__name__ in ROOMS:
                setattr(window, ROOMS[type(room).__name__], room)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def window(make_main_window: Callable[..., Any], examples_dir: Path) -> Any:
    """A shown MainWindow holding Mazur's example (``make_main_window``)."""
    from app.model.document import Document

    return make_main_window(Document.open(examples_dir / "mazur.json"))


@pytest.fixture
def workbench(qtbot: Any, tmp_path: Path, isolated_settings: Path) -> Callable[..., Any]:
    """``make(document=None, size=(1280, 800))``: the workbench as the command line builds it
    (``app.window.launch.create_window``: debugger and training installed), shown at ``size``."""
    from PySide6.QtWidgets import QMessageBox

    from app.window.launch import create_window

    def make(document: Any = None, size: tuple[int, int] = (1280, 800)) -> Any:
        window = create_window(document, recovery_dir=tmp_path / "recovery")
        window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def trust() -> Iterable[Any]:
    """The session's trusted custom-layer code (``core.custom.trust.SESSION``), empty before and after."""
    from core.custom.trust import SESSION

    SESSION.revoke_all()
    yield SESSION
    SESSION.revoke_all()
