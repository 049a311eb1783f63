"""Targets of the classification losses: soft rows, class labels, labels out of range."""
from __future__ import annotations

import numpy as np
import pytest

from app.cli.main import main
from core import io
from core.data.dataset import Dataset
from core.gradcheck import check_gradients
from core.graph import Graph
from core.stepper import Stepper
from core.validation import validate


def _softmax_loss(t) -> Graph:
    g = Graph()
    g.add_node("Parameter", "x", value=[[0.2, -0.4, 1.0], [1.0, 2.0, 3.0]])
    g.add_node("Constant", "t", value=t)
    g.add_node("SoftmaxWithLoss", "loss")
    g.connect("x", "loss", "x")
    g.connect("t", "loss", "t")
    return g


@pytest.mark.parametrize("t", [
    [[0, 1, 0], [1, 0, 0]],  # one-hot
    [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]],  # probabilities
    [[0.5, 0.0, 0.9], [0.0, 0.0, 0.0]],  # rows that do not sum to 1
    [1, 2],  # class labels
])
def test_softmax_with_loss_gradient_is_right_for_any_targets(t):
    report = check_gradients(_softmax_loss(t))
    assert report.passed, [(e.name, e.error) for e in report.failures()]


def test_softmax_with_loss_gradient_for_one_hot_rows_is_p_minus_t_over_n():
    s = Stepper(_softmax_loss([[0, 1, 0], [1, 0, 0]]))
    s.run_backward()
    x = np.array([[0.2, -0.4, 1.0], [1.0, 2.0, 3.0]])
    p = np.exp(x - x.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    expected = (p - np.array([[0, 1, 0], [1, 0, 0]])) / 2
    np.testing.assert_allclose(s.frame.grads["x"], expected, rtol=1e-14, atol=1e-16)


def test_class_labels_out_of_range_are_named_by_validation():
    problems = validate(_softmax_loss([0, 5]))
    assert [(p.node, p.kind) for p in problems] == [("loss", "data")]
    assert "class labels must be whole numbers from 0 to 2; label 1 is 5" in problems[0].message


def test_a_fractional_or_negative_label_is_refused_too():
    assert "label 0 is -1" in validate(_softmax_loss([-1, 0]))[0].message
    assert "label 1 is 0.5" in validate(_softmax_loss([0, 0.5]))[0].message


def test_labels_in_a_dataset_are_checked_on_every_row_and_the_cli_says_so(tmp_path, capsys):
    g = Graph()
    g.set_dataset(Dataset({"x": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "t": [0, 1, 7]}))
    g.set_settings(g.settings.with_changes(batch_size=1))  # the bad row is not in the first batch
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("Parameter", "W", value=[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    g.add_node("Constant", "b", value=0.0)
    g.add_node("Affine", "a")
    g.add_node("SoftmaxWithLoss", "loss")
    for src, dst, port in [("x", "a", "x"), ("W", "a", "W"), ("b", "a", "b"), ("a", "loss", "x"), ("t", "loss", "t")]:
        g.connect(src, dst, port)
    path = tmp_path / "labels.json"
    io.save(g, path)
    assert main(["train", str(path), "--steps", "3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "label 2 is 7" in err
