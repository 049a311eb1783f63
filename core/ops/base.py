"""The op protocol and the registry every op family registers into.

An op is stateless: it declares its ports, attributes and formulas, and computes its local
forward and backward with NumPy. The order of execution lives in :mod:`core.program`.

Every fact about an op lives on its class, so adding an op touches its module and its test only:
the palette groups ops by ``family``, the file format reads ``attrs`` and ``holds_value``, the
inspector fills ``forward_formula``/``backward_formulas`` and reads ``elementwise``, the training
plots read ``is_loss`` and ``probabilities``, and the fast path binds ``bind_forward``/``bind_backward``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Mapping, Sequence

import numpy as np

from core.format import brief

Array = np.ndarray
Attrs = Mapping[str, Any]
Shape = tuple[int, ...]
Instr = tuple[Callable[..., Any], tuple[Any, ...]]  # a call with its arguments bound: f(*args)


def run(instrs: Sequence[Instr]) -> None:
    """Execute bound instructions in order."""
    for f, args in instrs:
        f(*args)


@dataclass(frozen=True)
class AttrSpec:
    """One editable attribute of an op: its name, Python type, default and help text."""

    name: str
    kind: type
    default: Any
    doc: str = ""
    choices: tuple[Any, ...] | None = None
    optional: bool = False  # None is an accepted value

    def coerce(self, value: Any) -> Any:
        """Return ``value`` converted to this attribute's type, or raise ``ValueError``."""
        if value is None and self.optional:
            return None
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            raise ValueError(f"{self.name} must be true or false, not {brief(value)}")
        if self.kind is int:
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                else:
                    raise ValueError(f"{self.name} must be a whole number, not {brief(value)}")
            value = int(value)
        elif self.kind is float:
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise ValueError(f"{self.name} must be a number, not {brief(value)}")
            value = float(value)
        elif self.kind is str:
            if not isinstance(value, str):
                raise ValueError(f"{self.name} must be text, not {brief(value)}")
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(repr(c) for c in self.choices)
            raise ValueError(f"{self.name} must be one of {allowed}, not {brief(value)}")
        return value


class Op:
    """Base class of every op. Subclasses set the class attributes and override the kernels.

    ``forward(ins, attrs)`` returns ``(out, cache)``; ``backward(dout, ins, out, cache, attrs)``
    returns one gradient per input port (``None`` for ports in ``no_grad_ports``). A gradient
    may have the broadcast shape of the output: the engine reduces it to the input's shape.
    """

    type: ClassVar[str] = ""
    title: ClassVar[str] = ""
    family: ClassVar[str] = ""  # one of FAMILIES (the palette's groups), or a new group listed after them
    symbol: ClassVar[str] = ""
    doc: ClassVar[str] = ""
    inputs: ClassVar[tuple[str, ...]] = ()
    no_grad_ports: ClassVar[tuple[str, ...]] = ()  # e.g. the targets of a loss
    attrs: ClassVar[tuple[AttrSpec, ...]] = ()
    is_leaf: ClassVar[bool] = False
    is_loss: ClassVar[bool] = False
    # output element i depends only on input element i: the local derivative is a diagonal, so the
    # inspector writes "upstream × local = downstream" element by element
    elementwise: ClassVar[bool] = False
    holds_value: ClassVar[bool] = False  # the node keeps a given value (saved in the file)
    start_value: ClassVar[float | None] = None  # the value of a node added in the window, when it holds one
    # a loss: how its prediction reads as class probabilities ("softmax": logits, "given", "none")
    probabilities: ClassVar[str] = "none"
    forward_formula: ClassVar[str] = ""
    backward_formulas: ClassVar[Mapping[str, str]] = {}
    runs_user_code: ClassVar[bool] = False  # its kernels are the user's code: run only when trusted
    infers_shape: ClassVar[bool] = True  # validation may learn its output shape without running user code
    # how the op treats the rows of a batch (axis 0), so that many rows can be evaluated a chunk at a
    # time (core.data.chunks): "" it may mix rows (they are evaluated together); "each" element by element
    # over its broadcast inputs; "last" along its inputs' last axis; "first" row by row of its first input,
    # the others used whole (x · W + b); "columns" it moves columns of rows; "axis" over ``attrs["axis"]``
    rows: ClassVar[str] = ""

    def ports(self, attrs: Attrs) -> tuple[str, ...]:
        """The input ports of a node with ``attrs`` (the class's ``inputs`` unless the attributes say)."""
        return self.inputs

    def title_of(self, attrs: Attrs) -> str:
        """The title a node with ``attrs`` shows (a custom layer: its class name)."""
        return self.title

    def formulas(self, attrs: Attrs) -> tuple[str, Mapping[str, str]]:
        """The forward formula and the backward formula of each port, for a node with ``attrs``."""
        return self.forward_formula, self.backward_formulas

    def no_gradient(self, node_id: str, attrs: Attrs, port: str) -> Exception:
        """The error when the backward of node ``node_id`` gave no gradient for ``port``, which needs one."""
        return ValueError(f"{node_id}: backward returned no gradient for {port}")

    def plan_attrs(self, node_id: str, attrs: Attrs) -> dict[str, Any]:
        """The attributes the kernels of node ``node_id`` are called with."""
        return dict(attrs)

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        """The output's shape for inputs of these ``shapes`` (in port order), found without any
        data: validation relies on it. Raises ``ValueError`` saying why when they do not fit."""
        raise NotImplementedError(f"{self.type} computes no output shape")

    def divisor(self, shapes: Sequence[Shape], attrs: Attrs) -> int | None:
        """For an op whose output is a sum of terms over its inputs' rows divided by a count (a loss, a
        Sum or Mean over every axis), that count for inputs of ``shapes``; None for any other op."""
        return None

    def forward(self, ins: Sequence[Array], attrs: Attrs) -> tuple[Array, Any]:
        raise NotImplementedError

    def backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs
    ) -> list[Array | None]:
        raise NotImplementedError

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        """Instructions that compute the output into ``out`` (of the output's shape), and the
        cache object they fill, to hand to :meth:`bind_backward`.

        Arrays are bound, not copied: running the instructions again after the inputs changed
        in place computes the new output. This default runs ``forward`` and copies its result.
        """
        holder = _Holder()
        return [(_forward_copy, (self, ins, attrs, out, holder))], holder

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs,
        grads: Sequence[Array | None],
    ) -> list[Instr]:
        """Instructions that write the gradient for port ``i`` into ``grads[i]`` (``None``: not
        wanted), summed down to that array's shape. This default runs ``backward`` and copies."""
        return [(_backward_copy, (self, dout, ins, out, cache, attrs, grads))]

    def formula_values(
        self, ins: Sequence[Array], out: Array, dout: Array | None, cache: Any, attrs: Attrs
    ) -> dict[str, Array]:
        """Named quantities the formulas mention besides ports (a local derivative, say).

        ``dout`` is ``None`` before the backward pass reached the node.
        """
        return {}

    def default_attrs(self) -> dict[str, Any]:
        return {spec.name: spec.default for spec in self.attrs}

    def attr_spec(self, name: str) -> AttrSpec:
        for spec in self.attrs:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.type} has no attribute {name!r}")

    def grad_ports(self, attrs: Attrs | None = None) -> tuple[str, ...]:
        ports = self.inputs if attrs is None else self.ports(attrs)
        return tuple(p for p in ports if p not in self.no_grad_ports)

    def __repr__(self) -> str:
        return f"<op {self.type}>"


class _Holder:
    """The cache of a ``forward`` run by the default :meth:`Op.bind_forward`."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: Any = None


def _forward_copy(op: Op, ins: Sequence[Array], attrs: Attrs, out: Array, holder: _Holder) -> None:
    value, holder.value = op.forward(ins, attrs)
    np.copyto(out, value)


def _backward_copy(op: Op, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs,
                   grads: Sequence[Array | None]) -> None:
    if isinstance(cache, _Holder):
        cache = cache.value
    sent = op.backward(dout, ins, out, cache, attrs)
    for g, buf in zip(sent, grads):
        if buf is not None:
            np.copyto(buf, unbroadcast(np.asarray(g), buf.shape))


_REGISTRY: dict[str, Op] = {}
_CHANGES = [0]  # registrations and removals so far: a cache of what ops decided compares it


def register(cls: type[Op]) -> type[Op]:
    """Class decorator: add one instance of ``cls`` to the registry under ``cls.type``."""
    if not cls.type:
        raise ValueError(f"{cls.__name__} has no type name")
    if cls.type in _REGISTRY:
        raise ValueError(f"op type {cls.type!r} registered twice")
    _REGISTRY[cls.type] = cls()
    _CHANGES[0] += 1
    return cls


def get_op(type_name: str) -> Op:
    try:
        return _REGISTRY[type_name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"unknown op {type_name!r} (known ops: {known})") from None


def unregister(type_name: str) -> None:
    """Remove an op from the registry (a test's throwaway op)."""
    del _REGISTRY[type_name]
    _CHANGES[0] += 1


def registry_version() -> int:
    """A number that changes whenever an op is registered or removed."""
    return _CHANGES[0]


def all_ops() -> list[Op]:
    return list(_REGISTRY.values())


FAMILIES = ("data", "parameters", "arithmetic", "linear", "activations", "losses", "structure", "custom")


def by_family() -> list[tuple[str, list[Op]]]:
    """The registered ops in groups: the known families in order, then any other family by name."""
    ops = all_ops()
    order = list(FAMILIES) + sorted({op.family for op in ops} - set(FAMILIES))
    groups = [(family, [op for op in ops if op.family == family]) for family in order]
    return [(family, members) for family, members in groups if members]


def unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum ``grad`` down to ``shape``: the gradient of an operand that NumPy broadcast.

    A new array, made by the same instructions a bound kernel runs (:func:`reduce_into`)."""
    if grad.shape == shape:
        return grad
    out = np.empty(shape, grad.dtype)
    run(reduce_into(grad, out))
    return out


def reduce_into(full: Array, buf: Array) -> list[Instr]:
    """Instructions that sum ``full`` down to ``buf``'s shape: over the leading axes ``buf``
    lacks, then over the axes where ``buf`` has length 1; a copy when the shapes agree."""
    if full.shape == buf.shape:
        return [(np.copyto, (buf, full))]
    extra = full.ndim - buf.ndim
    lead = tuple(range(extra))
    rest = full.shape[extra:]
    keep = tuple(i for i, n in enumerate(buf.shape) if n == 1 and rest[i] != 1)
    if not keep:
        return [(np.add.reduce, (full, lead, None, buf))]
    if not lead:
        return [(np.add.reduce, (full, keep, None, buf, True))]
    mid = np.empty(rest, full.dtype)
    return [(np.add.reduce, (full, lead, None, mid)), (np.add.reduce, (mid, keep, None, buf, True))]


BIG_PRODUCT = 65_536  # elements in a product's inputs from which it is bound to np.matmul


def product(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> Instr:
    """The instruction ``out = a · b``. Small products use ``np.dot`` (the least overhead per call:
    Mazur's network is a few of them); big ones ``np.matmul``. Measured on 1e6×2·2×32 and
    1e6×32·32×32 (benchmarks/bench_debugger_gil.py): ``np.dot`` kept another thread waiting for the
    interpreter lock 26 ms to 2.9 s, ``np.matmul`` 3.5–7 ms; the window, waiting for the lock behind
    a debugger step of the whole 1,000,000-row spirals file, froze for seconds."""
    fn = np.matmul if a.size + b.size >= BIG_PRODUCT else np.dot
    return (fn, (a, b, out))
