"""No text in the inspector is ever cut: every label is given the height its text needs at the
width it has, for every example and node, before and after the backward pass, from 1024×700 up."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from training_helpers import EXAMPLES

from app.document import Document

SIZES = [(1024, 700), (1600, 1000)]
STEPPED = ("apple", "apple_orange", "mazur", "sine", "xor")  # small data: quick to step


def clipped(window) -> list[str]:
    """Visible labels of the inspector dock whose text needs more room than they have."""
    QApplication.processEvents()
    found = []
    for label in window.inspector_dock.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip():
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height():
                found.append(f"{label.text()[:60]!r}: {label.height()} px high, needs {needed}")
        else:
            hint = label.sizeHint()
            if hint.height() > label.height() or hint.width() > label.width():
                found.append(f"{label.text()[:60]!r}: {label.width()}×{label.height()}, needs "
                             f"{hint.width()}×{hint.height()}")
    return found


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_inspector_text_is_cut_for_any_example_or_node(workbench, qtbot, size):
    window = workbench(Document(), size)
    for path in sorted(EXAMPLES.glob("*.json")):
        assert window.files.open_example(path)
        assert clipped(window) == [], f"{path.name}, the graph"
        if path.stem not in STEPPED:
            continue
        window.debugger.controller.run_backward()
        graph = window.document.graph
        kinds = {}  # one node of each op: the rows an inspector shows depend on the op
        for node_id in graph.topological_order():
            kinds.setdefault(graph.nodes[node_id].op_type, node_id)
        for node_id in kinds.values():
            window.scene.select_nodes([node_id])
            assert clipped(window) == [], f"{path.name}, {node_id}"


def test_a_new_node_with_unconnected_inputs_reads_whole_at_the_smallest_size(workbench, qtbot):
    window = workbench(Document(), (1024, 700))
    node_id = window.add_node_at_centre("Multiply")
    window.scene.select_nodes([node_id])
    assert "not connected" in " ".join(label.text() for label in window.inspector.findChildren(QLabel))
    assert clipped(window) == []
