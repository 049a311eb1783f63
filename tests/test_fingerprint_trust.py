"""The trust given to custom code is part of a graph's fingerprint only when the graph holds
code: trust given to other code (a trust store read once the window is up) left a graph without
code a stranger to its own undo, and its validation and Program were made again."""
from __future__ import annotations

from pathlib import Path

from custom_helpers import LOG_OF_NEGATIVE, customised

from core import io
from core.derived_cache import fingerprint

MAZUR = Path(__file__).resolve().parent.parent / "resources" / "examples" / "mazur.json"


def test_trust_given_elsewhere_leaves_a_graph_without_code_as_it_was(trust) -> None:
    graph = io.load(MAZUR)
    before = fingerprint(graph)
    trust.allow(["def other_code(): pass"])
    assert fingerprint(graph) == before


def test_trust_given_or_taken_back_changes_a_graph_with_code(trust) -> None:
    graph = customised(io.load(MAZUR), {"sigmoid1": LOG_OF_NEGATIVE})
    before = fingerprint(graph)
    trust.allow([LOG_OF_NEGATIVE])
    given = fingerprint(graph)
    trust.revoke_all()
    assert len({before, given, fingerprint(graph)}) == 3
