"""Opening a document builds the debugger's stepper once: the code room asks for a second build
only when the graph holds code the trust store may have let run (a million-row file shuffled its
rows twice for it)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

import core.stepper as stepper_module
from app.model.document import Document

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    made: list[Any] = []
    init = stepper_module.Stepper.__init__

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(stepper_module.Stepper, "__init__", counted)
    return made


@pytest.mark.parametrize("name", ["spirals.json", "mazur.json"])
def test_a_window_on_a_graph_without_code_builds_one_stepper(
        name: str, builds: list[Any], workbench: Callable[..., Any]) -> None:
    window = workbench(Document.open(EXAMPLES / name))
    assert len(builds) == 1
    assert window.debugger.controller.stepper is builds[0]
