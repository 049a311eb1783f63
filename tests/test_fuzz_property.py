"""Property: a damaged copy of a shipped example, read by the loader, by ``save-as`` or by the
window's open path, ends in a one-line message or in a graph that saves and reloads equal;
never a traceback, never a hang (each example runs under the profile's deadline).

The damage is the fuzzer's: deleted keys, wrong types, huge numbers, deep nesting, dangling
references, truncated bytes, lone surrogates, huge shapes and sizes, and code-like strings
(which must stay text: the marker file the code would create never appears).
"""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES, assert_graphs_equal
from hypothesis import event, given
from hypothesis import strategies as st

from core.io import fileformat as io
from core.validation import validate

SOURCES = ["mazur", "apple_orange", "xor", "sine", "iris"]  # iris reads ../data/iris.csv
DOCS = {name: json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")) for name in SOURCES}
MARKER = Path("/tmp/backprop-workbench-fuzz-marker")
CODE = [f"__import__('pathlib').Path('{MARKER}').touch()", "eval('1+1')", "${HOME}", "$(touch x)",
        "<script>alert(1)</script>", "'; DROP TABLE nodes; --", "{{7*7}}", "os.system('ls')", "lambda: 0"]
WRONG = [None, True, False, 0, -1, 1.5, "", "x", [], {}, [1, 2], [[1, 2], [3]], {"a": 1}]
HUGE = [10**20, 2**31, 2**63, 2**64, 10**400, 10**3999, -(10**3999), 1e308, -1e308, float("inf"), float("nan")]
SHAPES = [[], [[]], [[[]]], [[0.5] * 30_000], [[0.5]] * 30_000, 1.0]
DEEP = "__DEEP__"
# what one damage does; text and code-like strings twice, as they often leave a file that loads
KINDS = ["delete", "wrong", "huge", "deep", "dangle", "surrogate", "shape", "code", "code", "text", "text"]
ODD_TEXT = ["Ωμέγα 😀", "tab\tnew\nline", "nul\u0000", "\u202eright-to-left", "a" * 10_000, "  "]


def _containers(obj: Any, out: list[Any]) -> list[Any]:
    if isinstance(obj, (dict, list)):
        out.append(obj)
        for child in obj.values() if isinstance(obj, dict) else obj:
            _containers(child, out)
    return out


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """(example name, the bytes of a damaged copy of it)."""
    name = draw(st.sampled_from(SOURCES))
    doc = copy.deepcopy(DOCS[name])
    depth = 0
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(KINDS))
        spots = _containers(doc, [])
        spot = spots[draw(st.integers(0, len(spots) - 1))]
        keys = list(spot) if isinstance(spot, dict) else list(range(len(spot)))
        if kind == "dangle":
            _dangle(doc, draw)
        elif kind == "shape":
            _huge_shape(doc, draw)
        elif not keys:
            continue
        elif kind == "delete":
            del spot[draw(st.sampled_from(keys))]
        else:
            key = draw(st.sampled_from(keys))
            if kind == "wrong":
                spot[key] = copy.deepcopy(draw(st.sampled_from(WRONG)))
            elif kind == "huge":
                spot[key] = draw(st.sampled_from(HUGE))
            elif kind == "deep":
                spot[key] = DEEP
                depth = draw(st.sampled_from([2, 40, 1_000, 200_000]))
            elif kind == "surrogate":
                text = spot[key] if isinstance(spot[key], str) else "x"
                at = draw(st.integers(0, len(text)))
                spot[key] = text[:at] + draw(st.sampled_from(["\ud800", "\udfff", "\udc00x"])) + text[at:]
            else:  # code-like or odd text where text belongs (a name, an id, a field), else anywhere
                texts = [(c, k) for c in spots for k in (c if isinstance(c, dict) else range(len(c)))
                         if isinstance(c[k], str)]
                spot, key = texts[draw(st.integers(0, len(texts) - 1))] if texts else (spot, key)
                spot[key] = draw(st.sampled_from(CODE if kind == "code" else ODD_TEXT))
    text = json.dumps(doc)  # ensure_ascii: a lone surrogate is written as the escape "\ud800"
    if depth:
        text = text.replace(json.dumps(DEEP), "[" * depth + "1" + "]" * depth, 1)
    data = text.encode("utf-8")
    if draw(st.integers(0, 7)) == 0:  # an eighth of the cases: cut short
        data = data[: draw(st.integers(0, len(data)))]
    return name, data


def _dicts(obj: Any) -> list[dict[str, Any]]:
    """The objects in ``obj`` if it is a list (earlier damage may have made it anything)."""
    return [item for item in obj if isinstance(item, dict)] if isinstance(obj, list) else []


def _dangle(doc: dict[str, Any], draw: st.DrawFn) -> None:
    """Point something at a node, port, field or objective that is not there."""
    ghost = draw(st.sampled_from(["ghost", "W9", "x ", "loss2"]))
    choice = draw(st.sampled_from(["from", "to", "port", "objective", "field"]))
    edges = _dicts(doc.get("edges"))
    inputs = [n for n in _dicts(doc.get("nodes")) if n.get("op") == "Input" and isinstance(n.get("attrs"), dict)]
    if choice in ("from", "to", "port") and edges:
        edges[draw(st.integers(0, len(edges) - 1))][choice] = ghost
    elif choice == "field" and inputs:
        inputs[draw(st.integers(0, len(inputs) - 1))]["attrs"]["field"] = ghost
    else:
        doc["objective"] = ghost


def _huge_shape(doc: dict[str, Any], draw: st.DrawFn) -> None:
    """A value of a huge or empty shape, or a dataset or setting past its bounds."""
    valued = [n for n in _dicts(doc.get("nodes")) if "value" in n]
    choice = draw(st.sampled_from(["value", "size", "batch", "seed", "steps"]))
    dataset, training = doc.get("dataset"), doc.get("training")
    if choice == "value" and valued:
        valued[draw(st.integers(0, len(valued) - 1))]["value"] = copy.deepcopy(draw(st.sampled_from(SHAPES)))
    elif choice == "size" and isinstance(dataset, dict) and "generator" in dataset:
        dataset["size"] = draw(st.sampled_from([0, 1, 1_000_001, 10**9, 2**63]))
    elif isinstance(training, dict):
        key = {"batch": "batch_size", "seed": "seed", "steps": "steps"}.get(choice, "batch_size")
        training[key] = draw(st.sampled_from([2**31 - 1, 2**31, 2**32 + 5, 10_000_000, 10**8, 2**63]))


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """A folder for the damaged files, beside a data folder holding what iris reads."""
    (tmp_path / "data").mkdir()
    shutil.copy(EXAMPLES.parent / "data" / "iris.csv", tmp_path / "data" / "iris.csv")
    folder = tmp_path / "examples"
    folder.mkdir()
    MARKER.unlink(missing_ok=True)
    yield folder
    assert not MARKER.exists(), "a string from a file was run as code"


def _write(place: Path, name: str, data: bytes) -> Path:
    path = place / f"{name}.json"
    path.write_bytes(data)
    return path


def _one_line(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message


@given(case=damaged())
def test_the_loader_gives_one_message_or_a_graph_that_saves_and_reloads_equal(place: Path, case: tuple[str, bytes]):
    name, data = case
    path = _write(place, name, data)
    try:
        graph = io.load(path)
    except io.FormatError as exc:
        event("refused")
        _one_line(str(exc))
        # named by the graph file, or by the CSV file it reads (a mistake found in the data)
        assert str(exc).startswith((f"{name}.json: ", "iris.csv: ")) or isinstance(exc, io.DataFileMissing)
        return
    event("loaded" if not validate(graph) else "loaded, invalid")
    out = place / "saved.json"
    io.save(graph, out)
    assert_graphs_equal(graph, io.load(out))


@given(case=damaged())
def test_save_as_exits_with_one_line_or_writes_an_equal_graph(place: Path, case: tuple[str, bytes], capsys):
    from app.cli.main import main

    name, data = case
    path = _write(place, name, data)
    out = place / "out.json"
    out.unlink(missing_ok=True)
    capsys.readouterr()
    status = main(["save-as", str(path), str(out)])
    err = capsys.readouterr().err
    event(f"exit {status}")
    if status == 0:
        assert err == f"saved {out}\n"
        assert_graphs_equal(io.load(path), io.load(out))
    else:
        assert status == 2 and not out.exists()
        (line,) = err.strip().splitlines()
        assert line.startswith("backprop-workbench: error: ")


@pytest.fixture
def window(make_main_window: Any) -> Any:
    """One window for every example of the test (Hypothesis makes function fixtures once), its
    error dialogs recorded instead of shown."""
    window = make_main_window()
    window.errors = []
    window._show_error = lambda title, text: window.errors.append(text)
    return window


@given(case=damaged())
def test_the_window_opens_it_or_says_why_in_one_message(window: Any, place: Path, case: tuple[str, bytes]):
    name, data = case
    window.errors.clear()
    path = _write(place, name, data)
    if window.files.open_file(path):
        event("opened")
        assert window.errors == [] and window.document.path == path
        validate(window.document.graph)
        window.document.save(place / "saved.json")
        assert_graphs_equal(window.document.graph, io.load(place / "saved.json"))
    else:
        event("refused")
        (message,) = window.errors
        _one_line(message)
