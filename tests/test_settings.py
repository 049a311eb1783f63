"""Training settings: bounds that keep a run's memory and arithmetic sane."""
from __future__ import annotations

from pathlib import Path

import pytest

from core import io
from core.settings import MAX_BATCH_SIZE, MAX_SEED, MAX_STEPS, TrainingSettings


def test_the_number_of_updates_is_bounded():
    assert TrainingSettings(steps=MAX_STEPS).steps == MAX_STEPS
    with pytest.raises(ValueError, match="steps must be from 0 to 10,000,000, not 10000001"):
        TrainingSettings(steps=MAX_STEPS + 1)


def test_an_infinite_learning_rate_is_refused():
    with pytest.raises(ValueError, match="learning_rate must be finite, not inf"):
        TrainingSettings(learning_rate=float("inf"))


def test_a_file_asking_for_too_many_updates_names_the_place():
    text = io.dumps(io.load(Path(__file__).resolve().parent.parent / "resources/examples/mazur.json"))
    text = text.replace('"steps": 10000', '"steps": 10000000000000')
    with pytest.raises(io.FormatError, match=r"training: steps must be from 0 to 10,000,000"):
        io.loads(text, "big.json")


def test_a_negative_seed_is_refused():
    with pytest.raises(ValueError, match="seed must be 0 or more"):
        TrainingSettings(seed=-1)


@pytest.mark.parametrize("key, bound", [("batch_size", MAX_BATCH_SIZE), ("seed", MAX_SEED)])
def test_a_batch_size_or_seed_past_the_spin_boxes_is_refused_at_load_with_the_place(key, bound):
    graph = io.load(Path(__file__).resolve().parent.parent / "resources/examples/mazur.json")
    graph.set_settings(graph.settings.with_changes(**{key: bound}))
    text = io.dumps(graph)
    assert io.loads(text, "edge.json").settings.to_dict()[key] == bound
    with pytest.raises(io.FormatError, match=rf"training: {key} must be at most {bound:,}, not {bound + 1}"):
        io.loads(text.replace(f'"{key}": {bound}', f'"{key}": {bound + 1}'), "big.json")
