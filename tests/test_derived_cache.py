"""``core.derived_cache``: the validation and Program of a graph state seen a few changes ago are
found again (an undo of a deletion makes nothing anew), the values' contents are read at every
question, and an undo gives back the very graph of before (node and edge order included), so
its fingerprint is found."""
from __future__ import annotations

import numpy as np
import pytest

from app.commands import Delete, SetValue
from app.model.document import Document
from core.derived_cache import KEPT, DerivedCache, fingerprint
from core.graph import Graph
from core.program import Program, ProgramError
from core.validation import check


def chain(n: int) -> Graph:
    """x (a parameter) through n Sigmoids into a squared error against a constant target."""
    g = Graph()
    g.add_node("Parameter", "x", value=[[0.5, -0.5]])
    prev = "x"
    for i in range(n):
        g.add_node("Sigmoid", f"s{i}")
        g.connect(prev, f"s{i}", "x")
        prev = f"s{i}"
    g.add_node("Constant", "t", value=[[1.0, 0.0]])
    g.add_node("SquaredError", "loss")
    g.connect(prev, "loss", "y")
    g.connect("t", "loss", "t")
    return g


def test_an_undo_of_a_deletion_finds_its_program_again():
    document = Document(chain(30))
    program = document.derived.program()
    before = (list(document.graph.nodes), document.graph.edges)
    document.undo_stack.push(Delete(document, ["s3", "s10", "s11", "s20"]))
    with pytest.raises(ProgramError, match="is not connected"):
        document.derived.program()
    assert document.derived.cache.made == 2
    document.undo_stack.undo()
    assert (list(document.graph.nodes), document.graph.edges) == before  # the very graph of before
    assert document.derived.program() is program and document.derived.cache.made == 2
    assert document.derived.program().steps == Program(document.graph).steps
    document.undo_stack.redo()
    assert "s3" not in document.graph.nodes and document.derived.cache.made == 2  # the deleted state, found
    document.undo_stack.undo()
    assert document.derived.program() is program


def test_an_undo_of_loose_edges_puts_them_back_in_order():
    document = Document(chain(5))
    graph = document.graph
    before = (list(graph.nodes), graph.edges)
    document.undo_stack.push(Delete(document, ["s4"], [("s1", "x"), ("loss", "t")]))
    assert graph.edge_into("s1", "x") is None and graph.edge_into("loss", "t") is None
    document.undo_stack.undo()
    assert (list(graph.nodes), graph.edges) == before


def test_a_value_made_nan_is_seen_at_once_edited_or_written_in_place():
    document = Document(chain(3))
    program = document.derived.program()
    document.undo_stack.push(SetValue(document, "x", [[np.nan, 0.5]]))
    problems = document.derived.problems()
    assert [(p.node, p.kind) for p in problems] == [("x", "nonfinite")]
    assert problems[0].message == "x (Parameter): its value holds NaN or Inf"
    with pytest.raises(ProgramError, match="NaN or Inf"):
        document.derived.program()
    document.undo_stack.undo()
    assert document.derived.problems() == [] and document.derived.program() is program
    value = document.graph.nodes["t"].value
    assert value is not None
    value[0, 1] = np.inf  # as training writes a value: in place, no signal
    assert [(p.node, p.kind) for p in document.derived.check()[0]] == [("t", "nonfinite")]
    assert check(document.graph)[0] == document.derived.problems()
    value[0, 1] = 0.0
    assert document.derived.program() is program


def test_the_cache_keeps_the_last_states_only():
    graph, cache = chain(4), DerivedCache()
    first = cache.derivation(graph)
    for i in range(KEPT):  # KEPT other states push the first one out
        graph.set_attr("x", "names", f"n{i}")
        cache.derivation(graph)
    assert cache.made == KEPT + 1
    graph.set_attr("x", "names", "")
    again = cache.derivation(graph)
    assert again is not first and cache.made == KEPT + 2
    assert cache.derivation(graph) is again


def test_fingerprints_tell_apart_what_validation_reads():
    graph = chain(2)
    key = fingerprint(graph)
    assert key is not None and fingerprint(graph.copy()) == key
    moved = graph.copy()
    moved.move_node("s0", (100.0, 5.0))  # a position is not read
    assert fingerprint(moved) == key
    for change in (lambda g: g.set_value("t", [[1.0, 0.0, 2.0]]), lambda g: g.set_objective("s1"),
                   lambda g: g.rename_node("s0", "a"), lambda g: g.set_attr("x", "trainable", False),
                   lambda g: g.disconnect("loss", "t"),
                   lambda g: g.set_settings(g.settings.with_changes(batch_size=3))):
        other = graph.copy()
        change(other)
        assert fingerprint(other) != key


def test_an_attribute_that_cannot_be_hashed_is_derived_without_the_cache():
    graph = chain(2)
    graph.nodes["x"].attrs["names"] = ["a", "b"]  # not what set_attr stores, but a graph may hold it
    assert fingerprint(graph) is None
    cache = DerivedCache()
    derivation = cache.derivation(graph)
    assert derivation.problems(graph) == check(graph)[0]
    assert cache.derivation(graph) is not derivation


def test_a_question_asked_during_an_undo_is_not_kept_past_it():
    """A room that asks while the undo puts nodes back sees a graph not yet in its order: the
    answer after the undo is that of the graph of before (the order is put back silently)."""
    document = Document(chain(12))
    program = document.derived.program()
    document.undo_stack.push(Delete(document, ["s2", "s7"]))
    document.derived.problems()
    asked = []
    document.bridge.edgeAdded.connect(lambda *_: asked.append(document.derived.problems()))
    document.undo_stack.undo()
    assert asked and document.derived.program() is program
    assert document.derived.program().steps == Program(document.graph).steps
