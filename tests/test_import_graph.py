"""No import circle anywhere in app/ or core/.

Every module is parsed with ``ast`` (nothing is imported); an edge goes from a module to each of
our modules it imports: at the top, inside a function (a late import to dodge a circle is still a
circle) and under ``if TYPE_CHECKING:`` (a helper that needs its host's type for hints depends on
the host as much as one that calls it: the fix is a declared interface the host implements, see
``app/editor/host.py``, ``app/window/frame.py``, ``app/debugger/state.py``). Importing
``a.b.c`` also runs the packages ``a`` and ``a.b``; those implicit edges are left out, as import
linters do, since a package's ``__init__`` re-exporting its own modules is not a design circle.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "core")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name an import statement anywhere in the file names (``from m import x``
    gives ``m.x``, which is a module or else a name in ``m``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in _imported_names(name, path):
            while imported and imported not in modules:  # a name inside a module: the module
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path that ends where it starts, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_finder_sees_a_circle_through_type_hints_and_late_imports(tmp_path, monkeypatch):
    pkg = tmp_path / "app" / "room"
    pkg.mkdir(parents=True)
    (tmp_path / "core").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "host.py").write_text("from app.room.helper import run\n")
    (pkg / "helper.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .host import Host\n")
    (pkg / "late.py").write_text("def f():\n    from app.room import host\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    graph = import_graph()
    assert graph["app.room.host"] == {"app.room.helper"}
    assert graph["app.room.helper"] == {"app.room.host"}
    assert graph["app.room.late"] == {"app.room.host"}
    assert find_cycle(graph) == ["app.room.helper", "app.room.host", "app.room.helper"]


def test_no_import_circle_in_app_or_core():
    graph = import_graph()
    assert len(graph) > 100
    assert "core.validation" in graph["core.program"] and "app.window.frame" in graph["app.window.main_window"]
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " → ".join(cycle or [])
