"""Commands that change what a node or the graph holds: attributes, values, settings,
the objective and the dataset."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from app.commands.base import GraphCommand, Target, graph_of, number_text, value_text
from core.data.dataset import Dataset
from core.format import format_shape
from core.graph import GraphError, as_value
from core.settings import TrainingSettings


class SetAttr(GraphCommand):
    def __init__(self, target: Target, node_id: str, name: str, value: Any) -> None:
        graph = graph_of(target)
        value = graph.coerce_attr(node_id, name, value)
        super().__init__(graph, f"Set {node_id}.{name} = {value_text(value)}")
        self.node_id, self.name, self.value = node_id, name, value
        self._old: Any = None

    def redo(self) -> None:
        self._old = self.graph.node(self.node_id).attrs.get(self.name)
        self.graph.set_attr(self.node_id, self.name, self.value)

    def undo(self) -> None:
        self.graph.set_attr(self.node_id, self.name, self._old)


class SetValue(GraphCommand):
    """Replace a constant's or parameter's value, or (with ``index``) one cell of it."""

    def __init__(
        self,
        target: Target,
        node_id: str,
        value: Any,
        index: Sequence[int] | int | None = None,
    ) -> None:
        graph = graph_of(target)
        node = graph.node(node_id)
        if node.value is None:
            raise GraphError(f"{node.label()} holds no value")
        try:
            new = as_value(value)
        except (TypeError, ValueError):
            raise GraphError(f"{node_id}: {value!r} is not a number or an array of numbers") from None
        if index is not None:
            index = (index,) if isinstance(index, int) else tuple(int(i) for i in index)
        if index == ():
            index = None
        if index is not None:
            if len(index) != node.value.ndim or any(not 0 <= i < n for i, n in zip(index, node.value.shape)):
                raise GraphError(f"{node_id}: no cell {list(index)} in a {format_shape(node.value.shape)} value")
            if new.ndim != 0:
                raise GraphError(f"{node_id}{list(index)}: a cell holds one number")
            text = f"Set {node_id}[{', '.join(map(str, index))}] = {number_text(float(new))}"
        elif new.ndim == 0:
            text = f"Set {node_id} = {number_text(float(new))}"
        else:
            text = f"Set {node_id} ({format_shape(new.shape)})"
        super().__init__(graph, text)
        self.node_id, self.index, self.new = node_id, index, new
        self._old: np.ndarray | None = None

    def redo(self) -> None:
        old = self.graph.node(self.node_id).value
        self._old = old
        if self.index is None:
            self.graph.set_value(self.node_id, self.new.copy())
        else:
            changed = np.array(old, dtype=float)
            changed[self.index] = self.new
            self.graph.set_value(self.node_id, changed)

    def undo(self) -> None:
        self.graph.set_value(self.node_id, self._old)


SETTING_LABELS = {"steps": "updates", "batch_size": "batch size", "learning_rate": "learning rate"}


class SetSettings(GraphCommand):
    def __init__(self, target: Target, settings: TrainingSettings) -> None:
        graph = graph_of(target)
        changed = [f for f in settings.field_types() if getattr(graph.settings, f) != getattr(settings, f)]
        if len(changed) == 1:
            label = SETTING_LABELS.get(changed[0], changed[0].replace("_", " "))
            text = f"Set {label} = {value_text(getattr(settings, changed[0]))}"
        else:
            text = "Change training settings"
        super().__init__(graph, text)
        self.settings = settings
        self._old: TrainingSettings | None = None

    def redo(self) -> None:
        self._old = self.graph.settings
        self.graph.set_settings(self.settings)

    def undo(self) -> None:
        assert self._old is not None
        self.graph.set_settings(self._old)


class SetObjective(GraphCommand):
    """Choose the node the backward pass starts from (``None``: found automatically)."""

    def __init__(self, target: Target, node_id: str | None) -> None:
        graph = graph_of(target)
        if node_id is not None:
            graph.node(node_id)
        super().__init__(graph, f"Set objective {node_id}" if node_id else "Clear objective")
        self.node_id = node_id
        self._old: str | None = None

    def redo(self) -> None:
        self._old = self.graph.objective
        self.graph.set_objective(self.node_id)

    def undo(self) -> None:
        self.graph.set_objective(self._old)


class SetDataset(GraphCommand):
    def __init__(self, target: Target, dataset: Dataset | None, text: str | None = None) -> None:
        super().__init__(target, text or ("Set dataset" if dataset is not None else "Remove dataset"))
        self.dataset = dataset
        self._old: Dataset | None = None

    def redo(self) -> None:
        self._old = self.graph.dataset
        self.graph.set_dataset(self.dataset)

    def undo(self) -> None:
        self.graph.set_dataset(self._old)
