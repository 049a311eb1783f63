"""The notebook-style layer class of every op kind, in one table keyed by op name.

One source for two readers: the NumPy-script export (:mod:`core.export`) writes these classes
into the script, and New Custom Layer (:mod:`core.custom.templates`) starts from them. Why a
table here and not a template on each op class: the text is Python source written in the
notebook's words (``MulLayer``, ``Affine``, ``Relu``), and it changes with that style, not with
the op's mathematics. The facts about an op that the export reads (its ports, which ports take
no gradient, its formula text, its attributes) stay on the op class; this table adds only the
words. A test checks that every registered op is either here or refused with a reason, so a
new op cannot be forgotten.

Each class computes the same floating-point operations, in the same order, as the op's
kernels in :mod:`core.ops` (a sum may be added up in another order: the results agree to
about 1e-16). A template has a second form, with ``sum_to``, for graphs where an operand is
broadcast; ``plain_fits`` says when the first, shorter form is enough.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

Shape = tuple[int, ...]
Fits = Callable[[Sequence[Shape], Shape, Sequence[int]], bool]

ROW_SUMS = '''\
def row_sums(a):
    """Σ over the last axis, keeping it: a product with a column of ones (the workbench adds
    up in this order, and so the numbers agree to the last digit)."""
    return np.dot(a, np.ones((np.shape(a)[-1], 1)))
'''

SUM_TO = '''\
def sum_to(grad, shape):
    """Sum a gradient over the axes NumPy broadcast, back to its operand's shape."""
    lead = np.ndim(grad) - len(shape)
    grad = np.sum(grad, axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and np.shape(grad)[i] != 1)
    return np.sum(grad, axis=axes, keepdims=True) if axes else grad
'''


@dataclass(frozen=True)
class Layer:
    """One op kind as a class of the exported script."""

    class_name: str
    source: str
    broadcast_source: str = ""  # the form that sums broadcast gradients back ("" : same as source)
    plain_fits: Fits | None = None  # None: the plain form always fits

    def source_for(self, fits: bool) -> str:
        return self.source if fits or not self.broadcast_source else self.broadcast_source

    def helpers(self, fits: bool) -> list[str]:
        """The helper functions this layer's source calls."""
        source = self.source_for(fits)
        return [h for h, call in ((SUM_TO, "sum_to("), (ROW_SUMS, "row_sums(")) if call in source]


def _same_shapes(ins: Sequence[Shape], out: Shape, ports: Sequence[int]) -> bool:
    """No operand that takes a gradient was broadcast to the output's shape."""
    return all(ins[i] == out for i in ports)


def _loss_fits(ins: Sequence[Shape], out: Shape, ports: Sequence[int]) -> bool:
    return ins[0] == ins[1]


def _affine_fits(ins: Sequence[Shape], out: Shape, ports: Sequence[int]) -> bool:
    """``np.sum(dout, axis=0)`` is the bias gradient: a batch of rows and one bias per column."""
    return 2 not in ports or (len(out) == 2 and ins[2] == out[1:])


def _binary(name: str, doc: str, forward: str, dx: str, dy: str) -> Layer:
    def source(note: str, gx: str, gy: str) -> str:
        return f'''\
class {name}:
    """{doc}{note}"""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        out = {forward}
        return out

    def backward(self, dout):
        dx = {gx}
        dy = {gy}
        return dx, dy
'''

    broadcast = source(" (NumPy broadcasts; each gradient is summed back to its operand's shape)",
                       f"sum_to({dx}, np.shape(self.x))", f"sum_to({dy}, np.shape(self.y))")
    return Layer(name, source("", dx, dy), broadcast, _same_shapes)


def _unary(name: str, doc: str, forward: str, backward: str, keep: str = "out") -> Layer:
    """A layer of one input; ``keep`` is what backward needs: ``out`` or ``x``."""
    store = "self.out = out" if keep == "out" else "self.x = x"
    return Layer(name, f'''\
class {name}:
    """{doc}"""

    def __init__(self):
        self.{keep} = None

    def forward(self, x):
        out = {forward}
        {store}
        return out

    def backward(self, dout):
        dx = {backward}
        return dx
''')


def _product(name: str, doc: str, bias: bool) -> Layer:
    args, plus = ("x, W, b", " + b") if bias else ("x, W", "")
    grads = "dx, dW, db" if bias else "dx, dW"

    def source(db: str) -> str:
        db_line = f"\n        db = {db}" if bias else ""
        return f'''\
class {name}:
    """{doc}"""

    def __init__(self):
        self.x = None
        self.W = None{"" if not bias else chr(10) + "        self.b = None"}

    def forward(self, {args}):
        self.x = x
        self.W = W{"" if not bias else chr(10) + "        self.b = b"}
        out = np.dot(x, W){plus}
        return out

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        dW = np.dot(self.x.T, dout) if np.ndim(self.x) == 2 else np.outer(self.x, dout){db_line}
        return {grads}
'''

    if not bias:
        return Layer(name, source(""))
    batch_sum = "np.dot(np.ones(len(dout)), dout)  # Σ over the batch, as a product with ones"
    any_shape = ("sum_to(dout, np.shape(self.b))\n"
                 "        if np.ndim(dout) == 2 and np.shape(self.b) in ((dout.shape[1],), (1, dout.shape[1])):\n"
                 "            db = np.dot(np.ones(np.shape(self.b)[:-1] + dout.shape[:1]), dout)  # Σ over the batch")
    return Layer(name, source(batch_sum), source(any_shape), _affine_fits)


_ONE_HOT = ("if np.shape(t) != np.shape({x}):  # class labels: one-hot rows\n"
            "            t = np.eye(np.shape({x})[-1])[np.asarray(t, dtype=int)]")
_BATCH = "self.batch_size = np.shape({x})[0] if np.ndim({x}) >= 2 else 1"


def _squared(name: str, doc: str, loss: str, grad: str) -> Layer:
    def source(dy: str) -> str:
        return f'''\
class {name}:
    """{doc}"""

    def __init__(self):
        self.y = None
        self.diff = None

    def forward(self, y, t):
        self.y = y
        self.diff = y - t
        return {loss}

    def backward(self, dout=1.0):
        dy = {dy}
        return dy
'''

    return Layer(name, source(grad), source(f"sum_to({grad}, np.shape(self.y))"), _loss_fits)


def _reduction(name: str, doc: str, function: str, mean: bool) -> Layer:
    count = "\n        n = np.prod(self.x_shape) if self.axis is None else self.x_shape[self.axis]" if mean else ""
    return Layer(name, f'''\
class {name}:
    """{doc} over one axis (all of them when axis is None)"""

    def __init__(self, axis=None, keepdims=False):
        self.axis = axis
        self.keepdims = keepdims
        self.x_shape = None

    def forward(self, x):
        self.x_shape = np.shape(x)
        out = {function}(x, axis=self.axis, keepdims=self.keepdims)
        return out

    def backward(self, dout):{count}
        if self.axis is not None and not self.keepdims:
            dout = np.expand_dims(dout, self.axis)
        dx = np.broadcast_to(dout, self.x_shape).copy(){" / n" if mean else ""}
        return dx
''')


LAYERS: dict[str, Layer] = {
    "Add": _binary("AddLayer", "out = x + y", "x + y", "dout * 1", "dout * 1"),
    "Subtract": _binary("SubLayer", "out = x − y", "x - y", "dout * 1", "dout * -1"),
    "Multiply": _binary("MulLayer", "out = x · y", "x * y", "dout * self.y", "dout * self.x"),
    "Divide": _binary("DivLayer", "out = x / y", "x / y", "dout / self.y",
                      "-dout * self.x / (self.y * self.y)"),
    "Exp": _unary("ExpLayer", "out = exp(x)", "np.exp(x)", "dout * self.out"),
    "Log": _unary("LogLayer", "out = ln(x)", "np.log(x)", "dout / self.x", keep="x"),
    "Sigmoid": _unary("Sigmoid", "out = 1 / (1 + exp(−x))", "1 / (1 + np.exp(-x))",
                      "dout * (1.0 - self.out) * self.out"),
    "Tanh": _unary("Tanh", "out = tanh(x)", "np.tanh(x)", "dout * (1.0 - self.out * self.out)"),
    "ReLU": Layer("Relu", '''\
class Relu:
    """out = max(0, x); the gradient passes where x > 0"""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x > 0
        out = np.maximum(x, 0.0)
        return out

    def backward(self, dout):
        dx = dout * self.mask
        return dx
'''),
    "Softmax": _unary("Softmax", "out = exp(x) / Σ exp(x) over the last axis",
                      "np.exp(x - np.max(x, axis=-1, keepdims=True))\n        out = out / row_sums(out)",
                      "self.out * (dout - row_sums(dout * self.out))"),
    "Sum": _reduction("SumLayer", "out = Σ x", "np.sum", mean=False),
    "Mean": _reduction("MeanLayer", "out = mean of x", "np.mean", mean=True),
    "Pick": Layer("PickLayer", '''\
class PickLayer:
    """out = column `index` of the rows x (a number for one row): one input of a neuron"""

    def __init__(self, index=0):
        self.index = index
        self.x_shape = None

    def forward(self, x):
        self.x_shape = np.shape(x)
        out = x[:, self.index].copy()
        return out.reshape(()) if len(out) == 1 else out

    def backward(self, dout):
        dx = np.zeros(self.x_shape)
        dx[:, self.index] = dout
        return dx
'''),
    "Join": Layer("JoinLayer", '''\
class JoinLayer:
    """out = the columns of x, then those of y (a number counts as one column)"""

    def __init__(self):
        self.x_shape = None
        self.y_shape = None

    @staticmethod
    def columns(a):
        """`a` as rows: a number is 1×1, a column of n numbers n×1."""
        return np.reshape(a, (1, 1)) if np.ndim(a) == 0 else np.reshape(a, (-1, 1)) if np.ndim(a) == 1 else a

    def forward(self, x, y):
        self.x_shape = np.shape(x)
        self.y_shape = np.shape(y)
        out = np.hstack([self.columns(x), self.columns(y)])
        return out

    def backward(self, dout):
        k = self.columns(np.zeros(self.x_shape)).shape[1]
        dx = dout[:, :k].reshape(self.x_shape)
        dy = dout[:, k:].reshape(self.y_shape)
        return dx, dy
'''),
    "MatMul": _product("MatMul", "out = x · W (matrix product)", bias=False),
    "Affine": _product("Affine", "out = x · W + b: a fully connected layer (b broadcasts over the batch)", bias=True),
    "SoftmaxWithLoss": Layer("SoftmaxWithLoss", f'''\
class SoftmaxWithLoss:
    """L = −(1/N) Σ t · log softmax(x): softmax and cross-entropy in one stable layer"""

    def __init__(self):
        self.y = None  # softmax(x)
        self.t = None  # targets, one-hot
        self.batch_size = None

    def forward(self, x, t):
        {_ONE_HOT.format(x="x")}
        self.t = t
        {_BATCH.format(x="x")}
        shifted = x - np.max(x, axis=-1, keepdims=True)  # against overflow in exp
        log_y = shifted - np.log(row_sums(np.exp(shifted)))
        self.y = np.exp(log_y)
        return -np.dot(np.ravel(t), np.ravel(log_y)) / self.batch_size  # −Σ t·log y / N

    def backward(self, dout=1.0):
        # (y − t) / N when every row of t sums to 1
        dx = (self.y * row_sums(self.t) - self.t) * (dout / self.batch_size)
        return dx
'''),
    "CrossEntropy": Layer("CrossEntropyLoss", f'''\
class CrossEntropyLoss:
    """L = −(1/N) Σ t · log(y + 1e-7), for probabilities y"""

    def __init__(self):
        self.y = None
        self.t = None
        self.batch_size = None

    def forward(self, y, t):
        {_ONE_HOT.format(x="y")}
        self.y = y
        self.t = t
        {_BATCH.format(x="y")}
        return -np.dot(np.ravel(t), np.ravel(np.log(y + 1e-7))) / self.batch_size  # −Σ t·log(y + ε) / N

    def backward(self, dout=1.0):
        dy = -dout * self.t / ((self.y + 1e-7) * self.batch_size)
        return dy
'''),
    "SquaredError": _squared("SquaredErrorLoss", "L = ½ Σ (t − y)²: the total error of Mazur's example",
                             "0.5 * np.sum(self.diff * self.diff)", "dout * self.diff"),
    "MeanSquaredError": _squared("MeanSquaredErrorLoss", "L = (1/n) Σ (y − t)² over all n elements",
                                 "np.sum(self.diff * self.diff) / np.size(self.diff)",
                                 "self.diff * (dout * 2.0 / np.size(self.diff))"),
}
