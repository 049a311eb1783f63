"""Labels stay where the person sees them: the first view of every shipped example leaves room
for the output arrow's labels (the loss and the starting gradient), and after the forward and
the backward pass, fitting the view (F) shows every label whole."""
from __future__ import annotations

from typing import Any

import pytest
from helpers import EXAMPLES, example_names

from app.editor import framing
from app.editor import view as view_module
from app.editor.edge_label import EdgeLabelItem
from app.model.document import Document


def _shown(view: Any):  # noqa: ANN202
    return view.mapToScene(view.viewport().rect()).boundingRect()


def _outside(view: Any) -> list[str]:
    shown = _shown(view)
    return [item.text for item in view.scene().items()
            if isinstance(item, EdgeLabelItem) and item.isVisible() and item.text
            and not shown.contains(item.sceneBoundingRect())]


@pytest.mark.parametrize("size", [(1280, 800), (1600, 1000)])
@pytest.mark.parametrize("name", example_names())
def test_the_output_arrow_and_every_label_are_in_sight(workbench, qtbot, name, size):
    window = workbench(Document.open(EXAMPLES / f"{name}.json"), size=size)
    view, scene = window.view, window.scene
    objective = scene.node_item(scene.graph.objective_id())
    room = framing.OUTPUT_ROOM.translated(objective.output.scenePos())
    assert _shown(view).adjusted(-2, -2, 2, 2).contains(room)  # before the arrow is drawn (scrolls are whole pixels)

    controller = window.debugger.controller
    controller.run_forward()
    controller.run_backward()
    qtbot.waitUntil(lambda: not scene.label_pass.pending(), timeout=10000)
    stub = window.debugger.labels.stub
    assert stub is not None and stub.labels()[0] is not None and stub.labels()[1] == "1"
    view.fit_to_graph()  # F
    if view.scale_factor() > view_module.MIN_SCALE:
        assert _outside(view) == []

