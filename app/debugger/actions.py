"""The debugger's actions (menu, toolbar, shortcuts of IDE debuggers) and when each can act."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from .controller import DebugController

# (name, text, shortcut, tip)
ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("step", "&Step", "F10", "Run the next step of the program"),
    ("step_back", "Step &Back", "Shift+F10", "Undo the last step exactly"),
    ("run_forward", "Run &Forward Pass", "", "Run to the end of the forward pass"),
    ("run_backward", "Run Back&ward Pass", "", "Run to the end of the backward pass"),
    ("apply_update", "Apply &Update", "", "Run to the end of the training step, update included"),
    ("continue", "&Continue", "F5", "Run until a breakpoint, a NaN/Inf or the end of the training step"),
    ("run_to_node", "Run to Selected &Node", "", "Run until the selected node's next step has run"),
    ("reset", "&Reset", "", "Back to the start: no values, weights as loaded"),
    ("toggle_breakpoint", "Toggle &Breakpoint", "F9", "Stop before the selected node's steps"),
    ("break_on_nonfinite", "Break on &NaN/Inf", "", "Stop at the step that makes a NaN or Inf"),
    ("gradient_check", "&Gradient Check", "", "Compare backprop with finite differences; badges on nodes"),
)


def make_actions(c: "DebugController") -> dict[str, QAction]:
    """One QAction per entry of ACTIONS, owned by the controller and wired to its methods."""
    handlers: dict[str, Callable[[], Any]] = {
        "step": c.step, "step_back": c.step_back, "run_forward": c.run_forward,
        "run_backward": c.run_backward, "apply_update": c.apply_update,
        "continue": c.continue_, "run_to_node": c.run_to_selected, "reset": c.reset,
        "toggle_breakpoint": c.toggle_selected_breakpoint, "gradient_check": c.gradient_check,
    }
    actions: dict[str, QAction] = {}
    for name, text, shortcut, tip in ACTIONS:
        action = QAction(text, c)
        action.setObjectName(f"debug_{name}")
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if name == "break_on_nonfinite":
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(c.set_break_on_nonfinite)
        else:
            action.triggered.connect(lambda _checked=False, h=handlers[name]: h())
        actions[name] = action
    return actions


def update_actions(c: "DebugController") -> None:
    """Enable each action only when it can act at the current cursor."""
    s = c.stepper
    if s is None:
        enabled = {name: name == "break_on_nonfinite" for name in c.actions}
    else:
        n_fwd, n_bwd = s.program.n_forward, s.program.n_backward
        runs_selected = c.selected_node in s.program.plans
        enabled = {
            "step": True,
            "step_back": s.can_step_back,
            "run_forward": s.at_end or s.cursor < n_fwd,
            "run_backward": s.at_end or s.cursor < n_fwd + n_bwd,
            "apply_update": True,
            "continue": True,
            "run_to_node": runs_selected,
            "reset": c.active,
            "toggle_breakpoint": runs_selected,
            "break_on_nonfinite": True,
            "gradient_check": True,
        }
    for name, on in enabled.items():
        c.actions[name].setEnabled(bool(on))
