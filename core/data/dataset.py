"""Datasets (named fields of equal row count), their generators, and seeded mini-batches."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from core.data.csvfile import ColumnMapping
from core.data.split import split_indices

if TYPE_CHECKING:
    from core.settings import TrainingSettings


def _xor(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The four XOR corners (repeated to n rows); t is one-hot over two classes."""
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    reps = max(1, -(-n // 4))
    x = np.tile(corners, (reps, 1))[:n]
    y = np.tile(labels, reps)[:n]
    return {"x": x, "t": np.eye(2)[y]}


def _spirals(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Two interleaved spirals, n points in all (the first class gets the odd one), with a
    little noise; t is one-hot.

    Written into the noise array in place (no stacked, concatenated or fancy-indexed copies): a
    million rows take tens of milliseconds. The rows are the same bits as the noise added to the
    stacked points and doubled (``noise - a`` is ``noise + (-a)`` exactly; doubling is exact)."""
    first, second = n - n // 2, n // 2
    theta = np.sqrt(rng.uniform(0.0, 1.0, first)) * 3.0 * np.pi
    r = theta / (3.0 * np.pi)
    x = rng.normal(0.0, 0.02, (n, 2))
    along = np.cos(theta)
    along *= r
    x[:first, 0] += along
    x[first:, 0] -= along[:second]
    np.sin(theta, out=along)
    along *= r
    x[:first, 1] += along
    x[first:, 1] -= along[:second]
    x *= 2.0
    t = np.zeros((n, 2))
    t[:first, 0] = 1.0
    t[first:, 1] = 1.0
    return {"x": x, "t": t}


def _sine(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """y = sin(x) on [−π, π], evenly spaced, as column vectors."""
    x = np.linspace(-np.pi, np.pi, n).reshape(-1, 1)
    return {"x": x, "t": np.sin(x)}


GENERATORS: dict[str, Callable[[int, np.random.Generator], dict[str, np.ndarray]]] = {
    "xor": _xor,
    "spirals": _spirals,
    "sine": _sine,
}


def missing_file_text(path: Path) -> str:
    """The one wording of a data file that is not where a graph says."""
    return f"the data file {path.name} is missing (looked for {path})"


@dataclass(frozen=True)
class CsvSource:
    """Where a dataset's rows come from: a CSV file (an absolute path) and its column mapping."""

    path: Path
    mapping: ColumnMapping


@dataclass
class Dataset:
    """Fields of equal row count; ``generator`` or ``source`` records how they were made, if they
    were. ``test_fraction`` of the rows (chosen with ``split_seed``) are held out of training.
    ``edited_from`` is the CSV file rows were read from before someone edited them: only its
    column names and its name are shown (the rows are the graph's own and never read again).
    ``missing``: the CSV file ``source`` names was not there when the graph was read; the dataset
    has no rows, keeps the reference (saving writes it as it was) and waits to be pointed at the
    file (:meth:`unread` makes one, :meth:`missing_text` says what is wrong)."""

    fields: dict[str, np.ndarray]
    generator: str | None = None
    seed: int = 0
    size: int = 0
    source: CsvSource | None = None
    test_fraction: float = 0.0
    split_seed: int = 0
    edited_from: CsvSource | None = None
    missing: bool = False
    _split: tuple[dict[str, np.ndarray], dict[str, np.ndarray]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.fields = {k: np.asarray(v, dtype=float) for k, v in self.fields.items()}
        for name, arr in self.fields.items():
            if arr.ndim == 0:
                raise ValueError(f"dataset field {name!r} must have rows, not a single number")
        rows = {name: arr.shape[0] for name, arr in self.fields.items()}
        if len(set(rows.values())) > 1:
            detail = ", ".join(f"{k}: {v}" for k, v in rows.items())
            raise ValueError(f"dataset fields have different numbers of rows ({detail})")
        if self.missing and (self.fields or self.source is None):
            raise ValueError("a dataset whose data file is missing has no rows, only the file's reference")
        if not self.size:
            self.size = self.rows
        if not 0.0 <= self.test_fraction < 1.0:
            raise ValueError(
                f"the held-out fraction must be from 0 up to (not including) 1, not {self.test_fraction:g}")
        if self.test_fraction and not self.missing and self.rows - round(self.rows * self.test_fraction) < 1:
            raise ValueError(f"holding out {self.test_fraction:g} of {self.rows} rows leaves none to train on")

    @classmethod
    def unread(cls, source: CsvSource, test_fraction: float = 0.0, split_seed: int = 0) -> "Dataset":
        """The dataset of a CSV file that is not there: no rows, the file's path and mapping kept."""
        return cls({}, source=source, test_fraction=test_fraction, split_seed=split_seed, missing=True)

    def missing_text(self) -> str:
        """What is wrong with a dataset whose file is missing ("" for any other)."""
        if not self.missing or self.source is None:
            return ""
        return missing_file_text(self.source.path)

    @classmethod
    def generate(cls, name: str, size: int, seed: int = 0) -> "Dataset":
        if name not in GENERATORS:
            known = ", ".join(sorted(GENERATORS))
            raise ValueError(f"unknown dataset generator {name!r} (known: {known})")
        if size < 1:
            raise ValueError(f"dataset size must be at least 1, not {size}")
        fields = GENERATORS[name](size, np.random.default_rng(seed))
        return cls(fields, generator=name, seed=seed, size=size)

    @property
    def rows(self) -> int:
        for arr in self.fields.values():
            return int(arr.shape[0])
        return 0

    def _parts(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        if self._split is None:
            if not self.test_fraction:
                self._split = (self.fields, {k: v[:0] for k, v in self.fields.items()})
            else:
                train, test = split_indices(self.rows, self.test_fraction, self.split_seed)
                self._split = ({k: v[train] for k, v in self.fields.items()},
                               {k: v[test] for k, v in self.fields.items()})
        return self._split

    @property
    def train_fields(self) -> dict[str, np.ndarray]:
        """The rows training and the debugger use (all rows when nothing is held out)."""
        return self._parts()[0]

    @property
    def test_fields(self) -> dict[str, np.ndarray]:
        """The held-out rows (none when ``test_fraction`` is 0)."""
        return self._parts()[1]

    @property
    def train_rows(self) -> int:
        return self.rows - self.test_rows

    @property
    def test_rows(self) -> int:
        return round(self.rows * self.test_fraction) if self.test_fraction else 0

    @property
    def csv_origin(self) -> CsvSource | None:
        """The CSV file whose column names the rows carry: the source, or the file they were edited from."""
        return self.source if self.source is not None else self.edited_from

    def changed(self) -> None:
        """Forget the cached split after a field's values were written in place."""
        self._split = None


@lru_cache(maxsize=4)
def _permutation(rows: int, seed: int, epoch: int) -> np.ndarray:
    """The order of the rows in one epoch (read-only): shared by every Batcher of the same rows and
    seed, so that opening a file, which builds the debugger's engine more than once, shuffles a
    million rows once."""
    order = np.random.default_rng([seed, epoch]).permutation(rows)
    order.setflags(write=False)
    return order


@dataclass
class Batcher:
    """Which rows feed update k: a seeded permutation per epoch, cut into batches.

    Every row comes exactly once per epoch; when the batch size does not divide the rows,
    the epoch's last batch is smaller. A batch size of 0, or one at least the row count,
    means the full dataset in order.
    Random access by update number makes the stepper and the trainer see the same batches.
    """

    rows: int
    batch_size: int
    seed: int = 0
    _epoch: int = field(default=-1, repr=False)
    _perm: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def for_training(cls, dataset: Dataset | None, settings: TrainingSettings) -> Batcher:
        """The batches training under ``settings`` draws from ``dataset``'s training rows (one row
        when there is no dataset): the one Batcher the stepper, the trainer, the gradient check and
        the exports share."""
        rows = dataset.train_rows if dataset is not None else 1
        return cls(rows, settings.batch_size, settings.seed)

    @property
    def full(self) -> bool:
        return self.batch_size <= 0 or self.batch_size >= self.rows

    @property
    def batch_rows(self) -> int:
        """Rows in a full batch (an epoch's last batch may hold fewer)."""
        return self.rows if self.full else self.batch_size

    @property
    def batches_per_epoch(self) -> int:
        return 1 if self.full else -(-self.rows // self.batch_size)

    def indices(self, update: int) -> np.ndarray | None:
        """Row indices for update number ``update`` (0-based); ``None`` for the full dataset."""
        if self.full:
            return None
        epoch, k = divmod(update, self.batches_per_epoch)
        if epoch != self._epoch:
            self._perm = _permutation(self.rows, self.seed, epoch)
            self._epoch = epoch
        assert self._perm is not None
        return self._perm[k * self.batch_size : (k + 1) * self.batch_size]
