"""Custom layers in the window: wires the trust bar, the "Layer code" dock, the layer checker,
node badges, the debugger's failures and the question before training on a failing layer.

``install(window, debugger)`` adds it all and returns the :class:`CodeRoom`; the caller keeps it
(``create_window`` keeps it as ``window.code``).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMessageBox, QToolBar

from app.code.checker import FAILED, LayerChecker
from app.code.dock import CodePanel
from app.code.executor import install as install_executor
from app.code.trust_bar import TrustBar, trust_store
from app.commands import AddNode, ApplyCode, ReplaceWithCustom
from app.commands.code import cannot_make_custom
from app.debugger import Debugger
from app.window.first_layout import narrow_dock_content
from app.window.frame import WindowFrame
from core.custom.op import CustomLayer
from core.custom.runner import LayerError, time_limit
from core.custom.source import source_of
from core.custom.templates import TEMPLATES
from core.custom.trust import SESSION
from core.graph import Graph, GraphError


class CodeRoom(QObject):
    def __init__(self, window: WindowFrame, debugger: Debugger) -> None:
        super().__init__(window)
        self.window = window
        self.controller = debugger.controller
        self.executor = install_executor()
        self.executor.started.append(self._on_user_code)
        window.destroyed.connect(lambda: self._forget_hook())
        SESSION.allow(TEMPLATES.values())  # the project's own classes (a new layer from the palette starts as one)
        self.checker = LayerChecker(self)
        self.panel = CodePanel(self.checker)
        self.panel.on_apply = self.apply_code
        self.dock = QDockWidget("Layer code", window)
        self.dock.setObjectName("layerCodeDock")
        self.dock.setWidget(narrow_dock_content(self.panel))  # it must not widen the inspector's column
        window.add_dock(self.dock, Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(window.inspector_dock, self.dock)  # a tab beside the inspector: no height taken from it
        window.inspector_dock.raise_()
        self.bar = TrustBar()
        self.bar_holder = QToolBar("Trust", window)
        self.bar_holder.setObjectName("trustToolbar")
        self.bar_holder.setMovable(False)
        self.bar_holder.addWidget(self.bar)
        window.addToolBarBreak()
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar_holder)
        self.bar.trusted.connect(self._on_trusted)
        self.bar.later_button.clicked.connect(self.bar_holder.hide)
        self._fill_templates(self.panel.templates)
        menu = window.menu("&Edit")
        menu.addSeparator()
        self._fill_templates(menu.addMenu("New Custom Layer"))
        menu.setToolTipsVisible(True)  # the convert action's tooltip says why it is disabled
        self.convert_action = menu.addAction("Make Selected a Custom Layer", self.convert_selected)
        self.panel.convert_button.clicked.connect(self.convert_selected)
        self.panel.check_button.clicked.connect(lambda: self.check(self.panel.node))
        self.checker.checked.connect(self._show_badge)
        self.controller.layerFailed.connect(self._on_layer_failed)
        window.selectedNodeChanged.connect(self.panel.show_node)
        window.selectedNodeChanged.connect(lambda *_: self.update_convert())
        window.documentChanged.connect(self._on_document)
        session = getattr(getattr(window, "training", None), "session", None)
        if session is not None:
            session.confirm = self.confirm_training
            session.runFinished.connect(lambda run: self._on_run_finished(session, run))
        self._document: Any = None
        self._added: set[str] = set()  # custom layers added by the command under way
        self._on_document(window.document)

    # --------------------------------------------------------------- document
    def _on_document(self, document: Any) -> None:
        if self._document is not None:
            self._document.bridge.attrChanged.disconnect(self._on_attr_changed)
            self._document.bridge.nodeAdded.disconnect(self._on_node_added)
            self._document.undo_stack.indexChanged.disconnect(self.update_convert)
        self._document = document
        self.panel.document = document
        self.panel.errors.clear()
        self.checker.forget()
        document.bridge.attrChanged.connect(self._on_attr_changed)
        document.bridge.nodeAdded.connect(self._on_node_added)
        document.undo_stack.indexChanged.connect(self.update_convert)
        asking = self.bar.follow(document.graph)
        self.bar_holder.setVisible(asking)
        if asking:
            self.window.show_status("This graph contains Python code: it runs only once you say so (the bar above "
                                    "the canvas)")
        elif self._custom_nodes():
            self.controller.rebuild()  # code the store trusted may run now (a graph without code: nothing to run)
        self.check_all()
        self.panel.show_node(self.window.selected_node())
        self.update_convert()

    def _custom_nodes(self) -> list[str]:
        graph: Graph = self.window.document.graph
        return [n.id for n in graph.nodes.values() if n.op_type == CustomLayer.type]

    def _on_trusted(self) -> None:
        self.bar_holder.hide()
        self.controller.rebuild()
        self.window.scene.schedule_validation()
        self.check_all()
        self.panel.refresh()

    def _on_attr_changed(self, node: str, name: str) -> None:
        if name != "code":
            return
        self.check(node)
        if node == self.panel.node:
            self.panel.refresh()

    def _on_node_added(self, node: str) -> None:
        """Check a new custom layer once the command that added it is done (a replacement adds the
        node before it puts its edges back: a check now would see it unconnected)."""
        if self.window.document.graph.nodes[node].op_type == CustomLayer.type:
            if not self._added:
                QTimer.singleShot(0, self._check_added)
            self._added.add(node)

    def _check_added(self) -> None:
        added, self._added = self._added, set()
        for node in sorted(added):
            self.check(node)
        if self.panel.node in added:
            self.panel.refresh()

    # ------------------------------------------------------------------ checks
    def check_all(self) -> None:
        for node in self._custom_nodes():
            self.check(node)

    def check(self, node: str | None) -> None:
        """Start the layer check of ``node`` (untrusted code is not run: its badge says so)."""
        graph = self.window.document.graph
        if node is None or node not in graph.nodes or graph.nodes[node].op_type != CustomLayer.type:
            return
        if not self.checker.check(graph, node):
            self._show_badge(node)

    def _show_badge(self, node: str) -> None:
        graph = self.window.document.graph
        item = self.window.scene.node_item(node) if node in graph.nodes else None
        if item is not None and graph.nodes[node].op_type == CustomLayer.type:
            item.set_code_badge(self.checker.state(node, str(graph.nodes[node].attrs.get("code", ""))))

    def failing_layers(self) -> list[str]:
        graph = self.window.document.graph
        return [n for n in self._custom_nodes()
                if self.checker.state(n, str(graph.nodes[n].attrs.get("code", ""))) == FAILED]

    def confirm_training(self, graph: Graph) -> bool:
        failing = self.failing_layers()
        return not failing or self.ask_train_failing(failing)

    def ask_train_failing(self, failing: list[str]) -> bool:
        """Ask whether to train although these layers failed their check (tests replace this)."""
        answer = QMessageBox.question(self.window, "Train on a failing layer?", self.training_question(failing))
        return answer == QMessageBox.StandardButton.Yes

    def training_question(self, failing: list[str]) -> str:
        """What the checks of ``failing`` found, one paragraph per layer, and the question."""
        graph = self.window.document.graph
        found = []
        for node in failing:
            result, _why = self.checker.result(node, str(graph.nodes[node].attrs.get("code", "")))
            failure = result.failure if result is not None else None
            if failure is None:
                found.append(f"The backward of {node} disagrees with finite differences: training follows "
                             "those gradients.")
            else:
                at = f" at line {failure.line}" if failure.line is not None else ""
                found.append(f"The check of {node} stopped{at}: {failure.message}. Training runs the same code.")
        return "\n\n".join([*found, "See Layer code. Train anyway?"])

    # ---------------------------------------------------------------- editing
    def apply_code(self, node: str, code: str) -> None:
        """The user's own code: trusted (and remembered), then set as one undo command."""
        SESSION.allow([code])
        trust_store().remember([code])
        try:
            self.window.document.undo_stack.push(ApplyCode(self.window.document, node, code))
        except GraphError as exc:
            self.window.show_status(f"Cannot apply the code: {exc}", 8000)

    def cannot_convert(self) -> str | None:
        """Why "Make Selected a Custom Layer" cannot be used now, or None when it can."""
        selected = self.window.scene.selected_node_ids()
        if len(selected) > 1:
            return "Select just one op node to make it a custom layer (several are selected)"
        node = self.window.selected_node()
        if node is None or node not in self.window.document.graph.nodes:
            return "Select an op node (such as Multiply or Sigmoid) to make it a custom layer"
        return cannot_make_custom(self.window.document.graph, node)

    def update_convert(self, *_: Any) -> None:
        """Enable the convert action when it applies; its tooltip says why not otherwise."""
        why = self.cannot_convert()
        self.convert_action.setEnabled(why is None)
        tip = why or "Replace the selected built-in node by a custom layer of the same numbers"
        self.convert_action.setToolTip(tip)
        self.convert_action.setStatusTip(tip)

    def convert_selected(self) -> None:
        node = self.window.selected_node()
        if node is None:
            return
        try:
            command = ReplaceWithCustom(self.window.document, node)
        except GraphError as exc:
            self.window.show_status(str(exc), 8000)
            return
        SESSION.allow([command.code])
        self.window.document.undo_stack.push(command)
        self.window.scene.select_nodes([node])  # the replacement's item: still the one selected
        self.panel.show_node(node)
        self.dock.raise_()

    def new_layer(self, op_type: str) -> str:
        """Add a custom layer from the template of ``op_type`` in the middle of the view."""
        code = TEMPLATES[op_type]
        SESSION.allow([code])
        view = self.window.view
        centre = view.mapToScene(view.viewport().rect().center())
        document = self.window.document
        command = AddNode(document, CustomLayer.type, (centre.x(), centre.y()),
                          document.graph.new_id(source_of(code).class_name), attrs={"code": code})
        document.undo_stack.push(command)
        self.window.scene.select_nodes([command.node_id])
        self.panel.show_node(command.node_id)
        self.dock.raise_()
        return command.node_id

    def _fill_templates(self, menu: Any) -> None:
        for op_type, code in sorted(TEMPLATES.items()):
            name = source_of(code).class_name
            menu.addAction(f"{name} (like {op_type})", lambda t=op_type: self.new_layer(t))

    def _forget_hook(self) -> None:
        if self._on_user_code in self.executor.started:
            self.executor.started.remove(self._on_user_code)

    def _on_user_code(self) -> None:
        """User code is under way on its thread (shown only when it takes a moment)."""
        self.window.show_status(f"Running your layer's code… (stopped after {time_limit():g} s if it does not return)")

    # ------------------------------------------------------------- failures
    def _on_layer_failed(self, error: LayerError) -> None:
        """A debugger step failed in a custom layer."""
        if self._mark_failure(error):
            self.window.show_status(f"Stopped: {error}", 15000)

    def _on_run_finished(self, session: Any, run: Any) -> None:
        """A training run of the document shown ended; one that failed in a custom layer is shown
        as a failed debugger step is (the training dock says the rest: "Run N failed: …")."""
        if run.failure is not None and session.owns(run):
            self._mark_failure(run.failure)

    def _mark_failure(self, error: LayerError) -> bool:
        """Mark the line of the layer's code where ``error`` happened (at once when the dock shows
        that node, else when it next does) and bring the Layer code dock forward if it is shown;
        False when the node is gone."""
        graph = self.window.document.graph
        if error.node is None or error.node not in graph.nodes:
            return False
        code = str(graph.nodes[error.node].attrs.get("code", ""))
        self.panel.set_error(error.node, code, error.line, str(error))
        self.dock.raise_()  # the line that failed
        return True


def install(window: WindowFrame, debugger: Debugger) -> CodeRoom:
    """Add custom layers to ``window`` (a MainWindow with ``debugger`` installed); the caller keeps
    the result (``create_window`` keeps it as ``window.code``)."""
    return CodeRoom(window, debugger)


