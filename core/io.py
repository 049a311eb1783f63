"""The workbench file format: a graph as versioned, readable JSON (see ``docs/file-format.md``).

Loading reads JSON only and never runs code. Every mistake in a document raises one
:class:`FormatError` naming the file and the place, e.g. ``nodes[3].op``. Saving is atomic:
the old file stays in place until the new one is complete on disk.
"""
from __future__ import annotations

import json
import math
import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .data import GENERATORS, Dataset
from .graph import Graph, GraphError, Node
from .ops import Op, get_op
from .settings import TrainingSettings

FORMAT = "backprop-workbench"
VERSION = 1
MAX_DATASET_SIZE = 1_000_000  # rows a generator may be asked for
MAX_DIMS = 32
_WIDTH = 100  # dumps writes an object or list on one line when it fits in this many columns
_TOP_FIELDS = ("format", "version", "name", "description", "nodes", "edges", "objective", "dataset", "training")
_VALUE_OPS = ("Constant", "Parameter")
if sys.platform == "win32":
    _BINARY = os.O_BINARY  # no newline translation
else:
    _BINARY = 0


class FormatError(ValueError):
    """A document that cannot be read; ``where`` is its JSON path ('' for the whole document)."""

    def __init__(self, source: str, where: str, reason: str) -> None:
        self.source, self.where, self.reason = source, where, reason
        super().__init__(f"{source}: {where}: {reason}" if where else f"{source}: {reason}")


class _Bad(Exception):
    """Raised while reading: the place and the reason, before the source is known."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(where, reason)
        self.where, self.reason = where, reason


# ------------------------------------------------------------------ reading
def load(path: str | os.PathLike[str]) -> Graph:
    """Read a graph from a file. Raises ``FormatError`` for a bad document, ``OSError`` when unreadable."""
    p = Path(path)
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(p.name, "", f"not UTF-8 text (bad byte at offset {exc.start})") from None
    return loads(text, source=p.name)


def loads(text: str, source: str = "<text>") -> Graph:
    """Read a graph from JSON text; ``source`` names it in error messages."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise FormatError(source, f"line {exc.lineno}, column {exc.colno}", f"bad JSON: {exc.msg}") from None
    except _Bad as bad:
        raise FormatError(source, bad.where, bad.reason) from None
    except RecursionError:
        raise FormatError(source, "", "bad JSON: nested too deeply") from None
    except ValueError as exc:
        raise FormatError(source, "", f"bad JSON: {exc}") from None
    return from_dict(data, source)


def from_dict(data: Any, source: str = "<data>") -> Graph:
    """Build a graph from a parsed document (plain dicts, lists, numbers and text)."""
    try:
        return _read_document(data)
    except _Bad as bad:
        raise FormatError(source, bad.where, bad.reason) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Bad("", f"bad JSON: the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _read_document(data: Any) -> Graph:
    if not isinstance(data, dict):
        raise _Bad("", f"not a {FORMAT} file: the top level is {_kind(data)}, not an object")
    if "format" not in data:
        raise _Bad("", f"not a {FORMAT} file: missing field 'format'")
    if data["format"] != FORMAT:
        raise _Bad("format", f"expected {FORMAT!r}, found {_kind(data['format'])}")
    _fields(data, "", ("version",), ())
    version = _int(data["version"], "version")
    if version > VERSION:
        raise _Bad("version", f"written by a newer version ({version}); this one reads up to {VERSION}")
    if version < 1:
        raise _Bad("version", f"must be 1 or more, not {version}")
    _fields(data, "", ("format", "version", "nodes", "edges"), _TOP_FIELDS)

    graph = Graph()
    graph.name = _str(data.get("name", ""), "name")
    graph.description = _str(data.get("description", ""), "description")
    if data.get("training") is not None:
        graph.set_settings(_read_training(data["training"], "training"))
    if data.get("dataset") is not None:
        graph.set_dataset(_read_dataset(data["dataset"], "dataset"))
    seen: dict[str, str] = {}
    for i, raw in enumerate(_list(data["nodes"], "nodes")):
        _read_node(graph, raw, f"nodes[{i}]", seen)
    _read_edges(graph, _list(data["edges"], "edges"))
    objective = data.get("objective")
    if objective is not None:
        objective = _str(objective, "objective")
        if objective not in graph.nodes:
            raise _Bad("objective", f"there is no node {objective!r}")
        graph.set_objective(objective)
    return graph


def _read_node(graph: Graph, raw: Any, where: str, seen: dict[str, str]) -> None:
    obj = _object(raw, where)
    _fields(obj, where, ("id", "op"), ("id", "op", "attrs", "pos", "value"))
    node_id = _str(obj["id"], f"{where}.id")
    if node_id in seen:
        raise _Bad(f"{where}.id", f"duplicate node id {node_id!r} (first at {seen[node_id]})")
    try:
        op = get_op(_str(obj["op"], f"{where}.op"))
    except KeyError as exc:
        raise _Bad(f"{where}.op", str(exc.args[0])) from None
    attrs = _read_attrs(op, obj.get("attrs", {}), f"{where}.attrs")
    pos = (0.0, 0.0)
    if "pos" in obj:
        items = _list(obj["pos"], f"{where}.pos")
        if len(items) != 2:
            raise _Bad(f"{where}.pos", f"expected [x, y], found a list of {len(items)}")
        pos = (_finite(items[0], f"{where}.pos[0]"), _finite(items[1], f"{where}.pos[1]"))
    value = None
    if op.type in _VALUE_OPS:
        if "value" not in obj:
            raise _Bad(where, f"missing field 'value' (a {op.type} holds a number or nested list)")
        value = _array(obj["value"], f"{where}.value")
    elif "value" in obj:
        raise _Bad(f"{where}.value", f"a {op.type} node holds no value (only Constant and Parameter do)")
    try:
        graph.add_node(op.type, node_id, attrs=attrs, pos=pos, value=value)
    except GraphError as exc:
        raise _Bad(f"{where}.id", str(exc)) from None
    seen[node_id] = where


def _read_attrs(op: Op, raw: Any, where: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for name, value in _object(raw, where).items():
        place = _key_path(where, name)
        try:
            spec = op.attr_spec(name)
        except KeyError:
            known = ", ".join(s.name for s in op.attrs) or "none"
            raise _Bad(place, f"{op.type} has no attribute {name!r} (attributes: {known})") from None
        try:
            attrs[name] = spec.coerce(value)
        except ValueError as exc:
            raise _Bad(place, str(exc)) from None
    return attrs


def _read_edges(graph: Graph, edges: list[Any]) -> None:
    placed: dict[tuple[str, str], str] = {}
    for i, raw in enumerate(edges):
        where = f"edges[{i}]"
        obj = _object(raw, where)
        _fields(obj, where, ("from", "to", "port"), ("from", "to", "port"))
        src = _str(obj["from"], f"{where}.from")
        dst = _str(obj["to"], f"{where}.to")
        port = _str(obj["port"], f"{where}.port")
        for key, node_id in (("from", src), ("to", dst)):
            if node_id not in graph.nodes:
                raise _Bad(f"{where}.{key}", f"there is no node {node_id!r}")
        target = graph.nodes[dst]
        if port not in target.inputs:
            ports = ", ".join(target.inputs) or "none"
            raise _Bad(f"{where}.port", f"{target.label()} has no input {port!r} (inputs: {ports})")
        existing = graph.edge_into(dst, port)
        if existing is not None:
            raise _Bad(where, f"input {dst}.{port} is connected already (from {existing.src}, at {placed[(dst, port)]})")
        if graph.would_cycle(src, dst):
            raise _Bad(where, f"the edge {src} → {dst} would make a cycle")
        try:
            graph.connect(src, dst, port)
        except GraphError as exc:
            raise _Bad(where, str(exc)) from None
        placed[(dst, port)] = where


def _read_training(raw: Any, where: str) -> TrainingSettings:
    obj = _object(raw, where)
    types = TrainingSettings.field_types()
    _fields(obj, where, (), tuple(types))
    values: dict[str, Any] = {}
    for name, value in obj.items():
        place = f"{where}.{name}"
        kind = types[name]
        values[name] = _str(value, place) if kind is str else _int(value, place) if kind is int else _number(value, place)
    if values.get("seed", 0) < 0:
        raise _Bad(f"{where}.seed", f"must be 0 or more, not {values['seed']}")
    try:
        return TrainingSettings(**values)
    except ValueError as exc:
        raise _Bad(where, str(exc)) from None


def _read_dataset(raw: Any, where: str) -> Dataset:
    obj = _object(raw, where)
    if "fields" in obj and "generator" in obj:
        raise _Bad(where, "give either 'fields' or 'generator', not both")
    if "generator" in obj:
        _fields(obj, where, ("generator", "size"), ("generator", "size", "seed"))
        name = _str(obj["generator"], f"{where}.generator")
        if name not in GENERATORS:
            raise _Bad(f"{where}.generator", f"unknown generator {name!r} (known: {', '.join(sorted(GENERATORS))})")
        size = _int(obj["size"], f"{where}.size")
        if not 1 <= size <= MAX_DATASET_SIZE:
            raise _Bad(f"{where}.size", f"must be from 1 to {MAX_DATASET_SIZE}, not {size}")
        seed = _int(obj.get("seed", 0), f"{where}.seed")
        if seed < 0:
            raise _Bad(f"{where}.seed", f"must be 0 or more, not {seed}")
        try:
            return Dataset.generate(name, size, seed)
        except ValueError as exc:
            raise _Bad(where, str(exc)) from None
    if "fields" not in obj:
        raise _Bad(where, "missing field 'fields' or 'generator'")
    _fields(obj, where, ("fields",), ("fields",))
    place = f"{where}.fields"
    fields: dict[str, np.ndarray] = {}
    for name, value in _object(obj["fields"], place).items():
        arr = _array(value, _key_path(place, name))
        if arr.ndim == 0 or arr.shape[0] == 0:
            raise _Bad(_key_path(place, name), "a field needs rows: a non-empty list")
        fields[name] = arr
    try:
        return Dataset(fields)
    except ValueError as exc:
        raise _Bad(place, str(exc)) from None


# ------------------------------------------------------------- JSON checks
def _kind(obj: Any) -> str:
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return f"a boolean ({'true' if obj else 'false'})"
    if isinstance(obj, (int, float)):
        text = json.dumps(obj)
        return f"a number ({text if len(text) < 30 else text[:27] + '...'})"
    if isinstance(obj, str):
        return f"text ({obj if len(obj) < 30 else obj[:27] + '...'!r})" if obj else "empty text"
    if isinstance(obj, list):
        return f"a list of {len(obj)}"
    if isinstance(obj, dict):
        return "an object"
    return type(obj).__name__


def _wrong(obj: Any, where: str, expected: str) -> _Bad:
    return _Bad(where, f"expected {expected}, found {_kind(obj)}")


def _object(obj: Any, where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise _wrong(obj, where, "an object")
    return obj


def _list(obj: Any, where: str) -> list[Any]:
    if not isinstance(obj, list):
        raise _wrong(obj, where, "a list")
    return obj


def _str(obj: Any, where: str) -> str:
    if not isinstance(obj, str):
        raise _wrong(obj, where, "text")
    return obj


def _int(obj: Any, where: str) -> int:
    if isinstance(obj, bool) or not isinstance(obj, int):
        raise _wrong(obj, where, "a whole number")
    return obj


def _number(obj: Any, where: str) -> float:
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise _wrong(obj, where, "a number")
    try:
        return float(obj)
    except OverflowError:
        raise _Bad(where, "the number is too large") from None


def _finite(obj: Any, where: str) -> float:
    value = _number(obj, where)
    if not math.isfinite(value):
        raise _Bad(where, f"expected a finite number, found {_kind(obj)}")
    return value


def _fields(obj: dict[str, Any], where: str, required: Iterable[str], allowed: Iterable[str]) -> None:
    """Raise for the first missing required field, then (when ``allowed`` is given) an unknown one."""
    for name in required:
        if name not in obj:
            raise _Bad(where, f"missing field {name!r}")
    allowed = tuple(allowed)
    if allowed:
        for name in obj:
            if name not in allowed:
                raise _Bad(where, f"unknown field {name!r} (fields: {', '.join(allowed)})")


def _key_path(where: str, key: str) -> str:
    simple = key.isidentifier()
    return f"{where}.{key}" if simple else f"{where}[{json.dumps(key, ensure_ascii=False)}]"


def _array(obj: Any, where: str) -> np.ndarray:
    """A number or a rectangular nested list of numbers, as a float array."""
    _shape(obj, where, 0)
    try:
        return np.array(obj, dtype=float)
    except (OverflowError, ValueError):
        raise _Bad(where, "a number is too large") from None


def _shape(obj: Any, where: str, depth: int) -> tuple[int, ...]:
    if not isinstance(obj, list):
        _number(obj, where)
        return ()
    if depth >= MAX_DIMS:
        raise _Bad(where, f"lists nested deeper than {MAX_DIMS} levels")
    if not obj:
        return (0,)
    if all(type(v) in (int, float) for v in obj):
        return (len(obj),)
    first = _shape(obj[0], f"{where}[0]", depth + 1)
    for i in range(1, len(obj)):
        shape = _shape(obj[i], f"{where}[{i}]", depth + 1)
        if shape != first:
            raise _Bad(f"{where}[{i}]", f"ragged: this is {_describe(shape)} but {where}[0] is {_describe(first)}")
    return (len(obj),) + first


def _describe(shape: tuple[int, ...]) -> str:
    if not shape:
        return "a number"
    if len(shape) == 1:
        return f"a list of {shape[0]}"
    return f"a {'×'.join(map(str, shape))} nested list"


# ------------------------------------------------------------------ writing
def to_dict(graph: Graph, node_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """The document of ``graph`` as plain data.

    With ``node_ids``, a fragment (for copy and paste): only those nodes, the edges between
    them, and the objective if it is among them; no dataset or training settings.
    """
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
            doc["dataset"] = _dataset_dict(graph.dataset)
        doc["training"] = graph.settings.to_dict()
    return doc


def _node_dict(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "op": node.op_type}
    if node.attrs:
        out["attrs"] = dict(node.attrs)
    out["pos"] = [float(node.pos[0]), float(node.pos[1])]
    if node.value is not None:
        out["value"] = np.asarray(node.value, dtype=float).tolist()
    return out


def _dataset_dict(dataset: Dataset) -> dict[str, Any]:
    if dataset.generator is not None:
        return {"generator": dataset.generator, "size": dataset.size, "seed": dataset.seed}
    return {"fields": {name: arr.tolist() for name, arr in dataset.fields.items()}}


def dumps(graph: Graph) -> str:
    """The document as JSON text: two-space indents, short objects and rows of numbers on one line."""
    lines: list[str] = []
    _emit(to_dict(graph), "", lines, "")
    return "\n".join(lines) + "\n"


def _emit(obj: Any, indent: str, lines: list[str], head: str, tail: str = "") -> None:
    """Append ``obj`` to ``lines``: ``head`` before it on its first line, ``tail`` after it."""
    if not isinstance(obj, (dict, list)) or (isinstance(obj, list) and not any(isinstance(v, (list, dict)) for v in obj)):
        flat: str | None = _flat(obj)  # a scalar or a row of numbers: always one line
    else:
        flat = _flat_within(obj, _WIDTH - len(indent) - len(head) - len(tail))
    if flat is not None:
        lines.append(f"{indent}{head}{flat}{tail}")
        return
    inner = indent + "  "
    if isinstance(obj, dict):
        lines.append(f"{indent}{head}{{")
        items = list(obj.items())
        for i, (key, value) in enumerate(items):
            _emit(value, inner, lines, f"{_text(key)}: ", "," if i < len(items) - 1 else "")
        lines.append(f"{indent}}}{tail}")
    else:
        lines.append(f"{indent}{head}[")
        for i, value in enumerate(obj):
            _emit(value, inner, lines, "", "," if i < len(obj) - 1 else "")
        lines.append(f"{indent}]{tail}")


def _flat_within(obj: Any, budget: int) -> str | None:
    """``obj`` on one line if that takes at most ``budget`` characters, else ``None`` (found early)."""
    if not isinstance(obj, (dict, list)):
        text = _flat(obj)
        return text if len(text) <= budget else None
    parts: list[str] = []
    used = 2  # the brackets
    for key, value in obj.items() if isinstance(obj, dict) else enumerate(obj):
        prefix = f"{_text(key)}: " if isinstance(obj, dict) else ""
        used += len(prefix) + (2 if parts else 0)
        part = _flat_within(value, budget - used)
        if part is None:
            return None
        parts.append(prefix + part)
        used += len(part)
    return ("{" if isinstance(obj, dict) else "[") + ", ".join(parts) + ("}" if isinstance(obj, dict) else "]")


def _flat(obj: Any) -> str:
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{_text(k)}: {_flat(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(_flat(v) for v in obj) + "]"
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if isinstance(obj, (int, float)):
        return _number_text(obj)
    return _text(str(obj))


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _number_text(x: int | float) -> str:
    """Shortest text that reads back to the same bits; whole floats without '.0'."""
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        return json.dumps(x)
    if x.is_integer() and abs(x) < 1e15 and math.copysign(1.0, x) > 0:
        return str(int(x))
    return repr(x)


def save(graph: Graph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` to ``path`` atomically: a temporary file in the same folder, synced, then
    renamed over the old one. On any error the old file is untouched and the temporary removed."""
    data = dumps(graph).encode("utf-8")
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    tmp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if os.path.exists(target):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    _sync_folder(folder)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _sync_folder(folder: str) -> None:
    """Make the rename durable where the system allows syncing a folder (POSIX)."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
