"""One editor widget per attribute kind: bool → check box, choices → combo box, numbers → checked text.

An editor never touches the graph: it calls ``commit(value)`` with a value of the right type, or
``refuse(message)`` when the text is not acceptable (and shows the old value again).
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QWidget

from app.inspector.tables import parse_number
from core.ops import AttrSpec

Commit = Callable[[Any], None]
Refuse = Callable[[str], None]


def format_attr(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def parse_attr(spec: AttrSpec, text: str) -> Any:
    """The value ``text`` stands for under ``spec``; ValueError with a readable message otherwise."""
    text = text.strip()
    if not text:
        if spec.optional:
            return None
        if spec.kind is not str:
            raise ValueError(f"{spec.name} needs a value")
    if spec.kind is int:
        try:
            number = parse_number(text)
        except ValueError:
            raise ValueError(f"{spec.name} must be a whole number, not {text!r}") from None
        if not number.is_integer():
            raise ValueError(f"{spec.name} must be a whole number, not {text!r}")
        return spec.coerce(int(number))
    if spec.kind is float:
        try:
            return spec.coerce(parse_number(text))
        except ValueError:
            raise ValueError(f"{spec.name} must be a number, not {text!r}") from None
    return spec.coerce(text)


class AttrEditor(QWidget):
    """Edits one attribute; ``set_value`` shows a value without committing it."""

    def __init__(self, spec: AttrSpec, value: Any, commit: Commit, refuse: Refuse,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._commit = commit
        self._refuse = refuse
        self._value = value
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.widget: QWidget
        if spec.kind is bool:
            box = QCheckBox(self)
            box.toggled.connect(self._on_toggled)
            self.widget = box
        elif spec.choices is not None:
            combo = QComboBox(self)
            if spec.optional:
                combo.addItem("(none)", None)
            for choice in spec.choices:
                combo.addItem(format_attr(choice), choice)
            combo.activated.connect(self._on_activated)
            self.widget = combo
        else:
            line = QLineEdit(self)
            if spec.optional:
                line.setPlaceholderText("empty: none")
            line.editingFinished.connect(self._on_text)
            self.widget = line
        self.widget.setToolTip(spec.doc)
        self.setToolTip(spec.doc)
        layout.addWidget(self.widget)
        self.set_value(value)

    def set_value(self, value: Any) -> None:
        self._value = value
        w = self.widget
        w.blockSignals(True)
        try:
            if isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(value)))
            elif isinstance(w, QLineEdit):
                w.setText(format_attr(value))
        finally:
            w.blockSignals(False)

    def _offer(self, value: Any) -> None:
        if value == self._value and type(value) is type(self._value):
            return
        self._value = value
        self._commit(value)

    def _on_toggled(self, checked: bool) -> None:
        self._offer(bool(checked))

    def _on_activated(self, index: int) -> None:
        assert isinstance(self.widget, QComboBox)
        self._offer(self.widget.itemData(index))

    def _on_text(self) -> None:
        assert isinstance(self.widget, QLineEdit)
        text = self.widget.text()
        try:
            value = parse_attr(self.spec, text)
        except ValueError as exc:
            self.set_value(self._value)
            self._refuse(f"{exc}; kept {format_attr(self._value) or 'none'}")
            return
        self._offer(value)
