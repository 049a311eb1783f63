"""One derivative by finite differences, with a step chosen per entry.

The step starts at ``eps · max(|x|, 1)`` (scaled to the value, so a large entry is moved by a
relative amount and a small one by ``eps``). The central difference ``D(h)`` is kept when the
slope barely bends across the step: the one-sided slopes on either side of ``x`` differ by at
most :data:`BEND` of it (beyond the round-off). Its error, about ``f'''·h²/6``, is then far below
any threshold a check uses.

Where the slope bends more (near a singularity, such as ``ln x`` at ``x = 1e-4``), ``D(h)`` and
``D(h/2)`` are combined by Richardson extrapolation, ``(4·D(h/2) − D(h)) / 3``, which cancels
the ``h²`` term of their error; ``|D(h/2) − D(h)| / 3`` estimates what that term was, and while
it exceeds the round-off the step shrinks tenfold, up to :data:`TRIES` steps, keeping the one
with the smallest estimated error. The round-off bound of the estimate is returned with it
(``10 · ε_mach · max(|L|, 1) / h`` for a central difference, three times that extrapolated), so
a check can tell round-off from a wrong gradient.
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


def round_off(loss: float, step: float) -> float:
    """The rounding error of a central difference of a loss near ``loss`` with step ``step``."""
    scale = max(abs(loss), 1.0) if math.isfinite(loss) else 1.0
    return NOISE_FACTOR * float(np.finfo(np.float64).eps) * scale / step


def derivative(f: Callable[[float], float], x: float, eps: float, loss: float) -> tuple[float, float]:
    """``f'(x)`` and the round-off bound of that estimate (``loss`` is ``f(x)``)."""
    step = eps * max(abs(x), 1.0)
    plus, minus = f(x + step), f(x - step)
    central = (plus - minus) / (2.0 * step)
    noise = round_off(loss, step)
    bend = abs((plus - loss) - (loss - minus)) / step  # one-sided slopes' difference, about f''·h
    if math.isfinite(central) and bend <= BEND * abs(central) + 2.0 * noise:
        return central, noise
    return _extrapolated(f, x, step, loss, central)


def _extrapolated(f: Callable[[float], float], x: float, step: float, loss: float,
                  wide: float) -> tuple[float, float]:
    """Richardson extrapolation from ``step`` down (``wide`` is ``D(step)``, known already)."""
    best = (math.nan, RICHARDSON_NOISE * round_off(loss, step), math.inf)
    for _ in range(TRIES):
        narrow = (f(x + step / 2.0) - f(x - step / 2.0)) / step
        value = (4.0 * narrow - wide) / 3.0
        curvature = abs(narrow - wide) / 3.0
        noise = RICHARDSON_NOISE * round_off(loss, step)
        total = curvature + noise if math.isfinite(value) and math.isfinite(curvature) else math.inf
        if total < best[2] or not math.isfinite(best[0]):
            best = (value, noise, total)
        if curvature <= noise:
            break
        step /= SHRINK
        wide = (f(x + step) - f(x - step)) / (2.0 * step)
    return best[0], best[1]
