"""Dataset commands: every edit of the dataset editor and of a new Input's field. Each calls
only ``core.data.edit`` and ``Graph.set_dataset``; a structural edit keeps the old dataset for
undo, a cell edit keeps only the old value."""
from __future__ import annotations

from typing import Any

from app.commands.base import GraphCommand, number_text
from app.commands.values import SetAttr, SetDataset
from core.data import edit


class SetCell(GraphCommand):
    """One cell of a field; a dataset read from a CSV file or a generator becomes the graph's own
    rows first (a child SetDataset), so saving keeps the edit."""

    def __init__(self, target: Any, field: str, row: int, col: int, value: float) -> None:
        super().__init__(target, f"Set {field}[{row}, {col}] to {number_text(value)}")
        dataset = self.graph.dataset
        if dataset is None or field not in dataset.fields:
            raise ValueError(f"the dataset has no field {field!r}")
        self.field, self.row, self.col, self.value = field, row, col, float(value)
        self._old = 0.0
        if dataset.source is not None or dataset.generator is not None:
            self.adopt(SetDataset(self.graph, edit.detached(dataset), "Detach dataset"))

    def redo(self) -> None:
        super().redo()
        dataset = self.graph.dataset
        assert dataset is not None
        self._old = edit.write_cell(dataset, self.field, self.row, self.col, self.value)
        self.graph.set_dataset(dataset)

    def undo(self) -> None:
        dataset = self.graph.dataset
        assert dataset is not None
        edit.write_cell(dataset, self.field, self.row, self.col, self._old)
        self.graph.set_dataset(dataset)
        super().undo()


class RenameField(GraphCommand):
    """Rename a dataset field; the Input nodes that read it follow (child SetAttr commands)."""

    def __init__(self, target: Any, old: str, new: str) -> None:
        super().__init__(target, f"Rename field {old} to {new}")
        dataset = self.graph.dataset
        if dataset is None or old not in dataset.fields:
            raise ValueError(f"the dataset has no field {old!r}")
        self.adopt(SetDataset(self.graph, edit.rename_field(dataset, old, new)))
        for node in self.graph.nodes.values():
            if node.op_type == "Input" and node.attrs.get("field") == old:
                self.adopt(SetAttr(self.graph, node.id, "field", new))


def input_field_command(graph: Any, field: str) -> SetDataset | None:
    """The child command that gives a new Input's field one row to run on, if the dataset lacks it
    (none while the dataset's data file is missing: its reference stays until it is located)."""
    dataset = graph.dataset
    if dataset is not None and (field in dataset.fields or dataset.missing):
        return None
    return SetDataset(graph, edit.with_field(dataset, field), f"Add field {field}")
