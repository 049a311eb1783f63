"""Which weights an export holds, said in its own words.

An export takes the graph's parameters as they are now. After updates in the workbench these
are not the file's starting values, and figures the file's description quotes (a forward pass's
error, say) are for those starting values, not for the weights the export holds. The note says
which weights these are and gives the forward pass's loss computed from them, as the exported
program computes it (the first update's rows, the workbench's kernels: the same number, every
digit). With mini-batches that is not the loss after the last update that training reports
(measured on the next update's rows, :mod:`core.end_loss`): the note names both mini-batches.
"""
from __future__ import annotations

import numpy as np

from core.end_loss import mini_batch_text
from core.export.program_code import is_batched
from core.format import plural
from core.graph import Graph
from core.stepper import Stepper


def forward_loss(graph: Graph) -> float | None:
    """The objective after a forward pass from the graph's current values (the first update's
    rows); None where it cannot be computed here (a user's layer runs only where it is trusted,
    or the pass stops on NaN or Inf)."""
    return _loss_of(Stepper(graph, history_limit=1))  # its Program is the one asked (making it runs no code)


def _loss_of(stepper: Stepper) -> float | None:
    program = stepper.program
    if program.runs_user_code:
        return None
    if stepper.run_forward() is not None:
        return None
    value = np.asarray(stepper.frame.values[program.objective], dtype=float)
    return float(value.reshape(-1)[0]) if value.size == 1 and np.isfinite(value).all() else None


def weights_note(graph: Graph, after_updates: int, objective: str) -> str:
    """Sentences naming the weights an export holds, after ``after_updates`` updates in the
    workbench ("" for the file's own starting values); ``objective``: the name the export gives
    the loss."""
    if after_updates <= 0:
        return ""
    note = (f"These are the weights after {plural(after_updates, 'update')} in Backprop Workbench, "
            "not the file's starting values")
    note += ": figures the description quotes are for the starting values." if graph.description else "."
    stepper = Stepper(graph, history_limit=1)
    loss = _loss_of(stepper)
    if loss is not None:
        note += f" With these weights the forward pass gives {objective} = {loss!r}"
        if is_batched(stepper.program, stepper.batcher):
            note += (f" on {mini_batch_text(1)} (the rows this export uses); the loss after update "
                     f"{after_updates:,} that training reports is on {mini_batch_text(after_updates + 1)}")
        note += "."
    return note
