"""A document is written in chunks (core.io.jsontext.chunks through core.io.atomic.write_atomic): the
text is the same as when made whole, progress counts the big arrays' numbers up to their total,
and a write stopped between two chunks (WriteCancelled) leaves the old file byte for byte and no
temporary file."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core import io
from core.data.edit import detached
from core.io import jsontext
from core.io.atomic import WriteCancelled, write_atomic

ROOT = Path(__file__).resolve().parent.parent
SPIRALS = ROOT / "resources" / "examples" / "spirals.json"


def inline_spirals(rows: int):
    """The spirals example with ``rows`` generated rows held inline (as after a cell edit)."""
    data = json.loads(SPIRALS.read_text(encoding="utf-8"))
    data["dataset"]["size"] = rows
    graph = io.loads(json.dumps(data), "spirals")
    graph.dataset = detached(graph.dataset)
    return graph


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


@pytest.mark.parametrize("shape", [(), (0,), (7,), (50,), (51,), (40_001,), (3_001, 2), (2, 20_000), (60, 1),
                                   (26, 2), (3, 17), (40, 3, 2), (4, 30, 2), (100, 1, 1), (2, 0), (0, 3)])
def test_arrays_are_written_as_their_lists_are(shape, monkeypatch):
    array = np.random.default_rng(len(shape)).standard_normal(shape)
    if array.size:
        array.flat[0], array.flat[-1] = np.nan, 2.0  # NaN, and a whole number written without ".0"
    doc = {"nodes": [{"id": "W", "value": array, "pos": [0, 1]}], "fields": {"x": array}}
    as_lists = jsontext.to_text(jsontext.plain(doc))
    assert jsontext.to_text(doc) == as_lists
    assert json.loads(as_lists.replace("NaN", "null"))["fields"]["x"] == json.loads(
        json.dumps(array.tolist()).replace("NaN", "null"))
    monkeypatch.setattr(jsontext, "CHUNK", 7)  # numbers turned into lists in pieces that split rows unevenly
    assert b"".join(jsontext.chunks(doc, size=64)).decode("utf-8") == as_lists


def test_a_saved_document_is_the_same_text_chunked_and_progress_reaches_its_total(tmp_path, monkeypatch):
    monkeypatch.setattr(jsontext, "CHUNK_BYTES", 4096)
    graph = inline_spirals(3_000)
    seen: list[tuple[int, int]] = []
    path = tmp_path / "spirals.json"
    io.save(graph, path, progress=lambda done, total: seen.append((done, total)) is None)
    assert path.read_text(encoding="utf-8") == io.dumps(graph, base=tmp_path)
    total = sum(arr.size for arr in graph.dataset.fields.values()) + sum(
        node.value.size for node in graph.nodes.values() if node.value is not None and node.value.size > jsontext.FITS)
    assert len(seen) > 1 and {t for _, t in seen} == {total}
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and dones[-1] == total  # the last chunk is made after every number
    assert io.to_dict(io.load(path)) == io.to_dict(graph)


@pytest.mark.parametrize("stop_at", [1, 2, 5])
def test_a_save_stopped_between_chunks_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, stop_at):
    monkeypatch.setattr(jsontext, "CHUNK_BYTES", 4096)
    path = tmp_path / "spirals.json"
    io.save(inline_spirals(200), path)
    before = path.read_bytes()
    calls: list[int] = []
    sizes: list[int] = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        sizes.append(sum(p.stat().st_size for p in temporaries(tmp_path)))
        return len(calls) < stop_at

    with pytest.raises(WriteCancelled):
        io.save(inline_spirals(2_000), path, progress)
    assert len(calls) == stop_at
    if stop_at > 1:
        assert sizes[-1] >= 4096 * (stop_at - 1)  # chunks were written to the temporary file before the stop
    assert path.read_bytes() == before and temporaries(tmp_path) == []


def test_a_stopped_save_to_a_new_file_writes_nothing(tmp_path):
    with pytest.raises(WriteCancelled):
        io.save(inline_spirals(2_000), tmp_path / "new.json", lambda done, total: done == 0)
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_removes_its_temporary_when_the_chunks_stop(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"old")
    during: list[bytes] = []

    def data():
        yield b"new part one"
        during.extend(p.read_bytes() for p in temporaries(tmp_path))
        raise WriteCancelled()

    with pytest.raises(WriteCancelled):
        write_atomic(path, data())
    assert during == [b"new part one"]
    assert path.read_bytes() == b"old" and temporaries(tmp_path) == []
    write_atomic(path, iter([b"new ", b"file"]))
    assert path.read_bytes() == b"new file" and temporaries(tmp_path) == []
