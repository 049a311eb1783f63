"""The workbench file format: a graph as versioned, readable JSON (see ``docs/file-format.md``).

Loading reads JSON only and never runs code. Every mistake in a document raises one
:class:`FormatError` naming the file and the place, e.g. ``nodes[3].op``. Saving is atomic:
the old file stays in place until the new one is complete on disk.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from core.data.csvfile import DataError
from core.data.dataset import missing_file_text
from core.format import brief, cut
from core.graph import Graph, GraphError, Node
from core.io import jsoncheck as jc
from core.io.atomic import write_atomic
from core.io.datasetfile import DataContext, dataset_dict, read_dataset
from core.io.jsoncheck import Bad
from core.io.jsontext import Progress, chunks, plain, to_text
from core.io.teaching import exercise_to_save, read_exercise, read_expansions, read_references, references_to_save
from core.ops import Op, all_ops, get_op
from core.position import MAX_COORDINATE, within_bounds
from core.settings import TrainingSettings

FORMAT = "backprop-workbench"
VERSION = 1
MESSAGE_PART = 300  # characters of a message's place, and of its reason
_TOP_FIELDS = ("format", "version", "name", "description", "nodes", "edges", "objective", "dataset", "training",
               "expanded", "references", "exercise")
_MAYBE_SURROGATE = r"\\u[dD][89a-fA-F]|[\ud800-\udfff]"  # an escaped or a bare surrogate


class FormatError(ValueError):
    """A document that cannot be read; ``where`` is its JSON path ('' for the whole document)."""

    def __init__(self, source: str, where: str, reason: str) -> None:
        where, reason = cut(where, MESSAGE_PART), cut(reason, MESSAGE_PART)  # a file's long texts, quoted
        self.source, self.where, self.reason = source, where, reason
        super().__init__(f"{source}: {where}: {reason}" if where else f"{source}: {reason}")


class DataFileMissing(FormatError):
    """The CSV file a graph's dataset refers to is not there; ``path`` is where it was looked for.
    Load again with ``data_path`` set to where it is now. ``graph`` is the document read whole,
    its dataset without rows (``Dataset.missing``), for a caller that can go on without them."""

    def __init__(self, source: str, path: Path, graph: Graph) -> None:
        self.path, self.graph = path, graph
        super().__init__(source, "dataset.csv", missing_file_text(path))


# ------------------------------------------------------------------ reading
def load(path: str | os.PathLike[str], data_path: str | os.PathLike[str] | None = None) -> Graph:
    """Read a graph from a file. Raises ``FormatError`` for a bad document (``DataFileMissing`` when
    its CSV is not found), ``OSError`` when unreadable. ``data_path``: read a CSV-backed dataset
    from this file instead, with the graph's column mapping (relative to the current folder, not
    to the graph file's)."""
    p = Path(path)
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(p.name, "", f"not UTF-8 text (bad byte at offset {exc.start})") from None
    return loads(text, source=p.name, base=p.absolute().parent, data_path=data_path)


def loads(
    text: str, source: str = "<text>", base: str | os.PathLike[str] | None = None,
    data_path: str | os.PathLike[str] | None = None,
) -> Graph:
    """Read a graph from JSON text; ``source`` names it in error messages; a CSV path in it is
    relative to ``base`` (the current folder when None)."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise FormatError(source, f"line {exc.lineno}, column {exc.colno}", f"bad JSON: {exc.msg}") from None
    except Bad as bad:
        raise FormatError(source, bad.where, bad.reason) from None
    except RecursionError:
        raise FormatError(source, "", "bad JSON: nested too deeply") from None
    except ValueError as exc:
        raise FormatError(source, "", f"bad JSON: {exc}") from None
    if re.search(_MAYBE_SURROGATE, text):  # only then is the document walked for lone surrogates
        try:
            jc.no_lone_surrogates(data)
        except Bad as bad:
            raise FormatError(source, bad.where, bad.reason) from None
    return from_dict(data, source, base, data_path)


def from_dict(
    data: Any, source: str = "<data>", base: str | os.PathLike[str] | None = None,
    data_path: str | os.PathLike[str] | None = None,
) -> Graph:
    """Build a graph from a parsed document (plain dicts, lists, numbers and text)."""
    ctx = DataContext(Path(base) if base is not None else None, Path(data_path) if data_path is not None else None)
    try:
        graph = _read_document(data, ctx)
    except DataError as exc:  # named by the data file, line and column, not by the graph file
        raise FormatError(exc.source, exc.place, exc.reason) from None
    except Bad as bad:
        raise FormatError(source, bad.where, bad.reason) from None
    if ctx.missing is not None:
        raise DataFileMissing(source, ctx.missing, graph)
    return graph


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise Bad("", f"bad JSON: the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _read_document(data: Any, ctx: DataContext) -> Graph:
    if not isinstance(data, dict):
        raise Bad("", f"not a {FORMAT} file: the top level is {jc.kind(data)}, not an object")
    if "format" not in data:
        raise Bad("", f"not a {FORMAT} file: missing field 'format'")
    if data["format"] != FORMAT:
        raise Bad("format", f"expected {FORMAT!r}, found {jc.kind(data['format'])}")
    jc.fields(data, "", ("version",), ())
    version = jc.want_int(data["version"], "version")
    if version > VERSION:
        raise Bad("version", f"written by a newer version ({brief(version)}); this one reads up to {VERSION}")
    if version < 1:
        raise Bad("version", f"must be 1 or more, not {brief(version)}")
    jc.fields(data, "", ("format", "version", "nodes", "edges"), _TOP_FIELDS)

    graph = Graph()
    graph.name = jc.want_str(data.get("name", ""), "name")
    graph.description = jc.want_str(data.get("description", ""), "description")
    if data.get("training") is not None:
        graph.set_settings(_read_training(data["training"], "training"))
    if data.get("dataset") is not None:
        graph.set_dataset(read_dataset(data["dataset"], "dataset", ctx))
    seen: dict[str, str] = {}
    for where, obj in jc.objects(data["nodes"], "nodes"):
        _read_node(graph, obj, where, seen)
    _read_edges(graph, data["edges"])
    objective = data.get("objective")
    if objective is not None:
        objective = jc.want_str(objective, "objective")
        if objective not in graph.nodes:
            raise Bad("objective", f"there is no node {objective!r}")
        graph.set_objective(objective)
    if data.get("expanded") is not None:
        graph.expansions = read_expansions(data["expanded"], "expanded", graph)
    if data.get("references") is not None:
        graph.references = read_references(data["references"], "references", graph)
    if data.get("exercise") is not None:
        graph.exercise = read_exercise(data["exercise"], "exercise", graph)
    return graph


def _read_node(graph: Graph, obj: dict[str, Any], where: str, seen: dict[str, str]) -> None:
    jc.fields(obj, where, ("id", "op"), ("id", "op", "attrs", "pos", "value"))
    node_id = jc.want_str(obj["id"], f"{where}.id")
    if node_id in seen:
        raise Bad(f"{where}.id", f"duplicate node id {node_id!r} (first at {seen[node_id]})")
    try:
        op = get_op(jc.want_str(obj["op"], f"{where}.op"))
    except KeyError as exc:
        raise Bad(f"{where}.op", str(exc.args[0])) from None
    attrs = _read_attrs(op, obj.get("attrs", {}), f"{where}.attrs")
    pos = (0.0, 0.0)
    if "pos" in obj:
        items = jc.want_list(obj["pos"], f"{where}.pos")
        if len(items) != 2:
            raise Bad(f"{where}.pos", f"expected [x, y], found a list of {len(items)}")
        pos = (_coordinate(items[0], f"{where}.pos[0]"), _coordinate(items[1], f"{where}.pos[1]"))
    value = None
    if op.holds_value:
        if "value" not in obj:
            raise Bad(where, f"missing field 'value' (a {op.type} holds a number or nested list)")
        value = jc.want_array(obj["value"], f"{where}.value")
    elif "value" in obj:
        holders = " and ".join(o.type for o in all_ops() if o.holds_value)
        raise Bad(f"{where}.value", f"a {op.type} node holds no value (only {holders} do)")
    try:
        graph.add_node(op.type, node_id, attrs=attrs, pos=pos, value=value)
    except GraphError as exc:
        raise Bad(f"{where}.id", str(exc)) from None
    seen[node_id] = where


def _coordinate(obj: Any, where: str) -> float:
    """One coordinate of a node's place: the canvas indexes its edges by cells of the scene, so a
    node billions of units away made it ask for exabytes (at most :data:`MAX_COORDINATE`)."""
    value = jc.want_finite(obj, where)
    if abs(value) > MAX_COORDINATE:
        raise Bad(where, f"must be from -{MAX_COORDINATE:,} to {MAX_COORDINATE:,}, not {brief(obj)}")
    return value


def _read_attrs(op: Op, raw: Any, where: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for name, value in jc.want_object(raw, where).items():
        place = jc.key_path(where, name)
        try:
            spec = op.attr_spec(name)
        except KeyError:
            known = ", ".join(s.name for s in op.attrs) or "none"
            raise Bad(place, f"{op.type} has no attribute {name!r} (attributes: {known})") from None
        try:
            attrs[name] = spec.coerce(value)
        except ValueError as exc:
            raise Bad(place, str(exc)) from None
    return attrs


def _read_edges(graph: Graph, edges: Any) -> None:
    placed: dict[tuple[str, str], str] = {}
    for where, obj in jc.objects(edges, "edges"):
        jc.fields(obj, where, ("from", "to", "port"), ("from", "to", "port"))
        src = jc.want_str(obj["from"], f"{where}.from")
        dst = jc.want_str(obj["to"], f"{where}.to")
        port = jc.want_str(obj["port"], f"{where}.port")
        for key, node_id in (("from", src), ("to", dst)):
            if node_id not in graph.nodes:
                raise Bad(f"{where}.{key}", f"there is no node {node_id!r}")
        target = graph.nodes[dst]
        if port not in target.inputs:
            ports = ", ".join(target.inputs) or "none"
            raise Bad(f"{where}.port", f"{target.label()} has no input {port!r} (inputs: {ports})")
        existing = graph.edge_into(dst, port)
        if existing is not None:
            raise Bad(where, f"input {dst}.{port} is connected already (from {existing.src}, at {placed[(dst, port)]})")
        if graph.would_cycle(src, dst):
            raise Bad(where, f"the edge {src} → {dst} would make a cycle")
        try:
            graph.connect(src, dst, port)
        except GraphError as exc:
            raise Bad(where, str(exc)) from None
        placed[(dst, port)] = where


def _read_training(raw: Any, where: str) -> TrainingSettings:
    obj = jc.want_object(raw, where)
    types = TrainingSettings.field_types()
    jc.fields(obj, where, (), tuple(types))
    values: dict[str, Any] = {}
    for name, value in obj.items():
        place = f"{where}.{name}"
        kind = types[name]
        if kind is bool:
            values[name] = jc.want_bool(value, place)
        elif kind is str:
            values[name] = jc.want_str(value, place)
        else:
            values[name] = jc.want_int(value, place) if kind is int else jc.want_number(value, place)
    if values.get("seed", 0) < 0:
        raise Bad(f"{where}.seed", f"must be 0 or more, not {brief(values['seed'])}")
    try:
        return TrainingSettings(**values)
    except ValueError as exc:
        raise Bad(where, str(exc)) from None


# ------------------------------------------------------------------ writing
def to_dict(
    graph: Graph, node_ids: Iterable[str] | None = None, base: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """The document of ``graph`` as plain data; a CSV path is written relative to ``base`` (the
    folder the file goes to) when given.

    With ``node_ids``, a fragment (for copy and paste): only those nodes, the edges between
    them, and the objective if it is among them; no dataset or training settings.
    """
    doc: dict[str, Any] = plain(_document(graph, node_ids, base))
    return doc


def _document(
    graph: Graph, node_ids: Iterable[str] | None = None, base: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """:func:`to_dict` with the values and the dataset's fields still arrays (``core.io.jsontext``
    writes them a few rows at a time)."""
    if node_ids is None:
        keep = set(graph.nodes)
    else:
        keep = {graph.node(n).id for n in node_ids}
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "name": graph.name,
        "description": graph.description,
        "nodes": [_node_dict(node) for node in graph.nodes.values() if node.id in keep],
        "edges": [{"from": e.src, "to": e.dst, "port": e.port} for e in graph.edges if e.src in keep and e.dst in keep],
    }
    if graph.objective is not None and graph.objective in keep:
        doc["objective"] = graph.objective
    if node_ids is None:
        if graph.dataset is not None:
            doc["dataset"] = dataset_dict(graph.dataset, Path(base) if base is not None else None)
        doc["training"] = graph.settings.to_dict()
        if graph.expansions:
            doc["expanded"] = graph.expansions
        references, exercise = references_to_save(graph), exercise_to_save(graph)
        if references:
            doc["references"] = references
        if exercise is not None:
            doc["exercise"] = exercise
    return doc


def _node_dict(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "op": node.op_type}
    attrs = {k: v for k, v in node.attrs.items() if not (k == "names" and v == "")}  # no entry names: not written
    if attrs:
        out["attrs"] = attrs
    out["pos"] = list(within_bounds(node.pos))  # a place the loader refuses is never written
    if node.value is not None:
        out["value"] = np.asarray(node.value, dtype=float)
    return out


def dumps(graph: Graph, base: str | os.PathLike[str] | None = None) -> str:
    """The document as JSON text: two-space indents, short objects and rows of numbers on one line."""
    return to_text(_document(graph, base=base))


def save(graph: Graph, path: str | os.PathLike[str], progress: Progress | None = None) -> None:
    """Write ``graph`` to ``path`` atomically (see :func:`core.io.atomic.write_atomic`); a CSV the
    dataset reads is written relative to the file's folder. The text is made and written in chunks
    (``core.io.jsontext.chunks``); before each, ``progress(done, total)`` (numbers of the big arrays)
    may return False to stop: :class:`~core.io.atomic.WriteCancelled`, and the old file stays."""
    write_atomic(path, chunks(_document(graph, base=Path(path).absolute().parent), progress))
