"""The two losses at the end of training, and the words that tell them apart.

Update N computes the loss in its forward pass, then changes the weights: its loss is that of
the weights *before* its weight change (Mazur's "after 10,000 rounds" figure, 0.0000351085, is
this one). The loss *after* update N is that of the weights it left: what the next training
step's forward pass computes, what the debugger shows at training step N + 1 and what an export
of the trained weights gives. Every place that reports the end of training names which one it
says (:func:`end_loss_text`). With mini-batches the loss after update N is measured on the next
update's rows, while an export computes with the first update's: an export's note names the rows
(:func:`mini_batch_text`).
"""
from __future__ import annotations

import math

import numpy as np

from core.custom.runner import LayerError
from core.format import format_change, format_number
from core.program import forward_node, leaf_values
from core.trainer import Trainer

BEFORE = "before its weight change"


def loss_after(trainer: Trainer) -> float | None:
    """The objective at the trainer's current weights on the next update's rows (the loss the
    next training step's forward pass computes, the stepper's kernels: the same number, every
    digit); None before any update, or where it is not finite or a user's layer fails."""
    if trainer.updates == 0:
        return None
    bound = trainer.next_loss()  # in the trainer's own buffers when it has them
    if bound is not None:
        return bound if math.isfinite(bound) else None
    program = trainer.program
    values = leaf_values(trainer.graph, program, trainer.batcher.indices(trainer.updates))
    values.update(trainer.params)
    try:
        with np.errstate(all="ignore"):
            for node in program.computed:
                values[node], _ = forward_node(program.plans[node], values)
    except LayerError:
        return None
    loss = float(np.sum(values[program.objective]))
    return loss if math.isfinite(loss) else None


def mini_batch_text(update: int) -> str:
    """The rows a loss is measured on when training draws mini-batches: "the mini-batch of update 4"."""
    return f"the mini-batch of update {update:,}"


def end_loss_text(update: int, in_update: float, after: float | None) -> str:
    """"3.510188e-5 after update 10,000 (3.510851e-5 in it, before its weight change)"; without
    the loss after it: "3.510851e-5 in update 10,000 (before its weight change)"."""
    if after is None:
        return f"{format_number(in_update, 7)} in update {update:,} ({BEFORE})"
    during, now = format_change(in_update, after)
    return f"{now} after update {update:,} ({during} in it, {BEFORE})"
