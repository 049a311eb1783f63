"""The command line and custom layers: ``eval``, ``train`` and ``check`` refuse code without
``--trust-code`` (exit 2, one line); with it they run, and ``check`` names a wrong port."""
from __future__ import annotations

from pathlib import Path

import notebook_classes as nb
import pytest
from custom_helpers import customised
from engine_fixtures import build_apple_orange, build_mazur
from test_cli import PREFIX, one_error_line

from app.cli.main import main
from core import io
from core.custom.runner import set_time_limit

APPLE = {"apple_price": nb.MUL_LAYER, "orange_price": nb.MUL_LAYER, "all_price": nb.ADD_LAYER, "price": nb.MUL_LAYER}


def saved(tmp_path: Path, graph, name: str = "custom.json") -> str:
    path = tmp_path / name
    io.save(graph, path)
    return str(path)


@pytest.mark.parametrize("command", [["eval"], ["train", "--steps", "2"], ["check"]])
def test_code_is_refused_without_trust_code(command, tmp_path: Path, capsys, trust) -> None:
    target = tmp_path / "written.txt"
    code = nb.MUL_LAYER.replace("class MulLayer:\n", f"class MulLayer:\n    open({str(target)!r}, 'w')\n", 1)
    path = saved(tmp_path, customised(build_apple_orange(), {"price": code}))
    assert main([command[0], path, *command[1:]]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line == (f"{PREFIX} custom.json contains Python code (custom layer price) that runs only with "
                    "--trust-code; give it only for a file you trust")
    assert not target.exists()
    assert main(["save-as", path, str(tmp_path / "out.json")]) == 0  # saving never runs it
    assert not target.exists()


def test_eval_and_train_run_trusted_code(tmp_path: Path, capsys, trust) -> None:
    path = saved(tmp_path, customised(build_apple_orange(), APPLE))
    assert main(["eval", path, "--trust-code", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"loss": 715.0000000000001' in out
    mazur = saved(tmp_path, customised(build_mazur(), {"affine1": nb.AFFINE, "sigmoid1": nb.SIGMOID}), "m.json")
    assert main(["train", mazur, "--trust-code", "--steps", "3", "--csv", "-"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[1] == "1,0.2983711087600027"


def test_check_names_the_node_and_port_of_a_wrong_backward(tmp_path: Path, capsys, trust) -> None:
    wrong = nb.MUL_LAYER.replace("dx = dout * self.y", "dx = dout * self.x")
    path = saved(tmp_path, customised(build_apple_orange(), {**APPLE, "orange_price": wrong}))
    assert main(["check", path, "--trust-code"]) == 1
    out = capsys.readouterr().out
    assert "custom layer orange_price, port x: relative error" in out
    assert "custom layer orange_price, port y: relative error" in out
    assert out.splitlines()[-1].startswith("FAIL:") and "custom layer orange_price port x" in out.splitlines()[-1]
    assert "custom layer apple_price port" not in out.splitlines()[-1]
    good = saved(tmp_path, customised(build_apple_orange(), APPLE), "good.json")
    assert main(["check", good, "--trust-code"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == "PASS: all 9 gradients agree, and 4 custom layers"  # 5 parameters, 4 nodes


def test_a_runtime_error_in_user_code_is_one_line(tmp_path: Path, capsys, trust) -> None:
    code = nb.MUL_LAYER.replace("out = x * y", "out = x * z")
    path = saved(tmp_path, customised(build_apple_orange(), {"price": code}))
    assert main(["eval", path, "--trust-code"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert line == (f"{PREFIX} the graph failed while running: price (MulLayer.forward, line 9): "
                    "NameError: name 'z' is not defined")


def test_an_endless_forward_is_stopped_in_the_cli(tmp_path: Path, capsys, trust) -> None:
    code = nb.MUL_LAYER.replace("out = x * y", "while True: pass")
    path = saved(tmp_path, customised(build_apple_orange(), {"price": code}))
    old = set_time_limit(0.3)
    try:
        assert main(["eval", path, "--trust-code"]) == 1
    finally:
        set_time_limit(old)
    line = one_error_line(capsys.readouterr().err)
    assert line.endswith("price (MulLayer.forward, line 9): forward did not return within 0.3 s and was stopped")
