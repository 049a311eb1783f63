"""What the loss plot's legend lists, and a legend kept equal to that list by editing it in place
(a rebuild costs milliseconds per entry).

The legend stays small whatever the session holds: the runs of the document shown come first,
newest first, then other documents' runs (their text as faint as their curves); at most
``MAX_RUNS`` runs and never more rows than the plot's height holds, the runs left out counted on
one last line ("+3 earlier runs"). The newest run is listed as long as one row fits. A label that
would make the legend wider than ``COMPACT_SHARE`` of the plot is cut short ("Run 6: S…(xor.json)"),
or when too little of it would stay, the run is named by its number alone (the run list beside
the plot has the full labels).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

from app.training.legend_place import LEGEND_MARGIN, RIGHT_COLUMN, TOP_ROW

MAX_RUNS = 5  # runs listed at most
COMPACT_SHARE = 2 / 3  # of the plot's width: the most a legend takes (longer labels are cut short)
FAINT_TEXT = "#9a9a9a"  # the labels of another document's runs
SAMPLE_HEIGHT = 20.0  # px: pyqtgraph's sample of a curve (as wide as high)
LABEL_PADDING = 16.0  # px: the spacing beside a label and its text item's margins


@dataclass(frozen=True)
class Row:
    """One line of the legend: a curve and its label, or a line of text alone (``item`` None)."""

    item: object | None
    text: str
    own: bool = True  # a curve of the document shown (else its label is faint)


def runs_text(own: int, other: int, compact: bool) -> str:
    """The last line, for runs left out: "+3 earlier runs", "+2 runs of other files", "+5 more"."""
    if compact:
        return f"+{own + other} more"
    parts = []
    if own:
        parts.append(f"+{own} earlier run" + ("s" if own > 1 else ""))
    if other:
        parts.append(f"{other} of other files" if own else f"+{other} run{'s' if other > 1 else ''} of other files")
    return ", ".join(parts)


def pick_rows(groups: list[list[Row]], room: int, fit: Callable[[str, str], str] = lambda text, _short: text,
              max_runs: int = MAX_RUNS) -> list[Row]:
    """The rows to list: ``groups`` holds each visible run's rows (its curve first, then its held-out
    curve), in the order to list them; at most ``room`` rows and ``max_runs`` runs, the runs left
    out counted on a last line (``fit`` chooses its text or a shorter one). The first run keeps its
    curve's row while one row fits."""
    rows: list[Row] = []
    listed = 0
    for i, group in enumerate(groups):
        more = 1 if i + 1 < len(groups) else 0  # a last line for the runs after this one
        if listed == max_runs or len(rows) + len(group) + more > room:
            if listed == 0 and room >= 1:
                rows.append(group[0])
                listed = 1
            break
        rows += group
        listed += 1
    left = groups[listed:]
    if left and len(rows) < room:
        own = sum(1 for g in left if g[0].own)
        other = len(left) - own
        rows.append(Row(None, fit(runs_text(own, other, False), runs_text(own, other, True))))
    return rows


class TextSample(ItemSample):
    """The sample of a line of text alone: draws nothing, and a click hides nothing."""

    def __init__(self) -> None:
        super().__init__(None)
        self.item = self  # the legend finds a label by its sample's item

    def paint(self, p, *args) -> None:
        pass

    def mouseClickEvent(self, event) -> None:  # noqa: N802 - Qt's name
        event.ignore()


class LegendRows:
    """Keeps a LegendItem equal to a list of :class:`Row`, appending and relabelling in place."""

    def __init__(self, legend: pg.LegendItem) -> None:
        self.legend = legend
        self._shown: list[Row] = []
        self._samples: list[object] = []  # the legend's item of each row shown
        self._probe = pg.LabelItem("", size=legend.opts["labelTextSize"])  # measures texts as the legend draws them

    def room(self, width: float, height: float, texts: list[str]) -> tuple[int, float]:
        """For a legend of ``texts`` in an area of ``width`` × ``height`` px: how many rows fit, and
        how wide a label may be (the legend takes at most COMPACT_SHARE of the width)."""
        left, top, right, bottom = self.legend.layout.getContentsMargins()
        self._probe.setText(max(texts, key=len) if texts else "Run 1")
        row = max(SAMPLE_HEIGHT, self._probe.itemRect().height())
        rows = max(0, math.floor((height - top - bottom) / row))
        return rows, COMPACT_SHARE * width - (left + right + SAMPLE_HEIGHT + LABEL_PADDING)

    def rows_for(self, runs: list[Any], owns: Callable[[Any], bool],
                 entries: Callable[[Any], list[tuple[object, str, str]]], width: float, height: float) -> list[Row]:
        """The rows listing the visible ``runs`` in a legend area of ``width`` × ``height`` px: this
        document's runs (``owns``) newest first, then the others newest first; each run's
        ``entries`` are (curve, label, short label), the first one its main curve."""
        ordered = sorted((r for r in runs if r.visible), key=lambda r: r.number, reverse=True)
        ordered.sort(key=lambda r: not owns(r))  # stable: each part stays newest first
        listed = [(run, entries(run)) for run in ordered]
        room, text_width = self.room(width, height, [text for _, rows in listed for _, text, _ in rows])
        groups = [[Row(item, self.fit(text, short, text_width, elide=True), owns(run)) for item, text, short in rows]
                  for run, rows in listed]
        return pick_rows(groups, room, lambda text, short: self.fit(text, short, text_width))

    def fit(self, text: str, short: str, width: float, elide: bool = False) -> str:
        """``text`` if it is at most ``width`` px wide, else cut short in the middle with "…" (``elide``:
        its run number and its end, the file or the curve's kind, stay) while more than ``short`` and
        a few letters stay, else ``short``."""
        metrics = QFontMetricsF(self._font())
        if metrics.horizontalAdvance(text) <= width:
            return text
        cut = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width) if elide else ""
        return cut if len(cut) > len(short) + 4 else short

    def _font(self) -> QFont:
        """The font the legend's labels are drawn in (their size is set in their HTML)."""
        font = QFont(self._probe.item.font())
        size = str(self.legend.opts["labelTextSize"])
        if size.endswith("pt"):
            font.setPointSizeF(float(size[:-2]))
        return font

    def show(self, wanted: list[Row]) -> None:
        legend = self.legend
        kept = 0
        while kept < min(len(wanted), len(self._shown)) and _same_curve(wanted[kept], self._shown[kept]):
            kept += 1
        for sample in self._samples[kept:]:  # the rows after the first that changed its curve
            legend.removeItem(sample)
        self._shown, self._samples = self._shown[:kept], self._samples[:kept]
        for row, old, sample in zip(wanted, self._shown, self._samples):
            if (row.text, row.own) != (old.text, old.own):
                legend.getLabel(sample).setText(row.text, color=self._colour(row))
        for row in wanted[kept:]:
            sample = row.item if row.item is not None else TextSample()
            legend.addItem(sample, row.text)
            if not row.own:
                legend.getLabel(sample).setText(row.text, color=FAINT_TEXT)
            self._samples.append(sample)
        self._shown = list(wanted)
        legend.setVisible(bool(wanted))  # an empty legend is an empty box

    def labels(self) -> list[str]:
        return [label.text for _, label in self.legend.items]

    def _colour(self, row: Row) -> object:
        return self.legend.opts["labelTextColor"] if row.own else FAINT_TEXT


def legend_area(item: pg.PlotItem) -> tuple[float, float]:
    """The room (px) a legend has in ``item``: its data area with what the legend took above or
    beside it, less the legend's margins."""
    area = item.getViewBox().geometry()
    height = area.height() + item.layout.rowMinimumHeight(TOP_ROW) - 2 * LEGEND_MARGIN
    return area.width() + item.layout.columnMinimumWidth(RIGHT_COLUMN), height


def _same_curve(a: Row, b: Row) -> bool:
    """The same legend item serves both rows (a line of text serves any line of text)."""
    return a.item is b.item
