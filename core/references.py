"""Published values beside ours: a file's reference values, and whether the engine agrees.

A reference names a node (and perhaps one entry of its array), a quantity (its value or its
gradient), the training step it belongs to (``after_updates``: 0 for the first forward and
backward pass, 1 for the one after the first update, where a parameter's value is its value
after that update), the published number and its source. A number written with d significant
digits agrees when ours rounds to it: it lies within half a unit of its last digit. A
reference with a ``variant`` note is a figure known to differ from the algorithm (a slip in the
source, or another order of the arithmetic): when it differs it is labelled a variant, never a
failure.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from core.format import format_number
from core.graph import Graph
from core.stepper import Stepper

AGREES, VARIANT, DISAGREES = "agrees", "variant", "disagrees"


@dataclass(frozen=True)
class Reference:
    node: str
    quantity: str  # value | gradient
    value: float
    source: str
    place: str = ""
    index: tuple[int, ...] | None = None
    after_updates: int = 0
    variant: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Reference":
        index = data.get("index")
        return cls(
            node=str(data["node"]), quantity=str(data["quantity"]), value=float(data["value"]),
            source=str(data["source"]), place=str(data.get("place", "")),
            index=None if index is None else tuple(int(i) for i in index),
            after_updates=int(data.get("after_updates", 0)), variant=str(data.get("variant", "")),
        )

    @property
    def target(self) -> str:
        """``W2[0,1]`` or ``loss``: what the reference is about, as a node id would write it."""
        return self.node if self.index is None else f"{self.node}[{','.join(map(str, self.index))}]"

    @property
    def cited(self) -> str:
        return f"{self.source}, {self.place}" if self.place else self.source


@dataclass(frozen=True)
class Agreement:
    reference: Reference
    ours: float | None  # None: not computed at this point
    status: str  # agrees | variant | disagrees | "" (ours is not known yet)
    digits: int  # significant digits the published figure carries

    def text(self) -> str:
        """'published 0.35891648 — Mazur, A Step by Step Backpropagation Example — agrees to 8 digits'."""
        ref = self.reference
        head = f"published {published_text(ref.value)} — {ref.source}"
        if self.ours is None:
            return f"{head} — ours is not computed yet"
        if self.status == AGREES:
            return f"{head} — agrees to {self.digits} digits"
        ours = format_number(self.ours, self.digits + 3)
        if self.status == VARIANT:
            return f"{head} — a documented variant (ours {ours}): {ref.variant}"
        return f"{head} — DISAGREES: ours is {ours}"

    def as_dict(self) -> dict[str, Any]:
        ref = self.reference
        out: dict[str, Any] = {
            "node": ref.node, "quantity": ref.quantity, "after_updates": ref.after_updates,
            "published": ref.value, "source": ref.source, "place": ref.place, "ours": self.ours,
            "status": self.status, "digits": self.digits,
        }
        if ref.index is not None:
            out["index"] = list(ref.index)
        if ref.variant:
            out["variant"] = ref.variant
        return out


def references(graph: Graph) -> list[Reference]:
    return [Reference.from_dict(r) for r in graph.references]


def published_text(value: float) -> str:
    """The figure as its source wrote it: a whole number without a fraction, else the shortest
    text that reads back as the same number."""
    x = float(value)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def published_digits(value: float) -> int:
    """Significant digits of the figure as written: 0.35891648 has 8, 0.3775 has 4, 110 has 3."""
    text = published_text(value).lstrip("-")
    if text.isdigit():
        return len(text.lstrip("0")) or 1
    return max(1, len(Decimal(text).normalize().as_tuple().digits))


def compare(ref: Reference, ours: float | None) -> Agreement:
    digits = published_digits(ref.value)
    if ours is None:
        return Agreement(ref, None, "", digits)
    agrees = _rounds_to(ours, ref.value, digits)
    status = AGREES if agrees else (VARIANT if ref.variant else DISAGREES)
    return Agreement(ref, float(ours), status, digits)


def _rounds_to(ours: float, published: float, digits: int) -> bool:
    if not math.isfinite(ours):
        return False
    if published == 0:
        return abs(ours) < 0.5 * 10.0 ** -digits
    exponent = Decimal(published_text(published)).adjusted()
    half_unit = 0.5 * 10.0 ** (exponent - digits + 1)
    return abs(ours - published) <= half_unit * (1 + 1e-9)


def quantity_at(stepper: Stepper, ref: Reference) -> float | None:
    """Our number for ``ref`` in the stepper's current training step (``None`` when it is
    another training step or the quantity is not computed yet). A matrix that an expansion
    split into its entries is read from the entry's own node."""
    if stepper.iteration != ref.after_updates:
        return None
    node, index = placed(stepper.graph, ref)
    frame = stepper.frame
    if ref.quantity == "value":
        array = frame.values.get(node)
    else:
        complete = node == stepper.program.objective or _gradient_complete(stepper, node)
        array = frame.grads.get(node) if complete else None
    if array is None:
        return None
    arr = np.asarray(array, dtype=float)
    if index is not None and arr.ndim < len(index):  # a neuron's node: one number, or one per row
        arr = arr.reshape(-1)
    if index is not None and len(index) != arr.ndim:  # an index that names no single entry
        return None
    try:
        return float(arr[index] if index is not None else arr.reshape(()))
    except (IndexError, ValueError):
        return None


def placed(graph: Graph, ref: Reference) -> tuple[str, tuple[int, ...] | None]:
    """The node and index that hold ``ref``'s number in ``graph``: the reference's own, or, once
    its layer was expanded into neurons, the entry's node (a weight: the whole node) or the
    neuron's (column j of the layer's output or of the Affine's: row i of net_hj or out_hj)."""
    node, index = ref.node, ref.index
    if index is None:
        return node, index
    for e in graph.expansions:
        for sid, mid, at in e["entries"]:
            if mid == node and tuple(at) == index and sid in graph.nodes:
                return str(sid), None
        if len(index) == 2 and node in (e["layer"], e["output"]) and index[1] < len(e["neurons"]):
            neuron = str(e["neurons"][index[1]])
            if node != e["output"] and neuron in graph.nodes:  # the Affine's column: the activation's input
                neuron = str(graph.sources(neuron)[0])
            if neuron in graph.nodes:
                return neuron, (index[0],)
    return node, index


def _gradient_complete(stepper: Stepper, node: str) -> bool:
    program = stepper.program
    senders = [c for c in program.backward_nodes if node in program.plans[c].srcs]
    return bool(senders) and all(stepper.backward_done(c) for c in senders)


def check_references(graph: Graph) -> list[Agreement]:
    """Every reference of ``graph`` against the engine, in the file's order. Runs a stepper on a
    copy for as many training steps as the references need; ``graph`` is not touched."""
    refs = references(graph)
    if not refs:
        return []
    from core.rewrite.apply import copy_graph

    stepper = Stepper(copy_graph(graph))
    found: dict[int, float | None] = {}
    for k in range(max(r.after_updates for r in refs) + 1):
        if k > 0:
            stepper.apply_update()
        stepper.run_backward()
        for i, ref in enumerate(refs):
            if ref.after_updates == k:
                found[i] = quantity_at(stepper, ref)
    return [compare(ref, found.get(i)) for i, ref in enumerate(refs)]
