"""Edge commands: connect (replacing what was there), disconnect, move an edge's input end."""
from __future__ import annotations

from app.commands.base import GraphCommand, Target, graph_of, port_text
from core.graph import Edge, Graph, GraphError


def check_connect(graph: Graph, src: str, dst: str, port: str) -> None:
    """Raise GraphError with the reason when ``src → dst.port`` cannot be made (replacing is allowed)."""
    source, target = graph.node(src), graph.node(dst)
    if port not in target.inputs:
        ports = ", ".join(target.inputs) or "none"
        raise GraphError(f"{target.label()} has no input {port!r} (inputs: {ports})")
    if src == dst:
        raise GraphError(f"{source.id} cannot feed its own input")
    old = graph.edge_into(dst, port)
    if old is not None and old.src == src:
        raise GraphError(f"{src} is connected to {dst}.{port} already")
    if graph.would_cycle(src, dst):
        raise GraphError(f"connecting {src} → {dst} would make a cycle ({dst} already feeds {src})")


class Disconnect(GraphCommand):
    def __init__(self, target: Target, dst: str, port: str) -> None:
        graph = graph_of(target)
        edge = graph.edge_into(dst, port)
        if edge is None:
            raise GraphError(f"input {dst}.{port} is not connected")
        super().__init__(graph, f"Disconnect {edge.src} → {port_text(graph, dst, port)}")
        self.dst, self.port = dst, port
        self.src = edge.src

    def edge(self) -> Edge:
        """The edge this command takes away (and its undo puts back)."""
        return Edge(self.src, self.dst, self.port)

    def redo(self) -> None:
        self.src = self.graph.disconnect(self.dst, self.port).src

    def undo(self) -> None:
        self.graph.connect(self.src, self.dst, self.port)


class Connect(GraphCommand):
    """Connect ``src``'s output to ``dst.port``; an edge already there is replaced (a child command)."""

    def __init__(self, target: Target, src: str, dst: str, port: str) -> None:
        graph = graph_of(target)
        check_connect(graph, src, dst, port)
        old = graph.edge_into(dst, port)
        text = f"Connect {src} → {port_text(graph, dst, port)}"
        if old is not None:
            text += f" (replacing {old.src})"
        super().__init__(graph, text)
        self.src, self.dst, self.port = src, dst, port
        self.replaced = old.src if old is not None else None
        if old is not None:
            self.adopt(Disconnect(graph, dst, port))

    def redo(self) -> None:
        super().redo()
        self.graph.connect(self.src, self.dst, self.port)

    def undo(self) -> None:
        self.graph.disconnect(self.dst, self.port)
        super().undo()


class Reconnect(GraphCommand):
    """Move the input end of the edge into ``dst.port`` to ``new_dst.new_port`` (one undo entry)."""

    def __init__(self, target: Target, dst: str, port: str, new_dst: str, new_port: str) -> None:
        graph = graph_of(target)
        edge = graph.edge_into(dst, port)
        if edge is None:
            raise GraphError(f"input {dst}.{port} is not connected")
        if (dst, port) == (new_dst, new_port):
            raise GraphError(f"{edge.src} is connected to {dst}.{port} already")
        check_connect(graph, edge.src, new_dst, new_port)
        super().__init__(graph, f"Reconnect {edge.src} → {port_text(graph, new_dst, new_port)}")
        self.adopt(Disconnect(graph, dst, port))
        self.connect_command = self.adopt(Connect(graph, edge.src, new_dst, new_port))
