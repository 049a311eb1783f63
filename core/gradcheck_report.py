"""What a gradient check found: one entry per checked gradient, the report, and the relative error.

:class:`GradCheckEntry` is one gradient (of a parameter, a leaf or a node's output) with both
estimates and its verdict; :class:`GradCheckReport` gathers them with what the check covered.
:func:`relative_error` and :func:`measured_error` are the comparison :mod:`core.gradcheck` (and
:mod:`core.custom.check`) make; the check itself, which moves elements and recomputes the
objective, is in :mod:`core.gradcheck`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.gradcheck_bounds import scope_text

ERROR_FLOOR = 1e-12  # the smallest denominator of a relative error by default
TINY = float(np.finfo(np.float64).tiny)

PARAMETER, INPUT, CONSTANT, NODE = "parameter", "input", "constant", "node"


@dataclass(frozen=True)
class GradCheckEntry:
    """One checked gradient: of the objective with respect to a leaf's value or a node's output."""

    name: str
    kind: str  # parameter | input | constant | node
    error: float  # over the elements that could be measured; NaN when none could
    passed: bool  # no measured element disagrees (so also True when none could be measured)
    analytic: np.ndarray
    numeric: np.ndarray  # NaN where no step measured the derivative
    unchecked: int = 0  # elements checked whose derivative no step could measure
    sampled: np.ndarray | None = None  # flat indices of the elements checked (None: all of them)

    @property
    def checked(self) -> int:
        """How many elements were moved (all but the unsampled ones)."""
        return self.numeric.size if self.sampled is None else int(self.sampled.size)

    @property
    def checkable(self) -> bool:
        """Whether any element's derivative could be measured (or there are none)."""
        return self.numeric.size == 0 or self.unchecked < self.checked

    @property
    def verdict(self) -> str:
        """"PASS", "FAIL", or "not checkable here" when no element could be measured."""
        return "not checkable here" if not self.checkable else "PASS" if self.passed else "FAIL"

    @property
    def worst_index(self) -> tuple[int, ...]:
        """Index of the element where analytic and numerical gradients differ most."""
        if self.analytic.shape != self.numeric.shape or self.numeric.size == 0:
            return ()
        diff = np.nan_to_num(np.abs(self.analytic - self.numeric), nan=np.inf)
        if self.sampled is not None:  # elements never moved are NaN too: not candidates
            moved = np.zeros(diff.size, dtype=bool)
            moved[self.sampled] = True
            diff = np.where(moved.reshape(diff.shape), diff, -1.0)
        return tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape))


@dataclass(frozen=True)
class GradCheckReport:
    params: tuple[GradCheckEntry, ...]  # parameters, then the requested Input/Constant leaves
    nodes: tuple[GradCheckEntry, ...]  # computed nodes, in forward order
    threshold: float
    eps: float
    loss: float  # the objective at the unperturbed values
    rows: int = 1  # rows of the batch the check ran on
    batch_rows: int = 1  # rows of the batch of update 0

    @property
    def scope(self) -> str:
        """What the check covered when it was not everything ("checked on the first 256 of
        1,000,000 rows of the batch; sampled 8,192 of 32,000 elements of affine1"); else ""."""
        sampled = [(e.name, e.checked, e.numeric.size) for e in self.entries if e.sampled is not None]
        return scope_text(self.rows, self.batch_rows, sampled)

    @property
    def entries(self) -> tuple[GradCheckEntry, ...]:
        return self.params + self.nodes

    @property
    def passed(self) -> bool:
        return all(e.passed for e in self.entries)

    def failures(self) -> list[GradCheckEntry]:
        return [e for e in self.entries if not e.passed]

    def unchecked(self) -> list[GradCheckEntry]:
        """The entries none of whose elements could be measured ("not checkable here")."""
        return [e for e in self.entries if not e.checkable]

    def entry(self, name: str, kind: str | None = None) -> GradCheckEntry:
        for e in self.entries:
            if e.name == name and (kind is None or e.kind == kind):
                return e
        raise KeyError(name)


def relative_error(analytic: np.ndarray, numeric: np.ndarray, floor: float = ERROR_FLOOR) -> float:
    """``‖a − n‖ / max(‖a‖ + ‖n‖, floor)``; NaN when either holds NaN or Inf, Inf when the
    shapes differ (a backward that returned a gradient of the wrong shape)."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        return float("inf")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(n))):
        return float("nan")
    unit = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(n), initial=0.0)))
    if unit > 0.0:  # norms of values near 1e±300 would overflow or underflow: measure in units of the largest
        a, n, floor = a / unit, n / unit, floor / unit
    diff = float(np.linalg.norm((a - n).ravel()))
    scale = float(np.linalg.norm(a.ravel()) + np.linalg.norm(n.ravel()))
    return diff / max(scale, floor)

def measured_error(analytic: np.ndarray, numeric: np.ndarray, noise: np.ndarray,
                   threshold: float) -> tuple[float, int]:
    """The relative error over the elements whose derivative was measured (``numeric`` not
    NaN), its floor set by their round-off bounds ``noise``; and how many were not measured.
    NaN when none was (or the shapes differ and nothing was: Inf when they differ)."""
    measured = ~np.isnan(numeric)
    unchecked = int(numeric.size - np.count_nonzero(measured))
    if analytic.shape != numeric.shape:
        return relative_error(analytic, numeric), unchecked
    if unchecked == numeric.size and numeric.size:
        return float("nan"), unchecked
    bound = noise[measured]
    top = float(np.max(bound, initial=0.0))
    norm = top * float(np.linalg.norm(bound / top)) if top > 0.0 else 0.0  # no overflow at 1e300
    floor = max(TINY, norm / threshold)  # no absolute floor: gradients of 1e-300 are measured too
    return relative_error(analytic[measured], numeric[measured], floor), unchecked
