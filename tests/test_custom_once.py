"""A custom layer's code text is parsed once and hashed once: the nodes that share it, the
validation, the stepper's calls and the trainer read one parse; the trust check of each call asks
by the hash its call keeps, and trust taken back still stops the next step."""
from __future__ import annotations

import ast
import itertools
from typing import Any

import notebook_classes as nb
import pytest
from custom_helpers import customised
from helpers import build_mazur

from core.custom.runner import LayerError
from core.custom.source import source_of
from core.custom.trust import code_hash
from core.stepper import Stepper
from core.trainer import Trainer

_fresh = itertools.count()


def fresh_affine() -> str:
    """The notebook's Affine with a comment no other test's code has (not parsed or hashed yet)."""
    return f"# once {next(_fresh)} {id(_fresh)}\n{nb.AFFINE}"


def parses_of(code: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The parses of ``code`` from now on (``ast.parse`` watched)."""
    seen: list[str] = []
    parse = ast.parse

    def counting(source: Any, *args: Any, **kwargs: Any) -> Any:
        if source == code:
            seen.append(source)
        return parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    return seen


def test_two_nodes_sharing_a_code_text_parse_it_once(trust, monkeypatch: pytest.MonkeyPatch) -> None:
    code = fresh_affine()
    parses = parses_of(code, monkeypatch)
    graph = customised(build_mazur(), {"affine1": code, "affine2": code})
    trust.allow([code])
    stepper = Stepper(graph)
    stepper.continue_()
    Trainer(graph).run(3)
    assert len(parses) == 1
    assert stepper.frame.values["affine2"].shape == (1, 2)


def test_steps_and_updates_hash_no_code_text(trust) -> None:
    code = fresh_affine()
    graph = customised(build_mazur(), {"affine1": code, "affine2": code})
    trust.allow([code])
    stepper, trainer = Stepper(graph), Trainer(graph)
    stepper.continue_()
    trainer.run(2)
    code_hash.cache_clear()
    for _ in range(3):
        stepper.reset()
        stepper.continue_()
    trainer.run(5)
    info = code_hash.cache_info()
    assert (info.hits, info.misses) == (0, 0)
    assert stepper.iteration == 0 and trainer.updates == 7


def test_trust_taken_back_stops_the_next_step(trust) -> None:
    code = fresh_affine()
    graph = customised(build_mazur(), {"affine1": code})
    trust.allow([code])
    stepper = Stepper(graph)
    stepper.run_forward()
    stepper.reset()
    trust.revoke_all()
    with pytest.raises(LayerError, match="affine1.*not trusted"):
        stepper.step()


def test_the_parse_is_shared_and_says_the_ports() -> None:
    code = fresh_affine()
    assert source_of(code) is source_of(code)
    assert source_of(code).ports == ("x", "W", "b") and source_of(code).class_name == "Affine"
