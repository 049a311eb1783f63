"""Help ▸ Getting Started covers every room of the window in order, its sections numbered in
sequence, and every menu entry, dock, inspector section, field and button it names is one the
window has, under that name."""
from __future__ import annotations

import html
import re

from PySide6.QtWidgets import QAbstractButton, QDockWidget, QLabel, QMenu

from app.model.document import Document
from app.window.getting_started import ARROW
from app.window.help import GettingStartedDialog, getting_started_html


def _clean(text: str) -> str:
    return text.replace("&", "").replace("…", "").strip()


def _menu_paths(window) -> set[str]:
    paths: set[str] = set()

    def walk(menu: QMenu, path: list[str]) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            here = [*path, _clean(action.text())]
            paths.add(ARROW.join(here))
            if isinstance(action.menu(), QMenu):
                walk(action.menu(), here)

    for top in window.menuBar().actions():
        walk(top.menu(), [_clean(top.text())])
    return paths


def _named(text: str, kind: str) -> list[str]:
    return [html.unescape(name) for name in re.findall(rf"<b>([^<]+)</b> {kind}\b", text)]


def test_every_name_the_text_uses_is_the_windows(workbench, examples_dir) -> None:
    window = workbench(Document.open(examples_dir / "mazur.json"))
    assert window.dataset_panel is not None  # built on first use: its fields and buttons exist now
    text = getting_started_html(window)
    paths = _menu_paths(window)
    named_paths = [html.unescape(p) for p in re.findall(r"<b>([^<]*▸[^<]*)</b>", text)]
    assert len(named_paths) >= 20
    for path in named_paths:
        assert _clean(path) in paths, path
    docks = {d.windowTitle() for d in window.findChildren(QDockWidget)}
    named_docks = _named(text, "dock") + _named(text, "tab")
    assert set(named_docks) == docks  # every dock named, by its title, and no other
    for section in _named(text, "section"):
        window.inspector.section(section)  # KeyError when the inspector has no such section
    labels = {_clean(label.text()) for label in window.findChildren(QLabel)}
    for field in _named(text, "field"):
        assert field in labels, field
    buttons = {_clean(b.text()) for b in window.findChildren(QAbstractButton)}
    for button in _named(text, "button"):
        assert _clean(button) in buttons, button
    tops = {_clean(a.text()) for a in window.menuBar().actions()}
    assert {p.split(ARROW)[0] for p in named_paths} == tops  # every menu of the window has its place


def test_sections_are_numbered_in_order_and_cover_every_room(workbench, examples_dir) -> None:
    window = workbench(Document.open(examples_dir / "mazur.json"))
    window.actions["getting_started"].trigger()
    dialog = window.help_dialogs[GettingStartedDialog]
    shown = dialog.text.toPlainText()
    headings = re.findall(r"<h4>(.*?)</h4>", getting_started_html(window))
    assert [h.split(". ", 1)[0] for h in headings] == [str(k) for k in range(1, len(headings) + 1)]
    titles = [h.split(". ", 1)[1] for h in headings]
    assert titles == ["Build", "Data", "Step", "Check", "Look inside a layer", "Exercise", "Train",
                      "Write your own layer", "Export"]
    for heading in headings:
        assert html.unescape(heading) in shown
    for phrase in ("Exercise ▸ Start Exercise", "Layer ▸ Expand to Neurons", "Published values",
                   "File ▸ Export ▸ Lesson (PDF)", "Updates field", "Debug ▸ Step (F10)",
                   "Training ▸ Train (Ctrl+T)"):
        assert phrase in shown, phrase
    assert "number of steps" not in shown  # the Training dock's field is called Updates
    dialog.close()
