"""What the label placement looks at, indexed by a grid of cells so one edge's placement reads
only its neighbourhood: ports, node bodies, headers and value texts, labels, and the segments
of every curve.

The label pass builds one index for all the edges it places (one pass over the scene's items),
so placing every label of a wide graph costs about the number of edges, not its square. Labels
placed during the pass are added as they land, so later labels avoid them, and labels about to
move are forgotten (:meth:`SceneIndex.forget`): one index then serves several slices of a pass
while nothing else on the scene changes. Curves' segments have a grid of their own: where
hundreds of curves of a fanned-out value run side by side, a label's question to the other
kinds no longer sifts through them.
"""
from __future__ import annotations

from typing import Any, Iterable, Protocol

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from app.editor import style
from app.editor.edge_label import EdgeLabelItem

NODE_TYPE = QGraphicsItem.UserType + 1  # type: ignore[attr-defined]
EDGE_TYPE = QGraphicsItem.UserType + 2  # type: ignore[attr-defined]
PORT_TYPE = QGraphicsItem.UserType + 3  # type: ignore[attr-defined]
PORT_CLEARANCE = style.PORT_RADIUS + 4.0
CELL = 32.0  # scene units a side (64 gave a label's rectangle about twice the candidates to test)
_OFFSET = 1 << 30  # cell coordinates are shifted to be positive before they are packed in one key


class LabelledCurve(Protocol):
    """What the label layout needs of an edge: its labels, and its curve's points, distances and samples."""

    def labels_with_side(self) -> list[tuple[EdgeLabelItem, float]]: ...

    def points_at(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...

    def middle(self) -> tuple[float, float, float, float]: ...

    def distances_to(self, points: np.ndarray) -> np.ndarray: ...

    def samples_inside(self, rects: np.ndarray) -> np.ndarray: ...

    def samples(self) -> np.ndarray: ...

    def sceneBoundingRect(self) -> QRectF: ...  # noqa: N802 - Qt's name


def _cell_span(rects: np.ndarray) -> tuple[np.ndarray, ...]:
    x0 = np.floor(rects[:, 0] / CELL).astype(np.int64)
    y0 = np.floor(rects[:, 1] / CELL).astype(np.int64)
    x1 = np.floor(rects[:, 2] / CELL).astype(np.int64)
    y1 = np.floor(rects[:, 3] / CELL).astype(np.int64)
    return x0, y0, np.maximum(x1, x0), np.maximum(y1, y0)


def _cells(rects: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (rectangle row, cell key) pair of the cells each rectangle touches."""
    x0, y0, x1, y1 = _cell_span(rects)
    nx, ny = x1 - x0 + 1, y1 - y0 + 1
    counts = nx * ny
    rows = np.repeat(np.arange(len(rects)), counts)
    k = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    cx = x0[rows] + k % nx[rows]
    cy = y0[rows] + k // nx[rows]
    return rows, (cx + _OFFSET) * (2 * _OFFSET) + (cy + _OFFSET)


class Grid:
    """Rectangles (left, top, right, bottom) found by the cells they touch; fixed once built."""

    def __init__(self, rects: np.ndarray) -> None:
        self.rects = rects.reshape(-1, 4)
        rows, keys = _cells(self.rects)
        order = np.argsort(keys, kind="stable")
        keys, self._rows = keys[order], rows[order]
        self._keys, self._starts = np.unique(keys, return_index=True)
        self._ends = np.append(self._starts[1:], len(keys))

    def pairs(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (query row, rectangle row) pairs of ``query`` rectangles and rectangles that may
        overlap, each once: a pair is counted in the one cell that holds the top-left corner of
        the two rectangles' intersection (the candidates for any exact test of the two)."""
        empty = np.zeros(0, dtype=np.int64)
        if len(self._keys) == 0 or len(query) == 0:
            return empty, empty
        rows, keys = _cells(query)
        at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        found = self._keys[at] == keys
        rows, at, keys = rows[found], at[found], keys[found]
        counts = self._ends[at] - self._starts[at]
        if len(rows) == 0:
            return empty, empty
        within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        queries = np.repeat(rows, counts)
        found_rows = self._rows[np.repeat(self._starts[at], counts) + within]
        corner_x = np.maximum(query[queries, 0], self.rects[found_rows, 0])
        corner_y = np.maximum(query[queries, 1], self.rects[found_rows, 1])
        corner = (np.floor(corner_x / CELL).astype(np.int64) + _OFFSET) * (2 * _OFFSET) + (
            np.floor(corner_y / CELL).astype(np.int64) + _OFFSET)
        once = corner == np.repeat(keys, counts)
        return queries[once], found_rows[once]


PORTS, BODIES, HEADERS, TEXTS, LABELS, SEGMENTS = range(6)


class SceneIndex:
    """The obstacles of a scene's labels, from ``items`` (the scene's items around the edges to
    place); labels whose id is in ``skip`` (those about to be placed) are not obstacles."""

    def __init__(self, items: Iterable[QGraphicsItem], skip: set[int]) -> None:
        rects: list[list[tuple[float, float, float, float]]] = [[], [], [], [], []]
        edges: list[LabelledCurve] = []
        self._label_row: dict[int, int] = {}  # a label's id → its row among LABELS
        self._items = items = list(items)  # held: no id here is reused while the index lives
        for item in items:
            kind = item.type()
            if kind == PORT_TYPE:
                c = item.scenePos()
                rects[PORTS].append((c.x() - PORT_CLEARANCE, c.y() - PORT_CLEARANCE,
                                     c.x() + PORT_CLEARANCE, c.y() + PORT_CLEARANCE))
            elif kind == NODE_TYPE:
                node: Any = item
                body = item.mapRectToScene(node.body_rect())
                rects[BODIES].append((body.left(), body.top(), body.right(), body.bottom()))
                rects[HEADERS].append((body.left(), body.top(), body.right(), body.top() + style.HEADER_HEIGHT))
                text = item.mapRectToScene(node.text_rect())
                if not text.isEmpty():
                    rects[TEXTS].append((text.left(), text.top(), text.right(), text.bottom()))
            elif kind == EDGE_TYPE and item.isVisible():
                edges.append(item)  # type: ignore[arg-type]
            elif isinstance(item, EdgeLabelItem) and id(item) not in skip and item.isVisible():
                self._label_row[id(item)] = len(rects[LABELS])
                r = item.sceneBoundingRect()
                rects[LABELS].append((r.left(), r.top(), r.right(), r.bottom()))
        self._owner = {id(edge): k for k, edge in enumerate(edges)}
        samples = [edge.samples() for edge in edges]
        counts = np.array([len(s) - 1 for s in samples], dtype=np.int64)
        points = np.concatenate(samples) if samples else np.zeros((0, 2))
        starts = np.concatenate([[0], np.cumsum(counts + 1)[:-1]]) if samples else np.zeros(0, dtype=np.int64)
        within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        first = np.repeat(starts, counts) + within
        self.seg_a = points[first]
        self.seg_ab = points[first + 1] - self.seg_a
        self.seg_owner = np.repeat(np.arange(len(edges)), counts)
        last = np.zeros(len(first), dtype=bool)
        last[np.cumsum(counts)[counts > 0] - 1] = True
        self.seg_last = last  # the segment's end is its curve's last sample point
        ends = self.seg_a + self.seg_ab
        self._ax, self._ay = self.seg_a[:, 0].copy(), self.seg_a[:, 1].copy()
        self._bx, self._by = ends[:, 0].copy(), ends[:, 1].copy()
        self._abx, self._aby = self.seg_ab[:, 0].copy(), self.seg_ab[:, 1].copy()
        self._ab2 = np.maximum(self._abx * self._abx + self._aby * self._aby, 1e-12)
        boxes = [np.array(r, dtype=float).reshape(-1, 4) for r in rects]
        self._kind = np.concatenate([np.full(len(b), k) for k, b in enumerate(boxes)])
        self._ref = np.concatenate([np.arange(len(b)) for b in boxes])
        self._grid = Grid(np.concatenate(boxes))  # ports, nodes, texts and labels
        self._segments = Grid(np.concatenate([np.minimum(self.seg_a, ends), np.maximum(self.seg_a, ends)], axis=1))
        self._placed: dict[int, list[int]] = {}
        self._placed_rects: list[tuple[float, ...]] = []
        self._placed_of: dict[int, list[int]] = {}  # a label's id → its placed rectangles
        self._gone = np.zeros(len(rects[LABELS]), dtype=bool)  # LABELS rows forgotten
        self._placed_gone: set[int] = set()  # placed rectangles forgotten

    def owner(self, edge: LabelledCurve) -> int:
        """The index of ``edge``'s curve (-1 when it is not indexed)."""
        return self._owner.get(id(edge), -1)

    def add_labels(self, rects: np.ndarray, labels: list[EdgeLabelItem] | None = None) -> None:
        """Labels just placed (the items, when given, one per rectangle): obstacles from now on."""
        rows, keys = _cells(rects.reshape(-1, 4))
        base = len(self._placed_rects)
        self._placed_rects.extend(tuple(r) for r in rects.reshape(-1, 4).tolist())
        for k, label in enumerate(labels or ()):
            self._placed_of.setdefault(id(label), []).append(base + k)
        for row, key in zip(rows.tolist(), keys.tolist(), strict=True):
            self._placed.setdefault(key, []).append(base + row)

    def forget(self, labels: list[EdgeLabelItem]) -> None:
        """``labels`` are about to be placed: no longer obstacles where they were."""
        for label in labels:
            row = self._label_row.pop(id(label), None)
            if row is not None:
                self._gone[row] = True
            self._placed_gone.update(self._placed_of.pop(id(label), ()))

    def covered(self, rects: np.ndarray, edge: LabelledCurve) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """For each kind of rectangle (ports, bodies, headers, texts, labels), the pairs (row of
        ``rects``, that rectangle) that overlap, and the area of each overlap. Other curves
        (SEGMENTS) pair each rect with the owners of the sample points inside it (area 1)."""
        rows, found = self._grid.pairs(rects)  # other curves' segments below
        kinds, refs = self._kind[found], self._ref[found]
        boxes = self._grid.rects[found]
        out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for kind in (PORTS, BODIES, HEADERS, TEXTS, LABELS):
            pick = kinds == kind
            if kind == LABELS and self._gone.any():
                pick[pick] = ~self._gone[refs[pick]]
            area = _areas(rects[rows[pick]], boxes[pick])
            out[kind] = (rows[pick], area)
        if self._placed:
            cells, keys = _cells(rects)
            gone = self._placed_gone
            pairs = {(row, r) for row, key in zip(cells.tolist(), keys.tolist(), strict=True)
                     for r in self._placed.get(key, ()) if r not in gone}
            if pairs:
                q = np.array([p for p, _ in pairs])
                placed = np.array([self._placed_rects[r] for _, r in pairs])
                old_rows, old_area = out[LABELS]
                out[LABELS] = (np.concatenate([old_rows, q]), np.concatenate([old_area, _areas(rects[q], placed)]))
        q, seg = self._segments.pairs(rects)
        keep = self.seg_owner[seg] != self.owner(edge)
        seg, q = seg[keep], q[keep]
        left, top, right, bottom = rects[q, 0], rects[q, 1], rects[q, 2], rects[q, 3]
        x, y = self._ax[seg], self._ay[seg]
        hit = (x > left) & (x < right) & (y > top) & (y < bottom)
        x, y = self._bx[seg], self._by[seg]
        hit |= self.seg_last[seg] & (x > left) & (x < right) & (y > top) & (y < bottom)
        out[SEGMENTS] = (q[hit], self.seg_owner[seg[hit]].astype(float))
        return out

    def nearer(self, centres: np.ndarray, limit: np.ndarray, edge: LabelledCurve) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (row of ``centres``, owner of another curve) where that curve passes nearer
        than ``limit`` (per centre) to the centre."""
        query = np.concatenate([centres - limit[:, None], centres + limit[:, None]], axis=1)
        q, seg = self._segments.pairs(query)
        keep = self.seg_owner[seg] != self.owner(edge)
        q, seg = q[keep], seg[keep]
        rx, ry = centres[q, 0] - self._ax[seg], centres[q, 1] - self._ay[seg]
        abx, aby = self._abx[seg], self._aby[seg]
        t = np.clip((rx * abx + ry * aby) / self._ab2[seg], 0.0, 1.0)
        gx, gy = rx - abx * t, ry - aby * t
        hit = gx * gx + gy * gy < limit[q] ** 2
        return q[hit], self.seg_owner[seg[hit]]


def _areas(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The area where each rectangle of ``a`` overlaps the rectangle of ``b`` in the same row."""
    w = np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0])
    h = np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1])
    return np.clip(w, 0.0, None) * np.clip(h, 0.0, None)
