"""Every shipped example loads, validates and learns; the published numbers come out exactly."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import EXAMPLES, build_mazur, example_names, load_example

from core.stepper import Stepper
from core.trainer import Trainer
from core.validation import validate

PRICE_EXAMPLES = {"apple": 220.0, "apple_orange": 715.0}
TOL = 5e-9  # the published figures are rounded to 8 decimals


def test_the_expected_examples_ship() -> None:
    assert {"apple", "apple_orange", "mazur", "xor", "spirals", "sine"} <= set(example_names())


@pytest.mark.parametrize("name", example_names())
def test_example_loads_validates_and_learns(name: str) -> None:
    graph = load_example(name)
    assert validate(graph) == []
    assert graph.name and graph.description
    xs = [node.pos[0] for node in graph.nodes.values()]
    assert len(set(xs)) > 1, "nodes are laid out left to right"
    if name in PRICE_EXAMPLES:
        assert not any(p.trainable for p in graph.parameters())
        stepper = Stepper(graph)
        stepper.run_backward()
        assert stepper.loss == pytest.approx(PRICE_EXAMPLES[name], abs=1e-9)
        return
    trainer = Trainer(graph)
    result = trainer.run()
    assert len(result.losses) == graph.settings.steps
    assert not result.nonfinite
    assert np.all(np.isfinite(result.losses))
    assert result.losses[0] / result.losses[-1] >= 10.0, (result.losses[0], result.losses[-1])


def _price_stepper(name: str) -> Stepper:
    stepper = Stepper(load_example(name))
    stepper.run_backward()
    return stepper


def test_apple_price_and_gradients() -> None:
    stepper = _price_stepper("apple")
    grads = stepper.frame.grads
    assert abs(stepper.loss - 220.0) < 1e-9
    assert abs(float(grads["apple"]) - 2.2) < 1e-9
    assert abs(float(grads["apple_num"]) - 110.0) < 1e-9
    assert abs(float(grads["tax"]) - 200.0) < 1e-9


def test_apple_orange_price_and_gradients() -> None:
    stepper = _price_stepper("apple_orange")
    grads = stepper.frame.grads
    assert abs(stepper.loss - 715.0) < 1e-9
    expected = {"apple": 2.2, "apple_num": 110.0, "orange": 3.3, "orange_num": 165.0, "tax": 650.0}
    for name, value in expected.items():
        assert abs(float(grads[name]) - value) < 1e-9, name


def test_apple_update_changes_nothing() -> None:
    stepper = Stepper(load_example("apple"))
    stepper.apply_update()
    assert float(stepper.graph.nodes["apple"].value) == 100.0
    assert float(stepper.graph.nodes["tax"].value) == 1.1


MAZUR_OUT = (0.75136507, 0.77292847)
MAZUR_LOSS = 0.298371109
MAZUR_W5_W8 = (0.35891648, 0.40866619, 0.51130127, 0.56137012)
MAZUR_W1_W4 = (0.14978072, 0.19956143, 0.24975114, 0.29950229)


@pytest.mark.parametrize("source", ["file", "code"])
def test_mazur_published_numbers(source: str) -> None:
    graph = load_example("mazur") if source == "file" else build_mazur()
    stepper = Stepper(graph)
    stepper.run_forward()
    out = stepper.frame.values["sigmoid2"].ravel()
    assert abs(out[0] - MAZUR_OUT[0]) < TOL and abs(out[1] - MAZUR_OUT[1]) < TOL
    assert abs(stepper.loss - MAZUR_LOSS) < 5e-10
    stepper.apply_update()
    w2, w1 = graph.nodes["W2"].value, graph.nodes["W1"].value
    # W2 = [[w5, w7], [w6, w8]], W1 = [[w1, w3], [w2, w4]]
    for got, want in zip((w2[0, 0], w2[1, 0], w2[0, 1], w2[1, 1]), MAZUR_W5_W8):
        assert abs(got - want) < TOL
    for got, want in zip((w1[0, 0], w1[1, 0], w1[0, 1], w1[1, 1]), MAZUR_W1_W4):
        assert abs(got - want) < TOL
    assert float(graph.nodes["b1"].value) == 0.35 and float(graph.nodes["b2"].value) == 0.60


def test_mazur_file_matches_the_graph_built_in_code() -> None:
    from_file, in_code = load_example("mazur"), build_mazur()
    assert list(from_file.nodes) != [] and set(from_file.nodes) == set(in_code.nodes)
    for node_id, node in in_code.nodes.items():
        other = from_file.nodes[node_id]
        assert other.op_type == node.op_type and other.attrs == node.attrs
        if node.value is not None:
            assert np.array_equal(other.value, node.value)
    assert set(from_file.edges) == set(in_code.edges)
    s = from_file.settings
    assert (s.optimizer, s.learning_rate, s.batch_size, s.steps) == ("sgd", 0.5, 1, 10000)
    assert "w5" in from_file.description and "w1" in from_file.description


def test_mazur_default_training_reaches_the_published_error() -> None:
    """Mazur reports an error of 0.0000351085 after 10,000 rounds."""
    result = Trainer(load_example("mazur")).run()
    assert abs(result.losses[-1] - 3.51085e-05) < 5e-8


def test_example_files_hold_generator_specs_not_arrays() -> None:
    for name in ("xor", "spirals", "sine"):
        text = (EXAMPLES / f"{name}.json").read_text(encoding="utf-8")
        assert f'"generator": "{name}"' in text
        assert '"fields"' not in text
