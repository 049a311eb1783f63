"""Tick labels of a logarithmic axis written one way along the whole axis.

pyqtgraph writes each tick on its own (``%0.1g``): 0.0001 beside 10⁻⁵ on one axis. Here the
axis's range decides once: an axis that stays within 0.001 … 10,000 reads as plain decimals
(0.001, 0.01, 0.1, 1), any wider one as powers of ten (10⁻⁵, 10⁻⁴, 2×10⁻⁴, 10⁰).
"""
from __future__ import annotations

import math

import pyqtgraph as pg

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
DECIMAL_DECADES = (-3, 4)  # log10 of the ends an axis may reach and still read as decimals


def tick_text(x: float, powers: bool) -> str:
    """``x`` as "0.002" (decimals) or "2×10⁻³" (powers); "" for a value a log axis cannot hold."""
    if not math.isfinite(x) or x <= 0:
        return ""
    exponent = math.floor(math.log10(x) + 1e-9)
    mantissa = x / 10.0**exponent
    if not powers:
        return f"{x:.{max(0, 1 - exponent)}g}" if exponent < 0 else f"{x:.{exponent + 2}g}"
    power = "10" + str(exponent).translate(SUPERSCRIPT)
    return power if round(mantissa, 6) == 1 else f"{mantissa:.2g}×{power}"


def reads_as_powers(low: float, high: float) -> bool:
    """Whether an axis from 10**low to 10**high reads as powers of ten."""
    lo, hi = sorted((low, high))
    return math.floor(lo + 1e-9) < DECIMAL_DECADES[0] or math.ceil(hi - 1e-9) > DECIMAL_DECADES[1]


class DecadeAxis(pg.AxisItem):
    """An axis item whose log-mode ticks all read alike (its linear ticks are pyqtgraph's)."""

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        powers = reads_as_powers(*self.range)
        return [tick_text(10.0**v * scale, powers) for v in values]
