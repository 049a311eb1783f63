"""Held-out rows, their loss and accuracy, CSV-backed datasets in the file format (saved as a
reference relative to the graph file), the shipped Iris and digits examples, and the CLI's
``--data`` and summary line."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from helpers import load_example

from app.cli.main import main
from core import io
from core.data.csvfile import default_mapping, detect
from core.data.dataset import Dataset
from core.data.evaluate import class_accuracy, split_evaluations
from core.data.sources import csv_dataset
from core.data.split import split_indices
from core.program import Program
from core.stepper import Stepper
from core.trainer import Trainer

DATA = Path(__file__).resolve().parent.parent / "resources" / "data"
EXAMPLES = DATA.parent / "examples"


def test_split_holds_out_the_fraction_with_its_seed() -> None:
    train, test = split_indices(150, 0.2, 0)
    assert len(test) == 30 and len(train) == 120
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(150))
    assert np.all(np.diff(train) > 0)  # the training rows keep the file's order
    assert np.array_equal(split_indices(150, 0.2, 0)[1], test)
    assert not np.array_equal(split_indices(150, 0.2, 1)[1], test)


def test_training_never_sees_the_held_out_rows() -> None:
    x = np.arange(10.0).reshape(-1, 1)
    ds = Dataset({"x": x, "t": x * 2}, test_fraction=0.3, split_seed=4)
    _, test = split_indices(10, 0.3, 4)
    assert ds.train_rows == 7 and ds.test_rows == 3
    assert ds.test_fields["x"][:, 0].tolist() == test.tolist()
    assert set(ds.train_fields["x"][:, 0].tolist()).isdisjoint(test.tolist())
    with pytest.raises(ValueError, match="from 0 up to"):
        Dataset({"x": x}, test_fraction=1.0)


def test_class_accuracy_for_one_hot_and_indices() -> None:
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert class_accuracy(scores, np.array([[0, 1], [1, 0], [1, 0], [1, 0]])) == 0.75
    assert class_accuracy(scores, np.array([1, 0, 0, 1])) == 0.5


def test_the_stepper_and_the_trainer_use_the_training_rows() -> None:
    g = load_example("iris")
    assert g.dataset is not None and (g.dataset.train_rows, g.dataset.test_rows) == (120, 30)
    stepper = Stepper(g)
    assert stepper.frame.values["x"].shape == (120, 4)
    stepper.run_backward()
    trainer = Trainer(g)
    first = trainer.run(1).losses[0]
    assert first == pytest.approx(stepper.frame.loss, rel=1e-12)


def test_iris_example_learns_on_training_and_held_out_rows() -> None:
    g = load_example("iris")
    trainer = Trainer(g)
    trainer.run()
    trainer.write_back()
    train, test = split_evaluations(trainer.program, g)
    assert train is not None and test is not None and train.rows == 120 and test.rows == 30
    assert train.accuracy is not None and train.accuracy >= 0.95
    assert test.accuracy is not None and test.accuracy >= 0.9


def test_digits_example_two_layer_net_reaches_95_percent_held_out() -> None:
    g = load_example("digits")
    assert [g.nodes[n].op_type for n in Program(g).computed] == ["Affine", "ReLU", "Affine", "SoftmaxWithLoss"]
    assert g.nodes["W1"].value.shape == (64, 50) and g.nodes["W2"].value.shape == (50, 10)
    assert g.dataset is not None and g.dataset.test_rows == 359  # 20% of 1,797
    trainer = Trainer(g)
    trainer.run()
    trainer.write_back()
    _, test = split_evaluations(trainer.program, g)
    assert test is not None and test.accuracy is not None and test.accuracy >= 0.95


def test_digits_debugger_steps_one_mini_batch() -> None:
    g = load_example("digits")
    stepper = Stepper(g)
    assert stepper.frame.values["x"].shape == (100, 64)
    steps = 0
    while stepper.program.phase_at(stepper.cursor) != "done":
        stepper.step()
        steps += 1
    assert steps == len(stepper.program) == 4 + 1 + 4 + 1  # forward, clear gradients, backward
    # (Affine, ReLU, Affine, loss), update
    assert stepper.progress().updates == 1
    trainer = Trainer(load_example("digits"))
    trainer.run(1)
    # the same mini-batch and the same update as training
    np.testing.assert_allclose(g.nodes["W1"].value, trainer.weights()["W1"], rtol=0, atol=1e-15)


def test_a_csv_dataset_is_saved_as_a_relative_reference_and_survives_a_move(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    (proj / "data").mkdir(parents=True)
    shutil.copy(DATA / "iris.csv", proj / "data" / "iris.csv")
    g = load_example("iris")
    g.set_dataset(csv_dataset(proj / "data" / "iris.csv", default_mapping(detect(proj / "data" / "iris.csv")), 0.25, 7))
    io.save(g, proj / "iris.json")
    doc = (proj / "iris.json").read_text()
    assert '"csv": "data/iris.csv"' in doc and '"test_fraction": 0.25' in doc and "5.1" not in doc
    moved = tmp_path / "elsewhere"
    shutil.move(proj, moved)
    again = io.load(moved / "iris.json")
    assert again.dataset is not None and again.dataset.source is not None
    assert again.dataset.source.path == moved / "data" / "iris.csv"
    assert (again.dataset.test_rows, again.dataset.split_seed) == (38, 7)
    assert np.array_equal(again.dataset.fields["x"], g.dataset.fields["x"])  # type: ignore[union-attr]
    io.save(again, moved / "iris.json")
    assert (moved / "iris.json").read_text() == doc  # File ▸ Save keeps it relative


def test_a_moved_csv_is_reported_and_can_be_located(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "iris.json", tmp_path / "iris.json")
    with pytest.raises(io.DataFileMissing) as err:
        io.load(tmp_path / "iris.json")
    assert err.value.path == (tmp_path.parent / "data" / "iris.csv")
    assert str(err.value).startswith("iris.json: dataset.csv: the data file iris.csv is missing")
    g = io.load(tmp_path / "iris.json", data_path=DATA / "iris.csv")
    assert g.dataset is not None and g.dataset.rows == 150


def test_older_files_load_unchanged() -> None:
    for name in ("xor", "spirals", "mazur"):
        g = load_example(name)
        assert g.dataset is not None and g.dataset.source is None and g.dataset.test_fraction == 0.0
        assert "test_fraction" not in io.dumps(g) and '"csv"' not in io.dumps(g)


def test_cli_train_summary_ends_with_test_loss_and_accuracy(capsys) -> None:
    assert main(["train", str(EXAMPLES / "digits.json")]) == 0
    line = capsys.readouterr().err.strip().splitlines()[-1]
    m = re.search(r"; train loss (\S+), train accuracy (\S+)%, test loss (\S+), test accuracy (\S+)%$", line)
    assert m is not None, line
    assert float(m.group(4)) >= 95.0 and float(m.group(3)) < 0.2


def test_cli_train_with_other_data_uses_the_file_mapping(tmp_path: Path, capsys) -> None:
    rows = (DATA / "iris.csv").read_text().splitlines()
    other = tmp_path / "few.csv"
    other.write_text("\n".join([rows[0], *rows[1:11], *rows[51:61], *rows[101:111]]) + "\n")
    assert main(["train", str(EXAMPLES / "iris.json"), "--data", str(other), "--steps", "5"]) == 0
    err = capsys.readouterr().err
    assert "test accuracy" in err
    assert main(["eval", str(EXAMPLES / "iris.json"), "--data", str(other)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"train loss \S+, train accuracy \S+%, test loss \S+, test accuracy \S+%\n$", out)


@pytest.mark.parametrize("text,message", [
    ("sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n4.9,abc,1.4,0.2,virginica\n",
     "bad.csv: line 3, column 2: 'abc' is not a number"),
    ("sepal_length,sepal_width,petal_length,species\n5.1,3.5,1.4,setosa\n",
     "bad.csv: line 1: no column named 'petal_width'"),
    ("sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,rose\n",
     "bad.csv: line 2, column 5: the class 'rose' is not one of the graph's classes"),
])
def test_cli_bad_data_exits_2_with_one_line(tmp_path: Path, capsys, text: str, message: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    assert main(["train", str(EXAMPLES / "iris.json"), "--data", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_cli_missing_data_file_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["eval", str(EXAMPLES / "iris.json"), "--data", str(tmp_path / "gone.csv")]) == 2
    assert capsys.readouterr().err.strip().endswith("gone.csv: no such file")
    assert main(["train", str(EXAMPLES / "xor.json"), "--data", str(DATA / "iris.csv")]) == 2
    assert "does not read its dataset from a CSV file" in capsys.readouterr().err


BAD_DATA = [
    ("a,b,kind\n1,2,x\n3,4\n", "data.csv: line 3: 2 cells, but the header has 3 columns"),
    ("a,b,kind\n1,2,x\n3,nan,y\n", "data.csv: line 3, column 2: the cell is NaN; every cell must be a finite number"),
    ("", "data.csv: the file is empty"),
    ("a,b,kind\n", "data.csv: line 1: a header but no rows of data"),
    ("a,a,kind\n1,2,x\n", "data.csv: line 1, column 2: the column name 'a' appears twice (first in column 1)"),
    ("a,,kind\n1,2,x\n", "data.csv: line 1, column 2: the column has no name in the header"),
    ("\ufeffa,b,kind\n1,2,x\n3,4,z\n",  # a BOM is skipped; the unknown class is named
     "data.csv: line 3, column 3: the class 'z' is not one of the graph's classes (x, y)"),
    ("a,b,kind\n1,2,x\n3,4,x\n", None),  # one class, but the graph names two: it reads
]


@pytest.mark.parametrize("text,message", BAD_DATA)
def test_cli_every_kind_of_bad_data_exits_2_with_one_line(tmp_path: Path, capsys, text: str, message) -> None:
    from core.data.csvfile import ColumnMapping, LabelColumn
    from core.graph import Graph

    good = tmp_path / "good.csv"
    good.write_text("a,b,kind\n1,2,x\n3,4,y\n5,6,x\n")
    g = Graph()
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Parameter", "W", value=np.ones((2, 2)))
    g.add_node("MatMul", "m")
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("SoftmaxWithLoss", "loss")
    for src, dst, port in (("x", "m", "x"), ("W", "m", "W"), ("m", "loss", "x"), ("t", "loss", "t")):
        g.connect(src, dst, port)
    g.set_dataset(csv_dataset(good, ColumnMapping({"x": ("a", "b")}, {"t": LabelColumn("kind")})))
    io.save(g, tmp_path / "net.json")
    data = tmp_path / "data.csv"
    data.write_bytes(text.encode("utf-8"))
    status = main(["train", str(tmp_path / "net.json"), "--data", str(data), "--steps", "2"])
    err = capsys.readouterr().err
    if message is None:
        assert status == 0 and "train accuracy" in err
        return
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert err.strip() == f"backprop-workbench: error: {message}"


def test_cli_data_path_is_relative_to_the_current_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    """--data is read from where the command runs, not from the graph file's folder."""
    shutil.copy(DATA / "iris.csv", tmp_path / "mine.csv")
    monkeypatch.chdir(tmp_path)
    assert main(["train", str(EXAMPLES / "iris.json"), "--data", "mine.csv", "--steps", "5"]) == 0
    assert "test accuracy" in capsys.readouterr().err
    graph = io.load(EXAMPLES / "iris.json", data_path="mine.csv")
    assert graph.dataset is not None and graph.dataset.source is not None
    assert graph.dataset.source.path == tmp_path / "mine.csv"


def test_cli_missing_csv_of_the_graph_hints_at_data(tmp_path: Path, capsys) -> None:
    """The graph's own dataset.csv stays relative to the graph file; the --data hint only without --data."""
    shutil.copy(EXAMPLES / "iris.json", tmp_path / "iris.json")
    assert main(["eval", str(tmp_path / "iris.json")]) == 2
    err = capsys.readouterr().err
    assert f"looked for {tmp_path.parent / 'data' / 'iris.csv'})" in err  # ../data/iris.csv beside the graph
    assert err.strip().endswith("(give --data FILE to read it from elsewhere)")
