"""Expand to Neurons draws the neurons in free space (no node rectangle over another, on the canvas
and, for a layer too big for the window, by positions alone) and carries the published values over
to the neuron nodes they belong to (Mazur's out_h1 = 0.593269992)."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import EXAMPLES

from app import debugger
from app.commands.rewrite import ExpandLayers
from app.model.document import Document
from app.teach import neurons, published
from core import io
from core.references import quantity_at, references
from core.rewrite import collapse, expand, expand_layers, expandable_layers
from core.stepper import Stepper


def _overlaps(window) -> list[tuple[str, str]]:
    rects = [(item.node_id, item.mapRectToScene(item.body_rect())) for item in window.scene.node_items()]
    return [(a, b) for i, (a, ra) in enumerate(rects) for b, rb in rects[i + 1:] if ra.intersects(rb)]


@pytest.mark.parametrize("name", ["mazur", "xor"])
def test_no_node_covers_another_after_expanding_any_layer_or_all(make_main_window, name) -> None:
    window = make_main_window(Document.open(EXAMPLES / f"{name}.json"), install=[neurons.install])
    doc = window.document
    assert _overlaps(window) == []
    for layers in [[layer] for layer in expandable_layers(doc.graph)] + [None]:
        doc.undo_stack.push(ExpandLayers(doc, layers))
        assert _overlaps(window) == [], layers
        doc.undo_stack.undo()


def test_digits_second_layer_expanded_in_full_leaves_every_node_its_own_place() -> None:
    """Too big for the window (1,569 nodes), so by positions: each node's box, as wide as a column
    leaves room for (COL less a gap) and a row high, covers no other."""
    from core.rewrite.neurons import COL, ROW

    graph = io.load(EXAMPLES / "digits.json")
    before = {n.id: n.pos for n in graph.nodes.values()}
    after, _ = expand(graph, "affine2", limit=None)
    pos = np.array([n.pos for n in after.nodes.values()])
    width, height = COL - 60, ROW - 30
    order = np.argsort(pos[:, 0])
    xs, ys = pos[order, 0], pos[order, 1]
    clashes = 0
    for k in range(len(xs)):  # sweep: only nodes less than a box's width to the right can touch
        j = np.searchsorted(xs, xs[k] + width, side="left")
        clashes += int(np.sum(np.abs(ys[k + 1:j] - ys[k]) < height))
    assert clashes == 0
    back = collapse(after, "affine2")
    assert {n.id: n.pos for n in back.nodes.values()} == before


def test_mazur_out_h1_shows_its_published_value_after_expanding(make_main_window) -> None:
    window = make_main_window(Document.open(EXAMPLES / "mazur.json"),
                              install=[debugger.install, published.install, neurons.install])
    doc = window.document
    doc.undo_stack.push(ExpandLayers(doc, None))
    section = window.published[0]
    window.selected_node = lambda: "out_h1"
    window.debugger.controller.run_backward()
    section.refresh()
    text = " ".join(section.lines())
    assert "value of sigmoid1[0,0]: published 0.593269992" in text and "agrees to 9 digits" in text
    assert "gradient of sigmoid1[0,0]: published 0.036350306" in text
    window.selected_node = lambda: "net_h1"
    section.refresh()
    assert "value of affine1[0,0]: published 0.3775" in " ".join(section.lines())


def test_every_mazur_figure_is_read_from_the_expanded_graph() -> None:
    graph = io.load(EXAMPLES / "mazur.json")
    plain, expanded = Stepper(graph), Stepper(expand_layers(graph)[0])
    plain.run_backward()
    expanded.run_backward()
    for ref in references(graph):
        if ref.after_updates == 0:
            assert quantity_at(expanded, ref) == pytest.approx(quantity_at(plain, ref), abs=1e-15), ref.target
