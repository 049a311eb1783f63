"""Reading the file's teaching sections: expanded layers, published reference values, the exercise.

Each reader checks the plain data and raises :class:`~core.io.jsoncheck.Bad` naming the place
(``references[2].quantity``); the graph keeps the checked data as plain dicts and lists, which
the writer puts back unchanged. See ``docs/file-format.md``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.format import brief
from core.io import jsoncheck as jc
from core.io.jsoncheck import Bad

if TYPE_CHECKING:
    from core.graph import Graph

_EXPANSION_FIELDS = ("layer", "output", "neurons", "created", "removed", "entries", "moved", "consumers",
                     "order", "edge_order")
REFERENCE_FIELDS = ("node", "quantity", "value", "source", "place", "index", "after_updates", "variant")
QUANTITIES = ("value", "gradient")
ASK = ("all", "forward", "backward", "parameters", "nodes")
EXERCISE_FIELDS = ("ask", "nodes", "tolerance")
DEFAULT_TOLERANCE = 1e-3
MAX_REFERENCE_UPDATES = 1_000  # a published figure belongs to one of the first training steps


def read_expansions(raw: Any, where: str, graph: "Graph") -> list[dict[str, Any]]:
    """The layers drawn as their neurons: what each replaced, so Collapse can bring it back."""
    out = []
    for place, obj in jc.objects(raw, where):
        jc.fields(obj, place, _EXPANSION_FIELDS, _EXPANSION_FIELDS)
        for name in ("created", "neurons"):
            for k, node_id in enumerate(jc.want_list(obj[name], f"{place}.{name}")):
                jc.want_str(node_id, f"{place}.{name}[{k}]")
        removed = jc.want_object(obj["removed"], f"{place}.removed")
        jc.fields(removed, f"{place}.removed", ("nodes", "edges"), ("nodes", "edges"))
        out.append(obj)
    return out


def read_references(raw: Any, where: str, graph: "Graph") -> list[dict[str, Any]]:
    """Published values with their source; each names a node of the graph (or an entry of one)."""
    out = []
    for place, obj in jc.objects(raw, where):
        jc.fields(obj, place, ("node", "quantity", "value", "source"), REFERENCE_FIELDS)
        node = jc.want_str(obj["node"], f"{place}.node")
        if node not in graph.nodes and not _entry_of_expansion(graph, node):
            raise Bad(f"{place}.node", f"there is no node {node!r}")
        quantity = jc.want_str(obj["quantity"], f"{place}.quantity")
        if quantity not in QUANTITIES:
            raise Bad(f"{place}.quantity", f"must be 'value' or 'gradient', not {quantity!r}")
        jc.want_array(obj["value"], f"{place}.value")
        jc.want_str(obj["source"], f"{place}.source")
        for name in ("place", "variant"):
            if name in obj:
                jc.want_str(obj[name], f"{place}.{name}")
        if "index" in obj:
            for k, n in enumerate(jc.want_list(obj["index"], f"{place}.index")):
                if jc.want_int(n, f"{place}.index[{k}]") < 0:
                    raise Bad(f"{place}.index[{k}]", f"must be 0 or more, not {n}")
        if "after_updates" in obj:
            after = jc.want_int(obj["after_updates"], f"{place}.after_updates")
            if after < 0:
                raise Bad(f"{place}.after_updates", f"must be 0 or more, not {brief(after)}")
            if after > MAX_REFERENCE_UPDATES:  # checking a reference runs that many updates
                raise Bad(f"{place}.after_updates", f"must be at most {MAX_REFERENCE_UPDATES:,}, not {brief(after)}")
        out.append(obj)
    return out


def references_to_save(graph: "Graph") -> list[dict[str, Any]]:
    """The published values a file keeps: those of nodes the graph still has (a deleted node's go
    with it, so what is saved always loads; undoing the deletion before a save brings them back)."""
    return [ref for ref in graph.references if ref["node"] in graph.nodes or _entry_of_expansion(graph, ref["node"])]


def exercise_to_save(graph: "Graph") -> dict[str, Any] | None:
    """The exercise a file keeps: its hand-picked nodes that still exist (none left: no exercise)."""
    exercise = graph.exercise
    if exercise is None or "nodes" not in exercise:
        return exercise
    nodes = [n for n in exercise["nodes"] if n in graph.nodes]
    if exercise.get("ask") == "nodes" and not nodes:
        return None
    return {**exercise, "nodes": nodes}


def read_exercise(raw: Any, where: str, graph: "Graph") -> dict[str, Any]:
    """Which steps an exercise asks and how close an answer must be."""
    obj = jc.want_object(raw, where)
    jc.fields(obj, where, ("ask",), EXERCISE_FIELDS)
    ask = jc.want_str(obj["ask"], f"{where}.ask")
    if ask not in ASK:
        raise Bad(f"{where}.ask", f"must be one of {', '.join(ASK)}, not {ask!r}")
    for k, node in enumerate(jc.want_list(obj.get("nodes", []), f"{where}.nodes")):
        if jc.want_str(node, f"{where}.nodes[{k}]") not in graph.nodes:
            raise Bad(f"{where}.nodes[{k}]", f"there is no node {node!r}")
    if ask == "nodes" and not obj.get("nodes"):
        raise Bad(f"{where}.nodes", "an exercise that asks hand-picked nodes needs at least one")
    if "tolerance" in obj:
        tol = jc.want_finite(obj["tolerance"], f"{where}.tolerance")
        if not 0 < tol < 1:
            raise Bad(f"{where}.tolerance", f"must be between 0 and 1, not {tol}")
    return obj


def _entry_of_expansion(graph: "Graph", node: str) -> bool:
    """A node an expansion removed (a weight matrix whose entries now stand alone)."""
    return any(node == n["id"] for e in graph.expansions for n in e["removed"]["nodes"])
