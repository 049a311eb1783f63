"""Starting the window: ``run(path, screenshot, size, steps)`` is what the command line calls.

The window paints before the engine loads: :func:`open_window` shows the window the user will keep,
before it is built (:meth:`MainWindow.opening`: title, saved size, the menu bar's names greyed,
"Opening mazur.json…"), and right after its first paint opens the file and builds the window and its
rooms into it with the code :func:`create_window` runs. This module and the modules it imports at
the top import Qt only, never NumPy or ``core``; ``tests/test_cold_start_imports.py`` checks it.

With ``screenshot`` the window is rendered offscreen with the file open, saved as a PNG, and the
function returns without entering the event loop; settings and recovery files then live in a
temporary folder, so a screenshot never reads or changes the user's layout. With ``canvas`` the
PNG is the graph alone at :data:`~app.window.screenshot.SLIDE_SCALE` (for slides).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app.cli.errors import report
from app.window import resources
from app.window.background import Collector
from app.window.first_layout import add_reset as add_reset_layout
from app.window.main_window import MainWindow
from app.window.opening import Placeholder
from app.window.qt_messages import quiet_platform_notes

if TYPE_CHECKING:
    import tempfile
    from typing import Callable

    from app.model.document import Document
    from app.window.quit_signals import QuitSignals
    from core.graph import Graph

APP_NAME = "workbench"
ORGANISATION = "backprop-workbench"
DISPLAY_NAME = "Backprop Workbench"
SETTLE_MS = 300


def _application(screenshot: bool) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    if screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    quiet_platform_notes()
    app = QApplication(sys.argv[:1])
    Collector.install()  # cyclic garbage collection on the GUI thread's timer only (app.window.background)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    if screenshot:
        set_window_icon(app)  # a window opened for the screenshot is built before it is shown
    sheet = resources.style_sheet()
    if sheet:
        app.setStyleSheet(sheet)
    if app.platformName() == "offscreen":  # its clipboard crashes at exit while holding our data
        app.aboutToQuit.connect(lambda: app.clipboard().clear())
    return app


def set_window_icon(app: QApplication) -> None:
    """The workbench's icon on its windows. The launcher sets it right after the first paint: on X11
    the icon, an SVG, is rendered at show time (the SVG plugin loaded), ~3 ms before the first frame."""
    icon = resources.icons_dir() / "workbench.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def create_window(document: "Document | None" = None, recovery_dir: Path | None = None) -> MainWindow:
    """The whole workbench: the main window with the debugger and the training dock installed."""
    window = MainWindow(document, recovery_dir=recovery_dir)
    install_rooms(window)
    return window


def install_rooms(window: MainWindow) -> None:
    """The rooms of a built window: datasets, the debugger, training, the layer and teaching tools,
    custom layers; View ▸ Reset Layout remembers the docks as they are now (shown, in a window
    already shown, as they would be at its first showing)."""
    from app import dataset, debugger, exercise, training
    from app.code import room
    from app.teach import keep, neurons, published

    dataset.install(window)  # its panel is built when first shown
    stepping = window.debugger = debugger.install(window)
    trainer = window.training = training.install(window)
    neurons.install(window)
    keep.install(window)
    window.published = published.install(window)  # published figures beside the engine's
    window.exercise_mode = exercise.install(window)
    stepping.attach_training(trainer.session)  # nothing steps while a training run goes on
    window.code = room.install(window, stepping)  # custom layers: trust bar, code dock, layer checks
    window.tabifyDockWidget(stepping.dock, trainer.dock)  # stepping or training: one tab each
    stepping.dock.raise_()
    if window.isVisible():  # built into the shown window (open_window)
        _show_parts(window)
    add_reset_layout(window, window.docks_menu.menuAction())


def _no_display() -> bool:
    """True on Linux without X11 or Wayland and without an explicit Qt platform."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _settle(ms: int = SETTLE_MS) -> None:
    """Let layouts, fonts and deferred updates settle for ``ms`` of event processing."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _open(path: str | None, read: Callable[[Path], Graph | None] | None = None) -> tuple[Document | None, str | None]:
    """The Document for ``path`` (None: the default example) and an error message, if any.
    ``read`` reads the file's graph (default: ``Document.read``, here and now); when it gives None
    (the reading was cancelled) there is no Document and no error."""
    from app.model.document import Document
    from core.io import FormatError

    shown, example = resources.to_open(path)
    try:
        graph = (read or Document.read)(shown)
    except FormatError as exc:
        return None, str(exc)
    if graph is None:
        return None, None
    return (Document.open_example if example else Document.open)(shown, graph=graph), None


def run(path: str | None = None, screenshot: str | None = None, size: tuple[int, int] | None = None,
        steps: int | None = None, canvas: bool = False) -> int:
    """Open the workbench on ``path``; with ``screenshot`` save a PNG of the window and return 0.

    A file that cannot be opened: the window opens the default example and says why (with
    ``screenshot``: one line on standard error and 2).
    """
    if screenshot is None and QApplication.instance() is None and _no_display():
        return report("no display to show the window on (set DISPLAY, or use --screenshot OUT.png)", 2)
    app = _application(screenshot is not None)
    scratch: tempfile.TemporaryDirectory[str] | None = None
    recovery_dir = None
    if screenshot is not None:
        import tempfile

        scratch = tempfile.TemporaryDirectory(prefix="workbench-screenshot-")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch.name)
        recovery_dir = Path(scratch.name) / "recovery"
    try:
        return _run(app, path, screenshot, size, steps, recovery_dir, canvas)
    finally:
        if scratch is not None:
            scratch.cleanup()


def _run(app: QApplication, path: str | None, screenshot: str | None, size: tuple[int, int] | None,
         steps: int | None, recovery_dir: Path | None, canvas: bool = False) -> int:
    if screenshot is None:
        caught: list[QuitSignals] = []

        def catch_signals() -> None:  # after the first paint: the socket module's import costs it ~3 ms
            from app.window.quit_signals import QuitSignals

            caught.append(QuitSignals(window))  # SIGTERM and SIGINT close the window cleanly

        window = open_window(path, size, steps, recovery_dir, catch_signals)  # kept while the loop runs
        try:
            status = app.exec()
        finally:
            for quit_signals in caught:
                quit_signals.uninstall()
        del window
        return status
    document, error = _open(path)
    if document is None:
        return report(error or "the file cannot be opened", 2)
    return _screenshot(create_window(document, recovery_dir=recovery_dir), screenshot, size, steps, canvas)


def open_window(path: str | None = None, size: tuple[int, int] | None = None, steps: int | None = None,
                recovery_dir: Path | None = None, painted: Callable[[], object] | None = None) -> MainWindow:
    """The window, shown before it is built; right after its first paint it calls ``painted``, opens
    ``path`` (None: the default example) and builds itself (:func:`_build`). ``window.built`` says
    when it has."""
    shown, example = resources.to_open(path)
    window = MainWindow.opening(shown.name, example)
    if size is not None:
        window.resize(*size)
    placeholder = window.centralWidget()
    assert isinstance(placeholder, Placeholder)
    def then() -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and app.windowIcon().isNull():
            set_window_icon(app)
        if painted is not None:
            painted()
        _build(window, path, steps, recovery_dir)

    placeholder.then = then
    window.show()
    return window


def _build(window: MainWindow, path: str | None, steps: int | None, recovery_dir: Path | None) -> None:
    """Open ``path`` and build ``window`` as :func:`create_window` does; then what the command line
    asked for (``--steps``), and why the file could not be opened, or else the offer to restore
    the changes of a run that crashed. A failure here (an engine that does not import) ends the
    program with one line on standard error and in a message box, never a traceback."""
    from app.model.document import Document
    from app.window.reading import read_in_background

    if not window.isVisible():  # closed while opening
        return
    try:
        # a big file is read off the GUI thread: the window keeps painting, and past a moment says so, with Cancel
        document, error = _open(path, (lambda p: read_in_background(window, p, Document.read)) if path else None)
    except Exception as exc:  # noqa: BLE001 - whatever it was, the user gets one line, not a traceback
        _give_up(window, f"the window cannot start: {' '.join(str(exc).split()) or type(exc).__name__}")
        return
    if not window.isVisible():  # closed while the file was read
        return
    cancelled = path is not None and document is None and error is None
    window.setUpdatesEnabled(False)  # nothing painted half-built (a status message repaints at once)
    try:
        if document is None:
            document, _ = _open(None)
        window.build(document if document is not None else Document(), recovery_dir=recovery_dir)
        install_rooms(window)
    except Exception as exc:  # noqa: BLE001 - whatever it was, the user gets one line, not a traceback
        _give_up(window, f"the window cannot start: {' '.join(str(exc).split()) or type(exc).__name__}")
        return
    finally:
        window.setUpdatesEnabled(True)
    window.restore_layout()
    if window.document.path is not None:
        window.files.recent.add(window.document.path)
        window.show_status(f"Opened {window.document.path}", 8000)
    window.files.note_missing_data()  # the graph opened; its rows wait for Locate… in the Dataset tab
    if cancelled:
        window.show_status(f"Opening {Path(str(path)).name} cancelled: the default example instead", 8000)
    if steps is not None:
        window.run_steps(steps)
    if error is not None:
        window._show_error("Cannot open the file", f"{error}\n\nShowing the default example instead.")
    else:
        window.offer_recovery()


def _show_parts(window: MainWindow) -> None:
    """Show the docks, tool bars and canvas added to the shown window all at once, as its first
    showing would have. Qt shows a widget added to a shown window by a queued call, and showing a
    dock lays the window out at once: one by one, the docks shown first would keep the room (the
    Palette the whole left column, the Program list its least height). So the queued calls run
    now, with the window's layout off until all are shown."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from app.inspector.wrap_label import WrapLabel

    layout = window.layout()
    assert layout is not None  # a QMainWindow always has its own
    layout.setEnabled(False)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall.value)
    for label in window.findChildren(WrapLabel):  # measured at the narrow width the docks had until now
        label.setMinimumHeight(0)  # (a WrapLabel's height only grows on a resize): measured again below
    layout.setEnabled(True)
    layout.activate()  # laid out now: no frame is painted with the docks at their first small place


def _give_up(window: MainWindow, message: str) -> None:
    """A window that could not be built: say why (standard error and a message box), then end with status 1."""
    from PySide6.QtWidgets import QMessageBox

    report(message, 1)
    QMessageBox.critical(window, "The workbench cannot start", message[0].upper() + message[1:])
    window.hide()
    QApplication.exit(1)


def _discard(window: MainWindow) -> None:
    """Drop a window without asking anything (screenshots, start-up failures)."""
    window.autosaver.stop()
    window.hide()
    window.deleteLater()


def _screenshot(window: MainWindow, out: str, size: tuple[int, int] | None, steps: int | None,
                canvas: bool = False) -> int:
    from app.window.screenshot import SLIDE_SCALE, export_png, grab_window

    try:
        window.show()
        if size is not None:
            window.resize(*size)
        _settle()
        window.view.fit_to_graph()
        if steps is not None:
            window.run_steps(steps)
            _settle(100)
        if canvas:
            export_png(window.scene, out, SLIDE_SCALE)
            return 0
        shot = grab_window(window, out)
        if size is not None and (shot.width(), shot.height()) != size:
            print(f"backprop-workbench: the window cannot be smaller than {window.minimumSizeHint().width()}×"
                  f"{window.minimumSizeHint().height()}; the screenshot is {shot.width()}×{shot.height()}",
                  file=sys.stderr)
    except OSError as exc:
        return report(str(exc), 2)
    finally:
        _discard(window)
    return 0
