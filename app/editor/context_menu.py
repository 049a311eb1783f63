"""The canvas's right-click menu: on a node, an edge, or empty canvas (add a node there)."""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMenu, QWidget

from app import commands
from app.editor.edge_item import EdgeItem
from app.editor.editing import EditingMixin
from app.editor.node_item import NodeItem
from app.editor.palette import family_title
from app.editor.port_item import PortItem
from core.graph import GraphError
from core.ops import by_family


def build_menu(scene: EditingMixin, pos: QPointF, parent: QWidget | None = None) -> QMenu:
    """The menu for a right-click at scene position ``pos`` (selecting what is under it first)."""
    menu = QMenu(parent)
    item = next((i for i in scene.items(pos) if isinstance(i, (NodeItem, PortItem, EdgeItem))), None)
    if isinstance(item, PortItem):
        item = item.parentItem()  # type: ignore[assignment]  # a port's parent is its NodeItem
    if isinstance(item, NodeItem):
        if not item.isSelected():
            scene.select_nodes([item.node_id])
        _node_actions(scene, menu, item.node_id)
    elif isinstance(item, EdgeItem):
        key = item.key
        menu.addAction(f"Disconnect {item.src} → {key[0]}.{key[1]}", lambda: _push(scene, commands.Disconnect, *key))
    else:
        _canvas_actions(scene, menu, pos)
    return menu


def _node_actions(scene: EditingMixin, menu: QMenu, node_id: str) -> None:
    count = len(scene.selected_node_ids())
    what = node_id if count == 1 else f"{count} nodes"
    menu.addAction(f"Cut {what}", scene.cut_selection)
    menu.addAction(f"Copy {what}", scene.copy_selection)
    menu.addAction(f"Duplicate {what}", scene.duplicate_selection)
    menu.addAction(f"Delete {what}", scene.delete_selection)
    if count == 1:
        menu.addSeparator()
        if scene.graph.objective == node_id:
            menu.addAction("Choose the objective automatically", lambda: _push(scene, commands.SetObjective, None))
        else:
            menu.addAction(f"Use {node_id} as the objective", lambda: _push(scene, commands.SetObjective, node_id))


def _canvas_actions(scene: EditingMixin, menu: QMenu, pos: QPointF) -> None:
    add = menu.addMenu("Add Node")
    for family, ops in by_family():
        sub = add.addMenu(family_title(family).replace("&", "&&"))
        for op in ops:
            sub.addAction(f"{op.title}   {op.symbol}", partial(scene.add_node, op.type, pos))
    menu.addSeparator()
    menu.addAction("Paste", scene.paste)
    menu.addAction("Select All", scene.select_all)
    menu.addAction("Auto-Layout", scene.auto_layout)


def _push(scene: EditingMixin, kind: type, *args: object) -> None:
    try:
        command = kind(scene.document, *args)
    except GraphError as exc:
        scene.statusMessage.emit(str(exc))
        return
    scene.document.undo_stack.push(command)
    scene.statusMessage.emit(command.text())
