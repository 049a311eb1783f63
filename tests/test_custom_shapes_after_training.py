"""After a training run the shapes of a custom layer's node and of the nodes after it are known
(the run computed them): the canvas shows them at once, not "?" until the next step, and keeps
those the debugger found before the run."""
from __future__ import annotations

from pathlib import Path

from custom_helpers import customised
from test_custom_window import open_window  # noqa: F401  # the fixture
from training_helpers import train_in_window

from core import io
from core.custom.templates import SIGMOID
from core.trainer import Trainer

MAZUR = Path(__file__).resolve().parents[1] / "resources" / "examples" / "mazur.json"
CODED = ("sigmoid2", "loss")


def test_trainer_tells_every_node_shape_once_it_ran(trust) -> None:
    trust.allow([SIGMOID])
    trainer = Trainer(customised(io.load(MAZUR), {"sigmoid2": SIGMOID}))
    assert trainer.shapes() == {}
    trainer.run(3)
    shapes = trainer.shapes()
    assert shapes["sigmoid2"] == (1, 2) and shapes["loss"] == () and shapes["affine1"] == (1, 2)


def test_shapes_known_after_a_training_run(open_window, trust, qtbot) -> None:  # noqa: F811
    trust.allow([SIGMOID])
    window = open_window(customised(io.load(MAZUR), {"sigmoid2": SIGMOID}))
    scene = window.scene
    assert [scene.node_item(n).shape_text for n in CODED] == ["?", "?"]
    train_in_window(qtbot, window, 20)
    qtbot.waitUntil(lambda: window.debugger.controller.stepper.iteration == 20)  # the debugger went on from the run
    scene.validate_now()
    assert [scene.node_item(n).shape_text for n in CODED] == ["1×2", "scalar"]
    window.inspector.set_node("sigmoid2")
    assert window.inspector.node_panel.shape.text().startswith("1×2 (as it last ran")


def test_shapes_the_debugger_found_stay_through_a_training_run(open_window, trust, qtbot) -> None:  # noqa: F811
    trust.allow([SIGMOID])
    window = open_window(customised(io.load(MAZUR), {"sigmoid2": SIGMOID}))
    window.debugger.controller.run_forward()
    assert set(window.document.run_shapes) == set(CODED)
    train_in_window(qtbot, window, 5)
    qtbot.waitUntil(lambda: window.debugger.controller.stepper.iteration == 5)
    window.scene.validate_now()
    assert [window.scene.node_item(n).shape_text for n in CODED] == ["1×2", "scalar"]
