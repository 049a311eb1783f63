"""Expand to Neurons and Collapse: the same numbers before and after, the file back byte for byte."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import EXAMPLES, load_example

from core.graph import Graph
from core.io.fileformat import dumps, loads
from core.rewrite import RewriteError, collapse, expand, expand_layers, expandable_layers
from core.rewrite.neurons import COL, expansion_of
from core.stepper import Stepper

TOL = 1e-12


def one_step(graph: Graph) -> Stepper:
    stepper = Stepper(graph)
    stepper.run_forward()
    stepper.run_backward()
    return stepper


def expand_all(graph: Graph, limit: int | None = 200) -> Graph:
    for layer in expandable_layers(graph):
        graph, _ = expand(graph, layer, limit)
    return graph


def assert_same_numbers(before: Graph, after: Graph) -> None:
    """Every node both graphs have agrees in value and gradient, and every matrix entry's node
    agrees with its entry of the matrix's value and gradient (to 1e-12, relative to 1)."""
    a, b = one_step(before), one_step(after)
    assert b.loss == pytest.approx(a.loss, rel=TOL, abs=TOL)
    common = [n for n in a.frame.values if n in b.frame.values]
    assert "loss" in common or a.program.objective in common
    for n in common:
        np.testing.assert_allclose(b.frame.values[n], a.frame.values[n], rtol=TOL, atol=TOL, err_msg=n)
        if n in a.frame.grads:
            np.testing.assert_allclose(b.frame.grads[n], a.frame.grads[n], rtol=TOL, atol=TOL, err_msg=n)
    checked = 0
    for e in after.expansions:
        for sid, mid, index in e["entries"]:
            idx = tuple(index)
            assert float(b.frame.values[sid]) == before.nodes[mid].value[idx]
            assert float(b.frame.grads[sid]) == pytest.approx(a.frame.grads[mid][idx], rel=TOL, abs=TOL)
            checked += 1
    assert checked == sum(before.nodes[m].value.size for m in {m for e in after.expansions for _, m, _ in e["entries"]})


@pytest.mark.parametrize("name", ["mazur", "xor"])
def test_expanding_every_affine_of_an_example_keeps_every_number(name: str) -> None:
    graph = load_example(name)
    expanded = expand_all(graph)
    assert not expandable_layers(expanded)
    assert_same_numbers(graph, expanded)


def test_expanding_the_64_50_10_digits_net_keeps_every_number_and_is_refused_for_drawing() -> None:
    graph = load_example("digits")
    text = dumps(graph)  # the CSV's path is written relative to a file only when saving to one
    with pytest.raises(RewriteError, match=r"expanding affine1 would make 9,\d{3} nodes; at most 200"):
        expand(graph, "affine1")
    expanded = expand_all(graph, limit=None)
    assert_same_numbers(graph, expanded)
    assert dumps(collapse(expanded, "affine1")) == text


@pytest.mark.parametrize("name", ["mazur", "xor"])
def test_collapse_in_either_order_and_undo_give_the_file_back_byte_for_byte(name: str) -> None:
    text = (EXAMPLES / f"{name}.json").read_text(encoding="utf-8")
    graph = loads(text)
    expanded = expand_all(graph)
    saved = dumps(expanded)
    reopened = loads(saved)  # the expansion is saved with the file and collapses after reopening
    assert dumps(reopened) == saved
    assert dumps(collapse(reopened, "affine1")) == text
    assert dumps(collapse(collapse(expanded, "affine2"), "affine1")) == text
    assert dumps(graph) == text  # the rewrite never touched its input


def test_collapse_writes_changed_entries_into_the_matrix() -> None:
    graph = load_example("mazur")
    expanded, _ = expand(graph, "affine1")
    expanded.set_value("w2", 0.7)
    back = collapse(expanded, "w1")
    np.testing.assert_array_equal(back.nodes["W1"].value, [[0.15, 0.25], [0.7, 0.3]])


def test_mazur_expanded_names_his_weights_and_steps_through_them_in_his_order() -> None:
    graph = expand_all(load_example("mazur"))
    weights = {n.id: float(n.value) for n in graph.parameters()}
    assert weights == {"w1": 0.15, "w2": 0.2, "w3": 0.25, "w4": 0.3, "w5": 0.4, "w6": 0.45, "w7": 0.5, "w8": 0.55}
    stepper = Stepper(graph)
    forward = [s.node for s in stepper.steps if s.kind == "forward"]
    # net_h1 = w1·i1 + w2·i2 + b1, then out_h1 = σ(net_h1), as in the post
    assert forward.index("w1.i1") < forward.index("net_h1.s1") < forward.index("net_h1") < forward.index("out_h1")
    assert {"w2.i2", "w5.out_h1", "w6.out_h2", "w7.out_h1", "w8.out_h2", "net_o1", "out_o2"} <= set(forward)
    stepper.run_forward()
    assert float(stepper.frame.values["net_h1"]) == pytest.approx(0.3775, abs=1e-12)
    assert float(stepper.frame.values["out_h1"]) == pytest.approx(0.593269992, abs=1e-9)
    assert float(stepper.frame.values["out_o1"]) == pytest.approx(0.75136507, abs=1e-8)
    stepper.apply_update()
    assert float(graph.nodes["w5"].value) == pytest.approx(0.35891648, abs=1e-8)
    assert float(graph.nodes["w1"].value) == pytest.approx(0.149780716, abs=1e-9)


@pytest.mark.parametrize("layers", [["affine2"], ["affine1", "affine2"]], ids=["affine2", "both"])
def test_the_expanded_block_is_drawn_left_to_right_with_short_wires(layers: list[str]) -> None:
    before = load_example("mazur")
    after, done, _ = expand_layers(before, layers)
    assert done == layers
    block = {n for e in after.expansions for n in e["created"]} | {"b1", "b2"}
    for e in after.edges:
        if e.src in block or e.dst in block:
            src, dst = after.nodes[e.src].pos[0], after.nodes[e.dst].pos[0]
            assert 0 < dst - src <= 2 * COL, f"{e.src} -> {e.dst}: from x {src} to x {dst}"
    back = after
    for layer in reversed(layers):
        back = collapse(back, layer)
    assert {n: back.nodes[n].pos for n in before.nodes} == {n: before.nodes[n].pos for n in before.nodes}


def test_without_names_entries_are_called_by_their_index() -> None:
    graph = load_example("mazur")
    graph.set_attr("W1", "names", "")
    expanded, _ = expand(graph, "affine1")
    assert {"W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]"} <= set(expanded.nodes)
    assert float(expanded.nodes["W1[1,0]"].value) == 0.2
    assert expansion_of(expanded, "W1[1,0]")["layer"] == "affine1"


def test_a_batch_of_rows_is_explained_and_one_row_is_not() -> None:
    _, note = expand(load_example("mazur"), "affine1")
    assert note == ""
    _, note = expand(load_example("xor"), "affine1")
    assert note.startswith("x has 4 rows: a neuron computes one row at a time")


@pytest.mark.parametrize("layer, attr, value, message", [
    ("loss", None, None, "loss is a Squared error node|loss is a .* node; only an Affine layer"),
    ("affine1", "names", "w1 w2 w3", "W1: names lists 3 names for 4 entries"),
])
def test_refusals_name_the_node(layer: str, attr: str | None, value: str | None, message: str) -> None:
    graph = load_example("mazur")
    if attr:
        graph.set_attr("W1", attr, value)
    with pytest.raises(RewriteError, match=message):
        expand(graph, layer)


def test_a_shared_weight_matrix_is_refused() -> None:
    graph = load_example("mazur")
    graph.add_node("Sum", "extra")
    graph.connect("W1", "extra", "x")
    with pytest.raises(RewriteError, match="W1 also feeds extra"):
        expand(graph, "affine1")
