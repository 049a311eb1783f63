"""Training off the GUI thread: a Trainer runs on a Python thread, the GUI polls its progress.

The run's BLAS threads are set explicitly (one unless the user asks for more: see threads.py).

The worker thread writes the losses into the run's preallocated buffer a block of updates at a
time (no signal, and no Python call on most updates); the GUI reads ``run.count`` on a timer.
The worker touches no Qt object: the GUI thread hears of the end of the thread from its job watch
(:mod:`app.window.background`) and then emits :attr:`TrainingWorker.finished`; the watch hands
back the job that ended, and only the end of the current start's job counts (an earlier one's, or
one handled already by ``finish_now``, is ignored).
Pause is ``Trainer.stop()``, Resume is ``Trainer.run(remaining)`` on the same trainer, so a paused
run ends with the weights of an uninterrupted one (a long update that a pause or a Stop interrupts
is given up whole and done again on Resume).
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.training.heldout import EVAL_SHARE, EvalTrace, Evaluator, spacing
from app.training.probe import Probe
from app.training.runs import FAILED, FINISHED, NONFINITE, PAUSED, RUNNING, STOPPED, ParamTrace, Run
from app.training.threads import DEFAULT_THREADS, limited
from app.window.background import POLL_MS, Job, JobWatch, Wakeup
from core.custom.runner import LayerError
from core.end_loss import loss_after
from core.error_text import error_text
from core.trainer import Trainer, TrainResult

BLOCK = 32  # updates (a power of two) the worker hands to the GUI thread at a time
HAND_OVER_S = 0.03  # but no longer apart than this: a slow update (a whole set of 1e6 rows) is shown as it ends
SAMPLES_PER_RUN = 200  # samples of the parameters' norms aimed at in one run
FIRST_SAMPLE_AFTER = 8  # updates: the time of one update is known by then
SAMPLE_SHARE = 0.01  # but no more than 1 % of the training time spent on them
# ms between the watch's looks at the thread when the job's end rings the Wakeup: each look takes
# the GIL from the training thread, and the ring makes it look at once anyway
LATE_LOOK_MS = 500


class TrainingWorker(QObject):
    """Runs ``trainer`` for ``run.capacity`` updates on a thread; ``finished(status)`` on the GUI thread."""

    finished = Signal(str)  # the run's status: paused | finished | stopped | nonfinite | failed

    def __init__(self, trainer: Trainer, run: Run, probe: Probe | None = None, parent: QObject | None = None,
                 threads: int = DEFAULT_THREADS) -> None:
        super().__init__(parent)
        self.trainer = trainer
        self.threads = threads  # BLAS threads the run may use
        self.run = run
        self.probe = probe
        self.block = BLOCK
        self._job: Job[None] | None = None
        self._watch = JobWatch(self, LATE_LOOK_MS if Wakeup.install() is not None else POLL_MS)
        self._result: TrainResult | None = None
        self._error: BaseException | None = None
        self._request = ""
        self._started_at = 0.0
        self._offset = run.updates_before = trainer.updates  # updates done by the trainer before this run
        self._first = len(trainer.losses)  # where this run's losses begin in the trainer's list
        self._base = 0  # run.count when the current thread started
        if probe is not None and run.params is None:
            run.params = ParamTrace(list(probe.trainable))
        self.evaluator = Evaluator.for_trainer(trainer) if trainer.graph.dataset is not None else None
        if self.evaluator is not None and run.evals is None:
            run.evals = self.evaluator.new_trace()

    # ----------------------------------------------------------------- control
    @property
    def running(self) -> bool:
        return self._job is not None

    @property
    def remaining(self) -> int:
        return self.run.capacity - self.run.count

    def start(self) -> None:
        """Start the run, or resume it after a pause."""
        if self._job is not None or self.run.ended or self.remaining <= 0:
            return
        self._request = ""
        self.trainer.clear_stop()  # a Pause or Stop that came after the last thread's run had ended
        self._base = self.run.count
        self.run.status = RUNNING
        self._started_at = time.perf_counter()
        steps = self.remaining
        self._job = Job(lambda: self._body(steps), name="training")
        self._watch.watch(self._job, self._on_thread_done)

    def pause(self) -> None:
        if self._job is not None:
            self._request = PAUSED
            self.trainer.stop()

    def stop(self) -> None:
        """End the run after the update in progress, or inside it when it is long (it is given up:
        ``core.long_update``); from a pause it ends at once."""
        if self._job is not None:
            self._request = STOPPED
            self.trainer.stop()
        elif self.run.status == PAUSED:
            self.run.status = STOPPED
            self.finished.emit(STOPPED)

    def active_seconds(self) -> float:
        """Seconds this run has been training, pauses excluded."""
        extra = time.perf_counter() - self._started_at if self._job is not None else 0.0
        return self.run.elapsed + extra

    def finish_now(self) -> None:
        """After :meth:`wait`: handle the end of the thread now instead of on the next look."""
        if self._job is not None and self._job.ended:
            self._on_thread_done(self._job)

    def end_measurement(self) -> Callable[[], None] | None:
        """What measures the weights an ended run (stopped, or failed after some updates) was left
        with, when no measurement of them was taken on the training thread (a Stop ends it without
        one, so that it ends at once); None when there is nothing to measure. Call it on another
        thread: it is one forward pass over the held-out rows and the training accuracy's rows."""
        run, evaluator, evals = self.run, self.evaluator, self.run.evals
        if self._job is not None or evaluator is None or evals is None or not run.count \
                or run.status not in (STOPPED, FAILED) or (evals.updates and evals.updates[-1] == run.count):
            return None
        count, threads = run.count, self.threads

        def measure() -> None:
            with limited(threads):
                evaluator.measure(evals, count)

        return measure

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the thread ended (its ``finished`` still comes through the event loop)."""
        job = self._job
        return job.join(timeout) if job is not None else True

    # ----------------------------------------------------------- worker thread
    def _body(self, steps: int) -> None:
        """The worker thread."""
        try:
            with limited(self.threads):
                self._train(steps)
        except Exception as exc:  # noqa: BLE001 - any failure is reported on the GUI thread, never lost
            self._error = exc
            self._catch_up()  # the updates done before the failure, since the last block

    def _catch_up(self) -> None:
        """Put every loss the trainer has recorded for this run into its buffer (the updates of an
        unfinished block), then ``run.count``."""
        run, first = self.run, self._first
        history = self.trainer.losses
        n = len(history) - first
        if n > run.count:
            run.losses[run.count : n] = history[first + run.count : first + n]
            run.count = n

    def _train(self, steps: int) -> None:
        probe, trace = self.probe, self.run.params
        evaluator, evals = self.evaluator, self.run.evals
        if evaluator is not None and evals is not None and self.run.count == 0 and not self._request:
            evaluator.measure(evals, 0)  # the starting weights
        self._result = self.trainer.run(steps, self._make_callback())
        done = self._result.losses.size
        if probe is not None and trace is not None and done and self._request != STOPPED:
            _sample(self.trainer, trace, self._base + done)  # the weights the run ends with
        if evaluator is not None and evals is not None and done and not self._result.nonfinite \
                and self._request != STOPPED:  # a Stop ends the thread at once: end_measurement after
            evaluator.measure(evals, self._base + done)
        if done and not self._result.nonfinite and not self._request:  # the run's end, not a pause or a Stop
            self.run.loss_after = loss_after(self.trainer)

    def _make_callback(self):
        """The trainer's callback, called after the first update of a thread's run and then only
        when it asked to be (:meth:`Trainer.run`): at the end of each block of ``block`` updates,
        and when a measurement of the held-out rows or a sample of the parameters' norms is due.

        It puts the block's losses into the run's buffer (from the trainer's list of losses) and
        then moves ``run.count``, so the GUI thread never reads a loss not yet written. The
        updates between two calls cost the trainer's loop one comparison each: no Python call,
        no allocation and no hand-over of the GIL (the GUI thread takes it when its switch
        interval asks: see :mod:`core.trainer`). The norms of the parameters are sampled about
        ``SAMPLES_PER_RUN`` times a run, never spending more than ``SAMPLE_SHARE`` of the time.
        """
        run, done_before, catch_up = self.run, self._offset, self._catch_up
        mask = max(1, self.block) - 1
        probe, trace, trainer = self.probe, self.run.params, self.trainer
        clock = time.perf_counter
        base = max(FIRST_SAMPLE_AFTER, run.capacity // SAMPLES_PER_RUN)
        due = [run.count + base if probe is not None else 2**62]
        last = [0.0, -1]  # clock and run.count where the time per update is measured from
        evaluator, evals = self.evaluator, run.evals
        eval_due = [run.count + spacing(run.count, run.capacity, None) if evaluator is not None else 2**62]
        since = [time.thread_time(), run.count]  # CPU time and run.count of the last measurement
        called = [clock(), run.count]  # clock and run.count of the last call
        # the norms at update 0: the starting weights now, the gradient once the first update computed it
        start = _weight_norms(trainer) if probe is not None and trace is not None and run.count == 0 else None

        def callback(update: int, _loss: float) -> int:  # the loss is read from the trainer's list
            catch_up()
            n = update - done_before
            if n == 1 and start is not None:
                _sample(trainer, trace, 0, start)  # type: ignore[arg-type]
            if n >= eval_due[0]:
                eval_due[0] = n + _measure(evaluator, evals, n, since, run.capacity)  # type: ignore[arg-type]
            if last[1] < 0:  # the first update of a call includes compiling the plan: measure after it
                last[0], last[1] = clock(), n
            elif n >= due[0]:
                began = clock()
                _sample(trainer, trace, n)  # type: ignore[arg-type]
                cost = clock() - began
                per_update = (began - last[0]) / max(1, n - last[1])
                spacing_ = int(cost / (SAMPLE_SHARE * per_update)) if per_update > 0 else base
                due[0] = n + max(base, spacing_)
                last[0], last[1] = clock(), n
            now, since_call = clock(), called[:]
            called[0], called[1] = now, n
            block_end = (n | mask) + 1
            if n > since_call[1]:  # updates slower than HAND_OVER_S a block are handed over sooner
                per_update = (now - since_call[0]) / (n - since_call[1])
                block_end = min(block_end, n + max(1, int(HAND_OVER_S / per_update)) if per_update > 0 else block_end)
            return done_before + min(block_end, eval_due[0], due[0])

        return callback

    # -------------------------------------------------------------- GUI thread
    def _on_thread_done(self, job: Job[None]) -> None:
        """The end of ``job``, once: the thread of the current start (the end of an earlier one, or
        one handled already by :meth:`finish_now`, is ignored)."""
        if job is not self._job:
            return
        self._job = None
        self._watch.forget(job)  # type: ignore[arg-type]
        job.result()
        self.run.elapsed += time.perf_counter() - self._started_at
        result, self._result = self._result, None
        if self._error is not None:
            self.run.status, self.run.message = FAILED, error_text(self._error)
            self.run.failure = _layer_failure(self._error)
            self._error = None
        elif result is not None:
            done = len(result.losses)
            self.run.losses[self._base : self._base + done] = result.losses
            self.run.count = self._base + done
            if result.nonfinite:
                self.run.status = NONFINITE
                self.run.message = result.message
            elif result.stopped and self._request == PAUSED and self.remaining > 0:
                self.run.status = PAUSED
            elif result.stopped:
                self.run.status = STOPPED
            else:
                self.run.status = FINISHED
        self.finished.emit(self.run.status)


def _measure(evaluator: Evaluator, trace: EvalTrace, n: int, since: list[float], planned: int) -> int:
    """Measure the held-out rows now; the updates until the next measurement (:func:`spacing`), so
    that measuring takes about EVAL_SHARE of the worker's time. Times are the thread's own CPU
    time (``since``: that time and the update of the last measurement), so waiting for the GUI
    thread counts for neither."""
    began = time.thread_time()
    per_update = (began - since[0]) / max(1, n - since[1])
    evaluator.measure(trace, n)
    since[0], since[1] = time.thread_time(), n
    cost = since[0] - began
    return spacing(n, planned, int(cost / (EVAL_SHARE * per_update)) if per_update > 0 else None)


def _weight_norms(trainer: Trainer) -> dict[str, float]:
    with np.errstate(all="ignore"):  # a diverging run has overflowing norms: they plot as gaps
        return {p: _norm(w) for p, w in trainer.params.items()}


def _sample(trainer: Trainer, trace: ParamTrace, update: int, norms: dict[str, float] | None = None) -> None:
    """Norms of the weights after ``update`` (or ``norms``) and of the gradient that update used,
    read in place from the trainer's buffers (a few microseconds: no copy, no extra pass).
    Update 0's sample is taken just after the first update, with the starting weights' norms and
    the gradient the first update used (the one at the starting weights): no extra pass over the
    rows, which froze a run of a million rows for seconds."""
    grads = trainer.gradients()
    with np.errstate(all="ignore"):
        trace.add(
            update,
            norms if norms is not None else _weight_norms(trainer),
            {p: _norm(grads[p]) if p in grads else 0.0 for p in trace.names},
        )


def _norm(a: np.ndarray) -> float:
    flat = np.ravel(a)
    return math.sqrt(float(np.dot(flat, flat))) if flat.size else 0.0


def _layer_failure(error: BaseException) -> LayerError | None:
    """A custom layer's failure as its node, method and line, without the traceback (and the
    trainer's buffers its frames hold); None for any other error."""
    if isinstance(error, LayerError) and error.node is not None:
        return error.at_node(error.node)
    return None
