"""A debugger action off the GUI thread: a step, or a run of steps, whose data is big.

A full-batch step on a 1,000,000-row data set takes seconds; on the GUI thread it froze the
window. :func:`is_heavy` estimates an action's cost by shapes (the numbers one training step's
forward pass computes: rows × widths); a heavy action runs as a :class:`BackgroundRun`, the
others on the GUI thread as before (a step of Mazur's network stays instant and synchronous).

While the run goes on, the stepper's events and the graph's ``value_changed`` are held (the
worker thread touches no Qt object; the views, and the bridge that turns graph events into Qt
signals, live on the GUI thread) and released on the GUI thread when it ends. Cancel asks the
stepper to stop before its next step (:attr:`core.stepper.Stepper.interrupt`): the steps done so
far are kept, and the stepper sits between two steps as after any run. BLAS uses one thread
beside the GUI, as training does.

The worker keeps the window live only while its kernels let the GIL go: the GUI thread's
``join(QUICK)`` and every Python slot of the window need it back. A NumPy call that keeps it
(``np.dot`` writing a 1,000,000-row product into fresh pages: 2-3 s on a loaded machine, where
``np.matmul`` keeps it 4-6 ms) freezes the window however the work is threaded
(benchmarks/bench_debugger_gil.py).
"""
from __future__ import annotations

import math
import threading
from typing import Callable, Protocol

from PySide6.QtCore import QObject, Signal

from app.training.threads import limited
from app.window.background import Job, JobWatch
from core.custom.runner import LayerError
from core.events import Event
from core.program import BACKWARD, CLEAR, FORWARD, UPDATE
from core.stepper import Stepper, StopReason
from core.validation import Shapes, infer_shapes

# Numbers computed by one training step's forward pass from which an action runs off the GUI thread.
# Measured (one BLAS thread, a busy 2-core machine): a forward and backward pass costs 10-30 ns per
# number, so 500,000 numbers take 5-15 ms for a whole training step; spirals' 200 rows are 28,000.
HEAVY = 500_000
QUICK = 0.03  # seconds the GUI thread waits for the worker before it shows progress and Cancel
PHASE_WORDS = {FORWARD: "Forward", CLEAR: "Backward", BACKWARD: "Backward", UPDATE: "Update"}


def outcome(s: Stepper, run: Callable[[], StopReason | None]) -> tuple[StopReason | None, LayerError | None]:
    """Why ``run()`` (an action of ``s``, on either thread) stopped early, and the custom layer's
    failure that stopped it: the same words wherever the action ran."""
    try:
        return run(), None
    except LayerError as exc:  # the user's code failed: the step left nothing behind
        return StopReason("error", str(exc), exc.node, s.cursor), exc
    except ValueError as exc:  # a kernel refused what a custom layer sent it (shapes validation could not know)
        step = s.next_step
        return StopReason("error", f"{step.label}: {exc}", step.node, s.cursor), None


def forward_size(stepper: Stepper, shapes: Shapes | None = None) -> int:
    """The numbers one training step's forward pass computes and reads, by shapes (no data is
    touched; ``shapes``: the graph's, when validation has found them already). A node whose
    shape is unknown (a custom layer) counts as the largest known one."""
    shapes = infer_shapes(stepper.graph) if shapes is None else shapes
    sizes = [math.prod(shape) for shape in shapes.values() if shape is not None]
    largest = max(sizes, default=1)
    nodes = list(stepper.program.plans) + list(stepper.program.leaves)
    total = 0
    for node in nodes:
        shape = shapes.get(node)
        total += largest if shape is None else math.prod(shape)
    return total


def is_heavy(stepper: Stepper, shapes: Shapes | None = None) -> bool:
    return forward_size(stepper, shapes) >= HEAVY


class BackgroundRun:
    """One debugger action on a worker thread: ``call(stepper)`` under held events."""

    def __init__(self, stepper: Stepper, call: Callable[[Stepper], StopReason | None],
                 before: str | None = None) -> None:
        self.stepper = stepper
        self.before = before  # the node that was current when the action began
        self.cancel_requested = threading.Event()
        self._held: list[Event] = [stepper.graph.value_changed, stepper.step_executed, stepper.step_undone,
                                   stepper.state_changed, stepper.stopped]
        for event in self._held:
            event.hold()
        stepper.interrupt = self.cancel_requested.is_set

        def work() -> StopReason | None:
            with limited(1):
                return call(stepper)

        self.job: Job[StopReason | None] = Job(work, name="debugger step")

    def cancel(self) -> None:
        """Stop before the next step (the one running now ends first)."""
        self.cancel_requested.set()

    def progress(self) -> str:
        """What runs now, read on the GUI thread: "Forward: affine2 (step 3 of 12)…"."""
        s = self.stepper
        steps = s.program.steps
        index = 0 if s.at_end else s.cursor
        step = steps[index]
        what = step.node if step.kind in (FORWARD, BACKWARD) else step.label
        cancel = " · cancelling after this step" if self.cancel_requested.is_set() else " · Esc cancels"
        return f"{PHASE_WORDS[step.kind]}: {what} (step {index + 1:,} of {len(steps):,})…{cancel}"

    def finish(self) -> StopReason | None:
        """On the GUI thread, once the job ended: announce what the run did (the held events),
        then its stop reason, or raise its error as the stepper raised it."""
        self.job.join()
        self.stepper.interrupt = None
        for event in self._held:
            event.release()
        return self.job.result()


class RunHost(Protocol):
    """What :class:`OffThread` uses of the debugger controller."""

    def end_run(self, run: BackgroundRun) -> None: ...
    def _set_status(self, text: str, announce: bool = True) -> None: ...
    def _update_actions(self) -> None: ...


class OffThread(QObject):
    """The controller's one action at a time off the GUI thread: started, shown, cancelled, ended."""

    runningChanged = Signal(bool)

    def __init__(self, host: RunHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.run: BackgroundRun | None = None  # the action running now (past QUICK)
        self._jobs = JobWatch(self)

    def start(self, run: BackgroundRun) -> None:
        """Wait QUICK for ``run``; still going, show its progress and watch for its end."""
        if run.job.join(QUICK):  # ended at once: no progress to show
            self.host.end_run(run)
            return
        self.run = run
        self.host._update_actions()
        self.runningChanged.emit(True)
        self._show_progress()
        self._jobs.watch(run.job, lambda _job: self._end(run), self._show_progress)

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()
            self._show_progress()

    def wait(self) -> None:
        """Cancel the running action and end it now, on this thread."""
        run = self.run
        if run is not None:
            run.cancel()
            self._jobs.forget(run.job)  # type: ignore[arg-type]
            self._end(run)

    def _show_progress(self) -> None:
        if self.run is not None:
            self.host._set_status(self.run.progress())

    def _end(self, run: BackgroundRun) -> None:
        self.run = None
        try:
            self.host.end_run(run)
        finally:
            self.runningChanged.emit(False)
