"""Shared set-up of the training UI tests: a session with its dock panel and plots, built from a Document."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.model.document import Document
from app.training.dock import TrainingPanel
from app.training.plots import TrainingPlots
from app.training.session import TrainingSession
from core import io
from core.graph import Graph
from core.trainer import Trainer

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
MAZUR = EXAMPLES / "mazur.json"
WAIT_MS = 60_000  # generous: a slow CI machine must not fail a test by time


@dataclass
class TrainingUI:
    document: Document
    session: TrainingSession
    panel: TrainingPanel
    plots: TrainingPlots
    container: QWidget


def open_example(name: str) -> Document:
    return Document.open(EXAMPLES / f"{name}.json")


def make_ui(qtbot, document: Document) -> TrainingUI:
    """The dock panel and the plots side by side, shown, following ``document``."""
    container = QWidget()
    session = TrainingSession(document, container)
    panel = TrainingPanel(session)
    plots = TrainingPlots(session)
    layout = QHBoxLayout(container)
    layout.addWidget(panel)
    layout.addWidget(plots, 1)
    container.resize(1200, 520)
    qtbot.addWidget(container)
    container.show()
    qtbot.waitExposed(container)
    return TrainingUI(document, session, panel, plots, container)


def reference(graph_or_path: Graph | Path, steps: int, **changes) -> Trainer:
    """A headless Trainer on a fresh copy of the graph, after ``steps`` updates."""
    graph = io.load(graph_or_path) if isinstance(graph_or_path, Path) else io.loads(io.dumps(graph_or_path))
    if changes:
        graph.set_settings(graph.settings.with_changes(**changes))
    trainer = Trainer(graph)
    trainer.run(steps)
    return trainer


def graph_weights(document: Document) -> dict[str, np.ndarray]:
    return {p.id: p.value for p in document.graph.parameters() if p.trainable}


def assert_same_weights(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert sorted(a) == sorted(b)
    for name, value in a.items():
        assert np.array_equal(value, b[name]), name


def train_in_window(qtbot, window, steps: int):
    """Train the window's document for ``steps`` updates from the Training dock; the ended Run."""
    training = window.training
    training.panel.steps.setValue(steps)
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS) as finished:
        training.session.train()
    return finished.args[0]
