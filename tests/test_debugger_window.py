"""The debugger installed in the main window: menus, shortcuts, docks, inspector, export, --steps."""
from __future__ import annotations

import pytest
from engine_fixtures import build_nan_graph
from helpers import load_example
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app import debugger
from app.model.document import Document
from app.window.main_window import MainWindow
from core.graph import Graph


@pytest.fixture
def make_window(make_main_window):
    def make(graph: Graph) -> tuple[MainWindow, debugger.Debugger]:
        window = make_main_window(Document(graph), install=[debugger.install])
        return window, debugger.install(window)  # installing again returns the same Debugger

    return make


def test_install_adds_menu_toolbar_docks_and_the_steps_hook(make_window):
    window, dbg = make_window(load_example("mazur"))
    assert debugger.install(window) is dbg  # installing twice changes nothing
    texts = [a.text() for a in window.menu("Debug").actions() if a.text()]
    assert texts[:2] == ["&Step", "Step &Back"] and "&Gradient Check" in texts
    file_texts = [a.text() for a in window.menu("File").actions()]
    assert file_texts.index("Export Step &Images…") < file_texts.index("&Quit")
    assert dbg.dock.isVisible() and dbg.dock.widget() is dbg.program_view
    assert any(s.title() == "Values & gradients" for s in window.inspector.sections)
    assert window.debugger is dbg
    window.run_steps(2)
    assert dbg.controller.stepper.cursor == 2


def test_f10_steps_and_shift_f10_steps_back(make_window, qtbot):
    window, dbg = make_window(load_example("apple_orange"))
    c = dbg.controller
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F10)
    assert c.stepper.cursor == 1
    assert window.scene.edge_item("add", "x").labels() == ("200", None)
    assert window.statusBar().currentMessage() == "Forward pass · step 1 / 9: forward mul_apple · training step 1"
    qtbot.keyClick(window.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert c.stepper.cursor == 0
    assert window.scene.edge_item("add", "x").labels() == (None, None)


def test_mazur_backward_and_update_show_w5_in_the_inspector(make_window):
    window, dbg = make_window(load_example("mazur"))
    c = dbg.controller
    c.run_forward()
    assert "loss = 0.29837111" in window.statusBar().currentMessage()
    c.run_backward()
    c.apply_update()
    window.scene.select_nodes(["W2"])
    panel = dbg.inspector
    assert panel.node_id == "W2"
    assert panel.new_panel.model.text(0, 0) == "0.35891648"  # w5 = W2[0, 0]
    assert panel.new_panel.model.text(1, 0) == "0.40866619"  # w6
    assert "0.35891648" in panel.formulas.text()
    assert window.isWindowModified()


def test_clicking_an_earlier_step_in_the_program_view_restores_its_values(make_window, qtbot):
    window, dbg = make_window(load_example("mazur"))
    c, view = dbg.controller, dbg.program_view.list
    c.run_backward()
    assert window.scene.edge_item("loss", "y").labels()[1] == "[0.7414, -0.2171]"
    row = [s.label for s in c.stepper.steps].index("forward sigmoid2") + 1
    rect = view.row_rect(row)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert c.stepper.cursor == row and c.current_node == "sigmoid2"
    assert window.scene.edge_item("loss", "y").labels() == ("[0.7514, 0.7729]", None)
    assert dbg.labels.stub.labels() == (None, None)  # the loss is not computed at that point
    assert window.scene.node_item("loss").run_state == "pending"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.margin_point(row))
    assert c.breakpoints == {"sigmoid2"}
    assert window.scene.node_item("sigmoid2").breakpoint


def test_nan_break_selects_its_node_and_names_the_input(make_window, qtbot):
    window, dbg = make_window(build_nan_graph())  # x · W is −3e6: its log is NaN
    with qtbot.waitSignal(dbg.controller.stopped):
        dbg.controller.continue_()
    assert window.scene.selected_node_ids() == ["log"]
    assert dbg.controller.current_node == "log" and window.scene.node_item("log").current
    message = window.statusBar().currentMessage()
    assert message.startswith("Stopped: forward log made NaN or Inf: from finite inputs: x (xw) ranges -3e6 … -3e6")
    assert dbg.inspector.node_id == "log"
    assert window.scene.edge_item("total", "x").labels() == ("NaN", None)


def test_export_step_images_writes_one_png_per_step(make_window, tmp_path):
    window, dbg = make_window(load_example("apple_orange"))
    c = dbg.controller
    c.run_steps(3)
    paths = dbg.export_images(str(tmp_path / "series"))
    names = [p.name for p in paths]
    assert names == [f"step_{k:03d}.png" for k in range(10)]  # the start and 9 steps (no update: nothing trains)
    assert all(not QImage(str(p)).isNull() for p in paths)
    assert QImage(str(paths[0])) != QImage(str(paths[1]))  # a step changes the picture
    assert c.stepper.cursor == 3  # back where it was
    assert window.statusBar().currentMessage().startswith("Wrote 10 step images to")


def test_export_into_an_unwritable_place_says_so(make_window, tmp_path):
    window, dbg = make_window(load_example("apple_orange"))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert dbg.export_images(str(blocker / "series")) == []
    assert window.statusBar().currentMessage().startswith("Export Step Images failed: cannot create the folder")


def test_opening_another_document_rebinds_the_debugger(make_window):
    window, dbg = make_window(load_example("mazur"))
    dbg.controller.run_forward()
    window.set_document(Document(load_example("apple_orange")))
    c = dbg.controller
    assert c.document is window.document and not c.active
    c.run_forward()
    assert window.scene.edge_item("mul_tax", "x").labels() == ("650", None)
    assert dbg.labels.stub.labels() == ("715", None)


def test_a_graph_that_cannot_run_says_why_in_the_status_bar(make_window):
    g = Graph()
    g.add_node("Multiply", "m")
    window, dbg = make_window(g)
    assert not dbg.controller.action("step").isEnabled()
    assert window.statusBar().currentMessage().startswith("The graph cannot run:")


def test_steps_hook_renders_after_k_steps(make_window, tmp_path):
    window, dbg = make_window(load_example("apple_orange"))
    window.run_steps(4)
    assert dbg.labels.stub.labels() == ("715", None)
    assert dbg.controller.stepper.cursor == 4


def test_the_legend_explains_breakpoints_and_badges(make_window):
    window, dbg = make_window(load_example("mazur"))
    texts = dbg.program_view.legend.texts()
    assert "breakpoint (F9)" in texts
    assert "gradient check passed / failed" in texts


def test_the_toolbar_names_the_reset_of_program_and_weights(make_window):
    window, dbg = make_window(load_example("mazur"))
    toolbar = window.toolbar("Debug")
    button = toolbar.widgetForAction(dbg.controller.action("reset"))
    assert button.text() == "Reset Program + Weights"
    assert "weights as loaded" in button.toolTip()


def test_a_training_run_pauses_the_debugger_and_its_message_stays(make_main_window, qtbot, monkeypatch):
    from dataclasses import replace

    from app import training

    graph = load_example("mazur")
    graph.set_settings(replace(graph.settings, steps=300))
    window = make_main_window(Document(graph), install=[debugger.install, training.install])
    dbg, session = window.debugger, window.training.session
    qtbot.waitUntil(lambda: dbg.training_session is session)  # training is installed after the debugger
    c = dbg.controller
    c.run_forward()
    before = c.stepper
    with qtbot.waitSignal(session.runFinished, timeout=20000):
        session.train()
        assert not c.action("step").isEnabled() and not c.action("reset").isEnabled()
        assert "not while a training run is going on" in c.action("continue").toolTip()
        assert not dbg.inspector.check_button.isEnabled()
    qtbot.waitUntil(lambda: c.stepper is not before)  # the trained weights: a fresh program
    assert c.action("step").isEnabled() and not c.active
    assert window.statusBar().currentMessage().startswith("Run 1 finished: 300 updates")
    assert window.scene.edge_item("affine2", "W").labels() == (None, None)
    c.step()
    # the step after the run's 300 updates
    assert window.statusBar().currentMessage() == "Forward pass · step 1 / 12: forward affine1 · training step 301"
    monkeypatch.setattr(c, "confirm_reset", lambda: True)
    assert c.reset()
    assert window.document.graph.nodes["W2"].value[0, 0] == 0.4  # as loaded
