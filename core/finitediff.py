"""One derivative by finite differences, with a step chosen per entry.

The step starts at ``eps · max(|x|, 1)`` (scaled to the value, so a large entry is moved by a
relative amount and a small one by ``eps``). Two central differences, ``D(h)`` and ``D(h/2)``,
are combined by Richardson extrapolation, ``(4·D(h/2) − D(h)) / 3``, which cancels the ``h²``
term of their error. ``|D(h/2) − D(h)| / 3`` estimates what that term was: where it is larger
than the round-off (near a singularity, such as ``ln x`` at ``x = 1e-4``), the step shrinks
tenfold and the estimate is made again, up to :data:`TRIES` times, keeping the step with the
smallest estimated error. The round-off of the estimate, ``3 · 10 · ε_mach · max(|L|, 1) / h``,
is returned with it, so a check can tell round-off from a wrong gradient.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

NOISE_FACTOR = 10.0  # safety factor over the measured round-off of a central difference
RICHARDSON_NOISE = 3.0  # (4·D(h/2) − D(h))/3 carries about 3 times the round-off of D(h)
TRIES = 4  # steps tried: h, h/10, h/100, h/1000
SHRINK = 10.0


def round_off(loss: float, step: float) -> float:
    """The rounding error of an extrapolated derivative of a loss near ``loss`` with step ``step``."""
    scale = max(abs(loss), 1.0) if math.isfinite(loss) else 1.0
    return RICHARDSON_NOISE * NOISE_FACTOR * float(np.finfo(np.float64).eps) * scale / step


def derivative(f: Callable[[float], float], x: float, eps: float, loss: float) -> tuple[float, float]:
    """``f'(x)`` and the round-off bound of that estimate (``loss`` is ``f(x)``)."""
    step = eps * max(abs(x), 1.0)
    best = (math.nan, round_off(loss, step), math.inf)
    for _ in range(TRIES):
        wide = (f(x + step) - f(x - step)) / (2.0 * step)
        narrow = (f(x + step / 2.0) - f(x - step / 2.0)) / step
        value = (4.0 * narrow - wide) / 3.0
        curvature = abs(narrow - wide) / 3.0
        noise = round_off(loss, step)
        total = curvature + noise if math.isfinite(value) and math.isfinite(curvature) else math.inf
        if total < best[2] or not math.isfinite(best[0]):
            best = (value, noise, total)
        if curvature <= noise:
            break
        step /= SHRINK
    return best[0], best[1]
