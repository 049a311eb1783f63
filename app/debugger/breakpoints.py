"""Where the debugger stops by itself: before the steps of the nodes with a breakpoint, and at the
step that makes a NaN or Inf. Kept across programs (a new program of the same document keeps the
breakpoints of the nodes it still has) and handed to each new stepper."""
from __future__ import annotations

from core.stepper import Stepper


class Breakpoints:
    def __init__(self) -> None:
        self.nodes: set[str] = set()
        self.on_nonfinite = True

    def attach(self, stepper: Stepper) -> None:
        """Hand the breakpoints to a new program's stepper (those of nodes it no longer has go)."""
        plans = stepper.program.plans
        self.nodes = {node for node in self.nodes if node in plans}  # as many looks as breakpoints
        stepper.breakpoints = set(self.nodes)
        stepper.break_on_nonfinite = self.on_nonfinite

    def toggle(self, stepper: Stepper | None, node: str) -> bool:
        """Set or clear ``node``'s breakpoint; False when the program has no step of ``node``."""
        if stepper is None or node not in stepper.program.plans:
            return False
        self.nodes ^= {node}
        stepper.breakpoints = set(self.nodes)
        return True

    def set_on_nonfinite(self, stepper: Stepper | None, on: bool) -> None:
        self.on_nonfinite = bool(on)
        if stepper is not None:
            stepper.break_on_nonfinite = self.on_nonfinite
