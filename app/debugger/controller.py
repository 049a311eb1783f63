"""The debugger's controller: owns a core Stepper for the window's document, its actions and status.

It is the app's bridge for the stepper: the stepper's plain-Python events become Qt signals
here. Views repaint on :attr:`DebugController.stateChanged`, which is emitted once per user
action (a run of many steps is one action) with the set of nodes whose state changed
(``None``: every node). An edit of the graph while stepping starts the program again.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction

from core.format import format_number
from core.gradcheck import GradCheckReport, check_gradients
from core.program import BACKWARD, FORWARD, UPDATE, ProgramError, Step
from core.stepper import BEGIN_INDEX, Stepper, StopReason

from .actions import make_actions, update_actions

PHASES = {FORWARD: "Forward pass", BACKWARD: "Backward pass", UPDATE: "Update"}


class DebugController(QObject):
    stateChanged = Signal(object)  # set of node ids whose state changed, or None for all
    programChanged = Signal()  # a new program (document, edit, invalid graph): views rebuild
    statusChanged = Signal(str)
    stopped = Signal(object)  # core.stepper.StopReason
    nodeRequested = Signal(str)  # a node the views should select (the node of a NaN/Inf)
    gradientChecked = Signal(object)  # GradCheckReport, or None when the check was cleared

    def __init__(self, document: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: Any = None
        self.stepper: Stepper | None = None
        self.problem: str | None = None  # why there is no program
        self.selected_node: str | None = None
        self.gradcheck: GradCheckReport | None = None
        self.last_stop: StopReason | None = None  # why the last action stopped early
        self._breakpoints: set[str] = set()
        self._break_on_nonfinite = True
        self._busy = False
        self._changed = False
        self._dirty: set[str] | None = set()
        self._params_changed = False
        self._stale = False
        self._engaged = False
        self._note = ""
        self._status = ""
        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(0)
        self._rebuild_timer.timeout.connect(self._rebuild_if_stale)
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
    def set_document(self, document: Any) -> None:
        """Follow ``document`` (a new one for every opened file): a fresh program on its graph."""
        if self.document is not None:
            self._disconnect_document(self.document)
        self.document = document
        self._breakpoints = set()
        self.selected_node = None
        if document is not None:
            document.edited.connect(self._on_edited)
            bridge = document.bridge
            for signal in (bridge.nodeAdded, bridge.nodeRemoved, bridge.nodeRenamed, bridge.edgeAdded,
                           bridge.edgeRemoved, bridge.attrChanged, bridge.valueChanged, bridge.settingsChanged,
                           bridge.datasetChanged, bridge.objectiveChanged):
                signal.connect(self._on_graph_changed)
        self._note = ""
        self._rebuild()

    def _disconnect_document(self, document: Any) -> None:
        try:
            document.edited.disconnect(self._on_edited)
        except (RuntimeError, TypeError):
            pass
        bridge = document.bridge
        for signal in (bridge.nodeAdded, bridge.nodeRemoved, bridge.nodeRenamed, bridge.edgeAdded,
                       bridge.edgeRemoved, bridge.attrChanged, bridge.valueChanged, bridge.settingsChanged,
                       bridge.datasetChanged, bridge.objectiveChanged):
            try:
                signal.disconnect(self._on_graph_changed)
            except (RuntimeError, TypeError):
                pass

    def _on_graph_changed(self, *_args: Any) -> None:
        """Any change of the graph that the stepper did not make itself makes the program stale."""
        if self._busy:
            return
        self._stale = True
        self._rebuild_timer.start()

    def _on_edited(self) -> None:
        self._rebuild_if_stale()

    def _rebuild_if_stale(self) -> None:
        if not self._stale:
            return
        was_active = self.stepper is not None and self.active
        self._note = "The graph changed: the program restarted from its first step. " if was_active else ""
        self._rebuild()

    def _rebuild(self) -> None:
        self._stale = False
        self._rebuild_timer.stop()
        self._detach_stepper()
        self.stepper, self.problem = None, None
        self.last_stop = None
        self._engaged = False
        self._clear_gradcheck()
        if self.document is not None:
            graph = self.document.graph
            try:
                self.stepper = Stepper(graph)
            except ProgramError as exc:
                self.problem = str(exc)
        if self.stepper is not None:
            self._breakpoints &= set(self.stepper.program.plans)
            self.stepper.breakpoints = set(self._breakpoints)
            self.stepper.break_on_nonfinite = self._break_on_nonfinite
            self.stepper.step_executed.connect(self._on_step)
            self.stepper.step_undone.connect(self._on_step)
            self.stepper.state_changed.connect(self._on_state_changed)
        self.programChanged.emit()
        self._finish(None)

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
        return set(self._breakpoints)

    def _on_step(self, step: Step, index: int) -> None:
        if step.kind == UPDATE:
            self._params_changed = True
        if self._dirty is None:
            return
        s = self.stepper
        assert s is not None
        if index == BEGIN_INDEX or len(self._dirty) > 64:
            self._dirty = None
            return
        if step.kind == UPDATE:
            self._dirty.update(s.program.trainable)
        elif step.node is not None:
            self._dirty.add(step.node)
            if step.kind == BACKWARD:
                self._dirty.update(s.program.plans[step.node].srcs)

    def _on_state_changed(self) -> None:
        if self._busy:
            self._changed = True
        else:
            self._finish(self._take_dirty())

    def _take_dirty(self) -> set[str] | None:
        dirty, self._dirty = self._dirty, set()
        return dirty

    @contextmanager
    def _action(self) -> Iterator[Stepper]:
        """Run stepper calls as one user action: one repaint, one status update at the end."""
        if self.stepper is None:
            raise RuntimeError("no program")
        before = self.current_node
        self._note = ""
        if not self._engaged:
            self._engaged = True
            self._dirty = None
        self._busy = True
        try:
            if self.document is not None:
                with self.document.engine_writes():
                    yield self.stepper
            else:
                yield self.stepper
        finally:
            self._busy = False
            dirty = self._take_dirty()
            if dirty is not None:
                dirty.update(n for n in (before, self.current_node) if n is not None)
            if self._params_changed and self.document is not None:
                self.document.mark_modified()
            self._params_changed = False
            self._finish(dirty)

    def _finish(self, dirty: set[str] | None) -> None:
        self._changed = False
        self._update_actions()
        self._set_status(self.status_text())
        self.stateChanged.emit(dirty)

    def _set_status(self, text: str) -> None:
        self._status = text
        self.statusChanged.emit(text)

    @property
    def status(self) -> str:
        return self._status

    def status_text(self) -> str:
        """Phase, step number, node and loss; or why the graph cannot run."""
        if self.document is None:
            return ""
        if self.stepper is None:
            return f"{self._note}The graph cannot run: {self.problem}"
        s = self.stepper
        n = len(s.program.steps)
        train = f"training step {s.iteration + 1}"
        if not self.active:
            return f"{self._note}Debugger ready: {n} steps in a training step; Step (F10) runs the first"
        step = self.current_step
        if step is None:
            where = f"start of {train} · step 0 / {n} · next: {s.next_step.label}"
        else:
            where = f"{PHASES[step.kind]} · step {s.cursor} / {n}: {step.label} · {train}"
        loss = f" · loss = {format_number(s.loss)}" if s.loss is not None else ""
        stop = self.last_stop
        prefix = f"Stopped: {stop.message} — " if stop is not None and stop.kind in ("breakpoint", "nonfinite") else ""
        return f"{self._note}{prefix}{where}{loss}"

    # ----------------------------------------------------------- user actions
    def step(self) -> None:
        """Run the next step (a NaN/Inf it makes is reported; breakpoints do not stop one step)."""
        self._run(lambda s: s.run_steps(1))

    def step_back(self) -> None:
        with self._action() as s:
            self.last_stop = None
            s.step_back()

    def run_steps(self, count: int) -> None:
        """Run ``count`` steps as one action (the ``--steps`` hook); stops early on a NaN/Inf."""
        self._run(lambda s: s.run_steps(count))

    def goto(self, index: int) -> None:
        """Move the cursor to ``index`` (0: the start) within the current training step."""
        self._run(lambda s: s.goto(index))

    def run_forward(self) -> None:
        self._run(Stepper.run_forward)

    def run_backward(self) -> None:
        self._run(Stepper.run_backward)

    def apply_update(self) -> None:
        self._run(Stepper.apply_update)

    def continue_(self) -> None:
        self._run(Stepper.continue_)

    def run_to_node(self, node: str) -> None:
        """Run until ``node``'s next step in this training step has run (the next one's, at the end)."""
        s = self.stepper
        if s is None:
            return
        start = 0 if s.at_end else s.cursor
        if not any(step.node == node for step in s.program.steps[start:]):
            self._set_status(f"{node} has no step left in this training step: Step Back or Reset to go before it")
            return
        self._run(lambda s: s.run_to_node(node))

    def run_to_selected(self) -> None:
        if self.selected_node is not None:
            self.run_to_node(self.selected_node)

    def _run(self, call: Callable[[Stepper], StopReason | None]) -> None:
        with self._action() as s:
            self.last_stop = None
            self.last_stop = reason = call(s)
        if reason is not None:
            self._report_stop(reason)

    def _report_stop(self, reason: StopReason) -> None:
        self.stopped.emit(reason)
        if reason.kind == "nonfinite" and reason.node is not None:
            self.nodeRequested.emit(reason.node)

    def reset(self) -> None:
        if self.stepper is None:
            return
        self._note = ""
        with self._action() as s:
            self.last_stop = None
            s.reset(self.document.initial_weights() if self.document is not None else None)
            self._dirty = None
            self._engaged = False

    def set_selected_node(self, node: str | None) -> None:
        self.selected_node = node
        self._update_actions()

    def toggle_selected_breakpoint(self) -> None:
        if self.selected_node is not None:
            self.toggle_breakpoint(self.selected_node)

    def toggle_breakpoint(self, node: str) -> None:
        if self.stepper is None or node not in self.stepper.program.plans:
            return
        self._breakpoints ^= {node}
        self.stepper.breakpoints = set(self._breakpoints)
        self.stateChanged.emit({node})

    def set_break_on_nonfinite(self, on: bool) -> None:
        self._break_on_nonfinite = bool(on)
        if self.stepper is not None:
            self.stepper.break_on_nonfinite = self._break_on_nonfinite
        action = self.actions["break_on_nonfinite"]
        if action.isChecked() != bool(on):
            action.setChecked(bool(on))

    # ------------------------------------------------------------ gradient check
    def gradient_check(self) -> GradCheckReport | None:
        """Run the gradient check on the graph's current values; views show badges."""
        if self.document is None or self.stepper is None:
            return None
        try:
            report = check_gradients(self.document.graph)
        except (ProgramError, ValueError) as exc:
            self._set_status(f"Gradient check impossible: {exc}")
            return None
        self.gradcheck = report
        bad = report.failures()
        verdict = "all gradients agree" if not bad else f"{len(bad)} disagree: {', '.join(e.name for e in bad)}"
        self._set_status(f"Gradient check (threshold {report.threshold:g}): {verdict}")
        self.gradientChecked.emit(report)
        return report

    def _clear_gradcheck(self) -> None:
        if self.gradcheck is not None:
            self.gradcheck = None
            self.gradientChecked.emit(None)
