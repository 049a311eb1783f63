"""No two labels on the canvas overlap on any shipped example, after the forward pass and after
the backward pass (the values above the edges, the gradients below, the output arrow's two), and
an edge's value stays above its gradient."""
from __future__ import annotations

from typing import Any

import pytest
from helpers import EXAMPLES, example_names

from app import debugger
from app.editor.edge_label import EdgeLabelItem
from app.model.document import Document


def _labels(scene: Any) -> list[tuple[str, Any]]:
    """Every shown label in the scene with a name for messages."""
    named = []
    for item in scene.items():
        if isinstance(item, EdgeLabelItem) and item.isVisible() and item.text:
            owner = item.owner
            where = f"{owner.src} → {owner.dst}.{owner.port}" if owner is not None else "output arrow"
            named.append((f"{item.text!r} on {where}", item.sceneBoundingRect()))
    return named


def _swapped(scene: Any) -> list[str]:
    """Edges whose value is not above their gradient (the legend: value above, gradient below)."""
    swapped = []
    for edge in scene.edge_items():
        ys = [label.sceneBoundingRect().center().y() for label in edge.label_items()]
        if len(ys) == 2 and ys[0] >= ys[1]:
            swapped.append(f"{edge.src} → {edge.dst}.{edge.port}")
    return swapped


def _overlaps(scene: Any) -> list[str]:
    labels = _labels(scene)
    return [f"{a} and {b}" for i, (a, ra) in enumerate(labels) for b, rb in labels[i + 1:] if ra.intersects(rb)]


@pytest.mark.parametrize("name", example_names())
def test_no_two_labels_overlap_after_the_forward_and_the_backward_pass(make_main_window, qtbot, name):
    window = make_main_window(Document.open(EXAMPLES / f"{name}.json"), install=[debugger.install])
    controller, scene = window.debugger.controller, window.scene
    controller.run_forward()
    qtbot.waitUntil(lambda: not scene.label_pass.pending(), timeout=10000)
    assert len(_labels(scene)) > 2
    assert _overlaps(scene) == []
    controller.run_backward()
    qtbot.waitUntil(lambda: not scene.label_pass.pending(), timeout=10000)
    assert len(_labels(scene)) > 4
    assert _overlaps(scene) == []
    assert _swapped(scene) == []
