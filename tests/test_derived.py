"""``Document.derived``: the graph's validation and program are made once per change, and made
again after any change of the graph or of the trust given to custom code (never stale)."""
from __future__ import annotations

import pytest

from app.commands import Delete
from app.model.document import Document
from core.custom.trust import SESSION
from core.program import ProgramError


def test_made_once_until_the_graph_changes(examples_dir, trust):
    document = Document.open(examples_dir / "mazur.json")
    made = document.derived.cache
    program = document.derived.program()
    assert document.derived.problems() == [] and document.derived.program() is program
    assert made.made == 1
    node = next(n for n in document.graph.nodes if document.graph.consumers(n) and document.graph.sources(n))
    document.undo_stack.push(Delete(document, [node]))  # its consumer loses an input
    problems = document.derived.problems()
    assert made.made == 2 and any("is not connected" in p.message for p in problems)
    with pytest.raises(ProgramError, match="is not connected"):
        document.derived.program()
    document.undo_stack.undo()  # the graph of before: its validation and program are found again
    assert document.derived.problems() == [] and document.derived.program() is program
    assert made.made == 2
    SESSION.allow(["x = 1"])  # trust given: validation reads it of code only, and Mazur holds none
    assert document.derived.problems() == [] and document.derived.program() is program
    assert made.made == 2  # (tests/test_fingerprint_trust.py: a graph with code is asked again)
