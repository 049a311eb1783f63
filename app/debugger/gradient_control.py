"""The debugger's gradient check as its controller offers it: started on the graph's current
values (one node's gradient, or every one), announced in the status bar with its progress
("Checking gradients: 3,700 of 34,499 elements (affine1) · Esc cancels"), cancelled by Cancel Run
(Esc) with a message that gives no verdict, its report kept until the graph changes. The numbers
are computed off the GUI thread (:mod:`.checker`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, SignalInstance

from app.debugger.checker import GradientChecker, Tally
from app.debugger.status import check_summary
from app.model.document import Document
from core.gradcheck_bounds import progress_words
from core.program import ProgramError
from core.stepper import Stepper

if TYPE_CHECKING:  # the checker's module loads with the first check
    from core.gradcheck import GradCheckReport


class CheckHost(Protocol):
    """What the gradient check uses of the debugger controller."""

    document: Document | None
    stepper: Stepper | None
    stateChanged: SignalInstance
    gradientChecked: SignalInstance
    checkStarted: SignalInstance

    @property
    def training_busy(self) -> bool: ...
    def _set_status(self, text: str, announce: bool = True) -> None: ...
    def _update_actions(self) -> None: ...


class GradientControl:
    def __init__(self, host: CheckHost, parent: QObject) -> None:
        self.host = host
        self.checker = GradientChecker(parent)
        self.checker.checked.connect(host.gradientChecked)
        self.checker.finished.connect(lambda report, seconds: self._after(check_summary(report, seconds)))
        self.checker.failed.connect(lambda message: self._after(f"Gradient check failed: {message}"))
        self.checker.progressed.connect(lambda tally: host._set_status(progress_text(tally)))

    @property
    def report(self) -> GradCheckReport | None:
        return self.checker.report

    def checkable(self, node: str | None) -> bool:
        """True when ``node`` has a gradient of its own to check (a parameter or a computed node)."""
        s = self.host.stepper
        p = s.program if s is not None else None
        return p is not None and node is not None and node in p.needs_grad and node not in p.inputs

    def start(self, node: str | None = None) -> bool:
        """Check ``node``'s gradient, or every parameter's and node's; True when it started."""
        host = self.host
        if host.document is None or host.stepper is None or host.training_busy:
            return False
        try:
            self.checker.start(host.document.graph, None if node is None else [node])
        except (ProgramError, ValueError) as exc:
            host._set_status(f"Gradient check impossible: {exc}")
            return False
        what = f"∂L/∂{node}" if node is not None else "every gradient"
        host._set_status(f"Checking {what} against finite differences…")
        host._update_actions()
        host.checkStarted.emit()
        return True

    def cancel(self) -> bool:
        """Cancel Run while a check runs: it stops at its next element and says so, with no
        verdict. True when a check was running."""
        tally = self.checker.tally
        if not self.checker.cancel():
            return False
        self._after(f"Gradient check cancelled after {tally.done:,} of {tally.total:,} elements: no verdict "
                    f"(Gradient Check starts it again)")
        return True

    def _after(self, text: str) -> None:
        self.host._update_actions()
        self.host._set_status(text)
        self.host.stateChanged.emit(set())  # the inspector's button shows the check is over


def progress_text(tally: Tally) -> str:
    """"Checking gradients: 3,700 of 34,499 elements (affine1) · Esc cancels"."""
    if not tally.total:
        return "Checking gradients: running the forward and backward passes… · Esc cancels"
    return f"Checking gradients: {progress_words(tally.done, tally.total, tally.entry)} · Esc cancels"
