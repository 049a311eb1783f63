"""Where an edge's labels go: beside their own curve, away from both ends, clear of ports.

The labels of an edge slide together along their curve (from the middle outwards): beside it
along its normal (the value above, the gradient below), or stacked on it (the value over the
gradient) where the curve is steep and a label beside it would sit far off. Every spot is
scored: covering a port is ruled out, a spot nearer to another edge's curve than to its own is
almost ruled out, and covering a node (its header and its value text most), another label or
another curve costs its overlap; a spot far from the middle costs a little. Where nothing is
clear (a crowded gap between two columns of nodes), each label is placed on its own, the other
side allowed.

What lies around an edge is read from a grid index of the scene (label_index.py), built once
for all the edges a pass places, so a pass costs about the number of its edges; the spots are
scored with NumPy.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from app.editor.edge_label import EdgeLabelItem
from app.editor.extent import touched
from app.editor.label_index import BODIES, HEADERS, LABELS, PORTS, SEGMENTS, TEXTS, LabelledCurve, SceneIndex

STEP = 0.05
# t from 0.05 to 0.95: a long curve leaves a bundle of others near its ends, where its label is its own
SPOTS = np.array(sorted((round(0.5 + k * STEP, 2) for k in range(-9, 10)), key=lambda t: (abs(t - 0.5), -t)))
GAP = 3.0  # between a label and its curve
AMBIGUITY_MARGIN = 4.0  # a label must be this much nearer to its own curve than to any other
PORT_COST = 1e7
AMBIGUOUS_COST = 1e5
CURVE_COST = 400.0  # another edge's curve passing under a label
OWN_CURVE_COST = 150.0  # its own curve bending back under a label beside it
HEADER_WEIGHT, BODY_WEIGHT, LABEL_WEIGHT = 40.0, 2.0, 8.0  # per unit of area covered; a header names its node
TEXT_WEIGHT = HEADER_WEIGHT  # a node's value text (the debugger's numbers) is read as much as its name
SWAPPED_COST = 4e4  # a value below its gradient: the legend and the figures have it the other way
HEADER_COST = 9e4  # a label over a node's name at all (besides its area): worse than an edge's own labels touching
LABEL_OVERLAP_COST = 3e3  # another edge's label under a label (the pass then moves that one: label_pass.py)
OWN_OVERLAP_COST = 5e4  # an edge's value and gradient over each other (nothing moves them apart afterwards;
# a label nearer another curve than its own is still worse)
SLIDE_COST = 8.0  # per STEP of curve away from the preferred spot
DISTANCE_COST = 3.0  # per scene unit a label beside a steep curve sits further off than SLACK allows
SLACK = 12.0  # how much further than flat beside it a label may sit for free (a gently sloping curve)
STACKED_COST = 50.0  # so a curve is left bare where it is flat enough to write beside it
OTHER_SIDE_COST = 1500.0  # a label on the other side of its curve, only where nothing else is clear
APART_COST = 100.0  # the labels of one edge in two places along it
FARTHER = 16.0  # where nothing else is clear, a label may sit a few steps of this further off its curve
FARTHER_COST = 200.0  # per FARTHER step
FARTHER_STEPS = 4
CLEAR = 1.0  # a spot costing less than this (besides sliding and distance) covers nothing


def place_plainly(edge: LabelledCurve) -> None:
    """Put ``edge``'s labels beside the middle of its curve, looking at nothing else (a first
    place, until :func:`place` has looked around)."""
    x, y, nx, ny = edge.middle()
    for label, side in edge.labels_with_side():
        rect = label.boundingRect()
        reach = abs(nx) * rect.width() / 2 + abs(ny) * rect.height() / 2 + GAP  # as _beside, in floats
        label.setPos(QPointF(x + side * nx * reach, y + side * ny * reach))


def place(edge: LabelledCurve, scene: QGraphicsScene, index: SceneIndex | None = None) -> None:
    """Place ``edge``'s labels among what ``scene`` holds, as ``index`` (built for a whole pass)
    sees it; without one, an index of the items around the edge is made for it."""
    labels = edge.labels_with_side()
    if not labels:
        return
    points, normals = edge.points_at(SPOTS)
    sizes = [(label.boundingRect().width(), label.boundingRect().height()) for label, _ in labels]
    beside = [_beside(points, normals, size, side) for size, (_, side) in zip(sizes, labels, strict=True)]
    stacked = _stacked(points, sizes)
    if index is None:
        index = index_around(scene, [edge.sceneBoundingRect()], [label for label, _ in labels])
    obstacles = _Obstacles(edge, index)
    slide = SLIDE_COST * np.abs(SPOTS - 0.5) / STEP
    modes = ((beside, 0.0, True), (stacked, STACKED_COST, False))
    scored = obstacles.costs([(size, centres, is_beside) for spots, _, is_beside in modes
                              for size, centres in zip(sizes, spots, strict=True)])
    best_cost, best, clear = float("inf"), None, False
    for k, (spots, mode_cost, _) in enumerate(modes):
        parts = scored[k * len(sizes):(k + 1) * len(sizes)]
        covered = sum(c for c, _ in parts)
        excess = sum(e for _, e in parts)
        clear = clear or bool(np.any(covered < CLEAR))
        cost = covered + mode_cost + slide + DISTANCE_COST * excess
        i = int(np.argmin(cost))
        if cost[i] < best_cost:
            best_cost, best = float(cost[i]), [QPointF(*centres[i]) for centres in spots]
    if not clear and len(labels) > 1:
        apart_cost, apart = _apart([side for _, side in labels], sizes, points, normals, obstacles)
        if apart_cost < best_cost:
            best = apart
    assert best is not None
    for (label, _), pos in zip(labels, best, strict=True):
        label.setPos(pos)
    if isinstance(edge, QGraphicsItem):
        touched(edge)
    placed = [_rects(np.array([[pos.x(), pos.y()]]), size) for pos, size in zip(best, sizes, strict=True)]
    index.add_labels(np.concatenate(placed), [label for label, _ in labels])


def index_around(scene: QGraphicsScene, areas: list[QRectF], labels: list[EdgeLabelItem],
                 reach: float | None = None) -> SceneIndex:
    """An index of the items within reach of ``labels`` (not obstacles themselves) placed for
    edges inside ``areas`` (``reach``: as far as other labels to place there can reach, when
    they are wider)."""
    area = QRectF()
    for rect in areas:
        area = area.united(rect)
    reach = max(reach_of(labels), reach or 0.0)
    return SceneIndex(scene.items(area.adjusted(-reach, -reach, reach, reach),
                                  Qt.ItemSelectionMode.IntersectsItemBoundingRect), {id(label) for label in labels})


def reach_of(labels: list[EdgeLabelItem]) -> float:
    """How far beyond its curve's bounding rectangle anything that can change a label's place
    lies: a centre sits at most (w + h) / 2 + GAP off the curve, and from there the label reaches
    half its size and the ambiguity test its distance to the curve and a margin."""
    widest = max((label.boundingRect().width() + label.boundingRect().height() for label in labels), default=0.0)
    return widest + 2 * GAP + AMBIGUITY_MARGIN + 8.0


def _beside(points: np.ndarray, normals: np.ndarray, size: tuple[float, float], side: float,
            further: float = 0.0) -> np.ndarray:
    """Centres of a label of ``size`` just off the curve along its normal (side +1 above, -1 below),
    or ``further`` off it."""
    w, h = size
    reach = np.abs(normals[:, 0]) * w / 2 + np.abs(normals[:, 1]) * h / 2 + GAP + further
    return points + side * normals * reach[:, None]


def _straight(points: np.ndarray, size: tuple[float, float], side: float, further: float) -> np.ndarray:
    """Centres of a label of ``size`` straight above (side +1) or below (-1) the curve's points,
    ``further`` than just clear of them."""
    return points - np.array([0.0, side * (size[1] / 2 + GAP + further)])


def _stacked(points: np.ndarray, sizes: list[tuple[float, float]]) -> list[np.ndarray]:
    """Centres of the labels on the curve: one label on it, or the value over the gradient."""
    if len(sizes) == 1:
        return [points.copy()]
    (_, top), (_, bottom) = sizes
    return [points - np.array([0.0, top / 2]), points + np.array([0.0, bottom / 2])]


def _apart(sides: list[float], sizes: list[tuple[float, float]], points: np.ndarray,
           normals: np.ndarray, obstacles: "_Obstacles") -> tuple[float, list[QPointF]]:
    """The value and the gradient each on its own: beside, on or across its curve, anywhere along
    it, chosen together as the pair that costs least. Where every such
    pair covers each other, a label may also sit straight above or below its curve, or a step or
    more further off it."""
    cost, chosen, covering = _pair(_options(sides, sizes, points, normals, obstacles, 0), sizes)
    if covering:
        cost, chosen, _ = _pair(_options(sides, sizes, points, normals, obstacles, FARTHER_STEPS), sizes)
    return cost, chosen


def _options(sides: list[float], sizes: list[tuple[float, float]], points: np.ndarray, normals: np.ndarray,
             obstacles: "_Obstacles", steps: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each label, the cost, centre and curve parameter of every spot it may take (with
    ``steps`` > 0: also straight above or below, and up to that many steps further off)."""
    slide = SLIDE_COST * np.abs(SPOTS - 0.5) / STEP
    options = []
    for side, size in zip(sides, sizes, strict=True):
        modes = [(_beside(points, normals, size, side), 0.0, True), (points, STACKED_COST, False),
                 (_beside(points, normals, size, -side), OTHER_SIDE_COST, True)]
        for step in range(steps + 1) if steps else ():
            further = step * FARTHER
            modes += [(_straight(points, size, side, further), step * FARTHER_COST, True),
                      (_straight(points, size, -side, further), OTHER_SIDE_COST + step * FARTHER_COST, True)]
            if step:
                modes += [(_beside(points, normals, size, side, further), step * FARTHER_COST, True),
                          (_beside(points, normals, size, -side, further), OTHER_SIDE_COST + step * FARTHER_COST, True)]
        scored = obstacles.costs([(size, centres, is_beside) for centres, _, is_beside in modes])
        cost = np.concatenate([covered + mode_cost + slide + DISTANCE_COST * excess
                               for (_, mode_cost, _), (covered, excess) in zip(modes, scored, strict=True)])
        options.append((cost, np.concatenate([centres for centres, _, _ in modes]), np.tile(SPOTS, len(modes))))
    return options


def _pair(options: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
          sizes: list[tuple[float, float]]) -> tuple[float, list[QPointF], bool]:
    """The cheapest pair of spots of an edge's two labels (apart along the curve costs
    APART_COST, covering each other OWN_OVERLAP_COST, the value not above the gradient
    SWAPPED_COST), and whether they cover each other."""
    (cost_a, centres_a, t_a), (cost_b, centres_b, t_b) = options
    together = cost_a[:, None] + cost_b[None, :] + APART_COST * (np.abs(t_a[:, None] - t_b[None, :]) > 1e-9)
    covering = _overlap(_rects(centres_a, sizes[0]), _rects(centres_b, sizes[1]))
    together += OWN_OVERLAP_COST * (covering > 0) + LABEL_WEIGHT * covering
    together += SWAPPED_COST * (centres_a[:, None, 1] >= centres_b[None, :, 1])  # the value above the gradient
    i, j = np.unravel_index(int(np.argmin(together)), together.shape)
    return float(together[i, j]), [QPointF(*centres_a[i]), QPointF(*centres_b[j])], bool(covering[i, j] > 0)


def _rects(centres: np.ndarray, size: tuple[float, float]) -> np.ndarray:
    """Rectangles (left, top, right, bottom) of a label of ``size`` centred at each of ``centres``."""
    half = np.array([size[0] / 2, size[1] / 2])
    return np.concatenate([centres - half, centres + half], axis=1)


def _overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Areas (len(a) × len(b)) where the rectangles of ``a`` and ``b`` overlap."""
    if len(b) == 0:
        return np.zeros((len(a), 0))
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    return np.clip(w, 0.0, None) * np.clip(h, 0.0, None)


class _Obstacles:
    """What lies around an edge's spots (ports, nodes with their headers and value texts, other
    labels, other curves), read from the scene's index."""

    def __init__(self, edge: LabelledCurve, index: SceneIndex) -> None:
        self.edge = edge
        self.index = index

    def costs(self, parts: list[tuple[tuple[float, float], np.ndarray, bool]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each part (a label of ``size`` at each of ``centres``, beside its curve or not):
        what the label covers at each centre (its cost), and how much further from its curve it
        sits than SLACK allows (beside the curve only). The parts are scored together, so an
        edge's every spot costs one look at the index."""
        centres = np.concatenate([c for _, c, _ in parts])
        rects = np.concatenate([_rects(c, size) for size, c, _ in parts])
        counts = [len(c) for _, c, _ in parts]
        reach = np.repeat([size[1] / 2 + GAP + SLACK for size, _, _ in parts], counts)
        beside = np.repeat([is_beside for _, _, is_beside in parts], counts)
        n = len(centres)
        d_own = self.edge.distances_to(centres)
        covered = self.index.covered(rects, self.edge)

        def per_spot(kind: int, weight: float) -> np.ndarray:
            rows, area = covered[kind]
            return weight * np.bincount(rows, area, minlength=n)

        port_rows, port_area = covered[PORTS]
        total = np.where(np.bincount(port_rows, port_area > 0, minlength=n) > 0, PORT_COST, 0.0)
        total += per_spot(BODIES, BODY_WEIGHT) + per_spot(HEADERS, HEADER_WEIGHT) + per_spot(TEXTS, TEXT_WEIGHT)
        header_rows, header_area = covered[HEADERS]
        total += HEADER_COST * (np.bincount(header_rows, header_area > 0, minlength=n) > 0)
        label_rows, label_area = covered[LABELS]
        total += np.bincount(label_rows, LABEL_OVERLAP_COST * (label_area > 0) + LABEL_WEIGHT * label_area, minlength=n)
        # another curve at least as near as its own: the label could be read as that edge's
        total += AMBIGUOUS_COST * _owners_per_spot(*self.index.nearer(centres, d_own + AMBIGUITY_MARGIN, self.edge), n)
        total += CURVE_COST * _owners_per_spot(covered[SEGMENTS][0], covered[SEGMENTS][1].astype(np.int64), n)
        if beside.any():
            inside = self.edge.samples_inside(rects[beside] + np.array([2.0, 2.0, -2.0, -2.0]))
            total[beside] += OWN_CURVE_COST * inside
        excess = np.where(beside, np.clip(d_own - reach, 0.0, None), 0.0)
        bounds = np.cumsum(counts)[:-1]
        return list(zip(np.split(total, bounds), np.split(excess, bounds), strict=True))


def _owners_per_spot(rows: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    """For each of ``n`` spots, how many distinct owners the pairs (spot row, owner) name."""
    if len(rows) == 0:
        return np.zeros(n)
    width = int(owners.max()) + 1
    pairs = np.sort(rows * width + owners)
    first = np.ones(len(pairs), dtype=bool)  # each distinct pair once (np.unique would import numpy.ma)
    first[1:] = pairs[1:] != pairs[:-1]
    return np.bincount(pairs[first] // width, minlength=n).astype(float)
