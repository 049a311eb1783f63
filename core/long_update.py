"""Stop inside a long update: the trainer's plan of a big batch looks for a stop between its nodes.

A plan whose nodes' outputs hold ``LONG_UPDATE`` numbers or more (a whole 1,000,000-row dataset
takes seconds an update) gets :func:`stop_check` between every two nodes of its forward and
backward pass (:func:`joined`); when a stop was asked it raises :class:`UpdateAbandoned`, and the
trainer gives that update up before its weights change (:func:`run_passes`). A shorter plan is
the flat list of calls it always was: Mazur's update pays nothing for it.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from core.ops.base import Instr

# numbers in the nodes' outputs of one update from which a stop is looked for between its nodes:
# a pass over 2**20 numbers takes a millisecond or more, a check about 0.1 µs
LONG_UPDATE = 1 << 20


class UpdateAbandoned(Exception):
    """Raised between two nodes of a long update when a stop was asked: the update is given up."""


def stop_check(stop: threading.Event) -> None:
    """The instruction a long update runs between two nodes (``stop``: the trainer's stop request)."""
    if stop.is_set():
        raise UpdateAbandoned


def is_long(outputs: Sequence[np.ndarray]) -> bool:
    """Whether an update whose nodes write ``outputs`` is long enough to be stopped inside."""
    return sum(out.size for out in outputs) >= LONG_UPDATE


def joined(segments: Sequence[Sequence[Instr]], stop: threading.Event | None) -> list[Instr]:
    """The instructions of each node in order, with a :func:`stop_check` of ``stop`` after each
    node's (none without ``stop``)."""
    check: list[Instr] = [(stop_check, (stop,))] if stop is not None else []
    return [instr for segment in segments for instr in (*segment, *check)]


def run_passes(instrs: Sequence[Instr], stop: threading.Event, gradients: np.ndarray) -> bool:
    """Run a long update's forward and backward pass; False when a stop came between two nodes or
    at their end (before the weights change): ``gradients`` (the trainer's flat gradient array,
    a kept one being added to and the last update's read after a pause) is put back as it was,
    and nothing else the next update reads was written."""
    kept = gradients.copy()
    try:
        for f, args in instrs:
            f(*args)  # the last is a stop_check: the last chance before the weights change
    except UpdateAbandoned:
        gradients[...] = kept
        return False
    return True
