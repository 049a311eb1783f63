"""Predict, then reveal: the debugger as a quiz, graded against the engine.

Before an asked step runs, the learner types what it will give: a forward step's value, or the
gradient a backward step sends to each input that needs one. :class:`Exercise` holds the
stepper back (``Stepper.hold``) until every question of the next step is answered right, or
answered wrong twice (then the answer is revealed); the first wrong try earns a hint, the
formula filled with the numbers but not the result. A teacher chooses which steps are asked
(``ExerciseSpec``, saved with the file).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.format import format_number
from core.formulas import fill, format_array
from core.graph import Graph
from core.program import BACKWARD, FORWARD, Step, backward_node, forward_node
from core.stepper import Stepper

ASK_KINDS = ("all", "forward", "backward", "parameters", "nodes")
ASK_TEXT = {
    "all": "every forward and backward step", "forward": "the forward pass", "backward": "the backward pass",
    "parameters": "the gradients of the parameters", "nodes": "hand-picked nodes",
}
DEFAULT_TOLERANCE = 1e-3
RIGHT, HINTED, REVEALED = "right", "right after a hint", "revealed"


@dataclass(frozen=True)
class ExerciseSpec:
    ask: str = "all"
    nodes: tuple[str, ...] = ()
    tolerance: float = DEFAULT_TOLERANCE

    @classmethod
    def of(cls, graph: Graph) -> "ExerciseSpec":
        data = graph.exercise or {}
        return cls(str(data.get("ask", "all")), tuple(data.get("nodes", ())),
                   float(data.get("tolerance", DEFAULT_TOLERANCE)))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ask": self.ask}
        if self.nodes:
            out["nodes"] = list(self.nodes)
        if self.tolerance != DEFAULT_TOLERANCE:
            out["tolerance"] = self.tolerance
        return out

    def describe(self) -> str:
        what = ASK_TEXT.get(self.ask, self.ask)
        if self.ask == "nodes":
            what += f" ({', '.join(self.nodes)})"
        return f"asks {what}; relative tolerance {format_number(self.tolerance)}"


@dataclass(frozen=True)
class Question:
    key: tuple[int, int, int]  # (training step, step index, port index or -1 for a value)
    step: Step
    text: str  # "out of mul_tax" or "∂L/∂tax, sent by mul_tax"
    expected: np.ndarray
    hint: str
    formula: str  # the formula with every number, the result included


@dataclass
class Result:
    question: Question
    answers: list[str] = field(default_factory=list)
    outcome: str = ""  # right | right after a hint | revealed | "" (open)


@dataclass(frozen=True)
class Grade:
    correct: bool
    message: str
    done: bool  # the question is closed (right, or revealed after a second wrong try)


def parse_answer(text: str) -> np.ndarray:
    """A number or a (nested) list of numbers, as typed: ``0.25``, ``[[0.1, 0.2]]``. Raises
    ``ValueError`` with a short reason otherwise (nothing typed is ever run)."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise ValueError("type a number such as 0.25 or a matrix such as [[0.1, 0.2]]") from None
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("type numbers only, in rectangular brackets such as [[0.1, 0.2]]") from None
    return arr


def relative_error(answer: np.ndarray, expected: np.ndarray) -> float | None:
    """The largest difference relative to the expected value's size; None when the shapes differ
    (a single number may stand for an array of one element, and 1-row arrays for rows)."""
    a, e = np.asarray(answer, dtype=float), np.asarray(expected, dtype=float)
    if a.size != e.size or (a.squeeze().shape != e.squeeze().shape):
        return None
    diff = float(np.max(np.abs(a.reshape(e.shape) - e))) if e.size else 0.0
    return diff / max(float(np.max(np.abs(e))) if e.size else 0.0, 1e-12)


class Exercise:
    """One exercise on a stepper: the questions of its next step, the answers and the score."""

    def __init__(self, stepper: Stepper, spec: ExerciseSpec) -> None:
        self.stepper = stepper
        self.spec = spec
        self.results: dict[tuple[int, int, int], Result] = {}
        stepper.hold = self.hold

    def detach(self) -> None:
        if self.stepper.hold == self.hold:
            self.stepper.hold = None

    # ----------------------------------------------------------- questions
    def asks(self, step: Step) -> list[int]:
        """The ports (−1: the value) that ``step`` is asked about."""
        program, spec = self.stepper.program, self.spec
        if step.node is None or step.kind not in (FORWARD, BACKWARD):
            return []
        if spec.ask == "nodes" and step.node not in spec.nodes:
            return []
        if step.kind == FORWARD:
            return [-1] if spec.ask in ("all", "forward", "nodes") else []
        if spec.ask == "forward":
            return []
        ports = list(program.plans[step.node].grad_ports)
        if spec.ask == "parameters":
            params = set(program.parameters)
            ports = [i for i in ports if program.plans[step.node].srcs[i] in params]
        return ports

    def questions(self) -> list[Question]:
        """The questions of the step about to run (empty at the end of a training step)."""
        s = self.stepper
        if s.at_end:
            return []
        step = s.next_step
        ports = self.asks(step)
        if not ports:
            return []
        return [self._question(step, s.cursor, i) for i in ports]

    def open_questions(self) -> list[Question]:
        return [q for q in self.questions() if self.result(q).outcome == ""]

    def result(self, q: Question) -> Result:
        r = self.results.get(q.key)
        if r is None or r.question.expected.shape != q.expected.shape:
            r = self.results[q.key] = Result(q)
        return r

    def hold(self) -> str | None:
        """Why the next step may not run yet (the stepper's hook), or None."""
        open_ = self.open_questions()
        return f"answer first: {open_[0].text}" if open_ else None

    def retry(self) -> None:
        """Open the questions of the next step again (after Step Back)."""
        for q in self.questions():
            r = self.results.get(q.key)
            if r is not None and r.outcome:
                self.results[q.key] = Result(q, list(r.answers))

    def _question(self, step: Step, index: int, port: int) -> Question:
        s = self.stepper
        frame, plan = s.frame, s.program.plans[step.node]  # type: ignore[index]
        op, node = plan.op, step.node
        ports = {p: frame.values[src] for p, src in zip(op.inputs, plan.srcs)}
        key = (s.iteration, index, port)
        if port < 0:
            out, cache = forward_node(plan, frame.values)
            extra = op.formula_values([frame.values[x] for x in plan.srcs], out, None, cache, plan.attrs)
            quantities = {**ports, **extra}
            template = op.forward_formula
            formula = fill(template, {**quantities, "out": out}) or ""
            hint = _hint(template, "{out}", quantities)
            return Question(key, step, f"out of {node}", np.asarray(out), hint, formula)
        dout = frame.grads.get(node)  # type: ignore[arg-type]
        if dout is None:
            dout = np.ones_like(frame.values[node])  # type: ignore[index]
        ins = [frame.values[x] for x in plan.srcs]
        sent = dict(backward_node(plan, frame.values, frame.caches[node], dout))  # type: ignore[index]
        name = op.inputs[port]
        extra = op.formula_values(ins, frame.values[node], dout, frame.caches[node], plan.attrs)  # type: ignore[index]
        quantities = {**ports, **extra, "out": frame.values[node], "dout": dout}  # type: ignore[index]
        template = op.backward_formulas.get(name, "")
        formula = fill(template, {**quantities, f"d{name}": sent[port]}) or ""
        hint = _hint(template, "{d" + name + "}", quantities)
        text = f"∂L/∂{plan.srcs[port]}, sent by {node} to its input {name}"
        return Question(key, step, text, np.asarray(sent[port]), hint, formula)

    # ------------------------------------------------------------- grading
    def answer(self, q: Question, text: str) -> Grade:
        """Grade ``text`` for ``q``: right within the tolerance; else a hint first, then the answer."""
        r = self.result(q)
        try:
            typed = parse_answer(text)
        except ValueError as exc:
            return Grade(False, str(exc), False)
        r.answers.append(text.strip())
        err = relative_error(typed, q.expected)
        tol = format_number(self.spec.tolerance)
        if err is not None and err <= self.spec.tolerance:
            r.outcome = RIGHT if len(r.answers) == 1 else HINTED
            return Grade(True, f"Right (within {tol} relative): {q.formula}", True)
        shape = "" if err is not None else f" (it has {q.expected.size} number{'s' if q.expected.size > 1 else ''})"
        if len(r.answers) == 1:
            return Grade(False, f"Not quite{shape}. Hint: {q.hint}", False)
        r.outcome = REVEALED
        return Grade(False, f"The answer is {format_array(q.expected)}: {q.formula}", True)

    # ------------------------------------------------------------- summary
    def score(self) -> tuple[int, int]:
        """(answered right at the first try, questions asked: answered at least once)."""
        asked = [r for r in self.results.values() if r.answers]
        return sum(r.outcome == RIGHT for r in asked), len(asked)

    def score_text(self) -> str:
        first, asked = self.score()
        hinted = sum(r.outcome == HINTED for r in self.results.values())
        extra = f", {hinted} after a hint" if hinted else ""
        return f"Score {first} / {asked} right at the first try{extra}"

    def summary(self) -> list[str]:
        """One line per question closed, in the order of the program."""
        lines = []
        for key in sorted(self.results):
            r = self.results[key]
            if not r.outcome:
                continue
            tries = "; ".join(r.answers)
            lines.append(f"step {key[1] + 1} ({r.question.step.label}): {r.question.text} = "
                         f"{format_array(r.question.expected)} — {r.outcome} (you typed {tries})")
        return lines


def _hint(template: str, result: str, quantities: dict[str, Any]) -> str:
    """The formula with its numbers, but ``?`` where the result would be."""
    if not template:
        return "work it out from the node's inputs"
    head = template.replace(result, "?")
    return fill(head, quantities) or head
