"""Expand an Affine layer into its neurons, the way Mazur draws them, and collapse it back.

``expand`` replaces ``x · W + b`` (and the activation after it, if any) by one node per
weight and bias entry, a Multiply per weight, Adds that sum each neuron's net input, the
activation per neuron, and Joins that put the neurons' outputs side by side again under the
old output's id, so every node downstream reads the same numbers. A weight matrix's entries
are named by the Parameter's ``names`` attribute (``"w1 w3 w2 w4"``, row by row), otherwise
``W1[0,1]``. ``core.rewrite.collapse`` brings the layer back with the entries' current values
written into the matrix. Both are pure: they return a new graph and leave the given one alone.

What an expansion replaced is kept in ``graph.expansions`` (plain data, saved with the file).
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from core.graph import Graph, GraphError, Node
from core.rewrite.apply import copy_graph
from core.validation import infer_shapes

MAX_NEURON_NODES = 200  # more scalar nodes than a person can read
ACTIVATIONS = ("Sigmoid", "Tanh", "ReLU")
COL, ROW = 250.0, 150.0  # distances between the columns and rows of the drawing
BOX = (COL + 20.0, ROW - 50.0)  # room a node takes on the canvas (its widest rectangle, as tall as any)


class RewriteError(ValueError):
    """A rewrite that cannot be done; the message names the node and says why."""


def expandable_layers(graph: Graph) -> list[str]:
    """The Affine layers of ``graph``, in node order."""
    return [n.id for n in graph.nodes.values() if n.op_type == "Affine"]


def expand(graph: Graph, layer: str, limit: int | None = MAX_NEURON_NODES) -> tuple[Graph, str]:
    """``graph`` with ``layer`` drawn as its neurons, and a note for the reader ("" or why a
    batch of rows flows through each neuron). Refuses a layer that would make more than
    ``limit`` nodes, saying how many."""
    g = copy_graph(graph)
    plan = _Layer(g, layer)
    count = plan.count()
    if limit is not None and count > limit:
        raise RewriteError(f"expanding {layer} would make {count:,} nodes; at most {limit} are drawn "
                           "(a person cannot read more)")
    plan.build()
    note = ""
    if plan.rows > 1:
        note = (f"x has {plan.rows} rows: a neuron computes one row at a time, so each node of {layer}'s neurons "
                f"holds {plan.rows} numbers, one per row (with one row, as in Mazur's figure, it holds one number)")
    return g, note


def expand_layers(graph: Graph, layers: list[str] | None = None,
                  limit: int | None = MAX_NEURON_NODES) -> tuple[Graph, list[str], list[str]]:
    """``graph`` with each of ``layers`` (every Affine layer when None) drawn as its neurons, one
    after the other; returns the graph, the layers expanded and the notes ("layer: note").
    Refuses a graph with no Affine layer, and any layer :func:`expand` refuses."""
    names = list(layers) if layers else expandable_layers(graph)
    if not names:
        raise RewriteError("there is no Affine layer to expand")
    notes = []
    for layer in names:
        graph, note = expand(graph, layer, limit)
        if note:
            notes.append(f"{layer}: {note}")
    return graph, names, notes


def expansion_of(graph: Graph, node: str) -> dict[str, Any] | None:
    """The expansion that made ``node`` (or whose layer is ``node``), if any."""
    for e in graph.expansions:
        if node == e["layer"] or node in e["created"]:
            return e
    return None


# ------------------------------------------------------------------ expand
class _Layer:
    """One Affine layer about to be expanded: its parts, checked, and the nodes it will make."""

    def __init__(self, g: Graph, layer: str) -> None:
        self.g = g
        try:
            node = g.node(layer)
        except GraphError as exc:
            raise RewriteError(str(exc)) from None
        if node.op_type != "Affine":
            raise RewriteError(f"{layer} is a {node.op.title} node; only an Affine layer expands into neurons")
        x_src, w_src, b_src = g.sources(layer)
        if x_src is None or w_src is None or b_src is None:
            raise RewriteError(f"{layer}: connect x, W and b before expanding it")
        self.layer, self.x_src, self.w, self.b = node, x_src, g.nodes[w_src], g.nodes[b_src]
        self.W = self._matrix()
        self.n, self.m = self.W.shape
        self.shared_bias = self._bias_kind()
        if self.m < 2:
            raise RewriteError(f"{layer} has one neuron; there is nothing to spread out")
        out = g.consumers(layer)
        act = g.nodes[out[0].dst] if len(out) == 1 else None
        self.act = act if act is not None and act.op_type in ACTIVATIONS else None
        self.output = (self.act or node).id
        self.letter = "o" if any(g.nodes[e.dst].op.is_loss for e in g.consumers(self.output)) else "h"
        shape = infer_shapes(g).get(x_src)
        if shape is None or len(shape) != 2:
            raise RewriteError(f"{layer}: x must be rows (a 2-d array) to expand, not {shape}")
        self.rows = shape[0]
        self.prior = next((e for e in g.expansions if e["output"] == x_src), None)

    def _matrix(self) -> np.ndarray:
        w, layer = self.w, self.layer.id
        if w.value is None:
            raise RewriteError(f"{layer}: W comes from {w.id}, a {w.op.title}; only a Parameter or Constant splits")
        if w.value.ndim != 2:
            raise RewriteError(f"{layer}: W must be a matrix, not {w.value.shape}")
        self._alone(w)
        return np.asarray(w.value)

    def _bias_kind(self) -> bool:
        """True for one bias shared by every neuron (kept as it is), False for one per neuron."""
        b, layer = self.b, self.layer.id
        if b.value is None:
            raise RewriteError(f"{layer}: b comes from {b.id}, a {b.op.title}; only a Parameter or Constant splits")
        if b.value.shape == ():
            return True
        if b.value.shape not in ((self.m,), (1, self.m)):
            raise RewriteError(f"{layer}: b {b.value.shape} is neither one number nor one per neuron ({self.m})")
        self._alone(b)
        return False

    def _alone(self, leaf: Node) -> None:
        others = [e.dst for e in self.g.consumers(leaf.id) if e.dst != self.layer.id]
        if others:
            raise RewriteError(f"{leaf.id} also feeds {others[0]}; a value used elsewhere cannot be split into entries")

    def count(self) -> int:
        """How many nodes the expansion makes."""
        n, m = self.n, self.m
        picks = 0 if self.prior is not None else n
        biases = 0 if self.shared_bias else m
        acts = m if self.act is not None else 0
        return int(2 * n * m + m * (n - 1) + m + biases + acts + picks + (m - 1))

    # ------------------------------------------------------------- building
    def build(self) -> None:
        g = self.g
        before_nodes, before_edges = list(g.nodes), [[e.src, e.dst, e.port] for e in g.edges]
        consumers = [[e.dst, e.port] for e in g.consumers(self.output)]
        removed_ids = [self.layer.id, self.w.id] + ([self.act.id] if self.act else []) \
            + ([] if self.shared_bias else [self.b.id])
        removed = _fragment(g, removed_ids)
        columns, dropped = self._columns()
        removed["nodes"] += dropped["nodes"]
        removed["edges"] += dropped["edges"]
        for node_id in removed_ids:
            g.remove_node(node_id)
        for node_id in [n["id"] for n in dropped["nodes"]]:
            g.remove_node(node_id)
        ids = self._ids(columns)
        made: list[str] = []
        pos = self._positions(columns, ids)

        def add(op: str, node_id: str, **kw: Any) -> str:
            g.add_node(op, node_id, pos=pos[node_id], **kw)
            made.append(node_id)
            return node_id

        picks = [] if self.prior is not None else columns
        for k, col in enumerate(picks):
            add("Pick", col, attrs={"index": k})
            g.connect(self.x_src, col, "x")
        entries: list[list[Any]] = []
        w_attrs = {"trainable": self.w.attrs["trainable"]} if self.w.is_parameter else {}
        neurons = []
        for j in range(self.m):
            terms = []
            for i in range(self.n):
                wid = add(self.w.op_type, ids["w"][i][j], attrs=w_attrs, value=self.W[i, j])
                entries.append([wid, self.w.id, [i, j]])
                terms.append(add("Multiply", ids["mul"][i][j]))
                g.connect(wid, terms[-1], "x")
                g.connect(columns[i], terms[-1], "y")
            acc = terms[0]
            for k, term in enumerate(terms[1:], 1):
                acc = _binary(g, add, "Add", ids["sum"][j][k - 1], acc, term)
            bias = self.b.id
            if not self.shared_bias:
                index = [j] if self.b.value.ndim == 1 else [0, j]  # type: ignore[union-attr]
                b_attrs = {"trainable": self.b.attrs["trainable"]} if self.b.is_parameter else {}
                bias = add(self.b.op_type, ids["b"][j], attrs=b_attrs, value=self.b.value[tuple(index)])  # type: ignore[index]
                entries.append([bias, self.b.id, index])
            out = _binary(g, add, "Add", ids["net"][j], acc, bias)
            if self.act is not None:
                out = add(self.act.op_type, ids["out"][j])
                g.connect(ids["net"][j], out, "x")
            neurons.append(out)
        acc = neurons[0]
        for k, out in enumerate(neurons[1:], 1):
            acc = _binary(g, add, "Join", ids["join"][k - 1], acc, out)
        for dst, port in consumers:
            g.connect(self.output, dst, port)
        moved = self._shift(made, pos, columns) + self._bias_beside(made, pos)
        g.expansions.append({
            "layer": self.layer.id, "output": self.output, "neurons": neurons, "created": made,
            "removed": removed, "entries": entries, "moved": moved, "consumers": consumers,
            "order": before_nodes, "edge_order": before_edges,
        })

    def _columns(self) -> tuple[list[str], dict[str, list[Any]]]:
        """The node giving each column of x, and what of an earlier expansion is no longer needed."""
        empty: dict[str, list[Any]] = {"nodes": [], "edges": []}
        if self.prior is None:
            taken = set(self.g.nodes)
            plain = [f"i{k + 1}" for k in range(self.n)]
            if taken.isdisjoint(plain):
                return plain, empty
            return [_free(self.g, f"{self.x_src}.i{k + 1}") for k in range(self.n)], empty
        joins = [n for n in self.prior["created"] if n in self.g.nodes and self.g.nodes[n].op_type == "Join"]
        users = [e.dst for e in self.g.consumers(self.x_src) if e.dst != self.layer.id]
        return list(self.prior["neurons"]), (empty if users else _fragment(self.g, joins))

    def _ids(self, columns: list[str]) -> dict[str, Any]:
        """Every new node's id: Mazur's names (net_h1, out_h1, w1.i1) where they are free."""
        n, m = self.n, self.m
        taken = set(self.g.nodes) | set(columns)
        prefix = next(p for p in (self.letter, "g", "k", "u", f"{self.layer.id}_")
                      if not any(f"{a}_{p}{j + 1}" in taken for a in ("net", "out") for j in range(m)))
        w_names = _entry_names(self.w, (n, m))
        b_names = [] if self.shared_bias else _entry_names(self.b, self.b.value.shape)  # type: ignore[union-attr]
        ids: dict[str, Any] = {
            "net": [f"net_{prefix}{j + 1}" for j in range(m)],
            "out": [f"out_{prefix}{j + 1}" for j in range(m)],
            "w": [[w_names[i * m + j] for j in range(m)] for i in range(n)],
            "b": b_names,
            "join": [f"{self.output}.{k}" for k in range(1, m - 1)] + [self.output],
        }
        ids["mul"] = [[_product_id(ids["w"][i][j], columns[i], f"{ids['net'][j]}.{i + 1}") for j in range(m)]
                      for i in range(n)]
        ids["sum"] = [[f"{ids['net'][j]}.s{k}" for k in range(1, n)] for j in range(m)]
        made = [x for key in ("net", "out", "b", "join") for x in ids[key]] + \
            [x for key in ("w", "mul", "sum") for row in ids[key] for x in row]
        for node_id in made:
            if node_id in taken and node_id != self.output and node_id not in (self.w.id, self.b.id, self.layer.id):
                raise RewriteError(f"{self.layer.id}: a node {node_id!r} exists already; rename it to expand the layer")
            try:
                Graph().check_new_id(node_id)
            except GraphError as exc:
                raise RewriteError(f"{self.layer.id}: {exc}") from None
        return ids

    def _positions(self, columns: list[str], ids: dict[str, Any]) -> dict[str, tuple[float, float]]:
        """Mazur's figure: inputs on the left, each neuron's weights, products, sums and output
        in a band of rows, the joined outputs on the right."""
        n, m = self.n, self.m
        band = (n + 1) * ROW
        if self.prior is not None:  # the inputs are the neurons of the layer before: start beside them
            x0 = max(self.g.nodes[c].pos[0] for c in columns)
        else:
            x0 = max(self.layer.pos[0] - COL, self.g.nodes[self.x_src].pos[0] + COL)
        top = self.layer.pos[1] - m * band / 2 + ROW / 2
        pos: dict[str, tuple[float, float]] = {}
        for k, col in enumerate(columns):
            pos[col] = (x0, top + (k + 0.5) * m * band / n - ROW / 2)
        for j in range(m):
            y = top + j * band
            for i in range(n):
                pos[ids["w"][i][j]] = (x0 + COL, y + i * ROW)
                pos[ids["mul"][i][j]] = (x0 + 2 * COL, y + i * ROW)
            for k, s in enumerate(ids["sum"][j]):
                pos[s] = (x0 + 3 * COL, y + (k + 0.5) * ROW)
            if ids["b"]:
                pos[ids["b"][j]] = (x0 + 2 * COL, y + n * ROW)
            pos[ids["net"][j]] = (x0 + 4 * COL, y + (n - 0.5) * ROW)
            pos[ids["out"][j]] = (x0 + 5 * COL, y + (n - 0.5) * ROW)
        for k, join in enumerate(ids["join"]):
            pos[join] = (x0 + 6 * COL, top + (k + 1) * band - ROW / 2)
        return pos

    def _shift(self, made: list[str], pos: dict[str, tuple[float, float]], columns: list[str]) -> list[list[Any]]:
        """Move every node that stands where the drawing now is, or right of it, past the drawing's
        last column (all by one distance, so they keep their own layout), leaving what feeds the
        layer's inputs where it is; returns [id, old, new] for collapse."""
        x0 = min(p[0] for p in pos.values())
        right = max(p[0] for p in pos.values())
        stay = set(made) | set(columns) | {self.x_src}
        for col in [*columns, self.x_src]:
            stay |= self.g.ancestors(col) if col in self.g.nodes else set()  # an earlier expansion's Joins may be gone
        if self.shared_bias:
            stay.add(self.b.id)  # drawn beside the neurons by _bias_beside
        after = [n for n in self.g.nodes.values() if n.id not in stay and n.pos[0] > x0 - COL / 2]
        if not after:
            return []
        kept = [pos[n] for n in made] + [n.pos for n in self.g.nodes.values() if n.id in stay and n.id not in pos]
        # as far as the layer grew (wires out of it keep their length), or past the drawing if that covers a node
        delta = right - (self.act or self.layer).pos[0]
        if delta < 0 or _covers([(n.pos[0] + delta, n.pos[1]) for n in after], kept):
            delta = right + COL - min(n.pos[0] for n in after)
        if delta <= 0:
            return []
        moved = []
        for node in after:
            new = (node.pos[0] + delta, node.pos[1])
            moved.append([node.id, list(node.pos), list(new)])
            self.g.move_node(node.id, new)
        return moved

    def _bias_beside(self, made: list[str], pos: dict[str, tuple[float, float]]) -> list[list[Any]]:
        """Move a shared bias that feeds only this layer's neurons into the drawing, in the column
        left of their net inputs (below the middle neuron's sums), so its wires are short and run
        left to right; returns [id, old, new] for collapse."""
        b = self.g.nodes.get(self.b.id)
        if not self.shared_bias or b is None or not b.op.is_leaf:
            return []
        if any(e.dst not in made for e in self.g.consumers(b.id)):
            return []
        nets = sorted(pos[n] for n in made if b.id in self.g.sources(n))
        if not nets:
            return []
        x, y = nets[(len(nets) - 1) // 2]  # the middle neuron's net input; the row below its sums is free
        new = (x - COL, y + ROW / 2)
        old = b.pos
        self.g.move_node(b.id, new)
        return [[b.id, list(old), list(new)]]


def _covers(moving: list[tuple[float, float]], kept: list[tuple[float, float]]) -> bool:
    """Whether a node at one of ``moving`` would cover one at ``kept`` (boxes of BOX at each position)."""
    if not moving or not kept:
        return False
    a, b = np.array(moving), np.array(kept)
    dx = np.abs(a[:, None, 0] - b[None, :, 0])
    dy = np.abs(a[:, None, 1] - b[None, :, 1])
    return bool(np.any((dx < BOX[0]) & (dy < BOX[1])))


def _binary(g: Graph, add: Any, op: str, node_id: str, x: str, y: str) -> str:
    add(op, node_id)
    g.connect(x, node_id, "x")
    g.connect(y, node_id, "y")
    return node_id


def _product_id(w: str, col: str, fallback: str) -> str:
    """'w1.i1' (w1 times i1) when both are plain names, else the fallback."""
    candidate = f"{w}.{col}"
    return candidate if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", candidate) else fallback


def _entry_names(leaf: Node, shape: tuple[int, ...]) -> list[str]:
    """The names of ``leaf``'s entries in row order: its ``names`` attribute, else ``W1[0,1]``."""
    size = int(np.prod(shape))
    text = str(leaf.attrs.get("names", "") or "")
    names = text.replace(",", " ").split()
    if names:
        if len(names) != size:
            raise RewriteError(f"{leaf.id}: names lists {len(names)} names for {size} entries")
        return names
    return [f"{leaf.id}[{','.join(map(str, idx))}]" for idx in np.ndindex(*shape)]


def _free(g: Graph, node_id: str) -> str:
    return node_id if node_id not in g.nodes else g.new_id(node_id.replace(".", "_"))


def _fragment(g: Graph, node_ids: list[str]) -> dict[str, list[Any]]:
    """The nodes (as plain data) and every edge at them."""
    keep = set(node_ids)
    nodes = [_node_data(g.nodes[n]) for n in node_ids]
    edges = [[e.src, e.dst, e.port] for e in g.edges if e.src in keep or e.dst in keep]
    return {"nodes": nodes, "edges": edges}


def _node_data(node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {"id": node.id, "op": node.op_type, "attrs": dict(node.attrs), "pos": list(node.pos)}
    if node.value is not None:
        data["value"] = np.asarray(node.value).tolist()
    return data
