"""One update's bound instructions as one generated Python function (the trainer's custom layers).

A custom layer's kernel (:mod:`core.custom.kernels`) is written once, as Python statements over
named parameters: :class:`Kernel` makes the function a plan calls (``f(*args)``), and
:func:`fuse` writes the statements of every kernel instruction of an update one after the
other, each parameter renamed to a closure variable bound to that instruction's argument (a
``for`` over a tuple argument written out item by item), and calls every other instruction as
it is. One update then runs in one frame: no call per layer and pass, no loop per gradient
(together about 1 µs of Mazur's network, 4 % of its update).

The generated text holds only the kernels' statements and generated names: no text of the
user's code is ever part of it. Kernel statements must not assign to a parameter or ``return``,
and their loops over a parameter must not ``break`` or ``continue``.
"""
from __future__ import annotations

import ast
import copy
import textwrap
from typing import Any, Callable, Sequence

Call = tuple[Callable[..., Any], tuple[Any, ...]]  # an instruction: f(*args)
_kernels: dict[Callable[..., Any], Kernel] = {}  # a kernel's function → the kernel


class Kernel:
    """Statements over ``params``, run by :attr:`fn` (``fn(*args)``) or inlined by :func:`fuse`;
    ``namespace`` holds the names they use besides their parameters and their own locals;
    ``fast``: other statements for the same call that :func:`fuse` may use instead."""

    def __init__(self, name: str, params: Sequence[str], body: str, namespace: dict[str, Any],
                 fast: str | None = None) -> None:
        self.params = tuple(params)
        self.statements = ast.parse(textwrap.dedent(body)).body
        self.fast = ast.parse(textwrap.dedent(fast)).body if fast is not None else self.statements
        self.namespace = namespace
        source = f"def {name}({', '.join(self.params)}):\n{_indent(self.statements, 1)}\n"
        scope: dict[str, Any] = dict(namespace)
        exec(compile(source, f"<kernel {name}>", "exec"), scope)  # the engine's own statements
        self.fn: Callable[..., Any] = scope[name]
        _kernels[self.fn] = self


def fuse(instrs: Sequence[Call], fast: bool = False) -> Callable[[], None]:
    """A function that runs ``instrs`` in order, kernels inlined (in their ``fast`` form if asked)."""
    values: list[Any] = []
    namespace: dict[str, Any] = {}

    def bind(value: Any) -> str:
        values.append(value)
        return f"_v{len(values) - 1}"

    statements: list[ast.stmt] = []
    for f, args in instrs:
        kernel = _kernels.get(f)
        if kernel is None:
            statements += ast.parse(f"{bind(f)}(*{bind(args)})").body
        else:
            statements += _inline(kernel.fast if fast else kernel.statements, kernel.params, args, bind)
            namespace.update(kernel.namespace)
    params = ", ".join(f"_v{i}" for i in range(len(values)))
    source = f"def _make({params}):\n    def update():\n{_indent(statements, 2)}\n    return update\n"
    exec(compile(source, "<fused update>", "exec"), namespace)  # the engine's own statements
    update: Callable[[], None] = namespace["_make"](*values)
    return update


def _inline(statements: list[ast.stmt], params: tuple[str, ...], args: tuple[Any, ...],
            bind: Callable[[Any], str]) -> list[ast.stmt]:
    """A kernel's statements for these arguments: each parameter renamed to its bound value,
    and a top-level ``for`` over a parameter that holds a tuple written out once per item."""
    given = dict(zip(params, args, strict=True))
    names = {p: bind(a) for p, a in given.items()}
    out: list[ast.stmt] = []
    for stmt in statements:
        items = given.get(stmt.iter.id) if isinstance(stmt, ast.For) and isinstance(stmt.iter, ast.Name) else None
        if not isinstance(stmt, ast.For) or not isinstance(items, tuple):
            out += _renamed([stmt], names)
            continue
        single = isinstance(stmt.target, ast.Name)
        targets = [stmt.target] if single else list(getattr(stmt.target, "elts", ()))
        for item in items:
            parts = (item,) if single else tuple(item)
            bound = {t.id: bind(v) for t, v in zip(targets, parts, strict=True) if isinstance(t, ast.Name)}
            out += _renamed(stmt.body, {**names, **bound})
    return out


def _renamed(statements: list[ast.stmt], names: dict[str, str]) -> list[ast.stmt]:
    module = _Rename(names).visit(ast.Module(body=copy.deepcopy(statements), type_ignores=[]))
    return list(module.body)


class _Rename(ast.NodeTransformer):
    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.names.get(node.id, node.id)
        return node


def _indent(statements: list[ast.stmt], level: int) -> str:
    text = ast.unparse(ast.Module(body=statements, type_ignores=[])) if statements else "pass"
    return textwrap.indent(text, "    " * level)
