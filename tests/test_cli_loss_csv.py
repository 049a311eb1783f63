"""``train --csv``: its header says which loss each row holds — the loss computed inside update N,
before its weight change (core/end_loss.py) — and row N holds exactly that number."""
from __future__ import annotations

import csv

from training_helpers import MAZUR

from app.cli.main import main
from core import io
from core.end_loss import loss_after
from core.stepper import Stepper
from core.trainer import Trainer

HEADER = ["update", "loss_in_update"]
IN_UPDATE_10000 = 3.510854812251261e-05  # Mazur's published 0.0000351085, every digit of ours


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(text.splitlines()))


def test_csv_file_header_names_the_update_and_its_in_update_loss(tmp_path):
    out = tmp_path / "loss.csv"
    assert main(["train", str(MAZUR), "--steps", "10000", "--csv", str(out)]) == 0
    rows = rows_of(out.read_text())
    assert rows[0] == HEADER
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 10_001))
    assert float(rows[10_000][1]) == IN_UPDATE_10000
    trainer = Trainer(io.load(MAZUR))
    trainer.run(10_000)
    assert float(rows[10_000][1]) != loss_after(trainer)  # not the loss at the weights it left


def test_csv_row_n_is_the_loss_the_forward_pass_of_update_n_computes(capsys):
    assert main(["train", str(MAZUR), "--steps", "3", "--csv", "-"]) == 0
    rows = rows_of(capsys.readouterr().out)
    assert rows[0] == HEADER
    stepper = Stepper(io.load(MAZUR))  # the debugger's path: forward pass, then the update
    for n in (1, 2, 3):
        stepper.run_forward()
        assert stepper.iteration == n - 1  # updates done before this one
        assert float(rows[n][1]) == stepper.loss  # computed before update n changes the weights
        stepper.apply_update()
