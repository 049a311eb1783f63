"""Nodes on the system clipboard, in the file format's JSON, so two windows can exchange them.

The data goes under ``application/x-backprop-graph`` and, for other programs, as plain text.
Reading goes through ``core.io.fileformat.from_dict`` (which never runs code and names bad places).
"""
from __future__ import annotations

import json
from typing import Iterable

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication

from core import io
from core.graph import Graph

MIME_TYPE = "application/x-backprop-graph"


class ClipboardError(ValueError):
    """The clipboard holds no nodes, or text that is not a readable graph fragment."""


def fragment(graph: Graph, node_ids: Iterable[str]) -> Graph:
    """A new graph holding copies of ``node_ids`` and the edges between them."""
    return io.from_dict(io.to_dict(graph, list(node_ids)), "selection")


def mime_data(graph: Graph, node_ids: Iterable[str]) -> QMimeData:
    doc = io.to_dict(graph, list(node_ids))
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    data = QMimeData()
    data.setData(MIME_TYPE, text.encode("utf-8"))
    data.setText(text)
    return data


def read_mime(data: QMimeData | None) -> Graph:
    """The graph fragment held by ``data``; raises ClipboardError with the reason."""
    if data is None:
        raise ClipboardError("the clipboard is empty")
    if data.hasFormat(MIME_TYPE):
        text = bytes(data.data(MIME_TYPE).data()).decode("utf-8", errors="replace")
    elif data.hasText():
        text = data.text()
        if '"backprop-workbench"' not in text:
            raise ClipboardError("the clipboard holds text, not nodes of the workbench")
    else:
        raise ClipboardError("the clipboard holds no nodes")
    try:
        graph = io.loads(text, source="clipboard")
    except io.FormatError as exc:
        raise ClipboardError(str(exc)) from None
    if not graph.nodes:
        raise ClipboardError("the clipboard holds no nodes")
    return graph


def system_clipboard() -> QClipboard:
    return QGuiApplication.clipboard()


def copy_nodes(graph: Graph, node_ids: Iterable[str], clipboard: QClipboard | None = None) -> None:
    (clipboard or system_clipboard()).setMimeData(mime_data(graph, node_ids))


def paste_source(clipboard: QClipboard | None = None) -> Graph:
    return read_mime((clipboard or system_clipboard()).mimeData())
