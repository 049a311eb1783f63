"""The editor's view of the graph: live validation, items following every change, auto-layout,
zoom and panning (the editing gestures: test_editor.py)."""
from __future__ import annotations

from typing import Iterator

import numpy as np
import pytest
from editor_helpers import Canvas, open_canvas, pair_graph
from helpers import build_mazur
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QImage, QPainter, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app import commands as cmd
from app.editor import style
from app.editor.framing import readable_scale
from app.editor.layout import depths
from app.editor.node_item import MAX_WIDTH, TITLE_LOD
from app.editor.node_text import caption_symbol
from app.editor.view import FIT_MAX_SCALE, MAX_SCALE, MIN_SCALE
from core.format import format_nested
from core.graph import Graph


@pytest.fixture
def mazur(qtbot) -> Iterator[Canvas]:
    yield from open_canvas(qtbot, build_mazur())


# ------------------------------------------------------------------ layout
def test_auto_layout_places_columns_by_depth_as_one_entry(qtbot):
    g = build_mazur()
    for node in list(g.nodes):
        g.move_node(node, (0, 0))
    canvas = Canvas(qtbot, g)
    assert canvas.scene.auto_layout()
    assert canvas.texts() == ["Auto-Layout"]
    depth = depths(g)
    assert depth["affine1"] == 1 and depth["W2"] == depth["sigmoid1"] == 2 and depth["loss"] == 5
    for e in g.edges:
        assert g.node(e.src).pos[0] < g.node(e.dst).pos[0]
    rects = [canvas.scene.node_item(n).sceneBoundingRect() for n in g.nodes]
    bodies = [canvas.scene.node_item(n).mapRectToScene(canvas.scene.node_item(n).body_rect()) for n in g.nodes]
    assert not any(a.intersects(b) for i, a in enumerate(bodies) for b in bodies[i + 1:])
    assert len(rects) == 11
    assert not canvas.scene.auto_layout()  # already tidy: no second entry
    canvas.doc.undo_stack.undo()
    assert all(node.pos == (0.0, 0.0) for node in g.nodes.values())
    canvas.doc.close()


# -------------------------------------------------------------- validation
def test_an_unconnected_input_gets_a_red_outline_and_a_tooltip(mazur, qtbot):
    assert mazur.scene.problems == [] and mazur.scene.node_item("affine2").problem is None
    with qtbot.waitSignal(mazur.scene.problemsChanged) as signal:
        mazur.doc.undo_stack.push(cmd.Disconnect(mazur.doc, "affine2", "b"))
    assert signal.args == [1]
    item = mazur.scene.node_item("affine2")
    assert item.problem == "affine2 (Affine): input 'b' is not connected"
    assert "input 'b' is not connected" in item.toolTip()
    assert mazur.scene.node_item("sigmoid2").shape_text == ""  # its shape is unknown now
    with qtbot.waitSignal(mazur.scene.problemsChanged) as signal:
        mazur.doc.undo_stack.undo()
    assert signal.args == [0] and item.problem is None and mazur.scene.node_item("sigmoid2").shape_text == "1×2"


def test_a_compound_edit_is_validated_once(mazur, qtbot):
    counts: list[int] = []
    mazur.scene.problemsChanged.connect(counts.append)
    mazur.doc.undo_stack.push(cmd.RemoveNodes(mazur.doc, ["W1", "b1", "W2"]))
    qtbot.waitUntil(lambda: counts != [])
    QApplication.processEvents()
    assert counts == [3]


# ------------------------------------------------------- following the graph
def test_items_follow_renames_values_and_attributes(mazur):
    mazur.doc.undo_stack.push(cmd.Rename(mazur.doc, "sigmoid1", "h"))
    assert mazur.scene.node_item("h").node_id == "h"
    assert mazur.scene.edge_item("affine2", "x").src == "h" and mazur.scene.edge_item("h", "x").src == "affine1"
    mazur.doc.undo_stack.push(cmd.SetValue(mazur.doc, "b1", 0.5))
    assert mazur.scene.node_item("b1").value_text() == "= 0.5"
    assert mazur.scene.node_item("W1").value_text() == format_nested(np.array([[0.15, 0.25], [0.2, 0.3]]), 3)
    mazur.doc.undo_stack.push(cmd.SetValue(mazur.doc, "W1", np.zeros((3, 3))))
    assert mazur.scene.node_item("W1").value_text() == "3×3 array"
    mazur.doc.undo_stack.push(cmd.SetAttr(mazur.doc, "x", "field", "t"))
    assert mazur.scene.node_item("x").value_text() == "field 't'"
    mazur.doc.undo_stack.undo()
    assert mazur.scene.node_item("x").value_text() == "field 'x'"


def test_debugger_hooks_change_the_look_and_refuse_unknown_states(mazur):
    item = mazur.scene.node_item("sigmoid1")
    item.set_value_text("new 0.59")
    assert item.value_text() == "new 0.59"
    item.set_value_text(None)
    assert item.value_text() is None
    assert mazur.scene.node_item("b1").value_text() == "= 0.35"
    item.set_run_state("pending")
    assert item.opacity() < 1
    with pytest.raises(ValueError, match="unknown run state"):
        item.set_run_state("sleeping")
    edge = mazur.scene.edge_item("affine2", "x")
    edge.set_labels("0.593", "0.036")
    assert edge.labels() == ("0.593", "0.036")
    value_label, grad_label = edge.label_items()
    assert value_label.y() < edge.midpoint().y() + 1 < grad_label.y() + 2
    edge.set_heat(np.linspace(-1, 1, 200))
    edge.set_grad_heat(np.linspace(1, -1, 30))
    value_label, grad_label = edge.label_items()
    assert value_label.heat.width() == 64 and grad_label.heat.width() == 30  # at most 64 cells each
    assert grad_label.heat.pixelColor(0, 0).red() == 255 and grad_label.heat.pixelColor(29, 0).blue() == 255
    edge.set_labels(None, None)
    assert len(edge.label_items()) == 2  # the heat strips stay
    edge.set_heat(None)
    edge.set_grad_heat(None)
    assert edge.label_items() == []


# ------------------------------------------------------------------- view
def test_zoom_is_clamped_and_the_wheel_zooms_around_the_cursor(mazur):
    view = mazur.view
    view.actual_size()
    cursor = QPointF(300, 200)
    fixed = view.mapToScene(cursor.toPoint())
    event = QWheelEvent(cursor, view.viewport().mapToGlobal(cursor), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.scale_factor() == pytest.approx(1.15 ** 2)
    assert (view.mapToScene(cursor.toPoint()) - fixed).manhattanLength() < 2
    for _ in range(40):
        view.zoom_in()
    assert view.scale_factor() == MAX_SCALE
    for _ in range(60):
        view.zoom_out()
    assert view.scale_factor() == MIN_SCALE


def test_fit_shows_every_node_and_middle_drag_pans(mazur):
    view = mazur.view
    view.zoom_in()
    view.zoom_in()
    QTest.keyClick(view.viewport(), Qt.Key.Key_F)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert all(visible.contains(item.sceneBoundingRect()) for item in mazur.scene.node_items())
    before = view.mapToScene(QPoint(100, 100))
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(400, 300))
    QTest.mouseMove(viewport, QPoint(450, 320))
    QTest.mouseRelease(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(450, 320))
    moved = view.mapToScene(QPoint(100, 100)) - before
    scale = view.scale_factor()
    assert moved.x() == pytest.approx(-50 / scale, abs=1.5) and moved.y() == pytest.approx(-20 / scale, abs=1.5)
    assert mazur.texts() == []  # panning is not an edit


def test_space_and_left_drag_pans_instead_of_selecting(mazur):
    view = mazur.view
    viewport = view.viewport()
    before = view.mapToScene(QPoint(100, 100))
    QTest.keyPress(viewport, Qt.Key.Key_Space)
    mazur.drag(QPoint(700, 650), QPoint(640, 600))
    QTest.keyRelease(viewport, Qt.Key.Key_Space)
    moved = view.mapToScene(QPoint(100, 100)) - before
    assert moved.x() > 0 and moved.y() > 0
    assert mazur.scene.selected_node_ids() == [] and mazur.texts() == []


def test_changes_outside_the_undo_stack_still_reach_the_items(mazur, qtbot):
    with qtbot.waitSignal(mazur.scene.problemsChanged):
        mazur.graph.set_value("W2", np.full((2, 2), np.nan))  # as a training update would
    assert mazur.scene.node_item("W2").value_text() == format_nested(np.full((2, 2), np.nan), 3)
    assert "NaN" in mazur.scene.node_item("W2").value_text()
    assert "NaN or Inf" in mazur.scene.node_item("W2").problem
    assert mazur.texts() == []


# ------------------------------------------------------------- readability
def _visible(view) -> QRectF:  # noqa: ANN001
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_the_first_view_of_a_large_graph_stays_readable_and_f_still_shows_all(mazur):
    view, scene = mazur.view, mazur.scene
    view.resize(350, 260)  # the whole graph would need a zoom below the readable one
    view.show_graph()
    assert view.scale_factor() == readable_scale()
    visible = _visible(view)
    assert visible.contains(scene.node_item("loss").sceneBoundingRect())  # the objective
    assert not visible.contains(scene.node_item("x").sceneBoundingRect())
    view.fit_to_graph()
    assert view.scale_factor() < readable_scale()
    assert all(_visible(view).contains(item.sceneBoundingRect()) for item in scene.node_items())


def test_the_first_view_shows_a_graph_whole_only_where_its_labels_stay_legible(mazur):
    """Mazur at 700×450 would fit whole at a zoom of about 0.6 (labels 7 pixels tall): it opens
    at the readable zoom (labels 3/4 of the menu text, 9 pixels here) around its loss instead;
    at 1300×800 it fits whole above that zoom and opens whole."""
    view, scene = mazur.view, mazur.scene
    assert readable_scale() == pytest.approx(0.75 * 9.0 / 8.0)  # the menu font 9 pt, the labels 8 pt
    label_px = QFontInfo(style.font("label")).pixelSize()
    view.resize(700, 450)
    view.show_graph()
    assert view.scale_factor() == pytest.approx(readable_scale())
    assert label_px * view.scale_factor() >= 9.0
    visible = _visible(view)
    assert visible.contains(scene.node_item("loss").sceneBoundingRect())
    assert not visible.contains(scene.graph_rect())
    view.resize(1300, 800)
    view.show_graph()
    assert readable_scale() < view.scale_factor() < 1.0
    assert _visible(view).contains(scene.graph_rect())


def test_the_first_view_of_a_graph_that_fits_shows_it_all_centred(qtbot):
    canvas = Canvas(qtbot, pair_graph())
    view = canvas.view
    view.show_graph()
    assert readable_scale() <= view.scale_factor() <= FIT_MAX_SCALE
    middle = view.mapFromScene(canvas.scene.graph_rect().center())
    centre = view.viewport().rect().center()
    assert abs(middle.x() - centre.x()) <= 2 and abs(middle.y() - centre.y()) <= 2
    canvas.doc.close()


def test_the_view_follows_the_debuggers_current_node(mazur):
    view, scene = mazur.view, mazur.scene
    view.resize(700, 450)
    view.show_graph()
    view.set_scale(1.5)  # the person zoomed in, around the loss
    view.centerOn(scene.node_item("loss"))
    first = scene.node_item("x")
    assert not _visible(view).contains(first.sceneBoundingRect())
    first.set_current(True)
    visible = _visible(view)
    assert visible.contains(first.sceneBoundingRect())
    assert visible.contains(scene.node_item("affine1").sceneBoundingRect())  # and its neighbour


def _light_pixels(scene, rect: QRectF, scale: float) -> int:  # noqa: ANN001
    """How many near-white pixels the scene paints in ``rect`` at zoom ``scale``."""
    image = QImage(max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale)),
                   QImage.Format.Format_RGB32)
    image.fill(QColor("#000000"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(scale, scale)
    scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    painter.end()
    light = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            light += min(c.red(), c.green(), c.blue()) > 190
    return light


def _header(item) -> QRectF:  # noqa: ANN001
    body = item.mapRectToScene(item.body_rect())
    return QRectF(body.left() + 2, body.top() + 2, body.width() - 4, style.HEADER_HEIGHT - 4)


def test_node_titles_are_drawn_down_to_a_third_of_actual_size(qtbot):
    g = Graph()
    g.add_node("Affine", "affine1", pos=(0, 0))
    canvas = Canvas(qtbot, g)
    header = _header(canvas.scene.node_item("affine1"))
    assert _light_pixels(canvas.scene, header, 0.5) > 0
    assert _light_pixels(canvas.scene, header, TITLE_LOD + 0.05) > 0
    assert _light_pixels(canvas.scene, header, TITLE_LOD - 0.05) == 0
    canvas.doc.close()


def _render(scene, area: QRectF, zoom: float) -> QImage:  # noqa: ANN001
    image = QImage(round(area.width() * zoom), round(area.height() * zoom), QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.scale(zoom, zoom)
    scene.render(painter, QRectF(0, 0, area.width(), area.height()), area)
    painter.end()
    return image


def _text_extent(image: QImage, top: float, bottom: float) -> tuple[int, int]:
    """The first and last pixel columns holding text (dark pixels) between rows ``top`` and ``bottom``."""
    columns = [x for x in range(image.width()) for y in range(max(0, int(top)), min(image.height(), int(bottom)))
               if max(image.pixelColor(x, y).getRgb()[:3]) < 140]
    return min(columns), max(columns)


@pytest.mark.parametrize("zoom", [0.55, 0.8, 1.0, 1.3, 2.0])
def test_a_node_holds_its_value_text_whole_at_any_zoom(qtbot, zoom):
    g = Graph()
    g.add_node("Parameter", "w", value=np.zeros((4, 2)), pos=(0, 0))
    canvas = Canvas(qtbot, g)
    item = canvas.scene.node_item("w")
    text = "∂L = [4×2: -0.0822 … 0.0822]"
    item.set_value_text(text)
    assert item.value_lines() == [text]
    body, band = item.mapRectToScene(item.body_rect()), item.mapRectToScene(item.text_rect())
    assert body.contains(band) and item.sceneBoundingRect().contains(body)
    # where the font at this zoom puts the text's end (in scene units), inside the padding
    font = QFont(style.font("body"))
    font.setPointSizeF(font.pointSizeF() * zoom)
    assert band.left() + QFontMetricsF(font).horizontalAdvance(text) / zoom <= body.right() - style.PAD
    # the node on the canvas, against the same text drawn alone without any clipping
    area = QRectF(body.left(), band.top(), body.width() + 80, band.height())
    drawn = _text_extent(_render(canvas.scene, area, zoom), 0, area.height() * zoom)
    alone = QImage(round(area.width() * zoom), round(area.height() * zoom), QImage.Format.Format_RGB32)
    alone.fill(QColor("#ffffff"))
    painter = QPainter(alone)
    painter.scale(zoom, zoom)
    painter.setFont(style.font("body"))
    painter.setPen(style.TEXT)
    painter.drawText(QRectF(band.left() - area.left(), 0, 1000, style.VALUE_HEIGHT),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) | int(Qt.TextFlag.TextDontClip),
                     text)
    painter.end()
    whole = _text_extent(alone, 0, area.height() * zoom)
    assert abs(drawn[1] - whole[1]) <= 1  # its last character is drawn whole: nothing cut or elided
    assert drawn[1] < body.width() * zoom - 2  # inside the node's outline
    canvas.doc.close()


def test_a_small_matrix_on_a_node_takes_a_line_per_row_and_a_long_text_is_elided_with_a_tooltip(qtbot):
    g = Graph()
    g.add_node("Parameter", "W2", value=np.zeros((2, 2)), pos=(0, 0))
    canvas = Canvas(qtbot, g)
    item = canvas.scene.node_item("W2")
    one_line = item.body_rect().height()
    item.set_value_text("new [[0.3589, 0.5113], [0.4087, 0.5614]]")
    assert item.value_lines() == ["new [[0.3589, 0.5113],", "[0.4087, 0.5614]]"]
    assert item.body_rect().height() > one_line + 10  # a second line
    assert item.body_rect().contains(item.text_rect())
    body, band = item.mapRectToScene(item.body_rect()), item.mapRectToScene(item.text_rect())
    image = _render(canvas.scene, QRectF(body.left(), band.top(), body.width(), band.height()), 1.0)
    half = band.height() / 2
    first, second = _text_extent(image, 0, half), _text_extent(image, half, band.height())
    assert second[0] > first[0] + 15  # the second row starts under the first row's numbers
    assert max(first[1], second[1]) < body.width() - style.PAD / 2
    item.set_value_text("new [[0.15, 0.25], [0.2, 0.3], [0.4, 0.5]]")  # three rows: one line
    assert len(item.value_lines()) == 1 and item.body_rect().height() == one_line
    long_text = "∂L = [" + ", ".join(["0.123456"] * 40) + "]"
    item.set_value_text(long_text)
    assert item.body_rect().width() == MAX_WIDTH and long_text in item.toolTip()  # elided on the canvas
    item.set_value_text(None)
    assert long_text not in item.toolTip()
    canvas.doc.close()


def test_the_op_symbol_is_written_before_the_op_title_not_as_a_button_in_the_header(qtbot):
    g = Graph()
    g.add_node("Multiply", "mul_apple", pos=(0, 0))
    g.add_node("Tanh", "tanh1", pos=(0, 200))
    g.add_node("Parameter", "w", pos=(0, 400))
    canvas = Canvas(qtbot, g)
    item = canvas.scene.node_item("mul_apple")
    assert item.symbol == "×"
    assert canvas.scene.node_item("tanh1").symbol == "" and canvas.scene.node_item("w").symbol == ""
    header = _header(item)
    right = QRectF(header.right() - 40, header.top(), 40, header.height())  # where a close button would be
    assert _light_pixels(canvas.scene, right, 2.0) == 0
    assert caption_symbol("Sigmoid", "σ", "activations") == "σ"
    assert caption_symbol("Squared error (½Σ)", "½Σ(t−y)²", "losses") == "½Σ(t−y)²"
    assert caption_symbol("Input", "x", "data") == ""
    canvas.doc.close()
