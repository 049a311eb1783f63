"""Running a custom layer's code: compiled only when trusted, called with copies, in time.

:func:`layer_class` turns trusted code into its class (once per code text while it is among the
:data:`CACHE_SIZE` most recently used; an edited text is compiled anew, never served the old class). A
:class:`LayerCall` makes a fresh instance for every forward call (per node and per training step:
the state kept on ``self`` belongs to that call), hands it copies of the inputs, and says when
the user's code changed one of them in place. Every failure becomes a :class:`LayerError` that
names the node, the method and the user's line.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from core.custom.cache import BoundedCache
from core.custom.limits import TimeLimitExceeded, call_with_limit, run_with_limit
from core.custom.source import LayerSource, result_line, source_of
from core.custom.trust import SESSION, code_hash
from core.format import format_shape

if TYPE_CHECKING:
    from core.ops.base import Instr

DEFAULT_LIMIT = 5.0  # seconds a single call into user code may take


class LayerError(ValueError):
    """A custom layer failed: ``kind`` is untrusted | code | exception | gradients | nonfinite | timeout."""

    def __init__(self, message: str, *, kind: str, class_name: str = "", method: str = "",
                 line: int | None = None, node: str | None = None, port: str | None = None) -> None:
        self.message = message
        self.kind = kind
        self.class_name = class_name
        self.method = method
        self.line = line
        self.node = node
        self.port = port
        super().__init__(str(self))

    def at_node(self, node: str) -> LayerError:
        return LayerError(self.message, kind=self.kind, class_name=self.class_name, method=self.method,
                          line=self.line, node=node, port=self.port)

    def __str__(self) -> str:
        where = ".".join(p for p in (self.class_name, self.method) if p)
        if self.line is not None:
            where = f"{where}, line {self.line}" if where else f"line {self.line}"
        head = f"{self.node}" if self.node else ""
        if where:
            head = f"{head} ({where})" if head else where
        return f"{head}: {self.message}" if head else self.message


CACHE_SIZE = 256  # code texts whose compiled class, and whether they write in place, are kept
_compiled: BoundedCache[str, type] = BoundedCache(CACHE_SIZE)  # code hash → its class
_limit = [DEFAULT_LIMIT]
Executor = Callable[[Callable[[], Any]], Any]
_executor: list[Executor | None] = [None]


def set_executor(executor: Executor | None) -> Executor | None:
    """Run every call into user code through ``executor(work)`` (which returns ``work()`` or
    raises what it raised); the window's runs it on a worker thread when called on the GUI
    thread. Returns the previous one; ``None``: call directly."""
    old, _executor[0] = _executor[0], executor
    return old


def _limited(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` under the time limit, through the executor if one is set."""
    executor = _executor[0]
    if executor is None:
        return call_with_limit(_limit[0], fn, *args)
    caller = np.geterr()  # NumPy's error state is the thread's own: the caller's goes with the call

    def work() -> Any:
        with np.errstate(**caller):
            return call_with_limit(_limit[0], fn, *args)

    return executor(work)


def set_time_limit(seconds: float) -> float:
    """Set the time limit of one call into user code; returns the previous one."""
    old, _limit[0] = _limit[0], float(seconds)
    return old


def time_limit() -> float:
    return _limit[0]


def limited(call: list["Instr"]) -> "Instr":
    """An instruction that runs the one call in ``call`` (the trainer's update with custom layers)
    under one time limit, through the executor if one is set now; a time limit that ends it outside
    the user's code is a :class:`LayerError` too."""
    if _executor[0] is None:  # the trainer's own thread, the command line: nothing in between
        return (run_with_limit, (call, _limit, _update_timeout))
    return (_through_executor, (call,))


def _through_executor(call: list["Instr"]) -> None:
    try:
        _limited(run_with_limit, call, _limit)
    except TimeLimitExceeded:  # past the limit outside the user's code
        raise _update_timeout() from None


def _update_timeout() -> LayerError:
    return LayerError(f"an update did not finish within {_limit[0]:g} s and was stopped", kind="timeout")


_in_place: BoundedCache[str, bool] = BoundedCache(CACHE_SIZE)  # hashes of codes seen writing into their inputs


def noticed_in_place(code: str) -> None:
    """Remember that ``code`` wrote into an input or ``dout`` in place (the trainer then hands it
    copies from the start; a code forgotten here is found again: its write into a read-only view raises)."""
    _in_place.put(code_hash(code), True)


def writes_in_place(code: str) -> bool:
    return _in_place.get(code_hash(code)) is not None


def filename(code: str) -> str:
    return f"<custom layer {code_hash(code)[:12]}>"


def layer_class(code: str, source: LayerSource | None = None) -> type:
    """The layer class ``code`` defines; raises :class:`LayerError` unless the code is trusted and
    its definition runs (module-level statements run here, once per code text while it is cached)."""
    source = source or source_of(code)
    if not source.ok:
        raise LayerError(source.error, kind="code", class_name=source.class_name, line=source.line)
    key = code_hash(code)
    if not SESSION.trusts_hash(key):
        raise untrusted(source.class_name)
    cls = _compiled.get(key)
    if cls is not None:
        return cls
    namespace: dict[str, Any] = {"np": np, "__name__": "custom_layer"}
    name = filename(code)
    try:
        compiled = compile(code, name, "exec")
        _limited(exec, compiled, namespace)
    except BaseException as exc:
        raise user_error(exc, code, source.class_name, "class definition") from None
    cls = namespace.get(source.class_name)
    if not isinstance(cls, type):
        raise LayerError(f"{source.class_name} is not a class once the code ran", kind="code",
                         class_name=source.class_name)
    _compiled.put(key, cls)
    return cls


def untrusted(class_name: str) -> LayerError:
    """The error of code that is not trusted (or no longer)."""
    return LayerError("its code is not trusted: nothing of it runs until you say so", kind="untrusted",
                      class_name=class_name)


def user_error(exc: BaseException, code: str, class_name: str, method: str) -> LayerError:
    """``exc`` raised in user code as a one-line :class:`LayerError` at the user's deepest line."""
    line = _user_line(exc.__traceback__, filename(code))
    if isinstance(exc, SyntaxError) and exc.filename == filename(code):
        line = exc.lineno
    if isinstance(exc, TimeLimitExceeded):
        return LayerError(f"{method} did not return within {_limit[0]:g} s and was stopped", kind="timeout",
                          class_name=class_name, method=method, line=line)
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]
    return LayerError(text, kind="exception", class_name=class_name, method=method, line=line)


def _user_line(tb: TracebackType | None, name: str) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@dataclass
class LayerRun:
    """One forward call of a layer: its instance (the state on ``self``) and what it noticed."""

    instance: Any
    shape: tuple[int, ...]  # of forward's output
    notes: list[str] = field(default_factory=list)  # e.g. "forward changed x in place"
    backward_notes: list[str] = field(default_factory=list)  # e.g. "backward changed dout in place"


class LayerCall:
    """Calls into one layer's code for one node: forward, backward, with copies and checks."""

    def __init__(self, code: str, node: str | None = None) -> None:
        self.code = code
        self.hash = code_hash(code)  # the trust check of every call asks by it
        self.source = source_of(code)
        self.node = node
        self.cls = layer_class(code, self.source)
        self.n_forward = len(self.source.forward_ports)

    def _fail(self, message: str, kind: str, method: str, port: str | None = None) -> LayerError:
        return LayerError(message, kind=kind, class_name=self.source.class_name, method=method,
                          line=self._result_line(method, port), node=self.node, port=port)

    def _result_line(self, method: str, port: str | None) -> int | None:
        """The line that made the value ``method`` returned (for ``port``: its gradient), else the
        method's ``def`` line."""
        index = self.source.ports.index(port) if port in self.source.ports else None
        line = result_line(self.code, method, index) if self._def_line(method) is not None else None
        return line if line is not None else self._def_line(method)

    def _def_line(self, method: str) -> int | None:
        fn = getattr(self.cls, method, None)
        code = getattr(fn, "__code__", None)
        return code.co_firstlineno if code is not None and code.co_filename == filename(self.code) else None

    def _call(self, method: str, fn: Any, *args: Any) -> Any:
        try:
            return _limited(fn, *args)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            raise self.fail(exc, method) from None

    def forward(self, ins: list[np.ndarray]) -> tuple[np.ndarray, LayerRun]:
        copies = [np.array(a, dtype=float) for a in ins]
        instance = self._call("__init__", self.cls, *copies[self.n_forward:])
        out = self._call("forward", instance.forward, *copies[: self.n_forward])
        try:
            arr = np.array(out, dtype=float)
        except (TypeError, ValueError):
            raise self.not_numbers(out) from None
        run = LayerRun(instance, arr.shape, self._changed(ins, copies, "forward"))
        if not np.all(np.isfinite(arr)) and all(np.all(np.isfinite(a)) for a in ins):
            raise self._fail("forward returned NaN or Inf from finite inputs", "nonfinite", "forward")
        return arr, run

    def backward(self, run: LayerRun, dout: np.ndarray, ins: list[np.ndarray],
                 notes: list[str] | None = None) -> list[np.ndarray | None]:
        """One gradient per port (``None`` past the ones returned); ``notes`` gets what was changed in place."""
        given = np.array(dout, dtype=float)
        returned = self._call("backward", run.instance.backward, given)
        changed = self._changed([dout], [given], "backward", ("dout",))
        if notes is not None:
            notes.extend(changed)
        ports = self.source.ports
        grads = self.gradients(returned)
        out: list[np.ndarray | None] = []
        for port, g, x in zip(ports, grads, ins):
            if g is None:
                out.append(None)
                continue
            try:
                arr = np.array(g, dtype=float)
            except (TypeError, ValueError):
                raise self._fail(f"the gradient for {port} is {type(g).__name__}, not numbers", "gradients",
                                 "backward", port) from None
            if arr.shape != x.shape:
                if not reducible(arr.shape, x.shape, run.shape):
                    raise self.bad_shape(port, arr.shape, x.shape)
            if not np.all(np.isfinite(arr)) and np.all(np.isfinite(given)):
                raise self._fail(f"the gradient for {port} holds NaN or Inf", "nonfinite", "backward", port)
            out.append(arr)
        out += [None] * (len(ports) - len(out))
        return out

    def not_numbers(self, value: object) -> LayerError:
        return self._fail(f"forward returned {type(value).__name__}, not numbers", "gradients", "forward")

    def shape_changed(self, shape: tuple[int, ...], expected: tuple[int, ...]) -> LayerError:
        return self._fail(f"forward returned shape {format_shape(shape)} this time, {format_shape(expected)} before",
                          "gradients", "forward")

    def fail(self, exc: BaseException, method: str) -> LayerError:
        """``exc`` raised while running ``method`` as a :class:`LayerError` at the user's line."""
        if isinstance(exc, LayerError):
            return exc
        err = user_error(exc, self.code, self.source.class_name, method)
        return err.at_node(self.node) if self.node else err

    def bad_shape(self, port: str, shape: tuple[int, ...], expected: tuple[int, ...]) -> LayerError:
        return self._fail(f"the gradient for {port} has shape {format_shape(shape)}, but {port} has shape "
                          f"{format_shape(expected)}", "gradients", "backward", port)

    def gradients(self, returned: Any) -> list[Any]:
        """What ``backward`` returned, one entry per input it gave a gradient for: a tuple or a list,
        or one array for one input (a tuple or list of one is unwrapped, a list of numbers for one
        input is its gradient). More than there are inputs is the error. The stepper and the
        trainer's kernels both read it so: the same code passes or fails in both."""
        ports = self.source.ports
        grads = list(returned) if isinstance(returned, (tuple, list)) else [returned]
        if len(ports) == 1 and isinstance(returned, (tuple, list)) and len(returned) != 1:
            grads = [returned]  # a list of numbers for the one input
        if len(grads) > len(ports):
            raise self._fail(f"backward returned {len(grads)} gradients for {len(ports)} input"
                             f"{'s' if len(ports) > 1 else ''} ({', '.join(ports)})", "gradients", "backward")
        return grads

    def missing(self, port: str) -> LayerError:
        return self._fail(f"backward returned no gradient for {port}", "gradients", "backward", port)

    def _changed(self, originals: list[np.ndarray], copies: list[np.ndarray], method: str,
                 names: tuple[str, ...] | None = None) -> list[str]:
        names = names or self.source.ports
        changed = [f"{method} changed {name} in place" for name, a, c in zip(names, originals, copies)
                   if a.shape != c.shape or not np.array_equal(a, c, equal_nan=True)]
        if changed:
            noticed_in_place(self.code)
        return changed


def reducible(grad: tuple[int, ...], shape: tuple[int, ...], out: tuple[int, ...]) -> bool:
    """A gradient of ``grad``'s shape sums down to the input's ``shape``: the input was broadcast
    to it, within the output's shape ``out``."""
    try:
        return np.broadcast_shapes(grad, shape) == grad and np.broadcast_shapes(grad, out) == out
    except ValueError:
        return False


def forget_compiled() -> None:
    """Drop every compiled class (tests; a later call compiles again, if still trusted)."""
    _compiled.clear()

