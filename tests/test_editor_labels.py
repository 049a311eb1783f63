"""Edge labels on the canvas: each beside (or on) its own curve, never over a port, in the same
place whatever order they were set in, and highlighted with their edge."""
from __future__ import annotations

from typing import Iterator

import numpy as np
import pytest
from editor_helpers import Canvas, open_canvas
from helpers import EXAMPLES, build_mazur
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtTest import QTest
from wide_graphs import fan_out_graph

from app import debugger
from app.editor import style
from app.editor.edge_label import label_lines
from app.editor.scene import GraphScene
from app.model.document import Document
from core import io


def _settled(qtbot, scene: GraphScene) -> None:
    qtbot.waitUntil(lambda: not scene.label_pass.pending(), timeout=2000)


def _centre(label) -> np.ndarray:  # noqa: ANN001
    c = label.sceneBoundingRect().center()
    return np.array([[c.x(), c.y()]])


def _port_circles(scene: GraphScene) -> list[tuple[str, QRectF]]:
    r = style.PORT_RADIUS
    return [(f"{port.node_id}.{port.name}", QRectF(port.scenePos().x() - r, port.scenePos().y() - r, 2 * r, 2 * r))
            for node in scene.node_items() for port in node.ports()]


def assert_labels_readable(scene: GraphScene) -> int:
    """Every label's centre is nearer to its own curve than to any other edge's curve, and no
    label covers a port; returns how many labels were checked."""
    edges = scene.edge_items()
    ports = _port_circles(scene)
    checked = 0
    for edge in edges:
        for label in edge.label_items():
            centre = _centre(label)
            own = edge.distances_to(centre)[0]
            for other in edges:
                if other is not edge:
                    assert own < other.distances_to(centre)[0], (
                        f"{label.text!r} of {edge.src} → {edge.dst}.{edge.port} is nearer to "
                        f"{other.src} → {other.dst}.{other.port}")
            covered = [name for name, circle in ports if label.sceneBoundingRect().intersects(circle)]
            assert covered == [], f"{label.text!r} of {edge.src} → {edge.dst}.{edge.port} covers {covered}"
            checked += 1
    return checked


@pytest.fixture
def stepped(make_main_window, qtbot):
    """A window on an example with the debugger; ``stepped(name, steps)`` runs that many steps."""
    def run(name: str, steps: int):  # noqa: ANN202
        window = make_main_window(Document.open(EXAMPLES / f"{name}.json"), install=[debugger.install])
        window.run_steps(steps)
        _settled(qtbot, window.scene)
        return window
    return run


def test_after_mazurs_backward_pass_every_label_sits_by_its_own_edge_and_off_the_ports(stepped):
    window = stepped("mazur", 11)  # the forward and the backward pass, before the update
    scene = window.scene
    w2 = scene.edge_item("affine2", "W")
    value, grad = w2.labels()
    assert value is not None and grad is not None  # W2's value and its gradient, on W2's own edge
    assert assert_labels_readable(scene) == 16  # 10 edges: values on all, gradients on the 6 that get one


def test_fanned_in_edges_of_apple_orange_keep_their_labels_apart(stepped):
    scene = stepped("apple_orange", 9).scene
    assert assert_labels_readable(scene) == 16
    labels = [label.sceneBoundingRect() for edge in scene.edge_items() for label in edge.label_items()]
    assert not any(a.intersects(b) for i, a in enumerate(labels) for b in labels[i + 1:])


def test_a_node_that_grows_pushes_the_labels_it_would_cover_away(stepped, qtbot):
    window = stepped("mazur", 10)
    scene = window.scene
    w2 = scene.node_item("W2")
    before = w2.body_rect().width()
    w2.set_value_text("new [[0.35891648, 0.51130127], [0.40866619, 0.56137012]]")  # rows wider than the gradient's
    assert w2.body_rect().width() > before + 30
    _settled(qtbot, scene)
    body = w2.mapRectToScene(w2.body_rect())
    header = QRectF(body.left(), body.top(), body.width(), style.HEADER_HEIGHT)
    for edge in scene.edge_items():
        for label in edge.label_items():
            assert not label.sceneBoundingRect().intersects(header), f"{label.text!r} covers W2's header"
    assert_labels_readable(scene)


@pytest.fixture
def mazur(qtbot) -> Iterator[Canvas]:
    yield from open_canvas(qtbot, build_mazur())


INTO_AFFINE2 = [("affine2", "x", "[0.5933, 0.5969]", "[0.03635, 0.04137]"),
                ("affine2", "W", "[[0.4, 0.5], [0.45, 0.55]]", "[[0.08217, -0.0226], [0.08267, -0.02274]]"),
                ("affine2", "b", "0.6", None)]


def _positions(canvas: Canvas, qtbot) -> list[tuple[float, float]]:
    _settled(qtbot, canvas.scene)
    return [(round(label.x(), 6), round(label.y(), 6))
            for dst, port, _, _ in INTO_AFFINE2 for label in canvas.scene.edge_item(dst, port).label_items()]


def test_labels_set_in_any_order_end_in_the_same_places(qtbot):
    runs = []
    for order in (INTO_AFFINE2, INTO_AFFINE2[::-1]):
        canvas = Canvas(qtbot, build_mazur())
        for dst, port, value, grad in order:
            canvas.scene.edge_item(dst, port).set_labels(value, grad)
        runs.append(_positions(canvas, qtbot))
        canvas.doc.close()
    assert len(runs[0]) == 5 and runs[0] == runs[1]


def test_a_small_matrix_is_written_one_row_per_line():
    assert label_lines("[[0.15, 0.25], [0.2, 0.3]]") == ["[[0.15, 0.25],", " [0.2, 0.3]]"]
    assert label_lines("[0.00044 0.0005; 0.00088 0.001]") == ["[0.00044 0.0005;", " 0.00088 0.001]"]
    assert label_lines("[0.5933, 0.5969]") == ["[0.5933, 0.5969]"]
    assert label_lines("[[1], [2]]") == ["[[1], [2]]"]  # narrow: one line
    assert label_lines("") == []


def test_hovering_an_edge_or_one_of_its_labels_highlights_both(mazur, qtbot):
    edge = mazur.scene.edge_item("sigmoid2", "x")
    edge.set_labels("[1.106, 1.225]", "[0.1385, -0.0381]")
    _settled(qtbot, mazur.scene)
    other = mazur.scene.edge_item("affine1", "x")
    other.set_labels("[0.05, 0.1]", None)
    _settled(qtbot, mazur.scene)
    viewport = mazur.view.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=mazur.at(QPointF(-400, -400)))  # a clean mouse
    curve_point = edge.path().pointAtPercent(0.1)
    QTest.mouseMove(viewport, mazur.at(curve_point))
    qtbot.waitUntil(edge.is_hot, timeout=1000)
    assert all(label.hot for label in edge.label_items())
    assert not any(label.hot for label in other.label_items())
    QTest.mouseMove(viewport, mazur.at(QPointF(-400, -400)))
    qtbot.waitUntil(lambda: not edge.is_hot(), timeout=1000)
    assert not any(label.hot for label in edge.label_items())
    grad_label = edge.label_items()[1]
    QTest.mouseMove(viewport, mazur.at(grad_label.sceneBoundingRect().center()))
    qtbot.waitUntil(edge.is_hot, timeout=1000)
    assert grad_label.hot and edge.label_items()[0].hot
    QTest.mouseMove(viewport, mazur.at(QPointF(-400, -400)))
    qtbot.waitUntil(lambda: not edge.is_hot(), timeout=1000)


def test_an_export_renders_labels_in_their_place_even_before_the_event_loop_ran(mazur):
    for dst, port, value, grad in INTO_AFFINE2:
        mazur.scene.edge_item(dst, port).set_labels(value, grad)
    assert mazur.scene.label_pass.pending()
    from PySide6.QtGui import QImage, QPainter
    image = QImage(200, 100, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    mazur.scene.render(painter)
    painter.end()
    assert not mazur.scene.label_pass.pending()
    assert_labels_readable(mazur.scene)


def test_labels_of_a_fanned_out_graph_placed_in_one_pass_stay_readable(make_main_window, qtbot, tmp_path):
    """x into 12 branches x·p_i → tanh summed pairwise, opened laid out: every label of the
    forward pass is placed from the scene's index, nearer its own curve than any other, off the ports."""
    io.save(fan_out_graph(12, size=1), tmp_path / "fan.json")
    window = make_main_window(Document.open(tmp_path / "fan.json"), install=[debugger.install])
    window.run_steps(len(window.scene.edge_items()))
    _settled(qtbot, window.scene)
    assert assert_labels_readable(window.scene) >= 12 * 3 + 11


def test_a_step_on_a_1000_node_graph_places_the_labels_of_a_bounded_number_of_edges(
        make_main_window, qtbot, tmp_path, monkeypatch):
    """The first step of the 1,000-node fan-out graph gives 499 edges their labels: those in
    sight at once, the others after the repaint; the pass after it places one slice of them (the
    ones in sight first), a timer the rest; a forward step later places only the stepped node's
    output edges; an export places whatever still waits."""
    from PySide6.QtCore import QCoreApplication

    from app.editor import label_layout, label_pass
    from app.window.screenshot import export_png

    placed: list[tuple[str, str]] = []
    real_place = label_layout.place

    def counting(edge, scene, index=None):  # noqa: ANN001, ANN202
        placed.append(edge.key)
        real_place(edge, scene, index)

    monkeypatch.setattr(label_layout, "place", counting)
    io.save(fan_out_graph(249, size=1), tmp_path / "fan.json")
    window = make_main_window(Document.open(tmp_path / "fan.json"), install=[debugger.install])
    scene, view = window.scene, window.view
    assert len(scene.node_items()) == 997
    view.set_scale(1.0, QPointF(0.0, 0.0))  # a part of the graph in sight, most of it not
    QCoreApplication.sendPostedEvents(scene.label_pass)
    placed.clear()

    window.run_steps(1)
    labelled = {(f"m{i}", port) for i in range(249) for port in ("x", "y")} | {("t0", "x")}
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    near = shown.adjusted(-label_pass.NEAR, -label_pass.NEAR, label_pass.NEAR, label_pass.NEAR)
    at_once = {edge.key for edge in scene.edge_items() if edge.label_items()}
    assert at_once and at_once < labelled  # x and every p_i into the m_i, and the first step's own output
    assert all(scene.edge_item(*key).sceneBoundingRect().intersects(near) for key in at_once)
    assert not any(scene.edge_item(*key).sceneBoundingRect().intersects(near) for key in labelled - at_once)
    QCoreApplication.sendPostedEvents(scene.label_pass)  # the pass the step posted, as the event loop runs it
    assert len(placed) == label_pass.SLICE
    first_slice = list(placed)
    assert all(scene.edge_item(*key).sceneBoundingRect().intersects(shown) for key in placed)
    assert scene.label_pass.pending()

    view.centerOn(QPointF(345.0, 500.0))  # m1's output edge in sight near the top, waiting edges nearer the middle
    placed.clear()
    window.run_steps(1)  # a forward step while most labels still wait: m1's value, on its one output edge
    QCoreApplication.sendPostedEvents(scene.label_pass)
    assert len(placed) == label_pass.SLICE
    assert scene.edge_item("t1", "x").key in placed  # the step's own edge before the backlog

    export_png(scene, tmp_path / "canvas.png", 0.2)  # an export places everything that waits
    assert not scene.label_pass.pending()
    labelled.add(("t1", "x"))
    assert {edge.key for edge in scene.edge_items() if edge.label_items()} == labelled
    assert labelled <= set(placed) | set(first_slice)

    placed.clear()
    window.run_steps(1)  # with nothing waiting, a forward step places about its own edges only
    QCoreApplication.sendPostedEvents(scene.label_pass)
    qtbot.waitUntil(lambda: not scene.label_pass.pending(), timeout=5000)
    assert 1 <= len(placed) <= label_pass.SLICE


def test_a_labels_first_place_is_the_curves_middle_frame_as_numpy_computes_it():
    """The plain first place of a label reads the middle of the curve in floats: the same point
    and normal as the sampled curve at t = 0.5, for curves running forwards, backwards and flat."""
    from app.editor.edge_item import curve_normals, curve_points, middle_frame

    middle = np.array([0.5])
    for p0, p1 in [((0, 0), (200, 80)), ((300, 40), (-100, -250)), ((0, 0), (0, 0)), ((-50, 10), (400, 10))]:
        a, b = QPointF(*p0), QPointF(*p1)
        expected = np.concatenate([curve_points(a, b, middle)[0], curve_normals(a, b, middle)[0]])
        np.testing.assert_allclose(middle_frame(a, b), expected, atol=1e-12)


def test_a_window_screenshot_places_every_waiting_label_first(make_main_window, tmp_path):
    """``--screenshot`` grabs the window as drawn: labels still waiting for their slice are placed
    before the grab, so the picture shows every label in its place."""
    from app.window.screenshot import grab_window

    window = make_main_window(Document(build_mazur()), install=[debugger.install])
    window.run_steps(len(window.scene.edge_items()))
    assert window.scene.label_pass.pending()
    grab_window(window, tmp_path / "window.png")
    assert not window.scene.label_pass.pending()
    assert (tmp_path / "window.png").stat().st_size > 0
