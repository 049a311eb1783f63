"""Where a plot's legend sits: in a corner of the data area where it hides no plotted point; when
every corner hides some, above the data area (the plot gives up that much height), or, when the
plot is too low for that, right of it (giving up that much width), unless the plot is too narrow
as well: then in the corner that hides the fewest points.

The choice is judged again only when what it depends on changed: the view's range or its size on
screen, the legend's size or visibility, which curves are shown, or their extent on screen by
``GRAIN`` px or more (a run's ticks mostly change none of these but the extent). When only the
curves changed and the legend's corner still hides no point, that corner alone is looked at and
the legend stays (a corner it would rather have is judged again when the view next changes).
Looking maps the corners into data coordinates once and compares them with the points as drawn
(downsampled and clipped: a bounded number); no point is transformed. The choice is applied only when it
differs from the one in place: an anchor or a reserved row moves the legend, relays the plot out
and repaints it, and a move of the legend by the placement itself sets off nothing.
"""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer

LEGEND_MARGIN = 10  # px between the legend and the data area's edges
ABOVE_FACTOR = 2.5  # the legend goes above the data only when the plot is this many legends high
TOP_ROW = 1  # the row of a PlotItem's layout above its data area (its hidden top axis)
RIGHT_COLUMN = 2  # the column of a PlotItem's layout right of its data area (its hidden right axis)
RIGHT_FACTOR = 2.5  # a plot too low for the legend above puts it right of the data when this many legends wide
CORNERS = ((1, 0), (0, 0), (1, 1), (0, 1))  # top right first (a falling loss is low there), then the others
GRAIN = 4  # px: the curves' extent on screen must move this much before the legend's place is judged again
CORNER, ABOVE, RIGHT = "corner", "above", "right"


class LegendPlacer:
    """Keeps ``legend`` placed in ``item``; ``judged`` and ``applied`` count the work (for tests)."""

    def __init__(self, item: pg.PlotItem, legend: pg.LegendItem) -> None:
        self.item = item
        self.legend = legend
        self.judged = 0  # placements worked out (the corners compared with the points)
        self.applied = 0  # placements put in effect (the legend anchored, rows or columns reserved)
        self._seen: object = None  # what the last judgement was made on: view, legend, reserved room
        self._extent: dict[int, tuple[float, ...]] = {}  # and where the curves were on screen
        self._placed: object = None  # the placement in effect, with the geometry it was applied for
        self._watched: weakref.WeakSet[Any] = weakref.WeakSet()  # the data items whose changes are followed
        self._timer = QTimer(legend)  # one look after a burst of changes (a run's ticks)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.place)
        view = item.getViewBox()
        view.sigRangeChanged.connect(self.request)
        view.sigResized.connect(self.request)
        legend.visibleChanged.connect(self.request)
        legend.geometryChanged.connect(self.request)  # an entry added or relabelled (its own moves are ignored)

    def request(self, *_args: object) -> None:
        """Look again on the event loop's next turn."""
        self._timer.start()

    def place(self) -> None:
        """Judge the placement if what it depends on changed, and apply it if it differs."""
        item, legend, view = self.item, self.legend, self.item.getViewBox()
        if view is None or not legend.isVisible() or legend.width() <= 0:
            return
        box = view.sceneBoundingRect()
        if box.width() <= 0 or box.height() <= 0:
            return
        view.updateMatrix()  # the view brings its transform up to date before it paints: now, for the judgement
        to_scene = view.childGroup.sceneTransform()
        self._follow()
        shown = shown_points(item)
        seen = (tuple(view.viewRange()[0]), tuple(view.viewRange()[1]), _rect_key(box),
                item.layout.rowMinimumHeight(TOP_ROW), item.layout.columnMinimumWidth(RIGHT_COLUMN),
                legend.width(), legend.height())
        extent = _extent(shown, to_scene)
        if seen == self._seen and not _moved(extent, self._extent):
            return
        if seen == self._seen and self._still_free(box, shown, to_scene):
            self._extent = extent  # only the curves grew, and the legend's corner still hides no point
            return
        self._seen, self._extent = seen, extent
        self.judged += 1
        placement = self._choose(box, shown, to_scene)
        placed: tuple[object, ...] = (placement, legend.width(), legend.height())
        if placement[0] != CORNER:  # anchored to the plot: where the data area is in it matters too
            placed += (_rect_key(view.geometry()), item.width())
        if placed != self._placed:
            self._placed = placed
            self.applied += 1
            self._apply(*placement)

    def _follow(self) -> None:
        """Look again whenever a data item of the plot gets new data (items added since are followed)."""
        for data in self.item.listDataItems():
            if data not in self._watched and hasattr(data, "sigPlotChanged"):
                self._watched.add(data)
                data.sigPlotChanged.connect(self.request)

    def _still_free(self, box: QRectF, shown: list[tuple[Any, np.ndarray, np.ndarray]], to_scene: Any) -> bool:
        """True when the legend sits in a corner and that corner still hides no point: new data then
        change nothing (a corner it would rather have is not judged again until the view changes)."""
        placed = self._placed
        if not isinstance(placed, tuple) or placed[0][0] != CORNER:
            return False
        rect = self._corner_rects(box)[CORNERS.index(placed[0][1])]
        return counts_under(shown, [rect], to_scene)[0] == 0

    def _corner_rects(self, box: QRectF) -> list[QRectF]:
        """The legend's room in each of CORNERS (scene px), judged on the whole area, whether or not
        the legend is above it now."""
        above = self.item.layout.rowMinimumHeight(TOP_ROW)  # taken from the data area when the legend is above it
        full = QRectF(box.left(), box.top() - above, box.width(), box.height() + above)
        w, h = self.legend.width() + LEGEND_MARGIN, self.legend.height() + LEGEND_MARGIN
        scale = box.height() / full.height()  # the whole area's heights as the data area draws them now
        rects = []
        for ax, ay in CORNERS:
            left = full.left() if ax == 0 else full.right() - w
            top = 0.0 if ay == 0 else full.height() - h
            rects.append(QRectF(left, box.top() + top * scale, w, h * scale))
        return rects

    def _choose(self, box: QRectF, shown: list[tuple[Any, np.ndarray, np.ndarray]],
                to_scene: Any) -> tuple[str, tuple[int, int]]:
        item, legend = self.item, self.legend
        above = item.layout.rowMinimumHeight(TOP_ROW)
        full_height = box.height() + above
        w, h = legend.width() + LEGEND_MARGIN, legend.height() + LEGEND_MARGIN
        counts = dict(zip(CORNERS, counts_under(shown, self._corner_rects(box), to_scene)))
        fewest = min(CORNERS, key=lambda corner: counts[corner])
        beside = item.layout.columnMinimumWidth(RIGHT_COLUMN)  # taken from the data area when the legend is right of it
        if counts[fewest] == 0 or (full_height < ABOVE_FACTOR * h and box.width() + beside < RIGHT_FACTOR * w):
            return CORNER, fewest  # a small plot keeps its area: the translucent box in the least covered corner
        return (ABOVE if full_height >= ABOVE_FACTOR * h else RIGHT), (1, 0)

    def _apply(self, mode: str, corner: tuple[int, int]) -> None:
        item, legend, view = self.item, self.legend, self.item.getViewBox()
        if mode == CORNER:
            ax, ay = corner
            item.layout.setRowMinimumHeight(TOP_ROW, 0)
            item.layout.setColumnMinimumWidth(RIGHT_COLUMN, 0)
            if legend.parentItem() is not view:
                legend.setParentItem(view)
            offset = (LEGEND_MARGIN if ax == 0 else -LEGEND_MARGIN, LEGEND_MARGIN if ay == 0 else -LEGEND_MARGIN)
            legend.anchor(itemPos=(ax, ay), parentPos=(ax, ay), offset=offset)
            return
        if legend.parentItem() is not item:  # the data area clips what it holds: the plot holds it now
            legend.setParentItem(item)
        area = view.geometry()  # in the plot's coordinates; placed again when the reserved room moves it
        if mode == ABOVE:
            item.layout.setColumnMinimumWidth(RIGHT_COLUMN, 0)
            item.layout.setRowMinimumHeight(TOP_ROW, legend.height() + 4)
            legend.anchor(itemPos=(1, 0), parentPos=(1, 0),
                          offset=(area.right() - item.width() - LEGEND_MARGIN, area.top() - legend.height() - 2))
            return
        item.layout.setRowMinimumHeight(TOP_ROW, 0)  # too low for it above: right of the data area
        item.layout.setColumnMinimumWidth(RIGHT_COLUMN, legend.width() + LEGEND_MARGIN)
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-2, area.top()))


def counts_under(shown: list[tuple[Any, np.ndarray, np.ndarray]], rects: list[QRectF], to_scene: Any) -> list[int]:
    """How many of the ``shown`` points (view coordinates) fall in each of ``rects`` (scene px):
    each rect is mapped into view coordinates once."""
    from_scene, _ok = to_scene.inverted()
    bounds = [from_scene.mapRect(rect) for rect in rects]
    counts = [0] * len(rects)
    for _data, x, y in shown:
        for i, b in enumerate(bounds):
            inside = (x >= b.left()) & (x <= b.right()) & (y >= b.top()) & (y <= b.bottom())
            counts[i] += int(np.count_nonzero(inside))
    return counts


def shown_points(item: pg.PlotItem) -> list[tuple[Any, np.ndarray, np.ndarray]]:
    """(data item, x, y) of each visible data item of ``item`` with points, as drawn (view
    coordinates: log axes applied, downsampled, clipped to the view)."""
    shown = []
    for data in item.listDataItems():
        x, y = data.getData() if data.isVisible() else (None, None)
        if x is not None and len(x):
            shown.append((data, np.asarray(x, dtype=float), np.asarray(y, dtype=float)))
    return shown


def points_under(item: pg.PlotItem, rect: QRectF) -> int:
    """How many of the plot's shown points fall in ``rect`` (scene px)."""
    view = item.getViewBox()
    view.updateMatrix()
    return counts_under(shown_points(item), [rect], view.childGroup.sceneTransform())[0]


def _rect_key(rect: QRectF) -> tuple[float, float, float, float]:
    return (rect.left(), rect.top(), rect.width(), rect.height())


def _extent(shown: list[tuple[Any, np.ndarray, np.ndarray]], to_scene: Any) -> dict[int, tuple[float, ...]]:
    """Each shown item's box of finite points on screen (left, top, right, bottom in scene px)."""
    boxes: dict[int, tuple[float, ...]] = {}
    for data, x, y in shown:
        finite = np.isfinite(x) & np.isfinite(y)
        if not finite.any():
            boxes[id(data)] = ()
            continue
        xs, ys = x[finite], y[finite]
        boxes[id(data)] = (*to_scene.map(float(xs.min()), float(ys.min())),
                           *to_scene.map(float(xs.max()), float(ys.max())))
    return boxes


def _moved(now: dict[int, tuple[float, ...]], before: dict[int, tuple[float, ...]]) -> bool:
    """Other curves shown, or one's box moved by ``GRAIN`` px or more since the last judgement (the
    points as drawn shift by a pixel or two as the downsampling regroups them: not enough)."""
    if now.keys() != before.keys():
        return True
    return any(len(now[k]) != len(before[k]) or any(abs(a - b) >= GRAIN for a, b in zip(now[k], before[k]))
               for k in now)
