"""Why a forward step made NaN or Inf, in the same words for the Stepper and the Trainer: the
inputs that already held NaN or Inf (``its input y (affine2) holds NaN or Inf``), or else the
range of every input (``from finite inputs: x (xw) ranges -3e6 … -3e6``)."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from core.format import format_range


def why_nonfinite(ports: Sequence[str], srcs: Sequence[str], values: Mapping[str, np.ndarray]) -> str:
    """The reason a node fed by ``srcs`` (through ``ports``, in order) made NaN or Inf."""
    bad = [f"{p} ({s})" for p, s in zip(ports, srcs) if not np.all(np.isfinite(values[s]))]
    if bad:
        return f"its input {', '.join(bad)} holds NaN or Inf"
    return "from finite inputs: " + "; ".join(f"{p} ({s}) ranges {format_range(values[s], 3)}"
                                              for p, s in zip(ports, srcs))
