"""Tick labels of a logarithmic axis: written one way along the whole axis, and never on top of
each other.

pyqtgraph writes each tick on its own (``%0.1g``): 0.0001 beside 10⁻⁵ on one axis. Here the
axis's range decides once: an axis that stays within 0.001 … 10,000 reads as plain decimals
(0.001, 0.01, 0.1, 1), any wider one as powers of ten (10⁻⁵, 10⁻⁴, 2×10⁻⁴, 10⁰).

pyqtgraph also labels every minor tick of a log axis (1 … 9 times each power of ten) whenever
the axis has few decades: on a small plot "0.9 0.8 0.7 …" were drawn over each other. Here the
ticks come in levels, decades first, then 2 and 5 times a decade, then the others; an axis
narrower than a decade gets the ticks a linear axis would have over its values (0.94, 0.96, 0.98),
since a multiple of a decade may fall nowhere in it. Of the labels pyqtgraph lays out, a label
that would touch one of a higher level (or an earlier one of its own) is left out.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
DECIMAL_DECADES = (-3, 4)  # log10 of the ends an axis may reach and still read as decimals
LABEL_GAP = 2.0  # px: the least room between two tick labels
MINOR_LEVELS = ((2, 5), (3, 4, 6, 7, 8, 9))  # multiples of a decade, in the order they get labels


class ValueStep(float):
    """A tick level's step in values (the ticks of an axis narrower than a decade), not in decades."""


def tick_text(x: float, powers: bool, digits: int = 1) -> str:
    """``x`` to ``digits`` significant digits as "0.002" (decimals) or "2×10⁻³" (powers); "" for a
    value a log axis cannot hold."""
    if not math.isfinite(x) or x <= 0:
        return ""
    exponent = math.floor(math.log10(x) + 1e-9)
    mantissa = x / 10.0**exponent
    if not powers:
        return f"{x:.{max(0, digits - 1 - exponent)}f}"
    power = "10" + str(exponent).translate(SUPERSCRIPT)
    if round(mantissa, digits - 1) == 1:
        return power
    return f"{mantissa:.{digits - 1}f}×{power}"


def digits_for(x: float, step: float) -> int:
    """The significant digits that tell ``x`` from its neighbours ``step`` away."""
    if not (math.isfinite(x) and x > 0 and math.isfinite(step) and step > 0):
        return 1
    return max(1, math.floor(math.log10(x) + 1e-9) - math.floor(math.log10(step) + 1e-9) + 1)


def reads_as_powers(low: float, high: float) -> bool:
    """Whether an axis from 10**low to 10**high reads as powers of ten."""
    lo, hi = sorted((low, high))
    return math.floor(lo + 1e-9) < DECIMAL_DECADES[0] or math.ceil(hi - 1e-9) > DECIMAL_DECADES[1]


def decade_levels(low: float, high: float,
                  whole: list[tuple[float, list[float]]]) -> list[tuple[object, list[float]]]:
    """Tick levels of a log axis from 10**low to 10**high spanning a decade or more: the levels of
    whole decades given (pyqtgraph's, every 1, 2, 5 … decades; the decades in range when none),
    then 2 and 5 times each decade, then 3, 4, 6, 7, 8 and 9 times."""
    levels: list[tuple[object, list[float]]] = [(s, v) for s, v in whole if s >= 1.0]
    if not levels:
        levels = [(1.0, [float(d) for d in range(math.ceil(low), math.floor(high) + 1)])]
    if len(levels) >= 3:
        return levels
    decades = range(math.floor(low), math.ceil(high))
    for multiples in MINOR_LEVELS:
        values = [d + math.log10(m) for d in decades for m in multiples]
        levels.append((None, [v for v in values if low < v < high]))
    return levels


def value_levels(axis: pg.AxisItem, low: float, high: float, size: float) -> list[tuple[object, list[float]]]:
    """Tick levels of a log axis narrower than a decade: a linear axis's ticks over its values
    (10**low … 10**high), as their log10, each level's step a :class:`ValueStep`."""
    lo, hi = 10.0**low, 10.0**high
    levels: list[tuple[object, list[float]]] = []
    taken = np.array([])
    for spacing, offset in pg.AxisItem.tickSpacing(axis, lo, hi, size)[:2]:
        start = math.ceil((lo - offset) / spacing) * spacing + offset
        values = start + spacing * np.arange(int((hi - start) / spacing) + 1)
        values = values[values > 0]
        new = values[~np.isclose(values[:, None], taken, rtol=0, atol=spacing * 0.01).any(axis=1)]
        taken = np.concatenate([taken, new])
        levels.append((ValueStep(spacing), np.log10(new).tolist()))
    return levels


def apart(rects: list[QRectF], gap: float = LABEL_GAP) -> list[int]:
    """The indexes of the rects kept when each, in order, is kept only if it is at least ``gap``
    away from every rect kept before it."""
    kept: list[int] = []
    for i, rect in enumerate(rects):
        grown = rect.adjusted(-gap, -gap, gap, gap)
        if not any(grown.intersects(rects[k]) for k in kept):
            kept.append(i)
    return kept


def label_rect(spec_rect: QRectF, text: str, metrics: QFontMetricsF) -> QRectF:
    """Where ``text`` is drawn, centred on pyqtgraph's rect for it, as large as the font draws it
    (pyqtgraph's rects are 0.8 of the text's height)."""
    width, height = metrics.horizontalAdvance(text), metrics.height()
    centre = spec_rect.center()
    return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)


class DecadeAxis(pg.AxisItem):
    """An axis item whose log-mode ticks all read alike and whose labels never overlap (its linear
    ticks are pyqtgraph's)."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802 - pyqtgraph's name
        if not (math.isfinite(minVal) and math.isfinite(maxVal)) or maxVal <= minVal:
            return []
        if maxVal - minVal < 1.0:
            return value_levels(self, minVal, maxVal, size)
        return decade_levels(minVal, maxVal, stdTicks)

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        powers = reads_as_powers(*self.range)
        xs = [10.0**v * scale for v in values]
        if isinstance(spacing, ValueStep):
            return [tick_text(x, powers, digits_for(x, spacing * scale)) for x in xs]
        return [tick_text(x, powers) for x in xs]

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph's name
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        metrics = QFontMetricsF(p.font())
        rects = [label_rect(rect, text, metrics) for rect, _flags, text in text_specs]
        return axis_spec, tick_specs, [text_specs[i] for i in apart(rects)]
