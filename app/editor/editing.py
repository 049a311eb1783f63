"""The scene's edit actions: add, delete, cut, copy, paste, duplicate, select all, auto-layout.

Each builds one command from the selection and pushes it on the document's undo stack; the
items change only when the graph's events come back. Refusals go to ``statusMessage``.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF

from app import commands
from app.editor import clipboard, layout
from app.editor.host import SceneHost
from core.graph import Graph, GraphError

PASTE_OFFSET = 40.0
DROP_OFFSET = (75.0, 12.0)  # a new node's top-left relative to the cursor: the header under it


class EditingMixin(SceneHost):
    """The edit actions of GraphScene (its base: they use the scene's document, graph, items and signals)."""

    def push(self, command: Any) -> None:
        self.document.undo_stack.push(command)

    def add_node(self, op_type: str, scene_pos: QPointF | tuple[float, float]) -> str | None:
        """Add a node of ``op_type`` with its header under ``scene_pos``; selects it and returns its id."""
        x, y = (scene_pos.x(), scene_pos.y()) if isinstance(scene_pos, QPointF) else scene_pos
        try:
            pos = (round(x - DROP_OFFSET[0]), round(y - DROP_OFFSET[1]))
            command = commands.AddNode(self.document, op_type, pos=pos)
        except GraphError as exc:
            self.statusMessage.emit(f"Cannot add a node: {exc}")
            return None
        self.push(command)
        self.select_nodes([command.node_id])
        self.statusMessage.emit(f"Added {command.node_id}")
        return command.node_id

    def delete_selection(self) -> bool:
        return self._delete(self.selected_node_ids(), self.selected_edges(), None)

    def _delete(self, ids: list[str], edges: list[tuple[str, str]], verb: str | None) -> bool:
        if not ids and not edges:
            self.statusMessage.emit("Nothing selected")
            return False
        command = commands.Delete(self.document, ids, edges)
        if verb is not None:
            command.setText(command.text().replace("Delete", verb, 1))
        self.push(command)
        self.statusMessage.emit(command.text())
        return True

    def _copy_selected(self, verb: str) -> list[str]:
        """Put the selected nodes on the clipboard; returns their ids ([] and a message when none)."""
        ids = self.selected_node_ids()
        if ids:
            clipboard.copy_nodes(self.graph, ids)
        else:
            self.statusMessage.emit(f"Select nodes to {verb}")
        return ids

    def copy_selection(self) -> bool:
        ids = self._copy_selected("copy")
        if ids:
            self.statusMessage.emit(f"Copied {commands.nodes_text(ids)}")
        return bool(ids)

    def cut_selection(self) -> bool:
        ids = self._copy_selected("cut")
        return bool(ids) and self._delete(ids, self.selected_edges(), "Cut")

    def paste(self) -> list[str]:
        """Paste the clipboard's nodes offset and selected; returns their ids ([] when refused)."""
        try:
            source = clipboard.paste_source()
        except clipboard.ClipboardError as exc:
            self.statusMessage.emit(f"Cannot paste: {exc}")
            return []
        return self._paste(source, "Paste")

    def duplicate_selection(self) -> list[str]:
        ids = self.selected_node_ids()
        if not ids:
            self.statusMessage.emit("Select nodes to duplicate")
            return []
        return self._paste(clipboard.fragment(self.graph, ids), "Duplicate")

    def _paste(self, source: Graph, verb: str) -> list[str]:
        offset = self._free_offset(source)
        command = commands.Paste(self.document, source, offset)
        command.setText(command.text().replace("Paste", verb, 1))
        self.push(command)
        self.select_nodes(command.node_ids)
        self.statusMessage.emit(command.text())
        return list(command.node_ids)

    def _free_offset(self, source: Graph) -> tuple[float, float]:
        """(+40, +40), or further along the diagonal while a node already sits exactly there."""
        taken = {node.pos for node in self.graph.nodes.values()}
        first = next(iter(source.nodes.values())).pos
        k = 1
        while (first[0] + k * PASTE_OFFSET, first[1] + k * PASTE_OFFSET) in taken and k < 100:
            k += 1
        return (k * PASTE_OFFSET, k * PASTE_OFFSET)

    def auto_layout(self) -> bool:
        """Arrange the graph left to right by depth as one "Auto-Layout" undo entry."""
        boxes = {item.node_id: layout.box_of(item) for item in self.node_items()}
        try:
            positions = layout.layered_positions(self.graph, boxes)
        except GraphError as exc:
            self.statusMessage.emit(f"Cannot lay out: {exc}")
            return False
        moves = {n: p for n, p in positions.items() if self.graph.node(n).pos != p}
        if not moves:
            self.statusMessage.emit("The layout is already tidy")
            return False
        self.push(commands.MoveNodes(self.document, moves, text="Auto-Layout"))
        self.statusMessage.emit("Auto-Layout")
        return True
