"""The debugger's drawing backlog draws in slices bounded by time, not by a count: each slice
does about BUDGET of work, measured with its clock, whatever one item costs (a loaded machine
makes each item dearer; 250 items a slice once blocked the window for 224–448 ms). The clock
here is a counter the drawing advances, so the test counts items, never time."""
from __future__ import annotations

from app.debugger import backlog
from app.debugger.backlog import BUDGET, DrawBacklog


class Work:
    """A drawing function whose every item costs ``cost`` seconds on a clock of its own."""

    def __init__(self, cost: float) -> None:
        self.cost, self.now, self.drawn = cost, 0.0, []

    def clock(self) -> float:
        return self.now

    def draw(self, nodes, edges) -> None:
        self.drawn += list(nodes) + list(edges)
        self.now += self.cost * (len(nodes) + len(edges))


def backlog_of(work: Work, nodes: int, edges: int) -> DrawBacklog:
    waiting = DrawBacklog(work.draw, clock=work.clock)
    waiting.nodes.update(f"n{k:04}" for k in range(nodes))
    waiting.edges.update(("x", f"n{k:04}", "a") for k in range(edges))
    return waiting


def test_a_slice_draws_about_its_budget_of_items_however_dear_they_are(qapp):
    cheap = Work(0.0001)  # 0.1 ms an item: about 100 a slice
    waiting = backlog_of(cheap, 1000, 1000)
    waiting.draw_slice()
    assert 95 <= waiting.drawn_last <= 110
    assert cheap.now <= BUDGET + 8 * 0.0001 * 2
    dear = Work(0.002)  # a loaded machine: 2 ms an item, 5 a slice (250 would take 500 ms)
    waiting = backlog_of(dear, 1000, 1000)
    counts = []
    for _ in range(4):
        waiting.draw_slice()
        counts.append(waiting.drawn_last)
    assert counts == [backlog.FIRST_BATCH, 5, 5, 5]
    assert len(set(dear.drawn)) == sum(counts) == 2000 - len(waiting.nodes) - len(waiting.edges)


def test_the_batches_follow_the_cost_when_the_load_changes(qapp):
    work = Work(0.0001)
    waiting = backlog_of(work, 2000, 0)
    waiting.draw_slice()
    work.cost = 0.001  # the machine got busy: the next slices shrink to about 10 items
    for _ in range(3):
        waiting.draw_slice()
    assert 9 <= waiting.drawn_last <= 12
    assert work.cost * waiting.drawn_last <= 1.3 * BUDGET


def test_every_item_is_drawn_once_nodes_before_edges(qapp):
    work = Work(0.0005)
    waiting = backlog_of(work, 30, 40)
    while waiting.pending():
        waiting.draw_slice()
    assert len(work.drawn) == len(set(work.drawn)) == 70
    assert all(isinstance(item, str) for item in work.drawn[:30])
