"""With mini-batches the export's note says which rows its loss is measured on: the first update's
mini-batch, the rows the export uses; training's loss after update N (core/end_loss.py)
is on the next update's mini-batch, and the note says that too, so the two numbers are not read as
one. Without mini-batches the note gives the loss alone (it is training's loss after update N)."""
from __future__ import annotations

import re
from pathlib import Path

from export_helpers import run_script
from helpers import load_example

from core.end_loss import loss_after
from core.export import export_notebook, export_script
from core.export.weights import forward_loss
from core.graph import Graph
from core.trainer import Trainer

UPDATES = 3


def trained(name: str, **changes: int) -> tuple[Graph, Trainer]:
    graph = load_example(name)
    graph.set_settings(graph.settings.with_changes(**changes))
    trainer = Trainer(graph)
    trainer.run(UPDATES)
    trainer.write_back()
    return graph, trainer


def squeezed(text: str) -> str:
    return " ".join(text.split())


def test_the_note_names_the_mini_batch_its_loss_is_on_and_the_one_training_reports(tmp_path: Path) -> None:
    graph, trainer = trained("spirals", batch_size=16)
    note = squeezed(export_script(graph, after_updates=UPDATES).split('"""')[1])
    stated = re.search(r"With these weights the forward pass gives loss = (\S+) on the mini-batch of update 1 "
                       r"\(the rows this export uses\); the loss after update 3 that training reports is on "
                       r"the mini-batch of update 4\.", note)
    assert stated is not None, note
    after = loss_after(trainer)
    assert after is not None and float(stated.group(1)) == forward_loss(graph) != after  # two rows, two losses
    script = tmp_path / "spirals.py"
    script.write_text(export_script(graph, after_updates=UPDATES), encoding="utf-8")
    assert f"forward pass: loss = {stated.group(1)}" in run_script(script).splitlines()
    assert stated.group(0) in squeezed(export_notebook(graph, after_updates=UPDATES).replace("\\n", " "))


def test_without_mini_batches_the_loss_is_trainings_loss_after_the_last_update() -> None:
    graph, trainer = trained("xor")
    note = squeezed(export_script(graph, after_updates=UPDATES).split('"""')[1])
    assert f"With these weights the forward pass gives loss = {loss_after(trainer)!r}." in note
    assert "mini-batch" not in note
