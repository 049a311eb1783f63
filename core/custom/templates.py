"""Custom-layer classes in the notebook's style, one for each built-in op the notebook has.

Each gives the built-in op's numbers (tests compare them); a new custom layer starts from one.
Where the notebook's own class differs from the mathematics (the in-place ``Relu.backward``, the
``le-7`` and missing minus of its cross-entropy), the template follows the mathematics.
"""
from __future__ import annotations

MUL = '''class MulLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        out = x * y
        return out

    def backward(self, dout):
        dx = dout * self.y  # swap x and y
        dy = dout * self.x
        return dx, dy
'''

ADD = '''class AddLayer:
    def __init__(self):
        pass

    def forward(self, x, y):
        out = x + y
        return out

    def backward(self, dout):
        dx = dout * 1
        dy = dout * 1
        return dx, dy
'''

AFFINE = '''class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x = x
        out = np.dot(x, self.W) + self.b
        return out

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx, self.dW, self.db
'''

RELU = '''class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()  # a copy: writing into dout would change the caller's gradient
        dx[self.mask] = 0
        return dx
'''

SIGMOID = '''class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        out = 1 / (1 + np.exp(-x))
        self.out = out
        return out

    def backward(self, dout):
        dx = dout * (1 - self.out) * self.out
        return dx
'''

SOFTMAX_WITH_LOSS = '''def log_softmax(a):
    c = np.max(a, axis=-1, keepdims=True)
    shifted = a - c  # against overflow
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


class SoftmaxWithLoss:
    def __init__(self):
        self.y = None  # the softmax output
        self.t = None  # one-hot targets

    def forward(self, x, t):
        self.t = t
        log_y = log_softmax(x)
        self.y = np.exp(log_y)
        batch_size = x.shape[0] if x.ndim >= 2 else 1
        return -np.sum(t * log_y) / batch_size

    def backward(self, dout=1):
        batch_size = self.t.shape[0] if self.t.ndim >= 2 else 1
        mass = np.sum(self.t, axis=-1, keepdims=True)  # 1 for one-hot targets
        dx = dout * (self.y * mass - self.t) / batch_size
        return dx
'''

MSE_WITH_LOSS = '''def mean_squared_error(y, t):
    return 0.5 * np.sum((t - y)**2)


class MSEWithLoss:
    def __init__(self):
        self.y = None
        self.t = None

    def forward(self, y, t):
        self.t = t
        self.y = y
        return mean_squared_error(self.y, self.t)

    def backward(self, dout=1):
        dx = -dout * (self.t - self.y)
        return dx
'''

# built-in op type → the class that computes the same numbers
TEMPLATES: dict[str, str] = {
    "Multiply": MUL,
    "Add": ADD,
    "Affine": AFFINE,
    "ReLU": RELU,
    "Sigmoid": SIGMOID,
    "SoftmaxWithLoss": SOFTMAX_WITH_LOSS,
    "SquaredError": MSE_WITH_LOSS,
}
