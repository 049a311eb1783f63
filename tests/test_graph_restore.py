"""Graph.restore_edges: a set of edges put back at once (an undo of a deletion), checked for
cycles once; a refused set leaves the graph and its listeners untouched."""
from __future__ import annotations

import pytest
from engine_fixtures import product_graph
from hypothesis import given, settings
from hypothesis import strategies as st

from core.graph import Edge, Graph, GraphError


def chain_graph() -> Graph:
    """p → s1 → s2 → s3 → loss.y, t → loss.t (Sigmoids in a chain)."""
    g = Graph()
    g.add_node("Parameter", "p", value=[[1.0, 2.0]])
    g.add_node("Constant", "t", value=[[0.0, 0.0]])
    for i in (1, 2, 3):
        g.add_node("Sigmoid", f"s{i}")
    g.add_node("MeanSquaredError", "loss")
    for src, dst, port in (("p", "s1", "x"), ("s1", "s2", "x"), ("s2", "s3", "x"),
                           ("s3", "loss", "y"), ("t", "loss", "t")):
        g.connect(src, dst, port)
    return g


def snapshot(g: Graph) -> tuple[list[str], set[Edge], dict[str, list[Edge]]]:
    return list(g.nodes), set(g.edges), {n: g.consumers(n) for n in g.nodes}


def test_restoring_a_removed_node_s_edges_gives_the_original_graph_and_announces_each():
    g = chain_graph()
    before = snapshot(g)
    order_before = g.topological_order()
    node, edges = g.remove_node("s2")
    g.add_node(node.op_type, node.id, pos=node.pos)
    g.arrange(before[0], g.edges)  # the node back in its place, so the node lists compare
    added: list[Edge] = []
    g.edge_added.connect(added.append)
    restored = g.restore_edges(edges)
    assert restored == edges == added
    assert set(edges) == {Edge("s1", "s2", "x"), Edge("s2", "s3", "x")}
    assert snapshot(g) == before
    assert g.topological_order() == order_before


def test_a_set_that_would_make_a_cycle_is_refused_naming_it_and_changes_nothing():
    g = chain_graph()
    g.disconnect("s1", "x")  # s1's input is free: s3 → s1 would close s1 → s2 → s3 → s1
    before = snapshot(g)
    heard: list[Edge] = []
    g.edge_added.connect(heard.append)
    with pytest.raises(GraphError) as err:
        g.restore_edges([Edge("s3", "s1", "x")])
    assert str(err.value) == "restoring 1 edge would make a cycle through s1, s2, s3"
    assert snapshot(g) == before and heard == []


def test_a_cycle_closed_only_by_two_edges_of_the_set_together_is_refused():
    g = Graph()
    g.add_node("Sigmoid", "a")
    g.add_node("Tanh", "b")
    g.add_node("Sigmoid", "c")
    g.connect("a", "c", "x")
    for edge in (Edge("a", "b", "x"), Edge("b", "a", "x")):  # each alone is acyclic
        assert not g.would_cycle(edge.src, edge.dst)
    with pytest.raises(GraphError, match=r"^restoring 2 edges would make a cycle through a, b$"):
        g.restore_edges([Edge("a", "b", "x"), Edge("b", "a", "x")])
    assert set(g.edges) == {Edge("a", "c", "x")} and g.consumers("a") == [Edge("a", "c", "x")]
    assert g.consumers("b") == []


def test_a_node_feeding_itself_is_refused():
    g = Graph()
    g.add_node("Sigmoid", "s")
    with pytest.raises(GraphError, match="a cycle through s$"):
        g.restore_edges([Edge("s", "s", "x")])
    assert g.edges == []


def test_a_taken_input_or_a_missing_node_refuses_the_set_and_takes_back_what_it_added():
    g = product_graph()
    g.add_node("Sigmoid", "s")
    g.add_node("Sigmoid", "u")
    before = snapshot(g)
    with pytest.raises(GraphError, match=r"^input mul\.x is connected already \(to a\)$"):
        g.restore_edges([Edge("mul", "s", "x"), Edge("b", "mul", "x")])
    assert snapshot(g) == before
    with pytest.raises(GraphError, match="there is no node 'ghost'"):
        g.restore_edges([Edge("mul", "s", "x"), Edge("s", "u", "x"), Edge("ghost", "u", "x")])
    assert snapshot(g) == before
    with pytest.raises(GraphError, match=r"^input s\.x is connected already \(to mul\)$"):
        g.restore_edges([Edge("mul", "s", "x"), Edge("b", "s", "x")])  # twice into one input
    assert snapshot(g) == before


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_removing_any_nodes_and_restoring_their_edges_gives_the_same_graph(data: st.DataObject):
    """A random DAG of Adds (edges only forward in node order), some nodes removed, then put back."""
    n = data.draw(st.integers(3, 12), label="nodes")
    g = Graph()
    for i in range(n):
        g.add_node("Add", f"n{i}")
    for i in range(1, n):
        for port in ("x", "y"):
            if data.draw(st.booleans()):
                g.connect(f"n{data.draw(st.integers(0, i - 1))}", f"n{i}", port)
    before = snapshot(g)
    gone = data.draw(st.lists(st.sampled_from(list(g.nodes)), min_size=1, unique=True), label="removed")
    taken: list[Edge] = []
    for node_id in gone:
        taken += g.remove_node(node_id)[1]
    for node_id in gone:
        g.add_node("Add", node_id)
    g.arrange(before[0], g.edges)
    g.restore_edges(reversed(taken))
    assert (snapshot(g)[0], snapshot(g)[1]) == (before[0], before[1])
    assert g.partial_order()[1] == []
