"""The debugger's actions (menu, toolbar, shortcuts of IDE debuggers) and when each can act.

A disabled action's tooltip says why it is disabled.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QAction, QKeySequence

from app.debugger.state import DebuggerState

# (name, text, shortcut, tip)
ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("step", "&Step", "F10", "Run the next step of the program"),
    ("step_back", "Step &Back", "Shift+F10", "Undo the last step exactly"),
    ("run_forward", "Run &Forward Pass", "", "Run to the end of the forward pass"),
    ("run_backward", "Run Back&ward Pass", "", "Run to the end of the backward pass"),
    ("apply_update", "Apply &Update", "", "Run to the end of the training step, update included"),
    ("continue", "&Continue", "F5",
     "Run until a breakpoint, a NaN/Inf or the end of the backward pass (again: the update, then on)"),
    ("run_to_node", "Run to Selected &Node", "", "Run until the selected node's next step has run"),
    ("reset", "&Reset Program and Weights", "",
     "Back to the first step of the program, with no values, and the weights as loaded "
     "(asks first when trained or updated weights would be lost)"),
    ("toggle_breakpoint", "Toggle &Breakpoint", "F9", "Pause before the selected node's steps"),
    ("break_on_nonfinite", "Break on &NaN/Inf", "", "Stop at the step that makes a NaN or Inf"),
    ("gradient_check", "&Gradient Check", "",
     "Compare every gradient (parameters and nodes) with finite differences; badges on the nodes"),
    ("cancel", "C&ancel Run", "Esc",
     "Stop the running step or run after its current step (the steps done are kept), or the gradient check"),
)
TIPS = {name: tip for name, _text, _shortcut, tip in ACTIONS}
SHORTCUTS = {name: shortcut for name, _text, shortcut, _tip in ACTIONS}
TOOLBAR_TEXT = {"reset": "Reset Program + Weights", "cancel": "Cancel (Esc)"}  # the menu's words, shorter

TRAINING = "not while a training run is going on (stop it, or let it finish)"
NO_PROGRAM = "the graph cannot run (see the status bar)"
NO_TRAINABLE = "nothing to update: the program has no trainable parameter"
NO_STEP_BACK = "nothing to undo: no step has run"
NOT_A_STEP = "select a node that has steps in the program (a computed node)"
NOTHING_TO_RESET = "already at the start, with the weights as loaded"
CHECKING = "a gradient check is running"
PAST = "already past it in this training step"
RUNNING = "a step is running (Esc cancels it)"
NOT_RUNNING = "no step is running"
APPLIED = "the update of this training step has run (Step or Continue begins the next training step)"


def make_actions(c: DebuggerState) -> dict[str, QAction]:
    """One QAction per entry of ACTIONS, owned by the controller and wired to its methods."""
    handlers: dict[str, Callable[[], Any]] = {
        "step": c.step, "step_back": c.step_back, "run_forward": c.run_forward,
        "run_backward": c.run_backward, "apply_update": c.apply_update,
        "continue": c.continue_, "run_to_node": c.run_to_selected, "reset": c.reset,
        "toggle_breakpoint": c.toggle_selected_breakpoint, "gradient_check": c.gradient_check,
        "cancel": c.cancel_run,
    }
    actions: dict[str, QAction] = {}
    for name, text, shortcut, tip in ACTIONS:
        action = QAction(text, c)
        action.setObjectName(f"debug_{name}")
        action.setStatusTip(tip)
        if name in TOOLBAR_TEXT:
            action.setIconText(TOOLBAR_TEXT[name])
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if name == "break_on_nonfinite":
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(c.set_break_on_nonfinite)
        else:
            action.triggered.connect(lambda _checked=False, h=handlers[name]: h())
        actions[name] = action
        _set_tip(action, name, None)
    return actions


def _set_tip(action: QAction, name: str, why_not: str | None) -> None:
    shortcut = f" ({SHORTCUTS[name]})" if SHORTCUTS[name] else ""
    tip = TIPS[name] + shortcut
    action.setToolTip(tip if why_not is None else f"{tip}. Disabled: {why_not}")


def why_disabled(c: DebuggerState) -> dict[str, str | None]:
    """For every action, None when it can act, else why it cannot."""
    s = c.stepper
    if c.running:
        return {name: (None if name in ("break_on_nonfinite", "cancel") else RUNNING) for name in c.actions}
    if s is None:
        return {name: (None if name == "break_on_nonfinite" else NOT_RUNNING if name == "cancel" else NO_PROGRAM)
                for name in c.actions}
    if c.training_busy:
        return {name: (None if name == "break_on_nonfinite" else NOT_RUNNING if name == "cancel" else TRAINING)
                for name in c.actions}
    n_fwd, n_bwd = s.program.n_forward, s.program.n_backward
    runs_selected = c.selected_node in s.program.plans
    doc = c.document
    resettable = c.active or (doc is not None and bool(doc.changed_weights()))
    return {
        "step": None,
        "step_back": None if s.can_step_back else NO_STEP_BACK,
        "run_forward": None if s.at_end or s.cursor < n_fwd else PAST,
        "run_backward": None if s.at_end or s.cursor < n_fwd + n_bwd else PAST,
        "apply_update": _why_no_update(s),
        "continue": None,
        "run_to_node": None if runs_selected else NOT_A_STEP,
        "reset": None if resettable else NOTHING_TO_RESET,
        "toggle_breakpoint": None if runs_selected else NOT_A_STEP,
        "break_on_nonfinite": None,
        "gradient_check": CHECKING if c.checking else None,
        "cancel": None if c.checking else NOT_RUNNING,  # Cancel Run ends a running gradient check too
    }


def _why_no_update(s: Any) -> str | None:
    """Apply Update acts exactly when this training step's update is still to run and changes a weight."""
    if not s.program.trainable_with_gradient():
        return NO_TRAINABLE
    return APPLIED if s.at_end else None


def update_actions(c: DebuggerState) -> None:
    """Enable each action only when it can act at the current cursor; its tooltip says why not."""
    for name, why_not in why_disabled(c).items():
        action = c.actions[name]
        action.setEnabled(why_not is None)
        _set_tip(action, name, why_not)
