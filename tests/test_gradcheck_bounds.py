"""The gradient check on big batches: the batch's first rows, a seeded sample of a big entry's
elements, said in the report; progress element by element; cancel with no report; the shipped
examples checked whole and unchanged."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import EXAMPLES, load_example

from core.data.dataset import Dataset
from core.gradcheck import CheckCancelled, check_gradients, prepare_check
from core.gradcheck_bounds import EVERY, MAX_ELEMENTS, MAX_ROWS, Bounds
from core.graph import Graph
from core.program import Program, forward_node, leaf_values


def big_spirals(rows: int) -> Graph:
    """The spirals example on ``rows`` generated rows, the whole set in one batch."""
    g = load_example("spirals")
    g.set_dataset(Dataset.generate("spirals", rows))
    assert g.settings.batch_size == 0
    return g


def loss_on_rows(g: Graph, rows: np.ndarray) -> float:
    program = Program(g)
    values = {k: np.asarray(v, dtype=np.float64) for k, v in leaf_values(g, program, rows).items()}
    for n in program.computed:
        values[n], _ = forward_node(program.plans[n], values)
    return float(np.sum(values[program.objective]))


def test_a_big_batch_is_checked_on_its_first_rows_and_the_report_says_so():
    g = big_spirals(3000)
    report = check_gradients(g, names=["W3", "b3", "affine3"])
    assert (report.rows, report.batch_rows) == (MAX_ROWS, 3000) == (256, 3000)
    assert report.loss == loss_on_rows(g, np.arange(256))  # the objective of those rows, not of all 3,000
    assert report.loss != pytest.approx(loss_on_rows(g, np.arange(3000)), rel=1e-3)
    assert report.entry("affine3").numeric.shape == (256, 2)
    assert report.scope == "checked on the first 256 of 3,000 rows of the batch"
    assert report.passed


def test_a_mini_batch_is_cut_to_its_first_rows_in_its_own_order():
    g = big_spirals(3000)
    g.set_settings(g.settings.with_changes(batch_size=1000, seed=3))
    from core.data.dataset import Batcher

    batch = Batcher.for_training(g.dataset, g.settings).indices(0)
    report = check_gradients(g, names=["b3"])
    assert (report.rows, report.batch_rows) == (256, 1000)
    assert report.loss == loss_on_rows(g, batch[:256])


def test_big_entries_are_sampled_the_same_way_every_time_and_the_report_says_how_many():
    g = big_spirals(300)
    bounds = Bounds(rows=40, elements=100)
    first = check_gradients(g, names=["W2", "b2", "affine1"], bounds=bounds)
    again = check_gradients(g, names=["W2", "b2", "affine1"], bounds=bounds)
    w2, b2, a1 = (first.entry(n) for n in ("W2", "b2", "affine1"))
    assert b2.sampled is None and b2.checked == 32 and not np.isnan(b2.numeric).any()
    assert w2.checked == 100 and w2.numeric.size == 1024 and int(np.isnan(w2.numeric).sum()) == 924
    assert a1.checked == 100 and a1.numeric.shape == (40, 32)
    assert w2.unchecked == 0 and w2.checkable and w2.passed  # unsampled elements are not "not checkable"
    np.testing.assert_array_equal(w2.sampled, again.entry("W2").sampled)
    np.testing.assert_array_equal(w2.numeric, again.entry("W2").numeric)
    assert len(set(w2.sampled.tolist())) == 100  # no element twice
    flat = w2.sampled
    assert np.isfinite(w2.numeric.reshape(-1)[flat]).all()
    assert np.unravel_index(np.ravel_multi_index(w2.worst_index, w2.numeric.shape), w2.numeric.shape) \
        == w2.worst_index and np.ravel_multi_index(w2.worst_index, w2.numeric.shape) in set(flat.tolist())
    assert first.scope == ("checked on the first 40 of 300 rows of the batch; "
                           "sampled 100 of 1,024 elements of W2; 100 of 1,280 elements of affine1")


def test_a_sampled_wrong_gradient_still_fails(monkeypatch):
    """A backward that is wrong in every element shows in a sample of them."""
    from core.ops.activations import Tanh

    g = big_spirals(300)
    original = Tanh.backward

    def wrong(self, dout, ins, out, cache, attrs):
        return [None if grad is None else 1.01 * grad for grad in original(self, dout, ins, out, cache, attrs)]

    monkeypatch.setattr(Tanh, "backward", wrong)
    report = check_gradients(g, names=["W1", "b3"], bounds=Bounds(rows=40, elements=20))
    assert report.entry("W1").sampled is not None and not report.entry("W1").passed
    assert report.entry("b3").passed  # after the last Tanh: not touched by the slip


def test_progress_rises_one_element_at_a_time_to_the_total():
    g = big_spirals(300)
    seen: list[tuple[int, int, str]] = []
    report = check_gradients(g, names=["W3", "b3", "affine3"], bounds=Bounds(rows=50, elements=60),
                             progress=lambda done, total, name: seen.append((done, total, name)))
    total = sum(e.checked for e in report.entries)
    assert total == 60 + 2 + 60  # W3 sampled (64 > 60), b3 whole, affine3 sampled (100 > 60)
    assert seen[0] == (0, total, "")
    assert [d for d, _t, _n in seen] == list(range(total + 1))
    assert {t for _d, t, _n in seen} == {total}
    assert [n for _d, _t, n in seen[1:]] == ["W3"] * 60 + ["b3"] * 2 + ["affine3"] * 60


def test_cancel_ends_the_check_at_the_next_element_with_no_report():
    g = big_spirals(300)
    job = prepare_check(g, bounds=Bounds(rows=50, elements=60))
    seen: list[int] = []
    with pytest.raises(CheckCancelled):
        job.run(cancelled=lambda: len(seen) > 5, progress=lambda done, total, name: seen.append(done))
    assert seen == [0, 1, 2, 3, 4, 5]  # asked before every element: none after the request


def test_leaves_sized_to_the_whole_batch_are_checked_on_the_whole_batch():
    """A Constant with a row per row of a 300-row batch cannot run on 256 rows: all 300 are used."""
    g = Graph()
    rows = 300
    g.set_dataset(Dataset({"x": np.linspace(-1, 1, rows).reshape(rows, 1)}))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Constant", "c", value=np.linspace(0, 2, rows).reshape(rows, 1))
    g.add_node("Parameter", "w", value=[[0.5]])
    g.add_node("MatMul", "xw")
    g.connect("x", "xw", "x")
    g.connect("w", "xw", "W")
    g.add_node("Multiply", "m")
    g.connect("xw", "m", "x")
    g.connect("c", "m", "y")
    g.add_node("Sum", "s")
    g.connect("m", "s", "x")
    report = check_gradients(g)
    assert (report.rows, report.batch_rows) == (300, 300) and report.scope == ""
    assert report.entry("m").numeric.shape == (300, 1) and report.passed


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_the_shipped_examples_are_checked_whole(path):
    """Every row of their batch and every element: nothing is cut or sampled."""
    g = load_example(path.name)
    job = prepare_check(g, include_leaves=True)
    assert job.rows == job.batch_rows
    assert job.elements == MAX_ELEMENTS
    program = job.program
    sizes = {n: int(np.size(v)) for n, v in job.leaves.items()}
    values = dict(job.leaves)
    for n in program.computed:
        values[n], _ = forward_node(program.plans[n], values)
        sizes[n] = int(np.size(values[n]))
    assert max(sizes.values()) <= MAX_ELEMENTS, max(sizes.items(), key=lambda kv: kv[1])


@pytest.mark.parametrize("name", ["mazur", "xor", "sine", "iris", "apple", "apple_orange", "fanout"])
def test_the_shipped_examples_give_the_same_numbers_as_a_check_of_everything(name):
    g = load_example(name)
    bounded, whole = check_gradients(g, include_leaves=True), check_gradients(g, include_leaves=True, bounds=EVERY)
    assert bounded.scope == "" and bounded.loss == whole.loss
    assert [e.name for e in bounded.entries] == [e.name for e in whole.entries]
    for a, b in zip(bounded.entries, whole.entries):
        assert a.sampled is None and (a.error == b.error or np.isnan(a.error) and np.isnan(b.error))
        np.testing.assert_array_equal(a.numeric, b.numeric)
        np.testing.assert_array_equal(a.analytic, b.analytic)


def test_a_graph_without_custom_layers_runs_no_forward_pass_for_their_check(monkeypatch):
    """``check`` asks for the custom layers' checks too: with none, the big batch is not run."""
    from core.custom.check import check_custom_layers
    from core.stepper import Stepper

    def refused(self):
        raise AssertionError("a forward pass over the whole batch")

    monkeypatch.setattr(Stepper, "run_forward", refused)
    assert check_custom_layers(big_spirals(3000)) == []
