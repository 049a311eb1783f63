"""The graph model: edits and their events, refused edits, the outgoing-edge index, topological order."""
from __future__ import annotations

import numpy as np
import pytest
from engine_fixtures import cyclic_graph, force_cycle, product_graph

from core.data.dataset import Dataset
from core.graph import Edge, Graph, GraphError


class Recorder:
    """Connects to every event of a graph and records (event name, args) in order."""

    NAMES = (
        "node_added", "node_removed", "node_moved", "node_renamed", "edge_added", "edge_removed",
        "attr_changed", "value_changed", "settings_changed", "dataset_changed", "objective_changed",
    )

    def __init__(self, graph: Graph) -> None:
        self.calls: list[tuple] = []
        for name in self.NAMES:
            getattr(graph, name).connect(lambda *args, _n=name: self.calls.append((_n, *args)))

    def names(self) -> list[str]:
        return [c[0] for c in self.calls]


# ------------------------------------------------------------------ events
def test_add_node_announces_the_node():
    g = Graph()
    rec = Recorder(g)
    node = g.add_node("Parameter", "w", value=[1.0, 2.0], pos=(10, 20))
    assert rec.calls == [("node_added", node)]
    assert node.id == "w" and node.pos == (10.0, 20.0)
    assert np.array_equal(node.value, [1.0, 2.0]) and node.value.dtype == np.float64
    assert node.trainable


def test_connect_and_disconnect_announce_the_edge():
    g = product_graph()
    g.add_node("Sigmoid", "s")
    rec = Recorder(g)
    edge = g.connect("mul", "s", "x")
    assert edge == Edge("mul", "s", "x")
    assert rec.calls == [("edge_added", edge)]
    assert g.edge_into("s", "x") == edge
    removed = g.disconnect("s", "x")
    assert removed == edge
    assert rec.calls[-1] == ("edge_removed", edge)
    assert g.edge_into("s", "x") is None


def test_remove_node_returns_its_edges_and_announces_each():
    g = product_graph()
    g.add_node("Sigmoid", "s")
    g.connect("mul", "s", "x")
    rec = Recorder(g)
    node, edges = g.remove_node("mul")
    assert node.id == "mul" and "mul" not in g.nodes
    assert set(edges) == {Edge("a", "mul", "x"), Edge("b", "mul", "y"), Edge("mul", "s", "x")}
    assert rec.names() == ["edge_removed"] * 3 + ["node_removed"]
    assert {c[1] for c in rec.calls[:3]} == set(edges)
    assert rec.calls[-1] == ("node_removed", node)
    assert g.edges == []


def test_remove_then_restore_gives_the_same_graph():
    g = product_graph()
    before = (dict(g.nodes), set(g.edges))
    node, edges = g.remove_node("mul")
    g.add_node(node.op_type, node.id, attrs=node.attrs, pos=node.pos)
    for e in edges:
        g.connect(e.src, e.dst, e.port)
    assert set(g.nodes) == set(before[0]) and set(g.edges) == before[1]


def test_remove_the_objective_clears_it():
    g = product_graph()
    g.set_objective("mul")
    rec = Recorder(g)
    g.remove_node("mul")
    assert g.objective is None
    assert ("objective_changed", None) in rec.calls


def test_rename_announces_the_old_id_and_moves_edges_and_objective():
    g = product_graph()
    g.set_objective("mul")
    rec = Recorder(g)
    g.rename_node("mul", "price")
    node = g.nodes["price"]
    assert rec.calls == [("node_renamed", node, "mul")]
    assert node.id == "price" and "mul" not in g.nodes
    assert set(g.edges) == {Edge("a", "price", "x"), Edge("b", "price", "y")}
    assert g.objective == "price"
    assert list(g.nodes) == ["a", "b", "price"]  # the order of nodes is kept


def test_rename_to_itself_is_silent_and_rename_to_a_taken_id_is_refused():
    g = product_graph()
    rec = Recorder(g)
    g.rename_node("mul", "mul")
    assert rec.calls == []
    with pytest.raises(GraphError, match="'a' exists already"):
        g.rename_node("mul", "a")
    with pytest.raises(GraphError, match="not a valid node id"):
        g.rename_node("mul", "9 lives")


def test_move_attr_value_settings_dataset_objective_events():
    g = product_graph()
    g.add_node("Sum", "s")
    rec = Recorder(g)
    g.move_node("s", (5, 6))
    g.set_attr("s", "axis", 0)
    g.set_value("a", [1.0, 2.0])
    settings = g.settings.with_changes(learning_rate=0.5)
    g.set_settings(settings)
    ds = Dataset({"x": [[1.0]]})
    g.set_dataset(ds)
    g.set_objective("mul")
    s, a = g.nodes["s"], g.nodes["a"]
    assert rec.calls == [
        ("node_moved", s), ("attr_changed", s, "axis"), ("value_changed", a),
        ("settings_changed", settings), ("dataset_changed", ds), ("objective_changed", "mul"),
    ]
    assert s.pos == (5.0, 6.0) and s.attrs["axis"] == 0
    assert np.array_equal(a.value, [1.0, 2.0])


def test_set_value_adopts_a_float_array_without_copying():
    g = product_graph()
    arr = np.array([4.0, 5.0])
    g.set_value("a", arr)
    assert g.nodes["a"].value is arr
    g.set_value("a", [1, 2])
    assert g.nodes["a"].value.dtype == np.float64


# --------------------------------------------------------------- refused edits
def test_connect_into_an_occupied_port_is_refused():
    g = product_graph()
    g.add_node("Constant", "c", value=1.0)
    rec = Recorder(g)
    with pytest.raises(GraphError, match=r"mul\.x is connected already \(to a\)"):
        g.connect("c", "mul", "x")
    assert rec.calls == []


def test_connect_to_a_missing_port_names_the_ports():
    g = product_graph()
    g.add_node("Sigmoid", "s")
    with pytest.raises(GraphError, match=r"s \(Sigmoid\) has no input 'y' \(inputs: x\)"):
        g.connect("mul", "s", "y")
    with pytest.raises(GraphError, match=r"a \(Parameter\) has no input 'x' \(inputs: none\)"):
        g.connect("mul", "a", "x")


def test_connect_to_a_missing_node_is_refused():
    g = product_graph()
    with pytest.raises(GraphError, match="there is no node 'ghost'"):
        g.connect("ghost", "mul", "x")
    with pytest.raises(GraphError, match="there is no node 'ghost'"):
        g.connect("a", "ghost", "x")


def test_a_cycle_is_refused_with_both_nodes_named():
    g = Graph()
    g.add_node("Parameter", "p", value=1.0)
    g.add_node("Add", "add")
    g.add_node("Sigmoid", "s")
    g.connect("p", "add", "x")
    g.connect("add", "s", "x")
    rec = Recorder(g)
    with pytest.raises(GraphError, match="connecting s → add would make a cycle"):
        g.connect("s", "add", "y")
    with pytest.raises(GraphError, match="connecting add → add would make a cycle"):
        g.connect("add", "add", "y")
    assert rec.calls == []
    assert g.edge_into("add", "y") is None


def test_unknown_op_bad_id_and_duplicate_id_are_refused():
    g = product_graph()
    with pytest.raises(GraphError, match="unknown op 'Frobnicate'"):
        g.add_node("Frobnicate")
    with pytest.raises(GraphError, match="'a' exists already"):
        g.add_node("Constant", "a")
    with pytest.raises(GraphError, match="not a valid node id"):
        g.add_node("Constant", "two words")
    with pytest.raises(GraphError, match="takes no value"):
        g.add_node("Add", "add", value=1.0)
    with pytest.raises(GraphError, match="has no attribute 'speed'"):
        g.add_node("Sum", attrs={"speed": 3})
    with pytest.raises(GraphError, match="axis must be a whole number"):
        g.add_node("Sum", attrs={"axis": "rows"})


def test_new_ids_are_unique():
    g = Graph()
    ids = [g.add_node("Add").id for _ in range(3)]
    assert ids == ["add1", "add2", "add3"]


# ------------------------------------------------------ outgoing-edge index
def assert_index_matches(g: Graph) -> None:
    """consumers() of every node equals a scan of all edges, in the same order."""
    for node_id in g.nodes:
        assert g.consumers(node_id) == [e for e in g.edges if e.src == node_id], node_id


def fan_out_graph() -> Graph:
    """product_graph with mul feeding a Sigmoid and an Add, and a feeding that Add too."""
    g = product_graph()
    g.add_node("Sigmoid", "s")
    g.add_node("Add", "add")
    g.connect("mul", "s", "x")
    g.connect("mul", "add", "x")
    g.connect("a", "add", "y")
    return g


def test_consumers_follow_connect_disconnect_and_remove():
    g = fan_out_graph()
    assert g.consumers("mul") == [Edge("mul", "s", "x"), Edge("mul", "add", "x")]
    assert g.consumers("a") == [Edge("a", "mul", "x"), Edge("a", "add", "y")]
    g.disconnect("s", "x")
    assert g.consumers("mul") == [Edge("mul", "add", "x")]
    g.remove_node("add")
    assert g.consumers("mul") == [] and g.consumers("a") == [Edge("a", "mul", "x")]
    assert_index_matches(g)


def test_rename_keeps_the_outgoing_edges_right():
    g = fan_out_graph()
    g.rename_node("mul", "price")
    g.rename_node("a", "alpha")
    assert g.consumers("price") == [Edge("price", "s", "x"), Edge("price", "add", "x")]
    assert g.consumers("alpha") == [Edge("alpha", "price", "x"), Edge("alpha", "add", "y")]
    assert g.consumers("mul") == [] and g.consumers("a") == []
    assert_index_matches(g)
    assert g.would_cycle("s", "alpha") and g.would_cycle("add", "price")  # alpha → price → s, add
    assert not g.would_cycle("s", "add")
    g.disconnect("price", "y")
    with pytest.raises(GraphError, match="connecting add → price would make a cycle"):
        g.connect("add", "price", "y")
    g.disconnect("add", "x")
    assert g.consumers("price") == [Edge("price", "s", "x")]
    g.rename_node("price", "mul")
    assert g.consumers("mul") == [Edge("mul", "s", "x")] and g.consumers("price") == []
    assert_index_matches(g)


# --------------------------------------------------------------- structure
def test_topological_order_puts_every_source_first():
    g = fan_out_graph()
    g.disconnect("add", "x")
    g.connect("s", "add", "x")
    order = g.topological_order()
    assert sorted(order) == sorted(g.nodes)
    for e in g.edges:
        assert order.index(e.src) < order.index(e.dst)


def test_topological_order_names_only_the_nodes_in_the_cycle():
    with pytest.raises(GraphError, match=r"cycle through s1, s2$"):
        cyclic_graph().topological_order()


def test_cycles_lists_each_cycle():
    g = cyclic_graph()
    g.add_node("Add", "p")
    g.add_node("Add", "q")
    force_cycle(g, "p", "q", "x")
    force_cycle(g, "q", "p", "x")
    assert sorted(sorted(c) for c in g.cycles()) == [["p", "q"], ["s1", "s2"]]
    assert product_graph().cycles() == []


def test_objective_is_explicit_else_the_only_loss_else_the_only_sink():
    g = product_graph()
    assert g.objective_id() == "mul"
    g.add_node("Sigmoid", "s")
    g.connect("mul", "s", "x")
    assert g.objective_id() == "s"
    g.add_node("Sigmoid", "s2")
    g.connect("mul", "s2", "x")
    assert g.objective_id() is None
    g.add_node("SquaredError", "loss")
    assert g.objective_id() == "loss"
    g.set_objective("s2")
    assert g.objective_id() == "s2"


def test_an_event_calls_each_callback_once_in_order_even_if_one_disconnects():
    from core.events import Event

    ev = Event("thing_happened")
    calls: list[tuple] = []

    def first(*args):
        calls.append(("first", *args))
        ev.disconnect(first)

    def second(*args):
        calls.append(("second", *args))

    ev.connect(first)
    ev.connect(second)
    ev.connect(second)
    assert len(ev) == 2
    ev.emit(1, "a")
    ev.emit(2, "b")
    assert calls == [("first", 1, "a"), ("second", 1, "a"), ("second", 2, "b")]
