"""One rule says where a user's code runs: ``Program.user_code`` (the steps' custom layers, in
step order) and ``runs_user_code`` for a program, ``custom_nodes``/``codes_of`` for a graph's
nodes (a custom layer that feeds nothing the objective needs is in the graph, not the program)."""
from __future__ import annotations

import notebook_classes as nb
from custom_helpers import customised
from helpers import build_mazur

from core.custom.op import codes_of, custom_nodes
from core.program import Program
from core.validation import coded_nodes


def test_a_built_in_graph_runs_no_user_code() -> None:
    graph = build_mazur()
    program = Program(graph)
    assert program.user_code == [] and not program.runs_user_code
    assert custom_nodes(graph.nodes.values()) == [] and codes_of(graph.nodes.values()) == []


def test_the_program_lists_its_custom_layers_in_step_order(trust) -> None:
    graph = customised(build_mazur(), {"sigmoid2": nb.SIGMOID, "affine1": nb.AFFINE})
    trust.allow([nb.SIGMOID, nb.AFFINE])
    program = Program(graph)
    assert program.user_code == ["affine1", "sigmoid2"] and program.runs_user_code


def test_a_graph_s_custom_layers_include_those_outside_the_program(trust) -> None:
    graph = customised(build_mazur(), {"sigmoid2": nb.SIGMOID})
    graph.add_node("CustomLayer", "side", attrs={"code": nb.AFFINE})
    for port, src in (("x", "x"), ("W", "W1"), ("b", "b1")):
        graph.connect(src, "side", port)
    trust.allow([nb.SIGMOID, nb.AFFINE])
    assert Program(graph).user_code == ["sigmoid2"]
    assert sorted(n.id for n in custom_nodes(graph.nodes.values())) == ["side", "sigmoid2"]
    assert sorted(codes_of(graph.nodes.values())) == sorted([nb.SIGMOID, nb.AFFINE])
    assert coded_nodes(graph) == {"sigmoid2", "loss", "side"}
