"""The trainer's bound kernels of a custom layer: one update's ``forward`` and ``backward`` calls
into the user's class, with the per-call work cut to what the checks need.

No copies on the way in: the user's code is handed read-only arrays over the trainer's buffers,
made once when the plan is bound (over a read-only buffer, so their WRITEABLE flag cannot be set
back either). Code that writes into one of them in place raises NumPy's read-only ``ValueError``;
the call is then redone on copies, and that node gets copies on every later call, as it does from
the start when the stepper or the layer check has seen its code write in place. Either way the
numbers are those of copies every time, and user code never writes into the engine's buffers.

Redoing a ``forward`` is always safe (a fresh instance). A ``backward`` that failed may have
changed its instance already, so its redo first runs ``forward`` again on a fresh instance with
copies: when that gives the output the update already used, the backward runs on it with a copy
of ``dout``; when it does not (a ``forward`` that draws random numbers), the update cannot be
redone and the error says so, at the user's line.

Before every update the plan compares the trust generation (:attr:`TrustedCode.generation`)
with the one it last saw, and asks again whether each node's code is trusted only when it
changed: trust taken back stops a bound trainer at its next update, as it stops the stepper at
its next step, for one comparison an update; a long update (:mod:`core.long_update`) compares it
between its nodes as well, so trust taken back ends it there.

Output shapes are checked on every call, gradients' shapes too; errors name the node, the method
and the user's line; NaN and Inf are found by the trainer's checks, which name the node; the time
limit covers the whole update (:func:`core.custom.runner.limited`).
"""
from __future__ import annotations

import textwrap
from typing import Any, Callable, Sequence

import numpy as np

from core.custom.fused import Kernel, fuse
from core.custom.runner import LayerCall, LayerError, limited, noticed_in_place, reducible, untrusted, writes_in_place
from core.custom.trust import SESSION
from core.long_update import stop_check
from core.ops.base import Array, Instr, unbroadcast

# (port index, port name, gradient buffer, its shape): a gradient the plan wants from backward
Wanted = tuple[tuple[int, str, Array, tuple[int, ...]], ...]


class Node:
    """One custom-layer node of a bound plan: its buffers, the instance its last forward made,
    and whether its code gets copies (it was seen writing in place)."""

    __slots__ = ("call", "ins", "inputs", "out", "dout", "run", "copies", "on_copies")

    def __init__(self, call: LayerCall, ins: Sequence[Array], out: Array) -> None:
        self.call = call
        self.ins = list(ins)  # the trainer's buffers (never handed to user code)
        self.inputs = len(call.source.ports)
        self.out = out
        self.dout: Array = out  # set to the gradient buffer of the output when backward is bound
        self.run: Any = None  # the instance forward made this update
        self.copies = writes_in_place(call.code)
        self.on_copies: Callable[[], None] | None = None  # told when the node switches to copies


def read_only(a: Array) -> Array:
    """An array over ``a``'s memory that neither the user's code nor its WRITEABLE flag can make writable."""
    return np.asarray(a.data.toreadonly())


def bind_forward(call: LayerCall, ins: Sequence[Array], out: Array) -> tuple[list[Instr], Node]:
    node = Node(call, ins, out)
    views = [read_only(x) for x in ins]
    nf = call.n_forward
    if nf == 1:  # Sigmoid, Relu, Affine: forward(x), with less to do
        return [(FORWARD_ONE.fn, (node, call.cls, views[0], tuple(views[1:]), out, out.shape))], node
    return [(FORWARD_ANY.fn, (node, call.cls, tuple(views[:nf]), tuple(views[nf:]), out, out.shape))], node


def bind_backward(call: LayerCall, node: Node, dout: Array, grads: Sequence[Array | None]) -> list[Instr]:
    """``grads``: the buffer each port's gradient goes to (``None``: not wanted); ``dout`` has the output's shape."""
    node.dout = dout
    ports = call.source.ports
    wanted: Wanted = tuple((i, p, g, g.shape) for i, (p, g) in enumerate(zip(ports, grads)) if g is not None)
    kernel = BACKWARD_ONE if len(ports) == 1 else BACKWARD_ANY  # one input: one array (or a 1-tuple)
    return [(kernel.fn, (node, read_only(dout), wanted))]


def limited_update(instrs: Sequence[Instr]) -> Instr:
    """One instruction for the forward and backward pass of an update with custom layers: the
    instructions fused into one function (:func:`core.custom.fused.fuse`) under one time limit.
    While no node gets copies it is the fast form; the careful one from the update after a node
    switched to copies (that update itself ends correctly in the fast form: a node's call that
    writes in place raises and is redone on copies)."""
    nodes = [a for _, args in instrs for a in args if isinstance(a, Node)]
    seen = [-1]  # the trust generation last checked (none yet: the first update asks by hash)
    trusted: Instr = (TRUSTED.fn, (tuple({n.call.hash: n.call for n in nodes}.values()), seen))
    # a long update looks for a stop between its nodes (core.long_update): for trust taken back there too
    instrs = [trusted, *(i for instr in instrs for i in ((instr, trusted) if instr[0] is stop_check else (instr,)))]
    update = [(fuse(instrs, fast=not any(n.copies for n in nodes)), ())]

    def careful() -> None:
        update[0] = (fuse(instrs, fast=False), ())
        for n in nodes:
            n.on_copies = None

    for n in nodes:
        n.on_copies = careful
    return limited(update)


def _check_trust(calls: tuple[LayerCall, ...], seen: list[int]) -> None:
    """Trust changed since the last update: every node's code must still be trusted."""
    generation = SESSION.generation
    for call in calls:
        if not SESSION.trusts_hash(call.hash):
            err = untrusted(call.source.class_name)
            raise err.at_node(call.node) if call.node else err
    seen[0] = generation


def _is_read_only(exc: BaseException) -> bool:
    """NumPy's error for a write into a read-only array ("assignment destination is read-only"),
    or for making one writable ("cannot set WRITEABLE flag to True of this array")."""
    return type(exc) is ValueError and ("read-only" in str(exc) or "WRITEABLE" in str(exc))


def _switch_to_copies(node: Node) -> None:
    node.copies = True
    noticed_in_place(node.call.code)
    if node.on_copies is not None:
        node.on_copies()


def _forward_failed(node: Node, exc: BaseException) -> None:
    """A forward raised: the user's error, or a write into a read-only input, redone on copies."""
    if not _is_read_only(exc):
        raise node.call.fail(exc, "forward") from None
    _switch_to_copies(node)
    _forward_copying(node)


def _forward_on_copies(node: Node) -> tuple[Any, Any]:
    """A fresh instance with copies of the node's inputs, and what its forward returned."""
    call = node.call
    copies = [x.copy() for x in node.ins]
    try:
        instance = call.cls(*copies[call.n_forward:])
        return instance, instance.forward(*copies[: call.n_forward])
    except BaseException as exc:
        raise call.fail(exc, "forward") from None


def _forward_copying(node: Node) -> None:
    instance, value = _forward_on_copies(node)
    if getattr(value, "shape", None) != node.out.shape:
        value = _checked(node, value)
    node.out[...] = value
    node.run = instance


def _backward_copying(node: Node) -> Any:
    try:
        return node.run.backward(node.dout.copy())
    except BaseException as exc:
        raise node.call.fail(exc, "backward") from None


def _backward_failed(node: Node, exc: BaseException) -> Any:
    """A backward raised: the user's error, or a write into ``dout`` or a kept input, redone on
    copies (forward first, on a fresh instance) when forward gives the same output again."""
    if not _is_read_only(exc):
        raise node.call.fail(exc, "backward") from None
    _switch_to_copies(node)
    instance, value = _forward_on_copies(node)
    try:
        same = np.array_equal(np.asarray(value, dtype=float), node.out, equal_nan=True)
    except (TypeError, ValueError):
        same = False
    if not same:
        err = node.call.fail(exc, "backward")
        raise LayerError("backward wrote into an array it was given (dout or a kept input), and forward gave "
                         "another output when run again on copies, so the update cannot be redone: write into "
                         "a copy (e.g. dout = dout.copy())", kind="exception", class_name=err.class_name,
                         method="backward", line=err.line, node=err.node) from None
    node.run = instance
    return _backward_copying(node)


def _checked(node: Node, value: Any) -> Array:
    """``value`` as floats, or the error when its shape is not the output's of the first pass."""
    shape = node.out.shape
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise node.call.not_numbers(value) from None
    if arr.shape != shape:
        raise node.call.shape_changed(arr.shape, shape)
    return arr


def _write_other(node: Node, port: str, g: Any, buf: Array) -> None:
    """A gradient not of its buffer's shape: a broadcast input's, summed down to ``buf`` (the
    stepper's rule: within the output's shape), else the error (none returned, wrong shape)."""
    if g is None:
        raise node.call.missing(port)
    arr = np.asarray(g, dtype=float)
    if not reducible(arr.shape, buf.shape, node.out.shape):
        raise node.call.bad_shape(port, arr.shape, buf.shape)
    np.copyto(buf, unbroadcast(arr, buf.shape))


# The kernels, each written once (see core.custom.fused): no ``return``, no assignment to a parameter.
# Each has a careful form (a node given copies takes the copying path) and a fast one without that
# test, for updates in which no node of the plan gets copies.

def _kernel(name: str, params: tuple[str, ...], copying: str, fast: str, after: str = "") -> Kernel:
    careful = f"if node.copies:\n{textwrap.indent(copying, '    ')}\nelse:\n{textwrap.indent(fast, '    ')}\n"
    return Kernel(name, params, careful + after, globals(), fast + after)


# the code of every node still trusted: asked by hash only when trust was taken back since the last update
TRUSTED = Kernel("trusted", ("calls", "seen"), """
if SESSION.generation != seen[0]:
    _check_trust(calls, seen)
""", globals())

FORWARD = """
try:
    instance = cls(*inits)
    value = instance.forward(ARGS)
except BaseException as exc:
    _forward_failed(node, exc)
else:
    try:
        if value.shape != shape:
            value = _checked(node, value)
    except AttributeError:  # a number, a list
        value = _checked(node, value)
    out[...] = value
    node.run = instance
"""
# out = cls(*inits).forward(x), the instance kept for backward
FORWARD_ONE = _kernel("forward_one", ("node", "cls", "x", "inits", "out", "shape"), "_forward_copying(node)",
                      FORWARD.replace("ARGS", "x"))
FORWARD_ANY = _kernel("forward_any", ("node", "cls", "xs", "inits", "out", "shape"), "_forward_copying(node)",
                      FORWARD.replace("ARGS", "*xs"))

BACKWARD = """
try:
    g = node.run.backward(dout)
except BaseException as exc:
    g = _backward_failed(node, exc)
"""
# one input: the gradient backward returns written into its buffer
BACKWARD_ONE = _kernel("backward_one", ("node", "dout", "wanted"), "g = _backward_copying(node)", BACKWARD, """
if type(g) is tuple or type(g) is list:
    g = node.call.gradients(g)[0]
for _, port, buf, buf_shape in wanted:
    try:
        same = g.shape == buf_shape
    except AttributeError:  # a number, a list
        same = False
    if same:
        buf[...] = g
    else:
        _write_other(node, port, g, buf)
""")
# several inputs: each wanted gradient of the tuple backward returns written into its buffer
BACKWARD_ANY = _kernel("backward_any", ("node", "dout", "wanted"), "g = _backward_copying(node)", BACKWARD, """
if type(g) is not tuple and type(g) is not list:
    g = (g,)
elif len(g) > node.inputs:
    node.call.gradients(g)  # more gradients than inputs: its error, as the stepper's
for i, port, buf, buf_shape in wanted:
    try:
        gi = g[i]
        same = gi.shape == buf_shape
    except (IndexError, AttributeError):  # fewer gradients; a number, a list or None
        gi = g[i] if i < len(g) else None
        same = False
    if same:
        buf[...] = gi
    else:
        _write_other(node, port, gi, buf)
""")
