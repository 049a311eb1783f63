"""The debugger controller as the rooms that serve it see it: what ``actions.py`` (when each action
can act, and its handler) and ``status.py`` (the status line) may read and call.

:class:`~app.debugger.controller.DebugController` implements it. The helpers name this type
instead of importing ``controller.py`` (which imports them), so the imports form no circle.
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from app.model.document import Document
from core.program import Step
from core.stepper import Stepper, StopReason


class DebuggerState(QObject):
    """The document and its stepper, why there is no program, the selection, the last stop, the
    actions by name; whether the debugger is engaged, training or checking; the action handlers."""

    document: Document | None
    stepper: Stepper | None
    problem: str | None  # why there is no program
    selected_node: str | None
    last_stop: StopReason | None  # why the last action stopped early
    actions: dict[str, QAction]

    @property
    def active(self) -> bool:
        raise NotImplementedError

    @property
    def current_step(self) -> Step | None:
        raise NotImplementedError

    @property
    def training_busy(self) -> bool:
        raise NotImplementedError

    @property
    def checking(self) -> bool:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        """True while an action runs off the GUI thread."""
        raise NotImplementedError

    # the handlers of the actions
    def step(self) -> None:
        raise NotImplementedError

    def step_back(self) -> None:
        raise NotImplementedError

    def run_forward(self) -> None:
        raise NotImplementedError

    def run_backward(self) -> None:
        raise NotImplementedError

    def apply_update(self) -> None:
        raise NotImplementedError

    def continue_(self) -> None:
        raise NotImplementedError

    def run_to_selected(self) -> None:
        raise NotImplementedError

    def reset(self) -> bool:
        raise NotImplementedError

    def toggle_selected_breakpoint(self) -> None:
        raise NotImplementedError

    def set_break_on_nonfinite(self, on: bool) -> None:
        raise NotImplementedError

    def gradient_check(self) -> bool:
        raise NotImplementedError

    def cancel_run(self) -> None:
        raise NotImplementedError
