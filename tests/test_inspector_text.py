"""No text in the inspector is ever cut: every label is given the height its text needs at the
width it has, for every example and node, before and after the backward pass, from 1024×700 up."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.exceptions import TimeoutError
from training_helpers import EXAMPLES

from app.model.document import Document

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


def settled(qtbot, window, where: str) -> None:
    """Nothing cut once the layouts the inspector asked for have run."""
    try:
        qtbot.waitUntil(lambda: not clipped(window), timeout=3000)
    except TimeoutError:
        assert clipped(window) == [], where


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
            settled(qtbot, window, f"{path.name}, {node_id}")


def test_a_new_node_with_unconnected_inputs_reads_whole_at_the_smallest_size(workbench, qtbot):
    window = workbench(Document(), (1024, 700))
    node_id = window.add_node_at_centre("Multiply")
    window.scene.select_nodes([node_id])
    assert "not connected" in " ".join(label.text() for label in window.inspector.findChildren(QLabel))
    assert clipped(window) == []


def text_height(label: QLabel) -> int:
    """The height ``label``'s text needs at its width, measured on a fresh label (Qt's answer for
    the label itself is never below its minimum height, which a stale text may have left)."""
    if not label.text().strip():
        return 0
    probe = QLabel()
    probe.setFont(label.font())
    probe.setTextFormat(label.textFormat())
    probe.setWordWrap(True)
    probe.setContentsMargins(label.contentsMargins())
    probe.setText(label.text())
    return probe.heightForWidth(label.width())


def gaps(window) -> list[str]:
    """Wrapped labels of the sections below the node's own (Values & gradients, Published values)
    taller than their text needs: blank space in the dock."""
    QApplication.processEvents()
    found = []
    for section in window.inspector.sections[1:]:
        for label in section.findChildren(QLabel):
            if label.isVisible() and label.wordWrap():
                # an empty label may keep one line, or the height of the button in its row
                needed = text_height(label) if label.text().strip() else 24
                if label.height() > needed + 20:  # a line of slack: the probe is not styled like the label
                    found.append(f"{label.text()[:60]!r}: {label.height()} px high, needs {needed}")
    return found


def assert_no_gap(qtbot, window, where: str) -> None:
    """No gap and nothing cut once the inspector's refresh and the layouts it asked for have run."""
    try:
        qtbot.waitUntil(lambda: not gaps(window) and not clipped(window), timeout=3000)
    except TimeoutError:
        assert gaps(window) == [] and clipped(window) == [], where


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_gap_in_the_inspector_with_nothing_selected(workbench, qtbot, size):
    window = workbench(Document(), size)
    for name in ("apple", "xor", "mazur"):
        assert window.files.open_example(EXAMPLES / f"{name}.json")
        assert_no_gap(qtbot, window, name)
        window.debugger.controller.run_backward()
        window.scene.select_nodes([])
        assert_no_gap(qtbot, window, f"{name}, after the backward pass")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_published_value_text_is_cut(workbench, qtbot, size):
    from app.teach.published import canvas_node
    from core.references import references

    window = workbench(Document(), size)
    assert window.files.open_example(EXAMPLES / "mazur.json")
    c = window.debugger.controller
    graph = window.document.graph
    nodes = list(dict.fromkeys(canvas_node(graph, ref) for ref in references(graph)))
    section = window.published[0]
    for when in ("before", "forward", "backward", "update"):
        if when == "forward":
            c.run_forward()
        elif when == "backward":
            c.run_backward()
        elif when == "update":
            c.apply_update()
            c.run_forward()
        for node_id in nodes:
            window.scene.select_nodes([node_id])
            assert section.lines(), node_id
            assert_no_gap(qtbot, window, f"{node_id}, {when}")
