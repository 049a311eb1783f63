"""Validation and Program of the graph states seen last, found again by the state's fingerprint.

An undo returns the graph to a state whose validation and Program were already made: making
them again costs time that grows with the whole graph (tens of ms at 3,000 nodes), where the
undo itself touched a few nodes. :class:`DerivedCache` keeps the last few states' results keyed
by :func:`fingerprint`, computed from the graph at each look-up, so no edit path needs to
report to it and an entry is never found for a graph that differs in anything they read.

What the fingerprint cannot see, the contents of values (training writes weights in place; a
value may become NaN) and of dataset rows, is never kept: :class:`Derivation` keeps validation's
structural part (:func:`core.validation.check_structure`) and reads the values again each time
the problems are asked (:func:`core.validation.value_problems`). The Program depends on the
structure alone once the problems are none.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Hashable

import core.validation as validation
from core.custom.trust import SESSION
from core.data.dataset import Dataset
from core.graph import Graph, Problem
from core.ops.base import get_op, registry_version
from core.program import Program, ProgramError
from core.validation import Shapes, Structure, check_structure, value_problems

KEPT = 8  # graph states remembered: an undo or redo a few steps away finds its own


def fingerprint(graph: Graph) -> Hashable | None:
    """Everything about ``graph`` that validation and its Program read, save the contents of
    values and of dataset rows: each node in order with its id, op, attributes (typed, in their
    order) and value shape; the edges in order; the objective; the dataset's state, fields and
    shapes; the batch size; the trust given to custom code (when it holds some); the op registry. ``None`` when a
    part cannot be hashed (such a graph is not cached).

    The edges' order also gives each node's outgoing edges in order (what the topological
    order's ties follow): :class:`~core.graph.Graph` adds, removes, renames and arranges its
    edges in both of its indexes alike, so a node's outgoing edges keep the edges' order.
    """
    try:
        nodes = tuple([(key, node.id, node.op_type, _attrs_key(node.attrs) if node.attrs else (),
                        None if node.value is None else node.value.shape)
                       for key, node in graph.nodes.items()])
        edges = tuple([(e.src, e.dst, e.port) for e in graph.edges])
        # the trust given to code matters to a graph that holds code (a trust store read after
        # the first look made every graph's first state a stranger to its undo)
        coded = any(get_op(op_type).runs_user_code for op_type in {n[2] for n in nodes})
        key = (nodes, edges, graph.objective, _dataset_key(graph.dataset), graph.settings.batch_size,
               SESSION.state() if coded else None, registry_version(), validation.MAX_TENSOR_SIZE)
        hash(key)
    except (TypeError, KeyError):  # an unhashable attribute; an op no longer registered
        return None
    return key


def _attrs_key(attrs: dict[str, Any]) -> tuple[Any, ...]:
    # typed, so True, 1 and 1.0 differ; a float by its text, so -0.0 and 0.0 differ
    return tuple((name, type(v), repr(v) if isinstance(v, float) else v) for name, v in attrs.items())


def _dataset_key(dataset: Dataset | None) -> Hashable:
    """What validation reads of a dataset (its field shapes; its training rows follow from them,
    the held-out fraction and seed), not its rows' contents."""
    if dataset is None:
        return None
    source = None if dataset.source is None else dataset.source.path
    return (dataset.missing, source, tuple((name, arr.shape) for name, arr in dataset.fields.items()),
            dataset.test_fraction, dataset.split_seed)


class Derivation:
    """The validation and Program of one graph state (and of any graph of the same fingerprint).

    The Program is made at the first question and shared after: read it, never change it."""

    def __init__(self, structure: Structure) -> None:
        self.structure = structure
        self.program_made: Program | None = None

    @property
    def shapes(self) -> Shapes:
        return self.structure.shapes

    def problems(self, graph: Graph) -> list[Problem]:
        """``core.validation.validate(graph)``, the values read now."""
        return value_problems(graph, self.structure)

    def program(self, graph: Graph, problems: list[Problem] | None = None) -> Program:
        """``Program(graph)``; raises ``ProgramError`` as it does. ``problems``: those of
        :meth:`problems` when just asked (else asked here)."""
        problems = self.problems(graph) if problems is None else problems
        if problems:
            raise ProgramError(problems)
        if self.program_made is None:  # no problem at all: the structure is sound, the Program can be made
            self.program_made = Program(graph, [], self.structure.facts)
        return self.program_made


class DerivedCache:
    """The :class:`Derivation` of the last :data:`KEPT` graph states, least recently used first out."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._entries: OrderedDict[Hashable, Derivation] = OrderedDict()
        self.made = 0  # structures made (not found): what a test of the reuse counts

    def derivation(self, graph: Graph) -> Derivation:
        """The derivation of ``graph`` as it is now: found by its fingerprint, or made."""
        key = fingerprint(graph)
        found = self._entries.get(key) if key is not None else None
        if found is not None:
            self._entries.move_to_end(key)
            return found
        made = Derivation(check_structure(graph))
        self.made += 1
        if key is not None:
            self._entries[key] = made
            while len(self._entries) > self.kept:
                self._entries.popitem(last=False)
        return made
