"""The training of one window: its runs, the worker of the current one, the document's initial weights.

Every view of training (the dock, the plots, the menu) follows a :class:`TrainingSession`: it
emits ``ticked`` at a steady rate while a run goes on, and ``runFinished`` on the GUI thread after
the trained weights went into the graph. A run starting from the initial weights hands them to
its Trainer: the graph keeps the weights it shows until the run pauses or ends, so starting a
run sets off no reaction of the canvas, the inspector or the debugger.
"""
from __future__ import annotations

import time
import weakref
from functools import partial
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.model.document import Document
from app.training.probe import Probe
from app.training.runs import COLOURS, FAILED, PAUSED, RUNNING, Run, run_labels
from app.training.threads import blas_threads
from app.training.worker import TrainingWorker
from app.window.background import Job, JobWatch
from core.graph import Graph
from core.program import Program, ProgramError
from core.trainer import Trainer
from core.validation import coded_nodes

IDLE = "idle"
TICK_MS = 33  # about 30 redraws a second while training, at most
SLOWEST_TICK_MS = 100  # and at least 10
GUI_SHARE = 0.05  # of the time, at most, the GUI thread spends between two ticks (drawing them, mostly)


def why_not_trainable(graph: Graph) -> str:
    """Why ``graph`` cannot train (its first problem, or that no weight would change); "" when it can."""
    return trainability(graph)[1]


def trainability(graph: Graph, program: Callable[[], Program] | None = None) -> tuple[bool, str]:
    """Whether ``graph`` runs (it has no problem), and :func:`why_not_trainable`; ``program``
    gives its program when one is at hand (``Document.derived``), else one is built."""
    try:
        return True, (program() if program is not None else Program(graph)).nothing_to_train()
    except ProgramError as exc:
        return not exc.problems, exc.problems[0].message if exc.problems else str(exc)


class TrainingSession(QObject):
    stateChanged = Signal(str)  # idle | running | paused
    runStarted = Signal(object)  # Run, just before its thread starts
    runFinished = Signal(object)  # Run, after its weights were written back (GUI thread)
    runsChanged = Signal()  # a run was added, removed, shown, hidden, or the labels changed
    ticked = Signal()  # while running, every TICK_MS or more (see _tick); once more when a run pauses or ends
    runMeasured = Signal(object)  # Run: the weights it ended with were measured after it ended (a Stop)
    weightsChanged = Signal()  # the graph's parameters were set by training or by Reset
    graphEdited = Signal()  # another document, or an edit of this one (plots rebuild what they derive)
    documentChanged = Signal()  # another document: the views show its runs (the others' are kept, dimmed)
    message = Signal(str)  # something the person should read (why a run did not start, NaN, ...)

    def __init__(self, document: Document | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.runs: list[Run] = []
        self.worker: TrainingWorker | None = None
        self.start_from_initial = True
        # asked before a run starts (the window asks when a custom layer failed its check)
        self.confirm: Callable[[Any], bool] | None = None
        self._numbers = 0
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._tick_cpu = 0.0  # the GUI thread's CPU time at the last tick
        self._measures = JobWatch(self)  # the measurements of stopped runs' final weights
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        if document is not None:
            self.set_document(document)

    # --------------------------------------------------------------- document
    def set_document(self, document: Document) -> None:
        """Follow ``document``; a run of the previous one is stopped (its curve stays)."""
        if self.document is not None:
            try:
                self.document.edited.disconnect(self._on_edited)
            except (RuntimeError, TypeError):  # the old document is gone already
                pass
        self.shutdown()
        self.document = document
        document.edited.connect(self._on_edited)
        self.stateChanged.emit(self.state)
        self.documentChanged.emit()
        self.graphEdited.emit()
        self.runsChanged.emit()  # the labels name the file of the runs that are not this document's

    def initial_weights(self) -> dict[str, np.ndarray]:
        """The parameter values Reset restores (the document's: as loaded or as last edited)."""
        return self.document.initial_weights() if self.document is not None else {}

    def _on_edited(self) -> None:
        self.graphEdited.emit()

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> str:
        w = self.worker
        if w is None:
            return IDLE
        if w.running:
            return RUNNING
        return PAUSED if w.run.status == PAUSED else IDLE

    @property
    def current(self) -> Run | None:
        """The run being trained or paused, else None."""
        return self.worker.run if self.worker is not None and self.state != IDLE else None

    def labels(self) -> dict[int, str]:
        """Run number → legend label (what differs between the runs; the file of a run of
        another document)."""
        labels = {}
        for run, label in zip(self.runs, run_labels(self.runs)):
            labels[run.number] = label if self.owns(run) or run.source in label else f"{label} ({run.source})"
        return labels

    def owns(self, run: Run) -> bool:
        """True for a run of the document shown now."""
        return run.owner is not None and run.owner() is self.document

    def last_run(self) -> Run | None:
        """The latest run of the document shown now."""
        return next((r for r in reversed(self.runs) if self.owns(r)), None)

    def weights(self) -> dict[str, np.ndarray]:
        """The trainable weights now: the trainer's during a run (running or paused), else the graph's."""
        if self.worker is not None and self.state != IDLE:
            return self.worker.trainer.weights()
        if self.document is None:
            return {}
        return {p.id: p.value for p in self.document.graph.parameters() if p.trainable and p.value is not None}

    @property
    def tick_interval(self) -> int:
        """Milliseconds between two ticks now (see :meth:`_tick`)."""
        return self._timer.interval()

    def rate(self) -> float:
        """Updates per second of the current run (0 before the first measurement)."""
        w = self.worker
        if w is None:
            return 0.0
        seconds = w.active_seconds()
        return w.run.count / seconds if seconds > 0 else 0.0

    # -------------------------------------------------------------- commands
    def train(self) -> Run | None:
        """Start a new run with the graph's settings; None (and a message) when it cannot start."""
        if self.document is None or self.state != IDLE:
            return None
        graph = self.document.graph
        settings = graph.settings
        if settings.steps < 1:
            self.message.emit("Set the number of updates to at least 1 before training.")
            return None
        why = why_not_trainable(graph)
        if why:
            self.message.emit(f"Cannot train: {why}")
            return None
        if self.confirm is not None and not self.confirm(graph):
            return None
        start = self.initial_weights() if self.start_from_initial else None
        # go on from the last run or debugger update
        progress = None if self.start_from_initial else self.document.training_state.progress
        try:
            trainer = Trainer(graph, settings, start=start, progress=progress)  # the graph gets the weights at the end
            probe = Probe(graph, trainer.program)
        except (ProgramError, ValueError) as exc:
            self.message.emit(f"Cannot train: {exc}")
            return None
        self._numbers += 1
        used = {r.colour for r in self.runs}
        colour = next((c for c in COLOURS if c not in used), COLOURS[(self._numbers - 1) % len(COLOURS)])
        run = Run(self._numbers, settings, settings.steps, source=self.document.title(), colour=colour,
                  owner=weakref.ref(self.document))
        self.worker = TrainingWorker(trainer, run, probe, threads=blas_threads())
        self.worker.finished.connect(partial(self._on_finished, self.worker))
        self.runs.append(run)
        self.runsChanged.emit()  # the views make their curves before the thread competes for the GIL
        self.runStarted.emit(run)
        self._resume()
        return run

    def pause(self) -> None:
        if self.state == RUNNING:
            self.worker.pause()  # type: ignore[union-attr]

    def resume(self) -> None:
        if self.state == PAUSED:
            self._resume()

    def toggle_pause(self) -> None:
        if self.state == RUNNING:
            self.pause()
        else:
            self.resume()

    def stop(self) -> None:
        """End the current run after the update in progress, or inside a long one (it is given up);
        at once when paused."""
        if self.worker is not None:
            self.worker.stop()

    def shutdown(self) -> None:
        """Stop the current run and wait for its thread (window closing, another document)."""
        w = self.worker
        if w is not None and w.running:
            w.stop()
            w.wait()
            w.finish_now()
        elif w is not None and w.run.status == PAUSED:
            w.stop()

    def abandon(self) -> None:
        """Stop the current run and wait for its thread, writing nothing back (the window is going)."""
        w = self.worker
        if w is None:
            return
        try:
            w.finished.disconnect()
        except (RuntimeError, TypeError):
            pass
        w.stop()
        w.wait()

    def reset_weights(self) -> None:
        """Put the initial weights back into the graph (not while a run is going on)."""
        if self.document is None or self.state == RUNNING:
            return
        if self.state == PAUSED:
            self.stop()
        self.document.training_state.start_over()
        self._restore(self.initial_weights())
        self.weightsChanged.emit()

    def remove_run(self, run: Run) -> None:
        if run is self.current or run not in self.runs:
            return
        self.runs.remove(run)
        self.runsChanged.emit()

    def clear_runs(self) -> None:
        """Remove every run but the one being trained."""
        keep = self.current
        self.runs = [keep] if keep is not None else []
        self.runsChanged.emit()

    def set_visible(self, run: Run, visible: bool) -> None:
        if run.visible != visible:
            run.visible = visible
            self.runsChanged.emit()

    # ------------------------------------------------------------- internals
    def _resume(self) -> None:
        assert self.worker is not None
        self.worker.start()
        # the first tick after the slowest interval: what a frame costs is not known yet, and the
        # set-up's repaint lands in that interval (a run shorter than it draws once, at its end)
        self._timer.setInterval(SLOWEST_TICK_MS)
        self._timer.start()
        self._tick_cpu = time.thread_time()
        self.stateChanged.emit(RUNNING)

    def _tick(self) -> None:
        """Tell the views to draw the run's progress, and space the next tick so that the GUI
        thread's CPU time since the last one (the views' work and its painting, which hold the GIL
        the worker trains under) stays within GUI_SHARE of the interval: a costly frame comes
        less often (between TICK_MS and SLOWEST_TICK_MS), and training slows by little. A run
        starts at the slowest rate and speeds up when its frames turn out cheap."""
        now = time.thread_time()
        spent, self._tick_cpu = now - self._tick_cpu, now
        interval = min(SLOWEST_TICK_MS, max(TICK_MS, round(1000 * spent / GUI_SHARE)))
        if interval != self._timer.interval():
            self._timer.setInterval(interval)
        self.ticked.emit()

    def _restore(self, values: dict[str, np.ndarray]) -> None:
        """Put ``values`` into the graph; a parameter that holds them already is left alone (no event)."""
        assert self.document is not None
        graph = self.document.graph
        with self.document.training_state.writing_results():
            for p, value in values.items():
                node = graph.nodes.get(p)
                if node is not None and node.is_parameter and not _same(node.value, value):
                    graph.set_value(p, value)

    def _on_finished(self, worker: TrainingWorker, status: str) -> None:
        self._timer.stop()
        run = worker.run
        if status != FAILED and self.document is not None and worker.trainer.graph is self.document.graph:
            self._write_back(worker.trainer)
        self.ticked.emit()
        if status == PAUSED:
            self.stateChanged.emit(PAUSED)
            return
        measure = worker.end_measurement()
        if measure is not None:  # off the GUI thread, after the run ended: Stop stays prompt
            run.measuring = True
            self._measures.watch(Job(measure, name="measuring"), partial(self._on_measured, run))
        self.runFinished.emit(run)
        self.stateChanged.emit(self.state)

    def _on_measured(self, run: Run, job: Job[None]) -> None:
        run.measuring = False
        try:
            job.result()
        except Exception:  # noqa: BLE001 - a layer that failed the run fails again: the summary names no measurement
            pass
        self.runMeasured.emit(run)

    def _write_back(self, trainer: Trainer) -> None:
        """The trained weights into the graph; parameters removed or reshaped meanwhile are skipped."""
        assert self.document is not None
        graph = self.document.graph
        weights = trainer.weights()
        fits = {
            p: w for p, w in weights.items()
            if p in graph.nodes and graph.nodes[p].is_parameter
            and np.shape(np.asarray(graph.nodes[p].value)) == w.shape
        }
        self.document.training_state.record(trainer.progress())
        coded = coded_nodes(graph)  # the shapes only a run tells (a custom layer's and after it): known now
        if coded:
            known = {n: shape for n, shape in trainer.shapes().items() if n in coded}
            self.document.set_run_shapes({**self.document.run_shapes, **known})
        with self.document.training_state.writing_results():
            if len(fits) == len(weights):
                trainer.write_back()
            else:
                for p, w in fits.items():
                    graph.set_value(p, w)
        self.weightsChanged.emit()


def _same(a: Any, b: Any) -> bool:
    """The same array, or equal values of the same shape and type (NaN never equals: it is written)."""
    if a is b:
        return True
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b))
