"""The debugger's controller: owns a core Stepper for the window's document, its actions and status.

It is the app's bridge for the stepper: the stepper's plain-Python events become Qt signals
here. Views repaint on :attr:`DebugController.stateChanged`, which is emitted once per user
action (a run of many steps is one action) with the set of nodes whose state changed
(``None``: every node; :mod:`.changes` collects them). An edit of the graph while stepping
starts the program again (:mod:`.graph_watch` notices it); so do weights that training wrote,
but quietly (the training's own message stays in the status bar). While a training run is going
on (:meth:`DebugController.set_training_state`) nothing steps. An action on big data runs off the
GUI thread (:mod:`.runner`): meanwhile :attr:`DebugController.runningChanged` says so (the window
takes no edit), the status bar shows its progress, and Cancel (Esc) stops it between two steps.
"""
from __future__ import annotations

from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Callable, Iterator

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.debugger.actions import make_actions, update_actions
from app.debugger.breakpoints import Breakpoints
from app.debugger.changes import ChangedNodes
from app.debugger.gradient_control import GradientControl
from app.debugger.graph_watch import GraphWatch
from app.debugger.runner import BackgroundRun, OffThread, is_heavy, outcome
from app.debugger.status import ask_reset, status_text
from app.debugger.step_commands import StepCommands
from app.model.document import Document
from core.custom.runner import LayerError
from core.program import UPDATE, ProgramError, Step
from core.stepper import Stepper, StopReason


class DebugController(StepCommands):
    stateChanged = Signal(object)  # set of node ids whose state changed, or None for all
    programChanged = Signal()  # a new program (document, edit, invalid graph): views rebuild
    statusChanged = Signal(str)  # news: the status bar shows it at once
    statusRefreshed = Signal(str)  # the same state in new words, no news (after training): a note showing stays
    stopped = Signal(object)  # core.stepper.StopReason
    nodeRequested = Signal(str)  # a node the views should select (the node of a NaN/Inf)
    gradientChecked = Signal(object)  # GradCheckReport, or None when the check was cleared
    checkStarted = Signal()  # a gradient check began (it ends with gradientChecked or a status)
    layerFailed = Signal(object)  # core.custom.runner.LayerError: a custom layer's code failed in a step
    runningChanged = Signal(bool)  # an action began, or ended, on the worker thread

    def __init__(self, document: Document | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.stepper: Stepper | None = None
        self.problem: str | None = None  # why there is no program
        self.selected_node: str | None = None
        self.last_stop: StopReason | None = None  # why the last action stopped early
        self.stops = Breakpoints()
        self._busy = False
        self._heavy: bool | None = None  # the program's actions run on the worker thread (found at the first)
        self.off_thread = OffThread(self)
        self.off_thread.runningChanged.connect(self.runningChanged)
        self._changed = ChangedNodes()
        self._params_changed = False
        self._engaged = False
        self._training = "idle"  # the window's training run: idle | running | paused
        self._note = ""
        self._status = ""
        self.weights_written = False  # while a new program is made because training wrote weights
        self.dialog_parent: QWidget | None = None
        self.checks = GradientControl(self, self)
        self.checker = self.checks.checker
        self.watch = GraphWatch(lambda: self._busy, self)
        self.watch.stale.connect(self._on_stale)
        self.actions: dict[str, QAction] = make_actions(self)
        if document is not None:
            self.set_document(document)
        else:
            self._update_actions()

    # ------------------------------------------------------------------ actions
    def action(self, name: str) -> QAction:
        return self.actions[name]

    def _update_actions(self) -> None:
        update_actions(self)

    # ----------------------------------------------------------------- document
    def set_document(self, document: Document | None) -> None:
        """Follow ``document`` (a new one for every opened file): a fresh program on its graph."""
        self.document = document
        self.watch.follow(document)
        self.stops = Breakpoints()
        self.selected_node = None
        self._note = ""
        self._rebuild()

    def rebuild(self) -> None:
        """A new program on the same graph (after something the graph does not record changed,
        such as the trust given to its code)."""
        self._rebuild()

    def _on_stale(self, quiet: bool) -> None:
        """The graph changed under the program: a new one, with a note when the person's edit
        restarted a program in use (weights written by training: no note, no status)."""
        if quiet:
            self._note = ""
            self.weights_written = True  # for the views that keep what the graph's structure decides
            try:
                self._rebuild(announce=False)
            finally:
                self.weights_written = False
            return
        was_active = self.stepper is not None and self.active
        self._note = "The graph changed: the program restarted from its first step. " if was_active else ""
        self._rebuild()

    def _rebuild(self, announce: bool = True) -> None:
        self.off_thread.wait()  # a running action ends first (cancelled after its current step)
        self.watch.clear()
        self._detach_stepper()
        self.stepper, self.problem = None, None
        self.last_stop = None
        self._engaged = False
        self.checker.clear()
        if self.document is not None:
            graph = self.document.graph
            try:
                self.stepper = Stepper(graph, progress=self.document.training_state.progress,
                                       program=self.document.derived.program())
            except ProgramError as exc:
                self.problem = str(exc)
        self._heavy = None
        if self.stepper is not None:
            self.stops.attach(self.stepper)
            self.stepper.step_executed.connect(self._on_step)
            self.stepper.step_undone.connect(self._on_step)
            self.stepper.state_changed.connect(self._on_state_changed)
        self.programChanged.emit()
        self._finish(None, announce)

    def _detach_stepper(self) -> None:
        if self.stepper is not None:
            self.stepper.step_executed.disconnect(self._on_step)
            self.stepper.step_undone.disconnect(self._on_step)
            self.stepper.state_changed.disconnect(self._on_state_changed)

    # -------------------------------------------------------------- state
    @property
    def active(self) -> bool:
        """True from the first debugger action until a reset or a new program: the canvas shows values."""
        return self.stepper is not None and self._engaged

    @property
    def current_step(self) -> Step | None:
        """The step that ran last in this training step (the one whose results just appeared)."""
        s = self.stepper
        if s is None or s.cursor == 0:
            return None
        return s.program.steps[s.cursor - 1]

    @property
    def current_node(self) -> str | None:
        step = self.current_step
        return step.node if step is not None else None

    @property
    def breakpoints(self) -> set[str]:
        return set(self.stops.nodes)

    def _on_step(self, step: Step, index: int) -> None:
        if step.kind == UPDATE:
            self._params_changed = True
        assert self.stepper is not None
        self._changed.step_ran(self.stepper.program, step, index)

    def _on_state_changed(self) -> None:
        if not self._busy:  # within a user action, _action finishes once at its end
            self._finish(self._changed.take())

    @property
    def can_act(self) -> bool:
        """True when a debugger action may run: a program, and no training run going on."""
        return self.stepper is not None and not self.training_busy and not self._busy

    @contextmanager
    def _action(self) -> Iterator[Stepper]:
        """Run stepper calls as one user action: one repaint, one status update at the end."""
        before = self._begin_action()
        try:
            with self._writing():
                yield self.stepper  # type: ignore[misc]
        finally:
            self._end_action(before)

    def _writing(self) -> AbstractContextManager[None]:
        """Weights written in this block are results of updates, not edits."""
        return self.document.training_state.writing_results() if self.document is not None else nullcontext()

    def _begin_action(self) -> str | None:
        """The start of a user action; the node that was current before it."""
        if self.stepper is None:
            raise RuntimeError("no program")
        before = self.current_node
        self._note = ""
        if not self._engaged:
            self._engaged = True
            self._changed.all()
        self._busy = True
        return before

    def _end_action(self, before: str | None) -> None:
        """The end of a user action: one repaint and one status update for all it did."""
        self._busy = False
        dirty = self._changed.take((before, self.current_node))
        if self._params_changed:
            self.checker.clear()  # the check was of the weights before the update
            if self.document is not None:
                state = self.document.training_state  # the next training run goes on from here
                if self.stepper is not None:
                    state.record(self.stepper.progress())
                else:
                    state.start_over()
        self._params_changed = False
        self._finish(dirty)

    def _finish(self, dirty: set[str] | None, announce: bool = True) -> None:
        self._update_actions()
        self._set_status(self.status_text(), announce)
        self.stateChanged.emit(dirty)

    def _set_status(self, text: str, announce: bool = True) -> None:
        """Remember the status and tell the window: ``announce`` as news (statusChanged), else as
        the lasting status behind any note showing (statusRefreshed)."""
        self._status = text
        (self.statusChanged if announce else self.statusRefreshed).emit(text)

    @property
    def status(self) -> str:
        return self._status

    def status_text(self) -> str:
        """Phase, step number, node and loss; or why the graph cannot run."""
        return status_text(self, self._note)

    # ------------------------------------------------------------- training
    @property
    def training_busy(self) -> bool:
        """True while the window's training run is going on (running or paused): nothing steps."""
        return self._training != "idle"

    def set_training_state(self, state: str) -> None:
        """Follow the training session's state (``idle``, ``running`` or ``paused``)."""
        if state == self._training:
            return
        was_busy, self._training = self.training_busy, state
        if self.training_busy:
            self.checker.cancel()
        self._update_actions()
        if was_busy != self.training_busy:  # a run began (said at once, over any note) or ended
            self._note = ""
            self._set_status(self.status_text(), announce=self.training_busy)
        self.stateChanged.emit(set())

    # ----------------------------------------------------------- user actions
    # (the step commands themselves are in step_commands.py)
    def _run(self, call: Callable[[Stepper], StopReason | None]) -> None:
        if not self.can_act:
            return
        if self._heavy is None:
            shapes = self.document.derived.shapes() if self.document is not None else None
            self._heavy = is_heavy(self.stepper, shapes)  # type: ignore[arg-type]
        if self._heavy:  # off the GUI thread: end_run ends the action
            before = self._begin_action()
            self.last_stop = None
            self.off_thread.start(BackgroundRun(self.stepper, call, before))  # type: ignore[arg-type]
            return
        with self._action() as s:
            self.last_stop = None
            reason, failure = outcome(s, lambda: call(s))
            self.last_stop = reason
        self._announce(reason, failure)

    def _announce(self, reason: StopReason | None, failure: LayerError | None) -> None:
        """Tell the views why the action stopped early (a NaN/Inf's or an error's node is selected)."""
        if failure is not None:
            self.layerFailed.emit(failure)
        if reason is not None:
            self.stopped.emit(reason)
            if reason.kind in ("nonfinite", "error") and reason.node is not None:
                self.nodeRequested.emit(reason.node)

    # ------------------------------------------------------ off the GUI thread
    @property
    def running(self) -> bool:
        """True while an action runs on the worker thread (nothing else steps or edits)."""
        return self.off_thread.run is not None

    def cancel_run(self) -> None:
        """Cancel (Esc): the running action stops after its current step; the steps done are kept.
        A running gradient check stops at its next element, with no verdict."""
        if self.running:
            self.off_thread.cancel()
        else:
            self.checks.cancel()

    def end_run(self, run: BackgroundRun) -> None:
        """On the GUI thread, once the worker ended: the action ends as a synchronous one does."""
        reason, failure = None, None
        try:
            with self._writing():
                reason, failure = outcome(run.stepper, run.finish)
        finally:  # an unforeseen error still ends the action (and is raised)
            self.last_stop = reason
            self._end_action(run.before)
        self._announce(reason, failure)

    def reset(self) -> bool:
        """Back to the start of the program with the weights as loaded; asks first when that
        loses weights that training or an update changed. True when it reset."""
        if self.stepper is None or self.training_busy or self.running or self.document is None:
            return False
        if self.document.changed_weights() and not self.confirm_reset():
            return False
        self._note = ""
        self.document.training_state.start_over()
        with self._action() as s:
            self.last_stop = None
            s.reset(self.document.initial_weights())
            self._changed.all()
            self._engaged = False
        return True

    def confirm_reset(self) -> bool:
        """Ask whether to drop the changed weights (tests replace this method)."""
        return ask_reset(self.dialog_parent, self.document.changed_weights() if self.document is not None else [])

    def set_selected_node(self, node: str | None) -> None:
        self.selected_node = node
        self._update_actions()

    def toggle_selected_breakpoint(self) -> None:
        if self.selected_node is not None:
            self.toggle_breakpoint(self.selected_node)

    def toggle_breakpoint(self, node: str) -> None:
        if self.stops.toggle(self.stepper, node):
            self.stateChanged.emit({node})

    def set_break_on_nonfinite(self, on: bool) -> None:
        self.stops.set_on_nonfinite(self.stepper, on)
        action = self.actions["break_on_nonfinite"]
        if action.isChecked() != bool(on):
            action.setChecked(bool(on))

    # ------------------------------------------------------------ gradient check
    @property
    def checking(self) -> bool:
        """True while a gradient check runs; the check itself is ``checks`` (:mod:`.gradient_control`)."""
        return self.checker.busy

    def gradient_check(self) -> bool:
        """The Gradient Check action: every gradient against finite differences (``checks`` does one node's)."""
        return self.checks.start()
