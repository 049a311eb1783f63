"""core.io.jsontext.as_lists: a big array turned into lists a few rows at a time equals ``tolist()``."""
from __future__ import annotations

import numpy as np
import pytest

from core.io import jsontext


@pytest.mark.parametrize("shape", [(), (0,), (5,), (40_000,), (40_001, 2), (3, 7_000), (9, 3_000, 2), (2, 0)])
def test_as_lists_equals_tolist(shape, monkeypatch):
    array = np.random.default_rng(len(shape)).standard_normal(shape)
    assert jsontext.as_lists(array) == array.tolist()
    monkeypatch.setattr(jsontext, "CHUNK", 7)  # chunks that split rows unevenly
    assert jsontext.as_lists(array) == array.tolist()
