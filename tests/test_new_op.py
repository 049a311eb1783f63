"""Adding an op needs only its module: a throwaway op class registered here shows up in the palette
and the canvas menu, loads and saves, gets its formulas in the inspector and trains on the fast
path, with nothing else in the tree knowing about it. It is unregistered afterwards."""
from __future__ import annotations

from typing import Any, Iterator, Sequence

import numpy as np
import pytest

from app.debugger.controller import DebugController
from app.debugger.debug_inspector import DebugInspector
from app.editor.palette import Palette
from app.model.document import Document
from core import io
from core.data.dataset import Dataset
from core.formulas import node_report
from core.graph import Graph
from core.ops import all_ops, by_family, register, unregister
from core.ops.base import Array, Attrs, Instr
from core.ops.kernel import ElementwiseOp, const
from core.settings import TrainingSettings
from core.stepper import Stepper
from core.trainer import Trainer


class Cube(ElementwiseOp):
    """out = x³, in a family no other op belongs to."""

    type = "TestCube"
    title = "Cube"
    family = "experiments"
    symbol = "x³"
    doc = "out = x³ (a test's throwaway op)"
    inputs = ("x",)
    forward_formula = "out = x³ = {x}³ = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · 3x² = {dout} × 3·{x}² = {dx}"}

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.multiply, (ins[0], ins[0], out)), (np.multiply, (out, ins[0], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        dx = grads[0]
        if dx is None:
            return []
        return [(np.multiply, (ins[0], ins[0], dx)), (np.multiply, (dx, const(3.0, dx), dx)),
                (np.multiply, (dout, dx, dx))]


@pytest.fixture
def cube() -> Iterator[Cube]:
    register(Cube)
    try:
        yield next(op for op in all_ops() if op.type == "TestCube")
    finally:
        unregister("TestCube")
    assert "TestCube" not in {op.type for op in all_ops()}


def _cube_graph() -> Graph:
    """loss = ½ Σ (t − (x·w)³)² on four rows; w starts at 0.5 and the data come from w = 0.8."""
    g = Graph()
    x = np.array([[0.5], [1.0], [1.5], [-1.0]])
    g.set_dataset(Dataset({"x": x, "t": (0.8 * x) ** 3}))
    g.set_settings(TrainingSettings(learning_rate=0.05, steps=200, batch_size=2, seed=1))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("Parameter", "w", value=[[0.5]])
    g.add_node("MatMul", "xw")
    g.add_node("TestCube", "cube")
    g.add_node("SquaredError", "loss")
    for src, dst, port in [("x", "xw", "x"), ("w", "xw", "W"), ("xw", "cube", "x"), ("cube", "loss", "y"),
                           ("t", "loss", "t")]:
        g.connect(src, dst, port)
    return g


def test_a_new_op_is_in_the_palette_under_its_own_family(cube, qtbot):
    assert ("experiments", [cube]) in by_family()
    palette = Palette()
    qtbot.addWidget(palette)
    assert "TestCube" in palette.visible_ops()
    item = palette.item_for("TestCube")
    assert item.text(0) == "Cube" and item.parent().text(0) == "Experiments"
    palette.search.setText("x³")
    assert palette.visible_ops() == ["TestCube"]


def test_a_new_op_loads_and_saves(cube, tmp_path):
    g = _cube_graph()
    path = tmp_path / "cube.json"
    io.save(g, path)
    back = io.load(path)
    assert back.nodes["cube"].op is cube
    assert back.sources("cube") == g.sources("cube")
    assert io.to_dict(back) == io.to_dict(g)


def test_a_new_op_gets_its_formulas_in_the_inspector(cube, qtbot):
    g = _cube_graph()
    s = Stepper(g)
    s.run_backward()
    report = node_report(s, "cube")
    # first mini-batch rows: x·w for the seeded batch; the formulas carry the real numbers
    xw = s.frame.values["xw"]
    np.testing.assert_allclose(report.value, xw**3)
    assert report.forward_formula is not None and report.forward_formula.startswith("out = x³ = ")
    assert report.backward_formulas["x"].startswith("∂L/∂x = ∂L/∂out · 3x² = ")
    chain = report.chain[0]
    np.testing.assert_allclose(chain.local, 3 * xw**2)  # elementwise: the local derivative element by element
    assert "× ∂out/∂x" in chain.text

    controller = DebugController(Document(_cube_graph()))
    inspector = DebugInspector(controller)
    qtbot.addWidget(inspector)
    inspector.show()
    controller.run_backward()
    inspector.set_selected_node("cube")
    assert "3x²" in inspector.formulas.text() and "x³" in inspector.formulas.text()


def test_a_new_op_trains_on_the_fast_path_as_the_stepper_computes(cube):
    g = _cube_graph()
    trainer = Trainer(g)
    trainer.run(60)
    assert trainer.losses[-1] < 0.01 * trainer.losses[0]
    assert abs(float(trainer.params["w"][0, 0]) - 0.8) < 0.01
    # the fast path ran the op's bound kernels: the stepper, running the same kernels on new
    # arrays, finds the same losses bit for bit
    s = Stepper(_cube_graph())
    losses = []
    for _ in range(60):
        s.run_backward()
        losses.append(s.frame.loss)
        s.apply_update()
    assert losses == trainer.losses
