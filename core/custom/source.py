"""Reading a custom layer's code without running it: its class and its ports.

The code is parsed (:mod:`ast`), never executed: loading, validating, copying and saving a graph
learn the ports from here (:func:`source_of`: each code text is parsed once). The ports are the
parameters of ``forward`` (after ``self``), then those of ``__init__`` (after ``self``): the
notebook's ``Affine(W, b)`` takes its weights in the constructor, so ``W`` and ``b`` become ports
fed like any other, and its ``backward`` returns ``dx, dW, db`` in that order.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

_FORWARD_RE = re.compile(r"def\s+forward\s*\(\s*self\s*(?:,([^)]*))?\)")


@dataclass(frozen=True)
class LayerSource:
    """What the code says without running: the layer class, its ports, or what is wrong."""

    class_name: str
    forward_ports: tuple[str, ...]
    init_ports: tuple[str, ...]
    error: str = ""  # empty when the code is a usable layer class
    line: int | None = None  # the line of the error, 1-based

    @property
    def ports(self) -> tuple[str, ...]:
        return self.forward_ports + self.init_ports

    @property
    def ok(self) -> bool:
        return not self.error


def read_source(code: str) -> LayerSource:
    """The layer class ``code`` defines (the last class with ``forward`` and ``backward``)."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return LayerSource("", _ports_by_text(code), (), f"syntax error: {exc.msg}", exc.lineno)
    except ValueError as exc:  # e.g. a NUL byte
        return LayerSource("", (), (), f"cannot read the code: {exc}", None)
    cls = _layer_class(tree)
    if cls is None:
        return LayerSource("", (), (), "the code defines no class with forward and backward methods", None)
    methods = _methods(cls)
    try:
        fwd = _params(methods["forward"])
        init = _params(methods["__init__"]) if "__init__" in methods else ()
    except ValueError as exc:
        return LayerSource(cls.name, (), (), str(exc), cls.lineno)
    clash = sorted(set(fwd) & set(init))
    if clash:
        return LayerSource(cls.name, fwd, (), f"{', '.join(clash)} is a parameter of both forward and __init__",
                           methods["__init__"].lineno)
    if not fwd:
        return LayerSource(cls.name, (), init, "forward takes no input (it needs at least one)",
                           methods["forward"].lineno)
    return LayerSource(cls.name, fwd, init)


@lru_cache(maxsize=256)
def source_of(code: str) -> LayerSource:
    """:func:`read_source`, parsed once per code text (a :class:`LayerSource` is never changed)."""
    return read_source(code)


def ports_of(code: str) -> tuple[str, ...]:
    return source_of(code).ports


def _layer_class(tree: ast.Module) -> ast.ClassDef | None:
    """The layer class of a module: the last class with ``forward`` and ``backward``."""
    layers = [n for n in tree.body if isinstance(n, ast.ClassDef) and {"forward", "backward"} <= _methods(n).keys()]
    return layers[-1] if layers else None


@lru_cache(maxsize=256)
def result_line(code: str, method: str, index: int | None = None) -> int | None:
    """The line that made what the layer's ``method`` returns (``index``: its entry of a returned
    tuple or list, as ``backward``'s gradients), read from the code: the one line that assigns
    the returned name (``dx = np.dot(dout, W.T)`` before ``return dx, dW``), else the line of
    the value in the ``return`` statement. None when it cannot be known (no single ``return``)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    cls = _layer_class(tree)
    fn = _methods(cls).get(method) if cls is not None else None
    if fn is None:
        return None
    own = list(_own_nodes(fn))
    returns = [n for n in own if isinstance(n, ast.Return)]
    if len(returns) != 1 or returns[0].value is None:
        return returns[0].lineno if len(returns) == 1 else None
    ret, value = returns[0], returns[0].value
    if index is not None and isinstance(value, (ast.Tuple, ast.List)):
        if index >= len(value.elts):
            return ret.lineno
        value = value.elts[index]
    elif index:  # one value returned: it is the first entry; the others were not returned
        return ret.lineno
    if isinstance(value, ast.Name):
        made = [n.lineno for n in own if n.lineno < ret.lineno and value.id in _assigned(n)]
        if len(made) == 1:
            return made[0]
    return value.lineno


def _own_nodes(fn: ast.FunctionDef) -> Iterator[ast.stmt]:
    """The statements of ``fn``, at any depth, outside the functions and classes defined in it."""
    todo = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        for name in ("body", "orelse", "finalbody"):
            todo += [n for n in getattr(node, name, ()) if isinstance(n, ast.stmt)]
        for handler in getattr(node, "handlers", ()):  # try: ... except: ...
            todo += handler.body


def _assigned(node: ast.AST) -> set[str]:
    """The plain names a statement assigns (``a = ...``, ``a, b = ...``, ``a += ...``, ``a: T = ...``)."""
    if isinstance(node, ast.Assign):
        targets: list[ast.expr] = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and (not isinstance(node, ast.AnnAssign) or node.value):
        targets = [node.target]
    else:
        return set()
    names = set()
    for target in targets:
        for part in ast.walk(target):
            if isinstance(part, ast.Name):
                names.add(part.id)
    return names


def _methods(cls: ast.ClassDef) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}


def _params(fn: ast.FunctionDef) -> tuple[str, ...]:
    a = fn.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
        raise ValueError(f"{fn.name} must take plain named inputs (no *args, **kwargs or keyword-only inputs)")
    names = [p.arg for p in a.args]
    if not names or names[0] != "self":
        raise ValueError(f"{fn.name} must take self first")
    return tuple(names[1:])


def _ports_by_text(code: str) -> tuple[str, ...]:
    """The forward's parameters read from the text, for code that does not parse yet (so a file
    with a typo still opens with its edges)."""
    match = _FORWARD_RE.search(code)
    if match is None or not match.group(1):
        return ()
    names = [p.split("=")[0].strip() for p in match.group(1).split(",")]
    return tuple(n for n in names if n.isidentifier())
