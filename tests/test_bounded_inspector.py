"""The inspector's work per state change is bounded whatever the batch: its formulas, summaries
and the canvas labels read a bounded sample of a large tensor and build no tensor of its size,
while a small tensor keeps its exact digits."""
from __future__ import annotations

import tracemalloc
from typing import Any, Callable

import numpy as np
import pytest
from helpers import load_example

import core.format
from app.model.document import Document
from core.format import SAMPLE_ELEMENTS, format_number, format_range, format_summary, sample
from core.formulas import node_report
from core.graph import Graph
from core.stepper import Stepper

ROWS, WIDTH = 100_000, 32  # 3.2e6 numbers: 25.6 MB a tensor, 49 times the sample
TENSOR_BYTES = ROWS * WIDTH * 8


def big_graph() -> Graph:
    """x (a ROWS×WIDTH constant) × w → tanh → + b (broadcast over the rows) → Sum."""
    g = Graph()
    g.add_node("Constant", "x", value=np.random.default_rng(0).standard_normal((ROWS, WIDTH)))
    g.add_node("Parameter", "w", value=0.5)
    g.add_node("Parameter", "b", value=np.linspace(-1.0, 1.0, WIDTH))
    g.add_node("Multiply", "m")
    g.add_node("Tanh", "t")
    g.add_node("Add", "add")
    g.add_node("Sum", "total")
    g.connect("x", "m", "x")
    g.connect("w", "m", "y")
    g.connect("m", "t", "x")
    g.connect("t", "add", "x")
    g.connect("b", "add", "y")
    g.connect("add", "total", "x")
    return g


def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The elements the formatting reads: the arrays a summary takes the range of, and one per
    number written out."""
    sizes: list[int] = []
    extremes, number = core.format.extremes, core.format.format_number

    def counting_extremes(arr: np.ndarray) -> tuple[Any, Any]:
        sizes.append(int(arr.size))
        return extremes(arr)

    def counting_number(x: Any, digits: int = core.format.NUMBER_DIGITS) -> str:
        sizes.append(1)
        return number(x, digits)

    monkeypatch.setattr(core.format, "extremes", counting_extremes)
    monkeypatch.setattr(core.format, "format_number", counting_number)
    return sizes


def peak_bytes(work: Callable[[], Any]) -> int:
    """The most memory Python and NumPy held at once during ``work``, above what they held before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_a_summary_reads_at_most_the_sample_and_says_so():
    exact = np.arange(SAMPLE_ELEMENTS, dtype=float)
    assert format_range(exact, 8) == "0 … 65535"  # at the limit: every element, exact
    big = np.arange(ROWS * WIDTH, dtype=float).reshape(ROWS, WIDTH)
    part, cut = sample(big)
    assert cut and part.size <= SAMPLE_ELEMENTS and np.shares_memory(part, big)  # a view, nothing copied
    assert part[0, 0] == 0.0 and part.shape[1] == WIDTH
    assert format_range(big) == f"≈ {format_number(part.min(), 4)} … {format_number(part.max(), 4)}"
    wide = np.zeros((1, 10 * SAMPLE_ELEMENTS))
    assert sample(wide)[0].size <= SAMPLE_ELEMENTS  # one long row is sampled along it
    assert format_range(np.full((ROWS, WIDTH), np.nan)) == "≈ all NaN/Inf"
    assert format_summary(big[::1000], 3, shape=big.shape).startswith("[100000×32: ≈ ")


def test_node_report_of_a_big_batch_reads_a_bounded_sample(monkeypatch):
    s = Stepper(big_graph())
    s.run_backward()
    reads = counted_reads(monkeypatch)
    reports = {}

    def report_all() -> None:
        for node in ("x", "m", "w", "t", "add", "total", "b"):
            reports[node] = node_report(s, node)

    peak = peak_bytes(report_all)
    assert sum(reads) <= 60 * SAMPLE_ELEMENTS, sum(reads)  # reading each tensor whole: 3.2e6 apiece
    assert max(reads) <= SAMPLE_ELEMENTS
    assert peak < TENSOR_BYTES / 4, peak  # no temporary of the batch's size (25.6 MB)
    t = reports["t"]
    out = s.frame.values["t"]
    rows = out[:: -(-ROWS * WIDTH // SAMPLE_ELEMENTS)]
    local = 1.0 - rows * rows  # the local derivative at the sampled rows, as the inspector shows it
    expected = f"[100000×32: ≈ {format_number(local.min(), 4)} … {format_number(local.max(), 4)}]"
    assert expected in t.backward_formulas["x"], t.backward_formulas["x"]
    assert expected in t.chain[0].text
    add = {c.port: c for c in reports["add"].chain}
    assert add["y"].local is None and "Σ over the broadcast axes" in add["y"].text  # b: never over every row
    assert add["x"].local is not None and add["x"].local.size <= SAMPLE_ELEMENTS


def test_a_state_change_in_the_window_reads_a_bounded_sample(workbench, qtbot, monkeypatch):
    window = workbench(Document(big_graph()))
    controller = window.debugger.controller
    controller.run_backward()
    qtbot.waitUntil(lambda: not controller.running and controller.stepper is not None
                    and controller.stepper.backward_done("t"), timeout=60_000)
    window.scene.select_nodes(["t"])
    qtbot.waitUntil(lambda: window.debugger.inspector.report is not None
                    and window.debugger.inspector.report.node_id == "t")
    reads = counted_reads(monkeypatch)
    peak = peak_bytes(lambda: controller.stateChanged.emit(None))  # every view redraws everything
    assert 0 < sum(reads) <= 200 * SAMPLE_ELEMENTS, sum(reads)
    assert max(reads) <= SAMPLE_ELEMENTS
    assert peak < TENSOR_BYTES / 4, peak
    caption = window.debugger.inspector.value_panel.caption.text()
    assert "shape 100000×32" in caption and "range ≈ " in caption
    assert "[100000×32: ≈ " in window.debugger.inspector.formulas.text()


@pytest.mark.parametrize("name", ["mazur", "apple", "xor"])
def test_small_tensors_keep_exact_summaries(name):
    s = Stepper(load_example(name))
    s.run_backward()
    for node in s.program.order:
        assert "≈" not in node_report(s, node).as_text(), node  # nothing of a small example is sampled
