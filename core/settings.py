"""Training settings: saved in the file, used by the trainer and by the stepper's update."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from core.format import brief

OPTIMIZERS = ("sgd", "momentum", "adam")
MAX_STEPS = 10_000_000  # one run's loss history stays below ~100 MB
# The window edits these in 32-bit spin boxes; a file may not ask for more than they hold.
MAX_BATCH_SIZE = 10_000_000  # ten times the largest dataset a file may generate
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class TrainingSettings:
    optimizer: str = "sgd"
    learning_rate: float = 0.1
    steps: int = 1000
    batch_size: int = 0  # 0: the whole dataset every update
    seed: int = 0
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    keep_gradients: bool = False  # skip the "clear gradients" step: parameter gradients add up over updates

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        out = []
        if self.optimizer not in OPTIMIZERS:
            out.append(f"optimizer must be one of {', '.join(OPTIMIZERS)}, not {brief(self.optimizer)}")
        if not self.learning_rate > 0:
            out.append(f"learning_rate must be positive, not {self.learning_rate!r}")
        elif self.learning_rate == float("inf"):
            out.append("learning_rate must be finite, not inf")
        if not 0 <= self.steps <= MAX_STEPS:
            out.append(f"steps must be from 0 to {MAX_STEPS:,}, not {brief(self.steps)}")
        if self.batch_size < 0:
            out.append(f"batch_size must be 0 (full batch) or more, not {brief(self.batch_size)}")
        elif self.batch_size > MAX_BATCH_SIZE:
            out.append(f"batch_size must be at most {MAX_BATCH_SIZE:,}, not {brief(self.batch_size)}")
        if self.seed < 0:
            out.append(f"seed must be 0 or more, not {brief(self.seed)}")
        elif self.seed > MAX_SEED:
            out.append(f"seed must be at most {MAX_SEED:,}, not {brief(self.seed)}")
        if not 0 <= self.momentum < 1:
            out.append(f"momentum must be in [0, 1), not {self.momentum!r}")
        if not (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1):
            out.append("beta1 and beta2 must be in [0, 1)")
        if not self.eps > 0:
            out.append(f"eps must be positive, not {self.eps!r}")
        return out

    def to_dict(self) -> dict[str, Any]:
        """Every setting; ``keep_gradients`` only when on (files without it mean off)."""
        out = asdict(self)
        if not self.keep_gradients:
            del out["keep_gradients"]
        return out

    def with_changes(self, **changes: Any) -> "TrainingSettings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @staticmethod
    def field_types() -> dict[str, type]:
        kinds = {"str": str, "float": float, "int": int, "bool": bool}
        return {f.name: kinds[str(f.type)] for f in fields(TrainingSettings)}
