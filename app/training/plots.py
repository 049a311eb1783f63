"""The training plots in tabs: the loss, what the model does, and the parameters' norms."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from app.training.heldout_plot import AccuracyPlot
from app.training.loss_plot import LossPlot
from app.training.model_plot import ModelPlot
from app.training.param_plots import ParamPlots
from app.training.probe import CLASSIFICATION, REGRESSION
from app.training.session import TrainingSession
from core.data.evaluate import graph_classifies

MODEL_TAB_TITLES = {CLASSIFICATION: "Decision regions", REGRESSION: "Prediction", None: "Model"}


class TrainingPlots(QTabWidget):
    def __init__(self, session: TrainingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPlots")
        self.session = session
        self.loss = LossPlot(session)
        self.model = ModelPlot(session)
        self.params = ParamPlots(session)
        self.accuracy = AccuracyPlot(session)
        self.addTab(self.loss, "Loss")
        self.addTab(self.model, "Model")
        self.addTab(self.params, "Parameters")
        self.addTab(self.accuracy, "Accuracy")
        self.setTabToolTip(0, "Loss against update number (dashed: on the held-out rows), every run of this session")
        self.setTabToolTip(2, "Norm of each parameter and of its gradient over the updates")
        self.setTabToolTip(3, "Share of rows classified right: training rows solid, held-out rows dashed")
        session.graphEdited.connect(self._retitle)
        session.runsChanged.connect(self._show_accuracy)
        session.graphEdited.connect(self._show_accuracy)
        self._retitle()
        self._show_accuracy()

    def _show_accuracy(self) -> None:
        """The Accuracy tab only for a document with a classification objective, once a run of one is listed."""
        document = self.session.document
        classifies = document is not None and graph_classifies(document.graph)
        self.setTabVisible(self.indexOf(self.accuracy), classifies and self.accuracy.has_runs())

    def _retitle(self) -> None:
        """Name the Model tab for what it shows; hide the tabs with nothing to show for this graph."""
        document = self.session.document
        kind = self.model.kind if document is not None else None
        self.setTabText(self.indexOf(self.model), MODEL_TAB_TITLES[kind])
        self.setTabVisible(self.indexOf(self.model), kind is not None)
        trainable = document is not None and any(p.trainable for p in document.graph.parameters())
        self.setTabVisible(self.indexOf(self.params), trainable)
