"""Helpers of the long-update stop tests: a throwaway op whose kernels a test can hold, and a graph
big enough that the trainer looks for a stop between its nodes (``core.long_update``).

``Held`` is the identity; its forward and backward kernels are :class:`Gate` objects. A gate
armed with ``hold_at = k`` makes the k-th call from a thread other than the test's own (the
trainer's worker) wait until the test releases it: the update is then held inside that node,
deterministically, with no sleep and no timing.
"""
from __future__ import annotations

import threading
from typing import Any, Iterator, Sequence

import numpy as np
import pytest

from core.data.dataset import Dataset
from core.graph import Graph
from core.long_update import LONG_UPDATE
from core.ops import register, unregister
from core.ops.base import Array, Attrs, Instr
from core.ops.kernel import ElementwiseOp
from core.settings import TrainingSettings
from core.trainer import Trainer

WAIT_S = 60.0  # a generous bound on every wait: a failing test ends, it does not hang
ROWS = LONG_UPDATE // 24 + 4000  # xw, held and plus_b are rows × 8 each: past LONG_UPDATE, by a batch of 50,000 too


class Gate:
    """Copies ``src`` into ``dst``; the ``hold_at``-th call from another thread waits for :meth:`open`."""

    def __init__(self) -> None:
        self.calls = 0  # calls from threads other than the main one
        self.hold_at: int | None = None
        self.entered = threading.Event()
        self._released = threading.Event()

    def __call__(self, src: Array, dst: Array) -> None:
        if threading.current_thread() is not threading.main_thread():
            self.calls += 1
            if self.calls == self.hold_at:
                self.entered.set()
                self._released.wait(WAIT_S)
        np.copyto(dst, src)

    def wait_entered(self) -> None:
        assert self.entered.wait(WAIT_S), "the trainer never reached the held kernel"

    def open(self) -> None:
        self._released.set()


FORWARD, BACKWARD = Gate(), Gate()


class Held(ElementwiseOp):
    """out = x, through kernels a test can hold."""

    type = "TestHeld"
    title = "Held"
    family = "experiments"
    symbol = "h"
    doc = "out = x (a test's throwaway op whose kernels can be held)"
    inputs = ("x",)
    forward_formula = "out = x = {x}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out = {dout}"}

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(FORWARD, (ins[0], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        return [(BACKWARD, (dout, grads[0]))] if grads[0] is not None else []


@pytest.fixture
def held() -> Iterator[tuple[Gate, Gate]]:
    """The Held op registered, its gates new (forward, backward); unregistered afterwards, and any
    gate still holding a thread let go."""
    global FORWARD, BACKWARD
    FORWARD, BACKWARD = Gate(), Gate()
    gates = (FORWARD, BACKWARD)
    register(Held)
    try:
        yield gates
    finally:
        for gate in gates:
            gate.open()
        unregister("TestHeld")


def long_graph(rows: int = ROWS, optimizer: str = "adam", keep_gradients: bool = False, batch_size: int = 0,
               code: str | None = None) -> Graph:
    """x (rows × 2) · W (2 × 8) → held → + b → ½Σ(t − ·)² on random rows, trained with ``optimizer``;
    with ``code``, a custom layer of that code (one input ``x``) before the loss. The backward pass
    writes b's gradient before held's and W's after it."""
    rng = np.random.default_rng(5)
    g = Graph()
    g.set_dataset(Dataset({"x": rng.normal(size=(rows, 2)), "t": rng.normal(size=(rows, 8))}))
    g.set_settings(TrainingSettings(optimizer=optimizer, learning_rate=0.01, steps=1000, batch_size=batch_size,
                                    seed=2, keep_gradients=keep_gradients))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("Parameter", "W", value=rng.normal(size=(2, 8)))
    g.add_node("MatMul", "xw")
    g.add_node("TestHeld", "held")
    g.add_node("Parameter", "b", value=rng.normal(size=8))
    g.add_node("Add", "plus_b")
    g.add_node("SquaredError", "loss")
    last = "plus_b"
    if code is not None:
        g.add_node("CustomLayer", "relu", attrs={"code": code})
        g.connect("plus_b", "relu", "x")
        last = "relu"
    for src, dst, port in [("x", "xw", "x"), ("W", "xw", "W"), ("xw", "held", "x"), ("held", "plus_b", "x"),
                           ("b", "plus_b", "y"), (last, "loss", "y"), ("t", "loss", "t")]:
        g.connect(src, dst, port)
    return g


def in_thread(trainer: Trainer, steps: int) -> tuple[threading.Thread, list[Any]]:
    """``trainer.run(steps)`` started on a thread of its own; its result (or exception) goes in the list."""
    results: list[Any] = []

    def work() -> None:
        try:
            results.append(trainer.run(steps))
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            results.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, results
