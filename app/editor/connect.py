"""Making, moving and removing connections by dragging between ports.

A drag starts on a port. From an output it looks for inputs; from a free input it looks for
outputs; from a connected input it picks up that edge's input end (drop on empty canvas
disconnects, on another input reconnects). While dragging, ports the graph would accept
light up and the others dim. The drop becomes one command; a refusal is reported through
the scene's ``statusMessage`` with the reason.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsPathItem

from app import commands
from app.editor import style
from app.editor.edge_item import curve_path
from app.editor.host import SceneHost
from app.editor.port_item import PortItem
from core.graph import GraphError

SNAP_DISTANCE = 18.0  # scene units around a valid port where the rubber snaps to it


class ConnectionDrag:
    def __init__(self, scene: SceneHost, port: PortItem) -> None:
        self.scene = scene
        graph = scene.graph
        self.picked: tuple[str, str] | None = None  # (dst, port) of the edge picked up
        if not port.is_output and graph.edge_into(port.node_id, port.name) is not None:
            edge = graph.edge_into(port.node_id, port.name)
            assert edge is not None
            self.picked = (edge.dst, edge.port)
            self.anchor = scene.node_item(edge.src).output
            picked = scene.edge_item(edge.dst, edge.port)
            if picked is not None:
                picked.setVisible(False)
        else:
            self.anchor = port
        self.wants_input = self.anchor.is_output
        self._blocked = self._blocked_nodes()
        self.rubber = QGraphicsPathItem()
        pen = QPen(style.EDGE_RUBBER, 2.0, Qt.PenStyle.DashLine, Qt.PenCapStyle.RoundCap)
        self.rubber.setPen(pen)
        self.rubber.setZValue(10)
        scene.addItem(self.rubber)
        self._hot: PortItem | None = None
        self._mark_targets()
        self.move(port.scenePos())

    # -------------------------------------------------------- decisions
    def _blocked_nodes(self) -> set[str]:
        """Nodes whose ports would close a cycle (or are the anchor's own node)."""
        graph = self.scene.graph
        node = self.anchor.node_id
        if self.wants_input:
            return graph.ancestors(node) | {node}
        outs: dict[str, list[str]] = {}
        for e in graph.edges:
            outs.setdefault(e.src, []).append(e.dst)
        seen, stack = {node}, [node]
        while stack:
            for nxt in outs.get(stack.pop(), []):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    def accepts(self, port: PortItem) -> bool:
        if port.is_output == self.wants_input:
            return False
        if self.picked is not None and (port.node_id, port.name) == self.picked:
            return True
        return port.node_id not in self._blocked

    def _mark_targets(self) -> None:
        for item in self.scene.node_items():
            for port in item.ports():
                if port is not self.anchor:
                    port.set_state("target" if self.accepts(port) else "dim")

    # ------------------------------------------------------- mouse steps
    def move(self, pos: QPointF) -> None:
        hot = self._nearest_target(pos)
        if hot is not self._hot:
            if self._hot is not None:
                self._hot.set_state("target")
            if hot is not None:
                hot.set_state("hot")
            self._hot = hot
        end = hot.scenePos() if hot is not None else pos
        start = self.anchor.scenePos()
        self.rubber.setPath(curve_path(start, end) if self.wants_input else curve_path(end, start))

    def _nearest_target(self, pos: QPointF) -> PortItem | None:
        """The accepted port within snapping distance, else the accepted port nearest in height
        on the node under the cursor (dropping on a node's body connects too)."""
        best, best_d = None, SNAP_DISTANCE
        for port in self.scene.ports_near(pos, SNAP_DISTANCE):
            if self.accepts(port):
                d = (port.scenePos() - pos).manhattanLength()
                if d < best_d:
                    best, best_d = port, d
        if best is None:
            node = self.scene.node_at(pos)
            if node is not None:
                ports = [p for p in node.ports() if self.accepts(p)]
                best = min(ports, key=lambda p: abs(p.scenePos().y() - pos.y()), default=None)
        return best

    def drop(self, pos: QPointF) -> None:
        """Finish: push the command the drop means, or say why nothing happened."""
        target = self._nearest_target(pos) or self.scene.port_at(pos)
        self.cancel()
        try:
            command = self._command_for(target)
        except GraphError as exc:
            self.scene.statusMessage.emit(f"Not connected: {exc}")
            return
        if command is not None:
            self.scene.document.undo_stack.push(command)
            self.scene.statusMessage.emit(command.text())

    def _command_for(self, target: PortItem | None) -> commands.GraphCommand | None:
        doc = self.scene.document
        if target is None or target is self.anchor:
            if self.picked is not None:
                return commands.Disconnect(doc, *self.picked)
            if target is None:
                port = "an input" if self.wants_input else "an output"
                self.scene.statusMessage.emit(f"Not connected: drop on {port} port")
            return None
        if target.is_output == self.wants_input:
            kind = "an output" if target.is_output else "an input"
            needed = "an input" if self.wants_input else "an output"
            raise GraphError(f"{target.node_id}.{target.name} is {kind}; drop on {needed}")
        if self.wants_input:
            src, dst, port = self.anchor.node_id, target.node_id, target.name
        else:
            src, dst, port = target.node_id, self.anchor.node_id, self.anchor.name
        if self.picked is not None:
            if (dst, port) == self.picked:
                return None
            return commands.Reconnect(doc, *self.picked, dst, port)
        return commands.Connect(doc, src, dst, port)

    def cancel(self) -> None:
        """Remove the rubber curve and every highlight; show a picked-up edge again."""
        for item in self.scene.node_items():
            for port in item.ports():
                port.set_state("normal")
        if self.rubber.scene() is not None:
            self.scene.removeItem(self.rubber)
        picked = self.scene.edge_item(*self.picked) if self.picked is not None else None
        if picked is not None:
            picked.setVisible(True)
