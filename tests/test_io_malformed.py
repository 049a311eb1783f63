"""Malformed documents: one clear message naming the place, never a crash; loading runs no code."""
from __future__ import annotations

import copy
import json
import random
import tokenize
from pathlib import Path
from typing import Any, Callable

import pytest
from helpers import EXAMPLES, assert_graphs_equal, build_mazur

from core.io import fileformat as io
from core.validation import validate


def _mazur_doc() -> dict[str, Any]:
    return json.loads(json.dumps(io.to_dict(build_mazur())))


# build_mazur's node order: x, t, W1, b1, affine1, sigmoid1, W2, b2, affine2, sigmoid2, loss
Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = _parse(path)
        target: Any = doc
        for key in parents:
            target = target[key]
        target[last] = value
    return mutate


def _drop(path: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = _parse(path)
        target: Any = doc
        for key in parents:
            target = target[key]
        del target[last]
    return mutate


def _append(path: str, value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in _parse(path):
            target = target[key]
        target.append(copy.deepcopy(value))
    return mutate


def _parse(path: str) -> list[Any]:
    keys: list[Any] = []
    for part in path.split("."):
        name, *indices = part.replace("]", "").split("[")
        keys.append(name)
        keys.extend(int(i) for i in indices)
    return keys


KNOWN_OPS = "Add, Affine, Constant"
CASES: list[tuple[str, Mutation, str]] = [
    ("missing format", _drop("format"), "not a backprop-workbench file: missing field 'format'"),
    ("wrong format", _set("format", "other-app"), "format: expected 'backprop-workbench', found text ('other-app')"),
    ("missing version", _drop("version"), "missing field 'version'"),
    ("version as text", _set("version", "1"), "version: expected a whole number, found text ('1')"),
    ("future version", _set("version", 2), "version: written by a newer version (2); this one reads up to 1"),
    ("version zero", _set("version", 0), "version: must be 1 or more, not 0"),
    ("missing nodes", _drop("nodes"), "missing field 'nodes'"),
    ("missing edges", _drop("edges"), "missing field 'edges'"),
    ("nodes not a list", _set("nodes", {}), "nodes: expected a list, found an object"),
    ("unknown top field", _set("colour", "red"), "unknown field 'colour' (fields: format, version, name, "
     "description, nodes, edges, objective, dataset, training, expanded, references, exercise)"),
    ("name not text", _set("name", 3), "name: expected text, found a number (3)"),
    ("node not an object", _set("nodes[1]", "t"), "nodes[1]: expected an object, found text ('t')"),
    ("node without op", _drop("nodes[3].op"), "nodes[3]: missing field 'op'"),
    ("node without id", _drop("nodes[0].id"), "nodes[0]: missing field 'id'"),
    ("id not text", _set("nodes[0].id", 7), "nodes[0].id: expected text, found a number (7)"),
    ("id with spaces", _set("nodes[0].id", "my x"), "nodes[0].id: 'my x' is not a valid node id "
     "(a letter or _, then letters, digits, _ . -, and perhaps an index such as [0,1])"),
    ("unknown node field", _set("nodes[4].colour", 1),
     "nodes[4]: unknown field 'colour' (fields: id, op, attrs, pos, value)"),
    ("unknown op", _set("nodes[3].op", "Foo"), f"nodes[3].op: unknown op 'Foo' (known ops: {KNOWN_OPS}"),
    ("op not text", _set("nodes[3].op", None), "nodes[3].op: expected text, found null"),
    ("unknown attribute", _set("nodes[0].attrs.colour", "red"),
     "nodes[0].attrs.colour: Input has no attribute 'colour' (attributes: field)"),
    ("attribute of an op without any", _set("nodes[4].attrs", {"k": 1}),
     "nodes[4].attrs.k: Affine has no attribute 'k' (attributes: none)"),
    ("bad attribute value", _set("nodes[2].attrs.trainable", "yes"),
     "nodes[2].attrs.trainable: trainable must be true or false, not 'yes'"),
    ("attrs not an object", _set("nodes[0].attrs", ["x"]), "nodes[0].attrs: expected an object, found a list of 1"),
    ("pos of three", _set("nodes[0].pos", [1, 2, 3]), "nodes[0].pos: expected [x, y], found a list of 3"),
    ("pos not numeric", _set("nodes[0].pos", ["a", 2]), "nodes[0].pos[0]: expected a number, found text ('a')"),
    ("pos not finite", _set("nodes[0].pos", [1e999, 2]),
     "nodes[0].pos[0]: expected a finite number, found a number (Infinity)"),
    ("value not numeric", _set("nodes[2].value", [[0.15, "a"], [0.2, 0.3]]),
     "nodes[2].value[0][1]: expected a number, found text ('a')"),
    ("value a boolean", _set("nodes[3].value", True), "nodes[3].value: expected a number, found a boolean (true)"),
    ("ragged value", _set("nodes[2].value", [[0.15, 0.25], [0.2]]),
     "nodes[2].value[1]: ragged: this is a list of 1 but nodes[2].value[0] is a list of 2"),
    ("ragged depth", _set("nodes[2].value", [[0.15, 0.25], 0.2]),
     "nodes[2].value[1]: ragged: this is a number but nodes[2].value[0] is a list of 2"),
    ("number too large", _set("nodes[3].value", [10**400]), "nodes[3].value: a number is too large"),
    ("parameter without value", _drop("nodes[2].value"),
     "nodes[2]: missing field 'value' (a Parameter holds a number or nested list)"),
    ("value on a computed node", _set("nodes[4].value", 1),
     "nodes[4].value: a Affine node holds no value (only Constant and Parameter do)"),
    ("duplicate node id", _set("nodes[6].id", "W1"), "nodes[6].id: duplicate node id 'W1' (first at nodes[2])"),
    ("edge not an object", _set("edges[2]", ["b1", "affine1"]), "edges[2]: expected an object, found a list of 2"),
    ("edge without port", _drop("edges[2].port"), "edges[2]: missing field 'port'"),
    ("edge from a missing node", _set("edges[0].from", "nope"), "edges[0].from: there is no node 'nope'"),
    ("edge to a missing node", _set("edges[9].to", "los"), "edges[9].to: there is no node 'los'"),
    ("edge to a missing port", _set("edges[0].port", "z"),
     "edges[0].port: affine1 (Affine) has no input 'z' (inputs: x, W, b)"),
    ("edge into a leaf", _set("edges[0].to", "b1"), "edges[0].port: b1 (Constant) has no input 'x' (inputs: none)"),
    ("two edges into one port", _append("edges", {"from": "b2", "to": "affine1", "port": "b"}),
     "edges[10]: input affine1.b is connected already (from b1, at edges[2])"),
    ("second edge into a loss target", _append("edges", {"from": "sigmoid2", "to": "loss", "port": "t"}),
     "edges[10]: input loss.t is connected already (from t, at edges[9])"),
    ("objective not a node", _set("objective", "nowhere"), "objective: there is no node 'nowhere'"),
    ("training not an object", _set("training", 0.5), "training: expected an object, found a number (0.5)"),
    ("unknown training field", _set("training.epochs", 3), "training: unknown field 'epochs' (fields: optimizer, "
     "learning_rate, steps, batch_size, seed, momentum, beta1, beta2, eps, keep_gradients)"),
    ("steps as text", _set("training.steps", "ten"), "training.steps: expected a whole number, found text ('ten')"),
    ("steps fractional", _set("training.steps", 2.5), "training.steps: expected a whole number, found a number (2.5)"),
    ("negative learning rate", _set("training.learning_rate", -1),
     "training: learning_rate must be positive, not -1.0"),
    ("unknown optimizer", _set("training.optimizer", "rmsprop"),
     "training: optimizer must be one of sgd, momentum, adam, not 'rmsprop'"),
    ("negative seed", _set("training.seed", -3), "training.seed: must be 0 or more, not -3"),
    ("dataset not an object", _set("dataset", []), "dataset: expected an object, found a list of 0"),
    ("dataset with neither", _set("dataset", {}), "dataset: missing field 'fields' or 'generator'"),
    ("dataset with both", _set("dataset.generator", "xor"),
     "dataset: give one of 'fields', 'generator' or 'csv', not 'fields' and 'generator'"),
    ("ragged dataset field", _set("dataset.fields.x", [[0.05, 0.1], [0.2]]),
     "dataset.fields.x[1]: ragged: this is a list of 1 but dataset.fields.x[0] is a list of 2"),
    ("dataset rows differ", _set("dataset.fields.x", [[0.05, 0.1], [0.2, 0.3]]),
     "dataset.fields: dataset fields have different numbers of rows (x: 2, t: 1)"),
    ("dataset field a number", _set("dataset.fields.x", 0.05),
     "dataset.fields.x: a field needs rows: a non-empty list"),
    ("dataset field empty", _set("dataset.fields.x", []), "dataset.fields.x: a field needs rows: a non-empty list"),
    ("dataset field name with a space", _set("dataset.fields", {"my x": [[1, "2"]]}),
     'dataset.fields["my x"][0][1]: expected a number, found text (\'2\')'),
    ("unknown generator", _set("dataset", {"generator": "moons", "size": 10}),
     "dataset.generator: unknown generator 'moons' (known: sine, spirals, xor)"),
    ("generator without size", _set("dataset", {"generator": "xor"}), "dataset: missing field 'size'"),
    ("generator size zero", _set("dataset", {"generator": "xor", "size": 0}),
     "dataset.size: must be from 1 to 1000000, not 0"),
    ("generator size enormous", _set("dataset", {"generator": "xor", "size": 10**12}),
     "dataset.size: must be from 1 to 1000000, not 1000000000000"),
    ("generator seed negative", _set("dataset", {"generator": "xor", "size": 4, "seed": -1}),
     "dataset.seed: must be 0 or more, not -1"),
]


@pytest.mark.parametrize("mutate,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_malformed_document_names_the_place(mutate: Mutation, expected: str) -> None:
    doc = _mazur_doc()
    mutate(doc)
    with pytest.raises(io.FormatError) as info:
        io.loads(json.dumps(doc), source="mazur.json")
    message = str(info.value)
    assert message.startswith(f"mazur.json: {expected}"), message
    assert message == f"mazur.json: {expected}" or expected.endswith(KNOWN_OPS)


def test_an_edge_closing_a_cycle_is_refused() -> None:
    doc = {"format": "backprop-workbench", "version": 1,
           "nodes": [{"id": "a", "op": "Sigmoid"}, {"id": "b", "op": "Tanh"}, {"id": "s", "op": "Add"}],
           "edges": [{"from": "a", "to": "b", "port": "x"}, {"from": "b", "to": "s", "port": "x"},
                     {"from": "s", "to": "a", "port": "x"}]}
    with pytest.raises(io.FormatError) as info:
        io.from_dict(doc, "loop.json")
    assert str(info.value) == "loop.json: edges[2]: the edge s → a would make a cycle"
    doc["edges"] = [{"from": "a", "to": "a", "port": "x"}]
    with pytest.raises(io.FormatError, match=r"^loop.json: edges\[0\]: the edge a → a would make a cycle$"):
        io.from_dict(doc, "loop.json")


@pytest.mark.parametrize(
    "text,expected",
    [
        ('{"format": "backprop-workbench",\n  "version": 1,,\n}',
         "mazur.json: line 2, column 16: bad JSON: Expecting property name enclosed in double quotes"),
        ('{"format": "backprop-workbench", "version": 1',
         "mazur.json: line 1, column 46: bad JSON: Expecting ',' delimiter"),
        ("", "mazur.json: line 1, column 1: bad JSON: Expecting value"),
        ("[1, 2]", "mazur.json: not a backprop-workbench file: the top level is a list of 2, not an object"),
        ('"hello"', "mazur.json: not a backprop-workbench file: the top level is text ('hello'), not an object"),
        ('{"format": "backprop-workbench", "format": "x"}',
         "mazur.json: bad JSON: the key 'format' appears twice in one object"),
        ("[" * 100_000 + "]" * 100_000, "mazur.json: bad JSON: nested too deeply"),
    ],
)
def test_bad_json_names_line_and_column(text: str, expected: str) -> None:
    with pytest.raises(io.FormatError) as info:
        io.loads(text, source="mazur.json")
    assert str(info.value) == expected


def test_the_error_carries_its_parts() -> None:
    doc = _mazur_doc()
    doc["nodes"][3]["op"] = "Foo"
    with pytest.raises(io.FormatError) as info:
        io.from_dict(doc, "mazur.json")
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.source, err.where) == ("mazur.json", "nodes[3].op")
    assert err.reason.startswith("unknown op 'Foo' (known ops: Add, ")


def test_load_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "backprop-workbench", "version": 3}', encoding="utf-8")
    with pytest.raises(io.FormatError, match=r"^broken\.json: version: written by a newer version \(3\)"):
        io.load(bad)
    binary = tmp_path / "picture.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    with pytest.raises(io.FormatError, match=r"^picture\.json: not UTF-8 text \(bad byte at offset 0\)$"):
        io.load(binary)
    with pytest.raises(FileNotFoundError):
        io.load(tmp_path / "missing.json")


def test_a_wrong_shape_for_its_consumer_loads_and_validation_names_it() -> None:
    doc = _mazur_doc()
    doc["nodes"][2]["value"] = [[1.0, 2.0, 3.0]]
    graph = io.from_dict(doc, "mazur.json")
    problems = [p for p in validate(graph) if p.kind == "shape"]
    assert [p.node for p in problems] == ["affine1"]
    assert "(1, 3)" in problems[0].message and "(1, 2)" in problems[0].message


_POOL: list[Any] = [None, True, False, -1, 0, 1, 2, 1.5, -0.0, 1e999, 10**400, "", "x", "Foo", "W1", "loss",
                    [], {}, [1, 2], [[1, 2], [3]], [[1, 2], [3, 4]], {"a": 1}, ["x", "y"]]


def _containers(obj: Any, out: list[Any]) -> None:
    if isinstance(obj, (dict, list)):
        out.append(obj)
        for child in obj.values() if isinstance(obj, dict) else obj:
            _containers(child, out)


@pytest.mark.parametrize("name", ["mazur", "apple_orange", "xor", "sine"])
def test_random_damage_gives_a_format_error_or_a_graph_never_a_crash(name: str) -> None:
    base = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    rng = random.Random(name)
    loaded = 0
    for _ in range(400):
        doc = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            spots: list[Any] = []
            _containers(doc, spots)
            spot = rng.choice(spots)
            keys = list(spot) if isinstance(spot, dict) else list(range(len(spot)))
            action = rng.random()
            if keys and action < 0.3:
                del spot[rng.choice(keys)]
            elif keys and action < 0.8:
                spot[rng.choice(keys)] = copy.deepcopy(rng.choice(_POOL))
            elif isinstance(spot, dict):
                spot[rng.choice(["id", "op", "value", "from", "to", "port", "fields", "generator", "extra"])] = \
                    copy.deepcopy(rng.choice(_POOL))
            else:
                spot.append(copy.deepcopy(rng.choice(spot) if spot else rng.choice(_POOL)))
        try:
            graph = io.loads(json.dumps(doc), source=f"{name}.json")
        except io.FormatError as exc:
            assert str(exc).startswith(f"{name}.json: ")
            continue
        loaded += 1
        validate(graph)
        assert_graphs_equal(graph, io.loads(io.dumps(graph)))
    assert 0 < loaded < 400


# ---------------------------------------------------- loading runs no code
def test_the_reader_uses_no_code_loading_machinery() -> None:
    source = Path(io.__file__)
    with source.open("rb") as f:
        names = {tok.string for tok in tokenize.tokenize(f.readline) if tok.type == tokenize.NAME}
    assert not names & {"eval", "exec", "compile", "pickle", "marshal", "importlib", "__import__", "yaml", "getattr"}


def test_code_in_every_text_field_stays_text(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    doc = _mazur_doc()
    doc["name"] = doc["description"] = code
    doc["nodes"][0]["attrs"]["field"] = code
    graph = io.from_dict(copy.deepcopy(doc), "evil.json")
    assert graph.name == code and graph.nodes["x"].attrs["field"] == code
    for mutate in (_set("nodes[4].op", code), _set("nodes[0].id", code), _set("edges[0].port", code),
                   _set("dataset", {"generator": code, "size": 4}), _set("training.optimizer", code),
                   _set("nodes[2].value", [[code]]), _set("objective", code)):
        broken = copy.deepcopy(doc)
        mutate(broken)
        with pytest.raises(io.FormatError):
            io.from_dict(broken, "evil.json")
    assert not marker.exists()
