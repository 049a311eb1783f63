"""The "Layer code" dock: the selected custom layer's class in a code editor, Apply (one undo
entry), the layer's gradient check (state, worst error per port, failing entries: expected
against returned), and the last run's error marked at its line. With a built-in node selected it
offers to turn it into a custom layer of the same numbers; New Custom Layer adds one from a
template."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.code.checker import FAILED, NOT_CHECKABLE, PASSED, UNCHECKED, UNTRUSTED, LayerChecker
from app.code.editor import CodeEditor
from core.custom.op import CustomLayer
from core.custom.source import source_of
from core.custom.templates import TEMPLATES
from core.format import format_number

if TYPE_CHECKING:
    from core.custom.check import LayerCheck

STATE_TEXT = {
    UNCHECKED: "Gradient check: not run yet for this code",
    "checking": "Gradient check: running…",
    PASSED: "Gradient check: passed",
    FAILED: "Gradient check: FAILED",
    NOT_CHECKABLE: "Gradient check: not checkable here (no input gave finite values): its gradients are not confirmed",
    UNTRUSTED: "This code is not trusted: it does not run (use the bar above the canvas)",
}


def check_details(result: LayerCheck | None, why: str) -> str:
    """The check's findings as lines: worst error per port, failing entries, notes."""
    if result is None:
        return why
    lines = []
    if result.failure is not None:
        lines.append(f"The code failed while being checked: {result.failure}")
    for port in result.ports:
        verdict = "passed" if port.passed else "FAILED"
        lines.append(f"∂L/∂{port.port}: worst relative error {format_number(port.error, 3)} — {verdict}")
        for bad in port.bad:
            where = "the node's inputs, ∂L/∂out = 1" if bad.case == 0 else f"random inputs {bad.case}, random ∂L/∂out"
            index = f"[{', '.join(map(str, bad.index))}]" if bad.index else ""
            lines.append(f"    {port.port}{index} ({where}): expected {format_number(bad.expected, 6)}, "
                         f"backward returned {format_number(bad.returned, 6)}")
    lines += [f"⚠ {note}" for note in result.notes]
    return "\n".join(lines)


class CodePanel(QWidget):
    def __init__(self, checker: LayerChecker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checker = checker
        self.document: Any = None
        self.node: str | None = None
        self.on_apply: Callable[[str, str], None] = lambda node, code: None  # the window pushes the command
        self.errors: dict[str, tuple[str, int | None, str]] = {}  # node → (code, line, message) of its last failure
        self._class_names: dict[str, str] = {}  # node → the class its code last defined readably
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.new_button = QToolButton()
        self.new_button.setText("New Layer")
        self.new_button.setToolTip("New Custom Layer from a notebook-style class")
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.templates = QMenu(self.new_button)
        self.new_button.setMenu(self.templates)
        self.convert_button = QPushButton("Make Custom")
        self.convert_button.setToolTip("Replace this built-in node by a custom layer of the same numbers")
        self.editor = CodeEditor()
        self.apply_button = QPushButton("Apply")
        self.apply_button.setToolTip("Use this code for the layer (Ctrl+Return); undo takes it back")
        self.revert_button = QPushButton("Revert")
        self.check_button = QPushButton("Check")
        self.check_button.setToolTip("Run the gradient check of this layer again")
        self.state = QLabel()
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828")
        for label in (self.title, self.state, self.details, self.error):  # long texts wrap, never widen the dock
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(60)
        self.editor.setMinimumSize(120, 80)
        top = QHBoxLayout()  # under the title: narrow enough for the inspector's tab
        top.addWidget(self.convert_button)
        top.addStretch(1)
        top.addWidget(self.new_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.editor, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.state)
        layout.addWidget(self.details)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.apply)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.revert)
        self.editor.textChanged.connect(self._update_buttons)
        self.checker.checked.connect(self._on_checked)
        self.refresh()

    # ------------------------------------------------------------------ state
    def custom_node(self) -> Any:
        if self.document is None or self.node is None:
            return None
        node = self.document.graph.nodes.get(self.node)
        return node if node is not None and node.op_type == CustomLayer.type else None

    def applied_code(self) -> str | None:
        node = self.custom_node()
        return None if node is None else str(node.attrs.get("code", ""))

    def show_node(self, node_id: str | None) -> None:
        self.node = node_id
        self.refresh()

    def refresh(self) -> None:
        """Show the selected node's code and check (drops unapplied edits of another node)."""
        node = self.custom_node()
        code = self.applied_code()
        other = self.document.graph.nodes.get(self.node) if self.document is not None and self.node else None
        self.convert_button.setVisible(node is None and other is not None and other.op_type in TEMPLATES)
        self.editor.setEnabled(node is not None)
        if node is None:
            self.title.setText("Select a custom layer to see and edit its code."
                               if other is None or other.op_type not in TEMPLATES else
                               f"{other.id} is a built-in {other.op.title}: make it a custom layer to edit its code.")
            self.editor.setPlainText("")
            self.state.setText("")
            self.details.setText("")
            self.error.setText("")
        else:
            self.title.setText(self._title(node.id, code or ""))
            if self.editor.toPlainText() != code:
                self.editor.setPlainText(code or "")
            self._show_check()
            self._show_error()
        self._update_buttons()

    def _title(self, node: str, code: str) -> str:
        """'sigmoid2 — class Sigmoid'; code that cannot be read names the last class it could."""
        source = source_of(code)
        if source.class_name:
            self._class_names[node] = source.class_name
            return f"{node} — class {source.class_name}"
        last = self._class_names.get(node)
        why = source.error.split(":")[0] if source.error.startswith("syntax error") else "no layer class"
        return f"{node} — class {last} ({why})" if last else f"{node} — ({why})"

    def _show_check(self) -> None:
        code = self.applied_code()
        if code is None or self.node is None:
            return
        state = self.checker.state(self.node, code)
        self.state.setText(STATE_TEXT[state])
        self.state.setStyleSheet("color: #c62828; font-weight: bold" if state == FAILED else "")
        self.details.setText(check_details(*self.checker.result(self.node, code)))
        self.check_button.setEnabled(state not in (UNTRUSTED, "checking"))

    def _show_error(self) -> None:
        error = self.errors.get(self.node or "")
        text = self.editor.toPlainText()
        source = source_of(text) if text == self.applied_code() else None
        if error is not None and error[0] == text:
            self.editor.mark_error(error[1], error[2])
            self.error.setText(f"Last run: {error[2]}")
        elif source is not None and not source.ok and source.line is not None:  # it cannot even be read
            self.editor.mark_error(source.line, source.error)
            self.error.setText(f"Line {source.line}: {source.error}")
        else:
            self.editor.clear_error()
            self.error.setText("")

    def _update_buttons(self) -> None:
        code = self.applied_code()
        changed = code is not None and self.editor.toPlainText() != code
        self.apply_button.setEnabled(changed)
        self.revert_button.setEnabled(changed)

    def _on_checked(self, node: str) -> None:
        if node == self.node:
            self._show_check()

    # ---------------------------------------------------------------- actions
    def apply(self) -> bool:
        """Push the edited code as one undo command (the code is the user's own: it is trusted)."""
        node, code = self.custom_node(), self.editor.toPlainText()
        if node is None or code == self.applied_code():
            return False
        self.on_apply(node.id, code)
        return True

    def revert(self) -> None:
        self.editor.setPlainText(self.applied_code() or "")

    def set_error(self, node: str, code: str, line: int | None, message: str) -> None:
        self.errors[node] = (code, line, message)
        if node == self.node:
            self._show_error()
