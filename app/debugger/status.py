"""What the debugger says: in the status bar, where the cursor is, why a run paused, what a
gradient check covered and found; in a dialog, whether Reset may drop changed weights."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from app.debugger.state import DebuggerState
from core.format import format_number, plural
from core.program import BACKWARD, CLEAR, FORWARD, UPDATE

if TYPE_CHECKING:
    from core.gradcheck_report import GradCheckReport

TRAINING = "Training run in progress: the debugger waits until it ends (Stop ends it early)"
PHASES = {FORWARD: "Forward pass", CLEAR: "Backward pass", BACKWARD: "Backward pass", UPDATE: "Update"}


def status_text(c: DebuggerState, note: str = "") -> str:
    """Phase, step number, node and loss; or why the graph cannot run. ``note`` comes first."""
    if c.document is None:
        return ""
    s = c.stepper
    if s is None:
        return f"{note}The graph cannot run: {c.problem}"
    if c.training_busy:  # nothing steps, and the cursor's training step is not the weights' any more
        return f"{note}{TRAINING}"
    n = len(s.program.steps)
    train = f"training step {s.iteration + 1:,}"
    if not c.active:
        if s.iteration == 0:
            return f"{note}Debugger ready: {plural(n, 'step')} in a training step; Step (F10) runs the first"
        return f"{note}Debugger ready at the start of {train} ({plural(n, 'step')}); Step (F10) runs the first"
    loss = f" · {s.program.objective_name} = {format_number(s.loss)}" if s.loss is not None else ""
    if loss and s.at_end and s.program.steps[-1].kind == UPDATE:  # the weights it was computed with are gone
        loss += " (computed before this update's weight change)"
    stop = c.last_stop
    if stop is not None and stop.kind == "breakpoint" and stop.step == s.cursor and not s.at_end:
        return f"{note}Paused before step {s.cursor + 1:,}: {s.next_step.label} (breakpoint) · {train}{loss}"
    step = c.current_step
    if step is None:
        where = f"Start of {train} · step 0 / {n:,} · next: {s.next_step.label}"
    else:
        where = f"{PHASES[step.kind]} · step {s.cursor:,} / {n:,}: {step.label} · {train}"
    prefix = f"Stopped: {stop.message} — " if stop is not None and stop.kind in ("nonfinite", "error") else ""
    if stop is not None and stop.kind == "cancelled":
        prefix = f"Cancelled {stop.message.removeprefix('cancelled ')} (the steps before it are kept) — "
    return f"{note}{prefix}{where}{loss}"


def check_summary(report: GradCheckReport, seconds: float) -> str:
    """What a gradient check covered and what it found, for the status bar."""
    entries = report.entries
    scope = f"{report.scope}, " if report.scope else ""  # a big batch: its first rows, sampled elements
    limits = f"({scope}threshold {format_number(report.threshold)}, {seconds:.1f} s)"
    if len(entries) == 1:
        e = entries[0]
        if not e.checkable:
            return (f"Gradient check of ∂L/∂{e.name}: not checkable here (no finite-difference step gave finite "
                    f"values) {limits}")
        verdict = "agrees with" if e.passed else "DISAGREES with"
        return (f"Gradient check of ∂L/∂{e.name}: backprop {verdict} finite differences; "
                f"relative error {format_number(e.error, 3)} {limits}")
    bad = report.failures()
    measured = [e for e in entries if e.checkable]
    if bad:
        verdict = f"{len(bad)} {'disagrees' if len(bad) == 1 else 'disagree'}: {', '.join(e.name for e in bad)}"
    elif measured:
        worst = max(measured, key=lambda e: e.error)
        verdict = f"all agree; largest relative error {format_number(worst.error, 3)} at {worst.name}"
    else:
        verdict = "none could be checked here"
    unchecked = report.unchecked()
    if unchecked and measured:
        verdict += f"; not checkable here: {', '.join(e.name for e in unchecked)}"
    return f"Gradient check of {plural(len(entries), 'gradient')} (parameters and nodes): {verdict} {limits}"


def ask_reset(parent: QWidget | None, changed: list[str]) -> bool:
    """Reset / Cancel: may Reset drop the weights that training or an update changed?"""
    box = QMessageBox(QMessageBox.Icon.Question, "Reset Program and Weights",
                      "Reset to the weights as loaded? The trained weights will be lost.",
                      QMessageBox.StandardButton.NoButton, parent)
    if changed:
        box.setInformativeText(f"Changed since loading: {', '.join(changed)}.")
    reset = box.addButton("Reset", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is reset
