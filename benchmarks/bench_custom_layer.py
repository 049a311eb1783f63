"""Custom layers on the trainer's fast path: Mazur's network written with the notebook's own
classes (Affine, Sigmoid, MSEWithLoss, pasted as custom layers) against the built-in graph, in
the same process: time per update, best of several repeats taken in turns after a warm-up. For
reference, the same classes called by hand in a plain loop (what the user's code costs alone).

Goal: custom / built-in at or below 3. Figures only, no assertions.

Run: .venv/bin/python benchmarks/bench_custom_layer.py
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import notebook_classes as nb  # noqa: E402
import numpy as np  # noqa: E402
from custom_helpers import customised  # noqa: E402
from helpers import build_mazur  # noqa: E402

from core.custom.trust import SESSION  # noqa: E402
from core.trainer import Trainer  # noqa: E402

GOAL = 3.0
UPDATES = 2000
REPEATS = 9
LAYERS = {"affine1": nb.AFFINE, "sigmoid1": nb.SIGMOID, "affine2": nb.AFFINE, "sigmoid2": nb.SIGMOID,
          "loss": nb.MSE_WITH_LOSS}


def per_update(trainer: Trainer) -> float:
    start = time.perf_counter()
    trainer.run(UPDATES)
    return (time.perf_counter() - start) / UPDATES


def notebook_update() -> Callable[[], None]:
    """One update of Mazur's network with the same classes called by hand (no engine): the cost of
    the user's own code, for reference."""
    ns: dict[str, Any] = {"np": np}
    for code in (nb.AFFINE, nb.SIGMOID, nb.MSE_WITH_LOSS):
        exec(code, ns)  # the project's test fixtures, not a user's file
    affine, sigmoid, mse = ns["Affine"], ns["Sigmoid"], ns["MSEWithLoss"]
    x, t = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])
    w1, w2 = np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([[0.40, 0.50], [0.45, 0.55]])
    b1, b2 = np.array(0.35), np.array(0.60)

    def update() -> None:
        a1, s1, a2, s2, loss = affine(w1, b1), sigmoid(), affine(w2, b2), sigmoid(), mse()
        loss.forward(s2.forward(a2.forward(s1.forward(a1.forward(x)))), t)
        d, dw2, _ = a2.backward(s2.backward(loss.backward(np.ones(()))))
        _, dw1, _ = a1.backward(s1.backward(d))
        w1[...] -= 0.5 * dw1
        w2[...] -= 0.5 * dw2

    return update


def per_call(update: Callable[[], None]) -> float:
    start = time.perf_counter()
    for _ in range(UPDATES):
        update()
    return (time.perf_counter() - start) / UPDATES


def main() -> None:
    SESSION.allow(LAYERS.values())
    builtin, custom = Trainer(build_mazur()), Trainer(customised(build_mazur(), LAYERS))
    by_hand = notebook_update()
    per_update(builtin), per_update(custom), per_call(by_hand)  # warm-up: compiles the plans
    best = {"built-in": float("inf"), "custom": float("inf"), "by hand": float("inf")}
    for _ in range(REPEATS):
        best["built-in"] = min(best["built-in"], per_update(builtin))
        best["custom"] = min(best["custom"], per_update(custom))
        best["by hand"] = min(best["by hand"], per_call(by_hand))
    same = abs(builtin.losses[-1] - custom.losses[-1]) / abs(builtin.losses[-1])
    ratio = best["custom"] / best["built-in"]
    print(f"Mazur 2-2-2, {UPDATES:,} updates a run, best of {REPEATS}:")
    print(f"  built-in graph            {best['built-in'] * 1e6:7.1f} µs per update")
    print(f"  notebook's classes        {best['custom'] * 1e6:7.1f} µs per update")
    print(f"  (the same classes by hand {best['by hand'] * 1e6:7.1f} µs per update, no engine: "
          f"{best['by hand'] / best['built-in']:.2f} × built-in)")
    print(f"  ratio {ratio:.2f} (goal ≤ {GOAL:g}: {'met' if ratio <= GOAL else 'NOT met'}); "
          f"last losses differ by {same:.1e} (relative)")


if __name__ == "__main__":
    main()
