"""The backprop-workbench command: train, eval, check, save-as, the window's arguments, mistakes."""
from __future__ import annotations

import io as textio
import json
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from app.cli import commands as cli_commands
from app.cli.main import main
from core import io
from core.graph import Graph
from core.ops import get_op
from core.settings import TrainingSettings
from core.trainer import Trainer

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".venv" / "bin" / "backprop-workbench"
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.json"))
PREFIX = "backprop-workbench: error:"


def example(name: str) -> str:
    return str(ROOT / "resources" / "examples" / name)


def trainer_losses(path: str, steps: int, **changes) -> tuple[list[float], dict[str, np.ndarray]]:
    graph = io.load(path)
    trainer = Trainer(graph, graph.settings.with_changes(**changes))
    result = trainer.run(steps)
    return list(result.losses), trainer.weights()


def parse_csv(text: str) -> list[float]:
    lines = text.splitlines()
    assert lines[0] == "update,loss_in_update"
    steps = [int(line.split(",")[0]) for line in lines[1:]]
    assert steps == list(range(1, len(lines)))
    return [float(line.split(",")[1]) for line in lines[1:]]


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(PREFIX), err
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------------ train
def test_train_csv_to_stdout_as_a_real_process():
    out = subprocess.run(
        [str(SCRIPT), "train", example("mazur.json"), "--steps", "5", "--csv", "-"],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 6
    losses = parse_csv(out.stdout)
    expected, _ = trainer_losses(example("mazur.json"), 5)
    assert losses == expected
    assert losses[0] == 0.2983711087600027
    assert losses[0] == pytest.approx(0.298371109, abs=1e-9)
    # not a terminal: no progress bar, only the summary
    summary = out.stderr.strip().splitlines()
    assert len(summary) == 1 and "trained 5 updates" in summary[0] and "updates/s" in summary[0]


def test_train_overrides_the_file_settings(capsys):
    path = example("spirals.json")
    args = ["train", path, "--steps", "7", "--lr", "0.05", "--optimizer", "momentum", "--batch-size", "16",
            "--seed", "4", "--csv", "-"]
    assert main(args) == 0
    losses = parse_csv(capsys.readouterr().out)
    expected, _ = trainer_losses(path, 7, learning_rate=0.05, optimizer="momentum", batch_size=16, seed=4)
    assert losses == expected
    default, _ = trainer_losses(path, 7)
    assert losses != default


def test_train_csv_file_and_save(tmp_path, capsys):
    csv, saved = tmp_path / "loss.csv", tmp_path / "trained.json"
    assert main(["train", example("mazur.json"), "--steps", "3", "--csv", str(csv), "--save", str(saved)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    expected, weights = trainer_losses(example("mazur.json"), 3)
    assert parse_csv(csv.read_text()) == expected
    trained = io.load(saved)
    assert trained.settings.steps == 3
    for name, w in weights.items():
        np.testing.assert_array_equal(trained.nodes[name].value, w)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_mazur_after_one_update_matches_the_post(tmp_path):
    saved = tmp_path / "one.json"
    assert main(["train", example("mazur.json"), "--steps", "1", "--save", str(saved)]) == 0
    g = io.load(saved)
    np.testing.assert_allclose(g.nodes["W2"].value, [[0.35891648, 0.51130127], [0.40866619, 0.56137012]], atol=1e-8)
    np.testing.assert_allclose(g.nodes["W1"].value, [[0.14978072, 0.24975114], [0.19956143, 0.29950229]], atol=1e-8)


def test_progress_bar_only_on_a_terminal(monkeypatch, capsys):
    class Terminal(textio.StringIO):
        def isatty(self) -> bool:
            return True

    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert main(["train", example("xor.json"), "--steps", "50"]) == 0
    text = term.getvalue()
    assert "\r[" in text and "50/50" in text and "updates/s" in text and "ETA" in text
    assert text.splitlines()[-1].startswith("trained 50 updates")
    assert capsys.readouterr().out == ""


def exploding_graph(path: Path) -> str:
    """L = Σ p², SGD with learning rate 10: p ← −19 p, so the loss overflows after ~120 updates."""
    g = Graph()
    g.add_node("Parameter", "p", value=[1.0, -2.0])
    g.add_node("Multiply", "sq")
    g.add_node("Sum", "loss")
    g.connect("p", "sq", "x")
    g.connect("p", "sq", "y")
    g.connect("sq", "loss", "x")
    g.set_settings(TrainingSettings(learning_rate=10.0, steps=1000))
    io.save(g, path)
    return str(path)


def test_a_non_finite_loss_ends_training_with_exit_1(tmp_path, capsys):
    path = exploding_graph(tmp_path / "boom.json")
    saved = tmp_path / "never.json"
    assert main(["train", path, "--csv", "-", "--save", str(saved)]) == 1
    captured = capsys.readouterr()
    losses = parse_csv(captured.out)
    assert 50 < len(losses) < 1000
    assert not np.isfinite(losses[-1]) and np.all(np.isfinite(losses[:-1]))
    line = one_error_line(captured.err)
    assert f"update {len(losses)}" in line and "learning rate" in line
    assert not saved.exists()


# ------------------------------------------------------------------- eval
def test_eval_json_apple_orange(capsys):
    assert main(["eval", example("apple_orange.json"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"loss", "nodes", "params", "references", "references_agree"}  # Saito's figures
    assert doc["references_agree"] is True and len(doc["references"]) == 7
    assert doc["loss"] == pytest.approx(715.0)
    grads = {name: p["grad"] for name, p in doc["params"].items()}
    expected = {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650}
    assert grads == pytest.approx(expected, abs=1e-9)
    assert doc["params"]["apple"]["value"] == 100.0
    assert doc["nodes"]["mul_tax"] == {"value": pytest.approx(715.0), "grad": 1.0}
    assert doc["nodes"]["add"]["grad"] == pytest.approx(1.1)


def test_eval_json_mazur_nested_lists_and_null_gradients(capsys):
    assert main(["eval", example("mazur.json"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["loss"] == 0.2983711087600027
    nodes = doc["nodes"]
    np.testing.assert_allclose(nodes["sigmoid2"]["value"], [[0.75136507, 0.77292847]], atol=1e-8)
    assert nodes["b1"] == {"value": 0.35, "grad": None}
    assert nodes["x"]["grad"] is None and nodes["t"]["grad"] is None
    assert doc["params"]["W2"]["grad"][0][0] == pytest.approx(0.082167041, abs=1e-9)
    assert set(doc["params"]) == {"W1", "W2"}


def test_eval_text_is_readable(capsys):
    assert main(["eval", example("apple_orange.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("loss = 715.0000000000001")
    assert "mul_tax (Multiply)" in out
    assert "  tax: 650." in out and "  apple: 2.2" in out


# ------------------------------------------------------------------ check
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_check_passes_on_every_example(path, capsys):
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out
    assert out.splitlines()[-1].startswith("PASS: all")


def test_check_exits_1_when_a_gradient_disagrees(monkeypatch, capsys):
    sigmoid = get_op("Sigmoid")
    original = sigmoid.bind_backward

    def halved(dout, ins, out, cache, attrs, grads):  # ∂L/∂x sent at half its value
        return list(original(dout, ins, out, cache, attrs, grads)) + [(np.multiply, (grads[0], 0.5, grads[0]))]

    monkeypatch.setattr(sigmoid, "bind_backward", halved)
    assert main(["check", example("mazur.json")]) == 1
    out = capsys.readouterr().out
    rows = {line.split()[1]: line.split()[-1] for line in out.splitlines()[2:-1]}
    assert rows["W1"] == "FAIL" and rows["W2"] == "FAIL" and rows["sigmoid2"] == "PASS"
    assert out.splitlines()[-1].startswith("FAIL:") and "W1 (parameter)" in out


def test_check_options(capsys):
    assert main(["check", example("mazur.json"), "--leaves", "--threshold", "1e-4"]) == 0
    out = capsys.readouterr().out
    assert "threshold 0.0001" in out
    assert any(line.split()[:2] == ["constant", "b1"] for line in out.splitlines())


# ---------------------------------------------------------------- save-as
def test_save_as_round_trip(tmp_path, capsys):
    out = tmp_path / "copy.json"
    assert main(["save-as", example("spirals.json"), str(out)]) == 0
    assert capsys.readouterr().out == ""
    again = tmp_path / "again.json"
    assert main(["save-as", str(out), str(again)]) == 0
    assert io.to_dict(io.load(out)) == io.to_dict(io.load(example("spirals.json")))
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize("command", [["save-as"], ["expand"], ["expand", "--node", "affine1"]],
                         ids=["save-as", "expand", "expand-node"])
def test_save_as_and_expand_refuse_an_existing_file_without_force(command, tmp_path, capsys):
    out = tmp_path / "out.json"
    out.write_text("keep me", encoding="utf-8")
    assert main([command[0], example("mazur.json"), str(out), *command[1:]]) == 2
    assert f"{command[0]} {out}: the file exists (add --force to overwrite it)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main([command[0], example("mazur.json"), str(out), *command[1:], "--force"]) == 0
    assert io.load(out).nodes


# --------------------------------------------------------------- mistakes
@pytest.fixture
def bad_files(tmp_path) -> dict[str, str]:
    malformed = tmp_path / "malformed.json"
    malformed.write_text('{"format": "backprop-workbench", "version": 1, "nodes": [,]}')
    invalid = Graph()
    invalid.add_node("Sigmoid", "s1")
    invalid.add_node("Sigmoid", "s2")
    io.save(invalid, tmp_path / "invalid.json")
    return {"malformed": str(malformed), "invalid": str(tmp_path / "invalid.json"), "dir": str(tmp_path)}


MISTAKES = {
    "missing file": (["train", "{missing}"], "no such file"),
    "folder as file": (["eval", "{dir}"], "folder"),
    "malformed": (["eval", "{malformed}"], "line 1, column"),
    "invalid graph": (["check", "{invalid}"], "invalid graph (3 problems; the first)"),
    "invalid graph train": (["train", "{invalid}"], "invalid graph"),
    "negative lr": (["train", "{mazur}", "--lr", "-1"], "--lr"),
    "lr not a number": (["train", "{mazur}", "--lr", "fast"], "must be a number"),
    "steps abc": (["train", "{mazur}", "--steps", "abc"], "steps must be a whole number"),
    "negative batch": (["train", "{mazur}", "--batch-size", "-3"], "batch size"),
    "unknown optimizer": (["train", "{mazur}", "--optimizer", "rmsprop"], "invalid choice"),
    "csv folder missing": (["train", "{mazur}", "--csv", "{dir}/no/such/loss.csv"], "does not exist"),
    "save to stdout": (["train", "{mazur}", "--save", "-"], "--save"),
    "missing FILE": (["eval"], "required"),
    "unknown option": (["check", "{mazur}", "--bogus"], "unrecognized arguments"),
    "unknown command": (["trian", "{mazur}"], "unknown command 'trian'"),
    "save-as folder missing": (["save-as", "{mazur}", "{dir}/no/such/out.json"], "does not exist"),
    "bad size": (["{mazur}", "--size", "10x"], "WIDTHxHEIGHT"),
    "zero size": (["{mazur}", "--size", "0x600"], "from 1 to"),
    "gui steps": (["{mazur}", "--steps", "-2"], "steps"),
    "screenshot not png": (["{mazur}", "--screenshot", "{dir}/shot.jpg"], ".png"),
    "gui missing file": (["{dir}/nothing.json"], "no such file"),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_a_users_mistake_exits_2_with_one_line(case, bad_files, capsys):
    args, needle = MISTAKES[case]
    names = dict(bad_files, mazur=example("mazur.json"), missing=bad_files["dir"] + "/missing.json")
    assert main([a.format(**names) for a in args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert needle in one_error_line(captured.err)


def test_a_mistake_as_a_real_process_has_no_traceback(tmp_path):
    out = subprocess.run(
        [str(SCRIPT), "train", example("mazur.json"), "--steps", "abc"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 2 and out.stdout == ""
    assert "steps must be a whole number" in one_error_line(out.stderr)


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "train, eval, check, save-as" in capsys.readouterr().out
    assert main(["train", "--help"]) == 0
    assert "--batch-size" in capsys.readouterr().out


# -------------------------------------------------------------------- GUI
def test_no_command_opens_the_window_through_app_gui_run(monkeypatch, tmp_path):
    calls = []
    fake = types.ModuleType("app.window.launch")
    fake.run = lambda *args: calls.append(args) or 7  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.window.launch", fake)
    shot = str(tmp_path / "shot.png")
    assert main([]) == 7
    assert main([example("xor.json"), "--screenshot", shot, "--size", "800x600", "--steps", "3"]) == 7
    assert main([example("xor.json"), "--screenshot", shot, "--canvas"]) == 7
    assert calls == [(None, None, None, None, False), (example("xor.json"), shot, (800, 600), 3, False),
                     (example("xor.json"), shot, None, None, True)]


def test_headless_commands_never_import_qt(tmp_path):
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"mazur = {example('mazur.json')!r}\n"
        "codes = [main(['eval', mazur, '--json']), main(['check', mazur]),\n"
        f"         main(['train', mazur, '--steps', '2']), main(['save-as', mazur, {str(tmp_path / 'm.json')!r}])]\n"
        "qt = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
        "sys.stderr.write(repr((codes, qt)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines()[-1] == "([0, 0, 0, 0], [])"


def test_progress_line_counts_and_estimates():
    stream = textio.StringIO()
    bar = cli_commands.Progress(4, stream)
    bar.update(4, 0.5)
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\r[" + "#" * cli_commands.Progress.WIDTH + "] 4/4 loss 0.5")
    assert "ETA 0:00" in text and text.endswith("\n")


def test_one_update_shows_the_loss_before_and_after_with_digits_that_differ(capsys):
    assert main(["train", example("mazur.json"), "--steps", "1"]) == 0
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith("trained 1 update (sgd")
    assert "loss 0.2983711 -> 0.2910278 after update 1 (0.2983711 in it, before its weight change)," in line


def test_format_change_adds_digits_until_the_numbers_differ():
    from core.format import format_change

    assert format_change(0.2983711087600027, 0.29102792) == ("0.2983711", "0.2910279")
    assert format_change(0.4999999123, 0.4999998987) == ("0.49999991", "0.4999999")
    assert format_change(0.25, 0.25) == ("0.25", "0.25")
