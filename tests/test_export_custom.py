"""Custom layers in the NumPy script: the notebook's own classes, carried verbatim, give the
built-in graph's numbers when the exported script runs; untrusted code is refused in one line."""
from __future__ import annotations

from pathlib import Path

import notebook_classes as nb
from custom_helpers import customised
from engine_fixtures import build_mazur
from export_helpers import TOL, assert_same_losses, printed, printed_losses, run_script

from app.cli.main import main
from core import io
from core.export import export_script
from core.stepper import Stepper
from core.trainer import Trainer

MAZUR = {"affine1": nb.AFFINE, "sigmoid1": nb.SIGMOID, "affine2": nb.AFFINE, "sigmoid2": nb.SIGMOID,
         "loss": nb.MSE_WITH_LOSS}


def test_the_notebooks_classes_are_carried_verbatim_and_agree(tmp_path: Path, trust) -> None:
    trust.allow(MAZUR.values())
    graph = customised(build_mazur(), MAZUR)
    script = tmp_path / "custom.py"
    script.write_text(export_script(graph), encoding="utf-8")
    text = script.read_text(encoding="utf-8")
    for code in set(MAZUR.values()):
        assert code.strip() in text  # verbatim
    stepper = Stepper(customised(build_mazur(), MAZUR))
    stepper.run_backward()
    loss, grads = printed(run_script(script))
    assert abs(loss - stepper.loss) <= TOL
    for p in ("W1", "W2"):
        assert abs(grads[p] - stepper.frame.grads[p]).max() <= TOL
    script.write_text(export_script(graph, 20), encoding="utf-8")
    expected = Trainer(customised(build_mazur(), MAZUR)).run(20).losses.tolist()
    assert_same_losses(printed_losses(run_script(script)), expected)


def test_untrusted_code_is_refused(tmp_path: Path, capsys) -> None:
    source = tmp_path / "custom.json"
    io.save(customised(build_mazur(), MAZUR), source)
    out = tmp_path / "custom.py"
    assert main(["export", str(source), str(out)]) == 2
    err = capsys.readouterr().err
    assert "runs only with --trust-code" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    assert main(["export", str(source), str(tmp_path / "t.py"), "--torch", "--trust-code"]) == 2
    assert "cannot be written as PyTorch code" in capsys.readouterr().err
    assert main(["export", str(source), str(out), "--trust-code"]) == 0
    loss, _ = printed(run_script(out))
    assert abs(loss - 0.298371108760003) < 1e-12
