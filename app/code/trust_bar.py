"""The bar over the canvas when an opened graph holds Python code nobody trusted yet.

"This graph contains Python code. Run it?" — Run it trusts the exact code texts (their hashes)
for this session and remembers them in the user's config folder (``trusted-code.txt`` beside the
window's settings file), so the same code opens trusted next time, whatever the file is called;
Not now leaves the custom layers disabled (validation says why on each).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from core.custom.op import codes_of
from core.custom.trust import SESSION, TrustStore
from core.graph import Graph


def trust_store() -> TrustStore:
    """The remembered hashes: beside the window's settings (tests isolate both)."""
    return TrustStore(Path(QSettings().fileName()).parent / "trusted-code.txt")


def untrusted_codes(graph: Graph) -> list[str]:
    return [c for c in dict.fromkeys(codes_of(graph.nodes.values())) if not SESSION.is_trusted(c)]


class TrustBar(QWidget):
    trusted = Signal()  # the user said yes: the graph's code may run

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trustBar")
        self.setStyleSheet("#trustBar { background: #fff4ce; border-bottom: 1px solid #e0c97f; }")
        self.graph: Graph | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        self.label = QLabel("This graph contains Python code. Run it?")
        self.run_button = QPushButton("Run it")
        self.run_button.setToolTip("Trust exactly this code: it may do anything your account can do")
        self.later_button = QPushButton("Not now")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.run_button)
        layout.addWidget(self.later_button)
        self.run_button.clicked.connect(self.trust)

    def follow(self, graph: Graph) -> bool:
        """Follow ``graph``; True when it has code neither this session nor the store trusts
        (the window then shows the bar)."""
        self.graph = graph
        codes = untrusted_codes(graph)
        if codes and trust_store().knows(codes):
            SESSION.allow(codes)
            codes = []
        names = [n.id for n in graph.nodes.values() if str(n.attrs.get("code", "")) in codes]
        self.label.setText(f"This graph contains Python code (custom layer{'s' if len(names) > 1 else ''} "
                           f"{', '.join(names)}). Run it?")
        return bool(codes)

    def trust(self) -> None:
        if self.graph is not None:
            codes = untrusted_codes(self.graph)
            SESSION.allow(codes)
            trust_store().remember(codes)
        self.trusted.emit()
