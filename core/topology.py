"""Order, cycles and reach of a directed graph given as successor lists (``outs[n]``: the nodes
``n`` feeds) or as a function giving a node's neighbours (:func:`reached`).

Plain algorithms on node names, so :class:`core.graph.Graph` stays a model of edits and events.
"""
from __future__ import annotations

from collections import deque
from typing import Callable, Iterable, Mapping, Sequence

Successors = Mapping[str, Sequence[str]]
Neighbours = Callable[[str], Iterable[str | None]]  # a node's neighbours (``None`` is skipped)


def reached(starts: Iterable[str], nexts: Neighbours) -> set[str]:
    """Every node one or more steps along ``nexts`` from one of ``starts`` (a start only when a
    path leads back to it, or from another start)."""
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        for m in nexts(stack.pop()):
            if m is not None and m not in seen:
                seen.add(m)
                stack.append(m)
    return seen


def kahn(outs: Successors) -> tuple[list[str], list[str]]:
    """A topological order of the nodes it can order, and the nodes left over (in or behind a cycle).

    Ties keep the order of ``outs``.
    """
    indeg = {n: 0 for n in outs}
    for targets in outs.values():
        for m in targets:
            indeg[m] += 1
    ready = deque(n for n in outs if indeg[n] == 0)
    order: list[str] = []
    while ready:
        n = ready.popleft()
        order.append(n)
        for m in outs[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
    return order, [n for n in outs if indeg[n] > 0]


def cycles_reached(starts: set[str], outs_of: Callable[[str], Sequence[str]],
                   order: Sequence[str]) -> list[list[str]]:
    """The cycles among the nodes ``starts`` reach (themselves included), as :func:`cycle_groups`
    names them, nodes ranked by ``order``. One walk and one topological pass over that region
    only; every cycle through an edge into a start lies in it."""
    region: dict[str, Sequence[str]] = {}
    stack = list(starts)
    while stack:
        node = stack.pop()
        if node not in region:
            region[node] = outs_of(node)
            stack.extend(m for m in region[node] if m not in region)
    if not kahn(region)[1]:
        return []
    return cycle_groups({n: region[n] for n in order if n in region})


def cycle_groups(outs: Successors) -> list[list[str]]:
    """The nodes of each cycle (each strongly connected group of two or more, or a node feeding
    itself), every group and the list of groups in the order of ``outs``."""
    ins: dict[str, list[str]] = {n: [] for n in outs}
    for n, targets in outs.items():
        for m in targets:
            ins[m].append(n)
    finished = _finishing_order(outs)
    rank = {n: i for i, n in enumerate(outs)}
    groups: list[list[str]] = []
    assigned: set[str] = set()
    for root in reversed(finished):
        if root in assigned:
            continue
        assigned.add(root)
        group, todo = [], [root]
        while todo:
            node = todo.pop()
            group.append(node)
            for prev in ins[node]:
                if prev not in assigned:
                    assigned.add(prev)
                    todo.append(prev)
        if len(group) > 1 or root in outs[root]:
            groups.append(sorted(group, key=rank.__getitem__))
    return sorted(groups, key=lambda g: rank[g[0]])


def _finishing_order(outs: Successors) -> list[str]:
    """Nodes in the order a depth-first search finishes them (without recursion)."""
    finished: list[str] = []
    seen: set[str] = set()
    for root in outs:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(outs[root]))]
        while stack:
            node, successors = stack[-1]
            for nxt in successors:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, iter(outs[nxt])))
                    break
            else:
                stack.pop()
                finished.append(node)
    return finished
