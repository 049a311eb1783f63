"""Saving is atomic: a failure at any point leaves the old file as it was, and no stray file."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from helpers import assert_graphs_equal, build_mazur, load_example

from core.io import fileformat as io


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "work.json"
    io.save(load_example("apple"), path)
    return path, path.read_bytes()


def _assert_untouched(path: Path, old: bytes) -> None:
    assert path.read_bytes() == old
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_failure_while_writing_the_text_leaves_the_old_file(saved, monkeypatch) -> None:
    path, old = saved
    real_dumps, calls = json.dumps, []

    def failing_dumps(*args: Any, **kwargs: Any) -> str:
        calls.append(1)
        if len(calls) > 5:
            raise RuntimeError("serializer crashed")
        return real_dumps(*args, **kwargs)

    monkeypatch.setattr(io.json, "dumps", failing_dumps)
    with pytest.raises(RuntimeError, match="serializer crashed"):
        io.save(build_mazur(), path)
    _assert_untouched(path, old)


def test_a_disk_full_halfway_through_leaves_the_old_file(saved, monkeypatch) -> None:
    path, old = saved
    real_write, written = os.write, []

    def half_write(fd: int, data: Any) -> int:
        if written:
            raise OSError(28, "No space left on device")
        written.append(real_write(fd, bytes(data[:100])))
        return written[-1]

    monkeypatch.setattr(io.os, "write", half_write)
    with pytest.raises(OSError, match="No space left"):
        io.save(build_mazur(), path)
    assert written == [100]
    _assert_untouched(path, old)


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_failure_before_the_rename_leaves_the_old_file(step: str, saved, monkeypatch) -> None:
    path, old = saved

    def fail(*args: Any) -> None:
        raise OSError(5, f"{step} failed")

    monkeypatch.setattr(io.os, step, fail)
    with pytest.raises(OSError, match=f"{step} failed"):
        io.save(build_mazur(), path)
    _assert_untouched(path, old)


def test_an_interrupt_while_writing_leaves_the_old_file(saved, monkeypatch) -> None:
    path, old = saved

    def interrupted(fd: int, data: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(io.os, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        io.save(build_mazur(), path)
    _assert_untouched(path, old)


def test_a_failed_first_save_leaves_no_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(io.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(5, "boom")))
    with pytest.raises(OSError):
        io.save(build_mazur(), tmp_path / "new.json")
    assert list(tmp_path.iterdir()) == []


def test_saving_replaces_the_file_and_keeps_its_permissions(saved) -> None:
    path, old = saved
    os.chmod(path, 0o640)
    io.save(build_mazur(), path)
    assert path.read_bytes() != old
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert_graphs_equal(io.load(path), build_mazur())
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
