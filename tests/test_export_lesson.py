"""The lesson PDF and its PNG twin: a title page and one page per step, each page's text
holding the step's name (read back from the PDF itself)."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES, load_example
from pdf_text import page_texts, squeeze
from PySide6.QtGui import QImage

from app.cli.main import main
from core.program import BACKWARD, FORWARD, Program


@pytest.fixture
def mazur_pdf(tmp_path: Path, qapp) -> tuple[Path, Program]:
    out = tmp_path / "mazur.pdf"
    assert main(["export", str(EXAMPLES / "mazur.json"), str(out)]) == 0
    return out, Program(load_example("mazur"))


def test_mazur_lesson_has_a_title_and_one_page_per_step_named(mazur_pdf) -> None:
    path, program = mazur_pdf
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    texts = page_texts(data)
    assert len(texts) == len(program.steps) + 1
    assert "Mazur's2-2-2network" in squeeze(texts[0])
    for k, (step, text) in enumerate(zip(program.steps, texts[1:]), 1):
        assert squeeze(step.label) in squeeze(text), (k, step.label, text[:200])
        assert f"Step{k}of{len(program.steps)}" in squeeze(text)
    loss_page = program.index_of(FORWARD, "loss") + 1
    assert "0.29837111" in squeeze(texts[loss_page])  # the forward pass of the loss, filled in: Mazur's error
    assert "0.35891648" in squeeze(texts[-1])  # the update: w5 after one update, as the post says


def test_png_pages_are_the_lesson_pages(tmp_path: Path, qapp, capsys) -> None:
    folder = tmp_path / "pages"
    assert main(["export", str(EXAMPLES / "mazur.json"), str(folder), "--png"]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"page_{k:03d}.png" for k in range(len(Program(load_example("mazur")).steps) + 1)]
    image = QImage(str(folder / "page_008.png"))
    assert (image.width(), image.height()) == (1920, 1080)
    assert main(["export", str(EXAMPLES / "mazur.json"), str(folder), "--png"]) == 2
    assert "page_000.png exists (add --force to overwrite)" in capsys.readouterr().err
    assert main(["export", str(EXAMPLES / "mazur.json"), str(folder), "--png", "--force"]) == 0


def test_a_chosen_range_of_steps(tmp_path: Path, qapp, capsys) -> None:
    program = Program(load_example("mazur"))
    first = program.index_of(BACKWARD, "loss") + 1
    last = program.index_of(BACKWARD, "affine1") + 1
    out = tmp_path / "backward.pdf"
    assert main(["export", str(EXAMPLES / "mazur.json"), str(out), "--range", f"{first}-{last}"]) == 0
    texts = page_texts(out.read_bytes())
    assert len(texts) == 1 + last - first + 1  # the title and the backward steps
    for step, text in zip(program.steps[first - 1:last], texts[1:]):
        assert step.kind == BACKWARD and squeeze(step.label) in squeeze(text)
    steps = len(program.steps)
    assert main(["export", str(EXAMPLES / "mazur.json"), str(tmp_path / "x.pdf"), "--range", f"9-{steps + 1}"]) == 2
    assert f"within 1–{steps}" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
