"""Gradients that add up, on the canvas: ``∂L/∂x = 5 + 3 (+ …)`` on a node whose output feeds
several nodes (or a parameter that keeps the last update's gradient), term by term as the
backward pass sends them, and ``= 8`` once every one has arrived."""
from __future__ import annotations

from typing import Any

import numpy as np

from core.format import EDGE_DIGITS, format_edge_label, format_number
from core.formulas import node_report

MAX_CHARS = 44  # past this the line says how many parts arrived instead of writing them out


def _short(a: np.ndarray) -> str:
    arr = np.asarray(a, dtype=float)
    return format_number(arr.reshape(()), EDGE_DIGITS) if arr.size == 1 else format_edge_label(arr)


def sum_line(stepper: Any, node: str) -> str | None:
    """The sum of the gradients that arrived at ``node`` so far, or ``None`` when a single one
    makes its gradient (nothing adds up) or none arrived yet."""
    report = node_report(stepper, node)
    parts = report.contributions
    arrived = [c.grad for c in parts if c.grad is not None]
    if len(parts) < 2 or not arrived:
        return None
    head = f"∂L/∂{node} = "
    done = report.grad_complete and len(arrived) == len(parts)
    tail = f" = {_short(report.grad)}" if done and report.grad is not None else " (+ …)"
    text = head + " + ".join(_short(g) for g in arrived) + tail
    if len(text) <= MAX_CHARS:
        return text
    return f"∂L/∂{node}: {len(arrived)} of {len(parts)} parts added"
