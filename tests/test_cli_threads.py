"""``train --threads``: the BLAS threads the command line trains with (one by default, as the
window; more when asked, up to the machine's cores; anything else refused in one line)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from threadpoolctl import threadpool_info

from app.cli.main import main
from core.trainer import Trainer

MAZUR = str(Path(__file__).resolve().parent.parent / "resources" / "examples" / "mazur.json")


def blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[set[int]]:
    """The BLAS thread counts in force while the trainer runs."""
    seen: list[set[int]] = []
    run = Trainer.run

    def watched(self: Trainer, *args: object, **kwargs: object) -> object:
        seen.append(blas_threads())
        return run(self, *args, **kwargs)

    monkeypatch.setattr(Trainer, "run", watched)
    return seen


def test_train_uses_one_blas_thread_by_default(seen: list[set[int]], capsys: pytest.CaptureFixture[str]) -> None:
    before = blas_threads()
    assert main(["train", MAZUR, "--steps", "3"]) == 0
    assert seen == [{1}]
    assert blas_threads() == before  # the limit ends with the command
    assert "trained 3 updates" in capsys.readouterr().err


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="asking for two threads needs two cores")
def test_train_uses_the_threads_asked_for(seen: list[set[int]]) -> None:
    assert main(["train", MAZUR, "--steps", "3", "--threads", "2"]) == 0
    assert seen == [{2}]


@pytest.mark.parametrize("bad", ["0", "-1", "two", str((os.cpu_count() or 1) + 1)])
def test_a_thread_count_out_of_range_is_refused_in_one_line(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", MAZUR, "--steps", "3", "--threads", bad]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "threads must be" in err[0] and bad in err[0]
