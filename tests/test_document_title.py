"""A document's title by one rule (``app.model.title.document_title``): the opening window, shown
before the file is read, is titled as the document it then shows."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.model.document import Document
from app.model.title import document_title
from app.window import launch, resources
from app.window.main_window import MainWindow
from app.window.opening import Placeholder


def test_the_rule() -> None:
    assert document_title("mine.json") == "mine.json"
    assert document_title("xor.json", example=True) == "xor.json (example)"
    assert document_title(None) == document_title(None, example=True) == "Untitled"


def test_what_opening_a_path_reads(tmp_path: Path) -> None:
    assert resources.to_open(None) == (resources.default_example(), True)
    shipped = resources.examples_dir() / "xor.json"
    assert resources.to_open(str(shipped)) == (shipped, True)
    assert resources.to_open(str(tmp_path / "mine.json")) == (tmp_path / "mine.json", False)


@pytest.mark.parametrize("given", [None, "xor", "mine"])
def test_the_opening_window_is_titled_as_the_document_it_shows(qtbot, isolated_settings, tmp_path: Path,
                                                               given: str | None) -> None:
    path = None
    if given == "xor":
        path = str(resources.examples_dir() / "xor.json")
    elif given == "mine":
        own = tmp_path / "mine (example)"  # a user's file whose name looks like a title: shown as it is
        own.write_bytes((resources.examples_dir() / "xor.json").read_bytes())
        path = str(own)
    shown, example = resources.to_open(path)
    window = MainWindow.opening(shown.name, example)
    qtbot.addWidget(window)
    document, error = launch._open(path)
    assert error is None and isinstance(document, Document)
    assert window.windowTitle() == f"{document.title()} — Backprop Workbench"
    placeholder = window.centralWidget()
    assert isinstance(placeholder, Placeholder) and placeholder.text() == f"Opening {shown.name}…"
    document.close()


def test_an_untitled_document() -> None:
    document = Document()
    assert document.title() == "Untitled"
    document.close()
