"""How long the window waits while Save writes a big document off the GUI thread.

The document is the spirals example with its generated rows written inline (``ROWS`` rows, about
20 MB at 300,000), as it is once a person edited a cell of the dataset. The window opens it,
then File ▸ Save writes it while a 5 ms timer of the GUI thread measures the event loop's waits
(the longest is what a person feels as a freeze). For the baseline the same timer runs as long
with nothing saving, in the same process. Also printed: how long the save took, the file's size,
the longest cyclic collection the GUI thread ran while saving (app.window.background.Collector),
and, for each wait over 50 ms, what the writing thread was doing (sampled by a watchdog thread).

Figures only, no assertions. Run:
QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_save_gaps.py [ROWS]
"""
from __future__ import annotations

import collections
import json
import os
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from bench_debugger_worker import Gaps  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

ROWS = 300_000
SLOW_S = 0.05  # a wait of the GUI thread this long is explained (what the writer was doing)


def write_inline_spirals(folder: Path, rows: int) -> Path:
    """The spirals example whose ``rows`` generated rows are written inline (no generator)."""
    from core import io
    from core.data.edit import detached

    data = json.loads((ROOT / "resources" / "examples" / "spirals.json").read_text(encoding="utf-8"))
    data["dataset"]["size"] = rows
    graph = io.loads(json.dumps(data), "spirals")
    graph.dataset = detached(graph.dataset)
    path = folder / f"spirals_inline_{rows}.json"
    io.save(graph, path)
    return path


class Watchdog:
    """Samples the stack of the thread called ``name`` every millisecond (when it gets the GIL)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.samples: list[tuple[float, str]] = []
        self.running = True
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while self.running:
            thread = next((t for t in threading.enumerate() if t.name == self.name), None)
            frame = sys._current_frames().get(thread.ident) if thread is not None else None
            if frame is not None:
                where = traceback.extract_stack(frame)[-3:]
                self.samples.append((time.perf_counter(), " < ".join(f"{f.name}:{f.lineno}" for f in reversed(where))))
            time.sleep(0.001)

    def during(self, start: float, end: float) -> list[tuple[str, int]]:
        counts = collections.Counter(w for t, w in self.samples if start <= t <= end + 0.002)
        return counts.most_common(2)


def timed_collections(record: list[float]) -> None:
    """Wrap the GUI thread's cyclic collector so that each collection's time is recorded."""
    import gc

    from app.window import background

    collect = background.Collector.collect

    def timed(self) -> None:
        before = gc.get_stats()
        began = time.perf_counter()
        collect(self)
        took = time.perf_counter() - began
        if gc.get_stats() != before:
            record.append(took)

    background.Collector.collect = timed


def spin(app: QApplication, seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    from app.window.launch import create_window

    folder = Path(tempfile.mkdtemp(prefix="bench-save-"))
    path = write_inline_spirals(folder, rows)
    window = create_window(None, recovery_dir=Path(tempfile.mkdtemp()))
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1400, 900)
    window.show()
    window.open_file(path)
    spin(app, 1.0)
    window.document.mark_modified()
    collections_ms: list[float] = []
    timed_collections(collections_ms)
    print(f"load average {os.getloadavg()[0]:.2f} (1 min); PYTHONDONTWRITEBYTECODE="
          f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}; {rows:,} rows inline, "
          f"{path.stat().st_size / 1e6:.1f} MB")

    saver = window.files.saver
    collections_ms.clear()
    idle = Gaps()
    spin(app, 3.0)
    baseline = idle.longest()
    idle_collections = f"{len(collections_ms)}, longest {max(collections_ms, default=0.0) * 1e3:.1f} ms"

    watchdog, gui = Watchdog("save"), Watchdog("MainThread")
    stamps: list[float] = []
    gaps = Gaps(lambda: saver.busy)
    original = gaps._tick

    def tick() -> None:
        stamps.append(time.perf_counter())
        original()

    gaps.timer.timeout.disconnect()
    gaps.timer.timeout.connect(tick)
    ended = QEventLoop()
    saver.finished.connect(lambda *_: ended.quit())
    collections_ms.clear()
    began = time.perf_counter()
    window.files.save()
    ended.exec()
    took = time.perf_counter() - began
    longest = gaps.longest()
    watchdog.running = gui.running = False
    waits = sorted(gaps.waits, reverse=True)
    print(f"save took {took:.2f} s; status: {window.statusBar().currentMessage()!r}")
    print(f"longest GUI wait idle (baseline, 3 s): {baseline * 1e3:.1f} ms")
    print(f"longest GUI wait while saving: {longest * 1e3:.1f} ms (ratio to idle {longest / baseline:.1f}); "
          f"next: {', '.join(f'{w * 1e3:.0f}' for w in waits[1:6])} ms; "
          f"waits over {SLOW_S * 1e3:.0f} ms: {sum(w > SLOW_S for w in waits)}")
    print(f"cyclic collections on the GUI thread while saving: {len(collections_ms)}, longest "
          f"{max(collections_ms, default=0.0) * 1e3:.1f} ms; when idle: {idle_collections}")
    for before, after in zip(stamps, stamps[1:]):
        if after - before > SLOW_S:
            print(f"  wait {(after - before) * 1e3:6.0f} ms; the writer was in: {watchdog.during(before, after)}; "
                  f"the GUI thread in: {gui.during(before, after)}")
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) after")
    window.close()


if __name__ == "__main__":
    main()
