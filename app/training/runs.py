"""Training runs of a session: their settings, a preallocated loss buffer, labels that say what differs,
and the texts that tell a person how a run is going and how it ended.

A :class:`Run` is written by the worker thread (``losses[i]`` then ``count``) and read by the GUI
thread, which only ever looks at ``losses[:count]``; plain attribute writes make that safe in CPython.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.training.heldout import EvalTrace, held_out_text
from core.custom.runner import LayerError
from core.end_loss import end_loss_text
from core.settings import TrainingSettings

RUNNING, PAUSED, FINISHED = "running", "paused", "finished"
STOPPED, NONFINITE, FAILED = "stopped", "nonfinite", "failed"
ENDED = (FINISHED, STOPPED, NONFINITE, FAILED)

COLOURS = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
    "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
)


@dataclass
class ParamTrace:
    """Norms of each parameter and of its gradient, sampled at some update numbers."""

    names: list[str]
    updates: list[int] = field(default_factory=list)
    norms: dict[str, list[float]] = field(default_factory=dict)
    grad_norms: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.names:
            self.norms.setdefault(name, [])
            self.grad_norms.setdefault(name, [])

    def add(self, update: int, norms: dict[str, float], grad_norms: dict[str, float]) -> None:
        """Append one sample; ``updates`` grows last so a reader that slices to its length is safe."""
        if self.updates and self.updates[-1] == update:
            return
        for name in self.names:
            self.norms[name].append(norms[name])
            self.grad_norms[name].append(grad_norms[name])
        self.updates.append(update)

    def arrays(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self.updates)
        return (
            np.asarray(self.updates[:n], dtype=float),
            np.asarray(self.norms[name][:n]),
            np.asarray(self.grad_norms[name][:n]),
        )


@dataclass
class Run:
    """One training run: what it was asked to do and the loss of every update done so far."""

    number: int
    settings: TrainingSettings
    capacity: int
    source: str = ""  # the document's title
    owner: Any = field(default=None, repr=False, compare=False)  # a weak reference to the document
    colour: str = COLOURS[0]
    visible: bool = True
    status: str = RUNNING
    message: str = ""
    elapsed: float = 0.0  # seconds spent running (pauses excluded)
    losses: np.ndarray = field(init=False, repr=False)
    count: int = 0
    params: ParamTrace | None = None
    evals: EvalTrace | None = None  # held-out loss and accuracy, when measured
    updates_before: int = 0  # updates done on these weights before this run (the debugger's, an earlier run's)
    loss_after: float | None = None  # the loss at the weights the run ended with (core.end_loss), when measured
    failure: LayerError | None = None  # a custom layer's failure that ended the run: its node and line
    measuring: bool = False  # the weights it ended with are being measured (after a Stop or a failure)

    def __post_init__(self) -> None:
        # zeros from calloc: the memory of a long planned run (80 MB for 10,000,000 updates) is taken as
        # its updates write it, not at its start; only losses[:count] is ever read
        self.losses = np.zeros(max(1, self.capacity))

    @property
    def history(self) -> np.ndarray:
        """The losses recorded so far (a view; update k is at index k − 1)."""
        return self.losses[: self.count]

    @property
    def ended(self) -> bool:
        return self.status in ENDED

    def describe(self) -> dict[str, str]:
        """The settings a label may mention, as short texts."""
        s = self.settings
        parts = {
            "source": self.source,
            "optimizer": {"sgd": "SGD", "momentum": f"momentum {s.momentum:g}", "adam": "Adam"}[s.optimizer],
            "learning_rate": f"lr {s.learning_rate:g}",
            "batch_size": "full batch" if s.batch_size == 0 else f"batch {s.batch_size}",
            "seed": f"seed {s.seed}",
        }
        return parts


SHOWN_ALWAYS = ("optimizer", "learning_rate", "batch_size")


def run_labels(runs: list[Run]) -> list[str]:
    """A label per run: its number and the settings that differ between the runs.

    A single run (or runs that differ in nothing) mention optimizer, learning rate and batch size.
    """
    if not runs:
        return []
    described = [r.describe() for r in runs]
    keys = [k for k in described[0] if len({d[k] for d in described}) > 1]
    if not keys:
        keys = list(SHOWN_ALWAYS)
    return [f"Run {r.number}: " + ", ".join(d[k] for k in keys if d[k]) for r, d in zip(runs, described)]


def updates_text(n: int) -> str:
    """"1 update", "10,000 updates"."""
    return f"{n:,} update" if n == 1 else f"{n:,} updates"


def duration_text(seconds: float) -> str:
    """420 ms, 4.2 s, 42 s, 3 min 05 s, 1 h 02 min."""
    seconds = max(0.0, seconds)
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, sec = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {sec:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def pace_text(run: Run, rate: float) -> str:
    """How fast a run goes and how long it has left: "9,800 updates/s · 0.8 s left"; a run slower
    than one update a second by the time of one: "2.4 s an update · 6 h 40 min left"."""
    left = duration_text((run.capacity - run.count) / rate)
    if rate >= 10:
        pace = f"{rate:,.0f} updates/s"
    elif rate >= 1:
        pace = f"{rate:.1f} updates/s"
    else:
        pace = f"{duration_text(1 / rate)} an update"
    return f"{pace} · {left} left"


def progress_text(run: Run, rate: float) -> str:
    """While it trains: "Run 2 training: 2,345 / 10,000 updates · 9,800 updates/s · 0.8 s left"."""
    text = f"Run {run.number} training: {run.count:,} / {updates_text(run.capacity)}"
    if rate > 0:
        text += f" · {pace_text(run, rate)}"
    return text


def summary_text(run: Run) -> str:
    """How the run ended (or where it paused), in one line."""
    last = run.losses[run.count - 1] if run.count else math.nan
    update = run.updates_before + run.count
    loss = f", loss {end_loss_text(update, last, run.loss_after)}" if math.isfinite(last) else ""
    took = f"{updates_text(run.count)} in {duration_text(run.elapsed)}{loss}"
    if run.status == FINISHED:
        return f"Run {run.number} finished: {took}{held_out_text(run.evals, run.count, run.measuring)}"
    if run.status == PAUSED:
        return f"Run {run.number} paused after {updates_text(run.count)}"
    if run.status == STOPPED:
        return f"Run {run.number} stopped: {took}{held_out_text(run.evals, run.count, run.measuring)}"
    if run.status == NONFINITE:
        return f"Run {run.number} stopped: {run.message}"
    if run.status == FAILED:
        return f"Run {run.number} failed: {run.message}"
    return f"Run {run.number} training: {run.count:,} / {updates_text(run.capacity)}"
