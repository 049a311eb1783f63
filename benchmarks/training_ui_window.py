"""The window as the training benchmarks use it (bench_training_ui.py and its parts): the MLP graph,
the workbench window made and closed without questions, a run trained to its end, and the GUI
thread's timer gaps."""
from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEventLoop, QTimer

from app.model.document import Document
from core.data.dataset import Dataset
from core.graph import Graph
from core.settings import TrainingSettings

ROOT = Path(__file__).resolve().parent.parent
MAZUR = ROOT / "resources" / "examples" / "mazur.json"
MLP_UPDATES = 400


def mlp_graph(sizes=(784, 256, 10), rows: int = 1280, batch: int = 128, seed: int = 3) -> Graph:
    """A ReLU MLP with Softmax-with-loss on random data, built through the graph API."""
    rng = np.random.default_rng(seed)
    g = Graph()
    x = rng.normal(size=(rows, sizes[0]))
    t = np.eye(sizes[-1])[rng.integers(0, sizes[-1], rows)]
    g.set_dataset(Dataset({"x": x, "t": t}))
    g.set_settings(TrainingSettings(optimizer="sgd", learning_rate=0.05, steps=MLP_UPDATES, batch_size=batch))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    prev = "x"
    for i, (a, b) in enumerate(itertools.pairwise(sizes), start=1):
        g.add_node("Parameter", f"W{i}", value=rng.normal(size=(a, b)) * np.sqrt(2.0 / a))
        g.add_node("Parameter", f"b{i}", value=np.zeros(b))
        g.add_node("Affine", f"affine{i}")
        for src, port in ((prev, "x"), (f"W{i}", "W"), (f"b{i}", "b")):
            g.connect(src, f"affine{i}", port)
        prev = f"affine{i}"
        if i < len(sizes) - 1:
            g.add_node("ReLU", f"relu{i}")
            g.connect(prev, f"relu{i}", "x")
            prev = f"relu{i}"
    g.add_node("SoftmaxWithLoss", "loss")
    g.connect(prev, "loss", "x")
    g.connect("t", "loss", "t")
    return g


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def make_window(document: Document):
    """The workbench as the command line opens it (app.window.launch.create_window), 1400×900."""
    from app.window.launch import create_window

    window = create_window(document, recovery_dir=Path(tempfile.mkdtemp()) / "recovery")
    window.resize(1400, 900)
    window.show()
    settle()
    return window, window.training


def close(window) -> None:
    """Close without the unsaved-changes question (training marked the document modified: its
    weights differ from the file's, which setClean alone does not clear; the modal question then
    waited for ever, and the busy part ran into its 600 s time-out)."""
    from PySide6.QtWidgets import QMessageBox

    window.training.session.shutdown()
    window.document.undo_stack.setClean()
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.close()


def train_and_wait(training) -> tuple[float, object]:
    loop = QEventLoop()
    done: list[object] = []
    training.session.runFinished.connect(loop.quit)
    training.session.runFinished.connect(done.append)
    start = time.perf_counter()
    training.session.train()
    loop.exec()
    took = time.perf_counter() - start
    training.session.runFinished.disconnect(loop.quit)
    training.session.runFinished.disconnect(done.append)
    return took, done[0]


def timer_gaps(seconds: float | None, until=None) -> np.ndarray:
    """Intervals (s) between the timeouts of a 5 ms QTimer on the GUI thread."""
    stamps: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: stamps.append(time.perf_counter()))
    loop = QEventLoop()
    if until is not None:
        until.connect(loop.quit)
    else:
        QTimer.singleShot(int(seconds * 1000), loop.quit)
    timer.start()
    loop.exec()
    timer.stop()
    return np.diff(np.array(stamps))  # intervals between successive timeouts
