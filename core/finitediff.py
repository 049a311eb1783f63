"""One derivative by finite differences, with a step chosen per entry.

The first step is ``h = eps · max(|x|, 1)`` (relative to the value above 1; below, an
absolute step keeps the round-off of a small weight's difference as small as a unit one's).
The central difference ``D(h)`` is kept when ``f`` is finite at ``x ± h`` and the slope barely
bends across the step: the one-sided slopes on either side of ``x`` differ by at most
:data:`BEND` of it (beyond the round-off). Its error, about ``f'''(x)·h²/6``, is then far below
any threshold a check uses, whatever the magnitude of ``x`` (``exp`` at 1e-300 takes it).

Otherwise the step is first cut to at most ``|x| / 2``, so ``x ± h`` keeps the sign of ``x`` at
every magnitude down to 1e-300 (a domain that ends at 0, as ``ln x``'s does, is not crossed,
and the step is relative to ``x`` below 1 too). Where the slope bends (near a singularity, such
as ``ln x`` at ``x = 1e-4`` or ``1e-300``, or ``1/x`` at ``1e-8``), ``D(h)`` and
``D(h/2)`` are combined by Richardson extrapolation, ``(4·D(h/2) − D(h)) / 3``, which cancels
the ``h²`` term of their error; ``|D(h/2) − D(h)| / 3`` estimates what that term was, and while
it exceeds the round-off the step shrinks tenfold, up to :data:`TRIES` steps, keeping the one
with the smallest estimated error. The round-off bound of the estimate is returned with it
(``10 · ε_mach · max(|L|, 1) / h`` for a central difference, three times that extrapolated), so
a check can tell round-off from a wrong gradient.

Where ``f`` is not finite on both sides of ``x`` for any of those steps (``x`` is the largest
float, so ``x + h`` overflows; or the domain ends right beside ``x``), one-sided differences on
the side where ``f`` is finite are used, extrapolated the same way for their first-order error
(``2·D(h/2) − D(h)``). When no step gives finite values, or ``f(x)`` itself is not finite, the
derivative is NaN: the entry cannot be checked here (not a wrong gradient).
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

NOISE_FACTOR = 10.0  # safety factor over the measured round-off of a central difference
RICHARDSON_NOISE = 3.0  # (4·D(h/2) − D(h))/3 carries about 3 times the round-off of D(h)
BEND = 1e-4  # the slope's relative change across a step beyond which D(h) is refined
TRIES = 4  # steps tried when refining: h, h/10, h/100, h/1000
SHRINK = 10.0
CENTRAL, FORWARD, BACKWARD = (1.0, -1.0), (1.0, 0.0), (0.0, -1.0)  # the two points, in steps from x

Function = Callable[[float], float]


def round_off(scale: float, step: float) -> float:
    """The rounding error of a central difference with step ``step`` of a loss whose rounding is
    relative to ``scale`` (:func:`loss_scale`)."""
    return NOISE_FACTOR * float(np.finfo(np.float64).eps) * scale / step


def loss_scale(loss: float) -> float:
    """``max(|loss|, 1)``: the magnitude a graph's loss rounds relative to (a sum of terms of
    about 1 may cancel to a small loss but keeps their rounding)."""
    return max(abs(loss), 1.0) if math.isfinite(loss) else 1.0


def first_step(x: float, eps: float) -> float:
    """``eps · max(|x|, 1)``: relative to the value above 1, absolute below."""
    return eps * max(abs(x), 1.0)


def same_sign_step(x: float, step: float) -> float:
    """``step``, at most ``|x| / 2`` so that ``x ± step`` keeps the sign of ``x``."""
    return min(step, abs(x) / 2.0) if x != 0.0 else step


def derivative(f: Function, x: float, eps: float, loss: float,
               scale: float | None = None) -> tuple[float, float]:
    """``f'(x)`` and the round-off bound of that estimate (``loss`` is ``f(x)``, ``scale`` the
    magnitude its rounding is relative to, :func:`loss_scale` by default); both NaN when no
    step gives finite values of ``f`` (the derivative cannot be checked here)."""
    scale = loss_scale(loss) if scale is None else scale
    if not (math.isfinite(loss) and math.isfinite(x)):
        return math.nan, math.nan
    step = first_step(x, eps)
    plus, minus = f(x + step), f(x - step)
    if math.isfinite(plus) and math.isfinite(minus):
        central = (plus - minus) / _span(x, step, CENTRAL)
        noise = round_off(scale, step)
        bend = abs((plus - loss) - (loss - minus)) / step  # one-sided slopes' difference, about f''·h
        if math.isfinite(central) and bend <= BEND * abs(central) + 2.0 * noise:
            return central, noise
    step = same_sign_step(x, step)
    for scheme in (CENTRAL, BACKWARD, FORWARD) if math.isfinite(x + step) else (BACKWARD, FORWARD):
        found = _extrapolated(f, x, step, loss, scale, scheme)
        if math.isfinite(found[0]):
            return found
    return math.nan, math.nan


def _span(x: float, step: float, scheme: tuple[float, float]) -> float:
    """The distance between the two points actually used (as rounded), not the ideal one."""
    return (x + scheme[0] * step) - (x + scheme[1] * step)


def _difference(f: Function, x: float, step: float, loss: float, scheme: tuple[float, float]) -> float:
    """``D(step)`` of ``scheme``; NaN or Inf when ``f`` is not finite at one of its points."""
    a, b = (x + w * step for w in scheme)
    fa = loss if scheme[0] == 0.0 else f(a)
    fb = loss if scheme[1] == 0.0 else f(b)
    return (fa - fb) / (a - b)


def _extrapolated(f: Function, x: float, step: float, loss: float, scale: float,
                  scheme: tuple[float, float]) -> tuple[float, float]:
    """Richardson extrapolation of ``scheme`` from ``step`` down: the estimate with the smallest
    estimated error, and its round-off bound (NaN, NaN when no step gave finite values)."""
    gain = 4.0 if scheme == CENTRAL else 2.0  # the error is O(h²) centred, O(h) one-sided
    spread = scheme[0] - scheme[1]  # 2 steps centred, 1 one-sided: its round-off scales by 2/spread
    best = (math.nan, math.nan, math.inf)
    for _ in range(TRIES):
        wide = _difference(f, x, step, loss, scheme)
        narrow = _difference(f, x, step / 2.0, loss, scheme)
        value = (gain * narrow - wide) / (gain - 1.0)
        curvature = abs(narrow - wide) / (gain - 1.0)
        noise = RICHARDSON_NOISE * round_off(scale, step * spread / 2.0)
        if math.isfinite(value) and math.isfinite(curvature) and curvature + noise < best[2]:
            best = (value, noise, curvature + noise)
            if curvature <= noise:
                break
        step /= SHRINK
    return best[0], best[1]
