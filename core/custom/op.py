"""The ``CustomLayer`` op: a node whose forward and backward are the user's class.

Its ports are read from the code without running it (:mod:`core.custom.source`); its output
shape is unknown until it runs, so validation leaves it unknown (``infers_shape`` is false) and
the shapes after it are checked at run time. Every run goes through :class:`LayerCall`: the code
must be trusted, inputs are copies (read-only views in the trainer), calls have a time limit,
failures name the node and line.

The stepper's cache of a node is its :class:`LayerRun` (the instance after ``forward``);
``backward`` runs on a deep copy of that instance, so stepping back over a backward step and
stepping again sees the very state ``forward`` left. The trainer's bound kernels
(:mod:`core.custom.kernels`) make one instance per update and use it directly (no history to
keep), and hand the code read-only views instead of copies.
"""
from __future__ import annotations

import copy
from typing import Any, Iterable, Mapping, Sequence

from core.custom import kernels
from core.custom.cache import BoundedCache
from core.custom.runner import LayerCall, LayerRun
from core.custom.source import source_of
from core.custom.templates import MUL
from core.custom.trust import SESSION
from core.ops.base import Array, Attrs, AttrSpec, Instr, Op, register

NODE_KEY = "node"  # the plan's attrs carry the node id, so errors can name it


CALLS_KEPT = 1024  # (code text, node) pairs whose LayerCall is kept: a graph's layers and their recent edits
_calls: BoundedCache[tuple[str, str | None], LayerCall] = BoundedCache(CALLS_KEPT)


def layer_call(attrs: Attrs) -> LayerCall:
    """The :class:`LayerCall` for a node's code (made, and so compiled, at the first run)."""
    code, node = str(attrs.get("code", "")), attrs.get(NODE_KEY)
    key = (code, node)
    call = _calls.get(key)
    if call is not None and not SESSION.trusts_hash(call.hash):  # trust taken back since it was compiled
        call = None
    if call is None:
        try:
            call = LayerCall(code, node)
        except ValueError as exc:
            from core.custom.runner import LayerError

            if isinstance(exc, LayerError) and node is not None:
                raise exc.at_node(node) from None
            raise
        _calls.put(key, call)
    return call


@register
class CustomLayer(Op):
    type = "CustomLayer"
    title = "Custom layer"
    family = "custom"
    symbol = "py"
    doc = "your own class with forward and backward, in the notebook's style"
    attrs = (AttrSpec("code", str, MUL, "the layer's Python class: forward(self, ...) and backward(self, dout)"),)
    runs_user_code = True
    infers_shape = False

    def ports(self, attrs: Attrs) -> tuple[str, ...]:
        return source_of(str(attrs.get("code", ""))).ports

    def class_name(self, attrs: Attrs) -> str:
        return source_of(str(attrs.get("code", ""))).class_name or "Layer"

    def title_of(self, attrs: Attrs) -> str:
        return source_of(str(attrs.get("code", ""))).class_name or self.title

    def plan_attrs(self, node_id: str, attrs: Attrs) -> dict[str, Any]:
        return {**attrs, NODE_KEY: node_id}

    def formulas(self, attrs: Attrs) -> tuple[str, Mapping[str, str]]:
        ports = self.ports(attrs)
        name = self.class_name(attrs)
        args = ", ".join(f"{p}={{{p}}}" for p in ports[: len(source_of(str(attrs.get('code', ''))).forward_ports)])
        init = source_of(str(attrs.get("code", ""))).init_ports
        made = f"{name}({', '.join(f'{p}={{{p}}}' for p in init)})" if init else name
        forward = f"out = {made}.forward({args}) = {{out}}"
        backward = {p: f"∂L/∂{p} = {name}.backward(dout={{dout}})[{i}] = {{d{p}}}" for i, p in enumerate(ports)}
        return forward, backward

    def no_gradient(self, node_id: str, attrs: Attrs, port: str) -> Exception:
        return layer_call(attrs).missing(port)

    def forward(self, ins: Sequence[Array], attrs: Attrs) -> tuple[Array, Any]:
        return layer_call(attrs).forward(list(ins))

    def backward(self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs) -> list[Array | None]:
        run: LayerRun = cache
        try:
            fresh = LayerRun(copy.deepcopy(run.instance), run.shape, run.notes)
        except Exception:  # an instance that cannot be copied runs as it is
            fresh = run
        notes: list[str] = []
        grads = layer_call(attrs).backward(fresh, dout, list(ins), notes)
        run.backward_notes = notes
        return grads

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return kernels.bind_forward(layer_call(attrs), ins, out)

    def bind_backward(self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs,
                      grads: Sequence[Array | None]) -> list[Instr]:
        return kernels.bind_backward(layer_call(attrs), cache, dout, grads)


def custom_nodes(nodes: Iterable[Any]) -> list[Any]:
    """The nodes among ``nodes`` (a graph's ``Node`` objects) whose op runs the user's code: the
    custom layers. A Program says the same of its steps (``Program.user_code``)."""
    return [n for n in nodes if n.op.runs_user_code]


def codes_of(nodes: Iterable[Any]) -> list[str]:
    """The code texts of the custom-layer nodes among ``nodes``."""
    return [str(n.attrs.get("code", "")) for n in custom_nodes(nodes)]
