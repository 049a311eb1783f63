"""The gradient check of custom layers, off the GUI thread.

``check(graph, node)`` copies the graph on the GUI thread, then on a worker thread runs the
forward pass up to the node (its current inputs, the first mini-batch) and
:func:`core.custom.check.check_layer` on them and on random inputs of the same shapes; the GUI
thread takes the result when the thread has ended (the worker touches no Qt object:
:mod:`app.window.background`). Results are kept per node with the code they are for: a node whose code
changed is "unchecked" again.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.window.background import Job, JobWatch
from core.custom.runner import LayerError
from core.custom.trust import SESSION
from core.graph import Graph
from core.program import ProgramError
from core.stepper import Stepper

if TYPE_CHECKING:  # the checker (and core.gradcheck) loads with the first check
    from core.custom.check import LayerCheck

UNCHECKED, CHECKING, PASSED, FAILED, UNTRUSTED = "unchecked", "checking", "passed", "failed", "untrusted"
NOT_CHECKABLE = "not checkable"  # the check ran but no input gave finite values to measure with


def _inputs_of(graph: Graph, node: str) -> list[Any]:
    """The node's inputs in the first forward pass (runs the nodes before it)."""
    stepper = Stepper(graph)
    stepper.break_on_nonfinite = False
    stepper.run_to_node(node)
    plan = stepper.program.plans[node]
    return [stepper.frame.values[s] for s in plan.srcs]


class LayerChecker(QObject):
    checked = Signal(str)  # node id: its state changed (see :meth:`state`)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.results: dict[str, tuple[str, LayerCheck | None, str]] = {}  # node → (code, result, why not)
        self._running: dict[str, str] = {}  # node → code being checked
        self._watch = JobWatch(self)

    def state(self, node: str, code: str) -> str:
        if not SESSION.is_trusted(code):
            return UNTRUSTED
        if self._running.get(node) == code:
            return CHECKING
        kept = self.results.get(node)
        if kept is None or kept[0] != code or kept[1] is None:
            return UNCHECKED
        if not kept[1].checkable:
            return NOT_CHECKABLE
        return PASSED if kept[1].passed else FAILED

    def result(self, node: str, code: str) -> tuple[LayerCheck | None, str]:
        """The check of ``node``'s ``code`` and, when there is none, why."""
        kept = self.results.get(node)
        if kept is None or kept[0] != code:
            return None, ""
        return kept[1], kept[2]

    def forget(self) -> None:
        self.results.clear()

    def check(self, graph: Graph, node: str) -> bool:
        """Start checking ``node`` of ``graph`` (a copy is taken now); False when its code is not trusted."""
        code = str(graph.nodes[node].attrs.get("code", ""))
        if not SESSION.is_trusted(code):
            return False
        copy = graph.copy()  # the values shared (the engine never writes one in place), as autosave takes it
        self._running[node] = code
        self.checked.emit(node)
        job = Job(lambda: _work(copy, node, code), name="layer check")
        self._watch.watch(job, lambda job: self._on_done(node, code, *job.result()))
        return True

    def _on_done(self, node: str, code: str, result: LayerCheck | None, why: str) -> None:
        if self._running.get(node) == code:
            del self._running[node]
        self.results[node] = (code, result, why)
        self.checked.emit(node)


def _work(graph: Graph, node: str, code: str) -> tuple[LayerCheck | None, str]:
    """On the worker thread: the check of ``node``'s code, or why there is none."""
    from core.custom.check import LayerCheck, check_layer

    result: LayerCheck | None = None
    why = ""
    try:
        result = check_layer(code, _inputs_of(graph, node), node=node)
    except LayerError as exc:
        if exc.node == node:  # its own code failed on its inputs: that is a failed check
            result = LayerCheck(node, (), 0, exc)
        why = str(exc)
    except (ProgramError, ValueError) as exc:
        why = f"the graph cannot run up to {node}: {exc}"
    return result, why
