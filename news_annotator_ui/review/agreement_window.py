"""Agreement: choose a layer and annotators, compute on a worker thread, show the figures.

The report is computed by news_annotator.agreement on its own read-only connection, so the
window (and the main window) stay responsive; a change of choice while it runs queues
one more run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from news_annotator.agreement import agreement_report
from news_annotator.project import Project
from news_annotator.review.curation import GOLD
from news_annotator.suggest.engine import SUGGESTIONS_ANNOTATOR
from news_annotator_ui.review import agreement_figures as figures
from news_annotator_ui.review.bar_chart import BarChart
from news_annotator_ui.review.records_model import RecordsModel
from news_annotator_ui.task import Task

ALL_LAYERS = "All layers"


def compute_report(path: Path, layer: str | None,
                   annotators: list[str] | None) -> dict[str, Any]:
    """Runs on the worker thread, on its own connection; no annotators given means those
    who did some work, gold and suggestions aside (they are compared only when chosen)."""
    with Project.open(path, read_only=True) as project:
        if annotators is None:
            annotators = [name for name, work in project.stats()["by_annotator"].items()
                          if name not in (GOLD, SUGGESTIONS_ANNOTATOR) and any(work.values())]
        return agreement_report(project, layer=layer, annotators=annotators, top_documents=50)


def _table(name: str, model: RecordsModel) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.verticalHeader().setDefaultSectionSize(24)
    return view


class AgreementWindow(QMainWindow):
    """Overview table, per-label chart and table, confusion matrix, ranked documents."""

    document_requested = Signal(int, list)  # document id, annotator names compared
    computed = Signal(dict)

    def __init__(self, project_path: Path, parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("agreementWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.project_path = Path(project_path)
        self.setWindowTitle(f"Agreement — {self.project_path.name}")
        self.report: dict[str, Any] = {}
        self.task: Task | None = None
        self._again = False
        self._chosen_by_user = False
        with Project.open(self.project_path, read_only=True) as project:
            layers = [layer.name for layer in project.schema.layers]
            self.annotator_names = [a.name for a in project.annotators.all()]
        self.layer_box = QComboBox()
        self.layer_box.setObjectName("agreementLayer")
        self.layer_box.addItems([ALL_LAYERS, *layers])
        self.layer_box.currentIndexChanged.connect(lambda _i: self.compute())
        self.annotator_button = QToolButton()
        self.annotator_button.setObjectName("agreementAnnotators")
        self.annotator_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.annotator_button)
        self.annotator_actions = []
        for name in self.annotator_names:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(False)
            action.toggled.connect(lambda _on: self._annotators_changed())
            self.annotator_actions.append(action)
        self.annotator_button.setMenu(menu)
        self.compute_button = QPushButton("Compute")
        self.compute_button.setObjectName("computeAgreement")
        self.compute_button.clicked.connect(self.compute)
        self.busy = QProgressBar()
        self.busy.setObjectName("agreementBusy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(140)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = QLabel()
        self.status.setObjectName("agreementStatus")
        controls = QHBoxLayout()
        for widget in (QLabel("Layer"), self.layer_box, QLabel("Annotators"),
                       self.annotator_button, self.compute_button, self.busy):
            controls.addWidget(widget)
        controls.addWidget(self.status, 1)
        self._build_results()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.addLayout(controls)
        layout.addWidget(self.results, 1)
        self.setCentralWidget(body)
        self._update_annotator_text()
        self.resize(1300, 860)
        QTimer.singleShot(0, self.compute)

    def _build_results(self) -> None:
        self.overview = RecordsModel(figures.OVERVIEW_HEADERS, self)
        self.overview.set_header_tips({i: figures.HEADER_TIPS.get(h, "")
                                       for i, h in enumerate(figures.OVERVIEW_HEADERS)})
        self.overview_view = _table("agreementOverview", self.overview)
        self.overview_view.setMaximumHeight(150)
        self.detail_box = QComboBox()
        self.detail_box.setObjectName("agreementDetail")
        self.detail_box.currentIndexChanged.connect(lambda _i: self._show_details())
        self.chart = BarChart()
        self.labels = RecordsModel(figures.LABEL_HEADERS, self)
        self.labels_view = _table("agreementLabels", self.labels)
        self.confusion = RecordsModel((), self)
        self.confusion_view = _table("confusionMatrix", self.confusion)
        self.confusion_view.setAlternatingRowColors(False)
        self.documents = RecordsModel(figures.DOCUMENT_HEADERS, self)
        self.documents_view = _table("rankedDocuments", self.documents)
        self.documents_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.documents_view.doubleClicked.connect(self._open_document)
        self.documents_view.setToolTip("Double-click a document to review it")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("agreementNotes")
        self.notes.setReadOnly(True)
        left = QWidget()
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.overview_view)
        detail_row = QHBoxLayout()
        detail_row.addWidget(QLabel("Per label for"))
        detail_row.addWidget(self.detail_box, 1)
        box.addLayout(detail_row)
        box.addWidget(self.chart, 3)
        box.addWidget(self.labels_view, 2)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("agreementTabs")
        self.tabs.addTab(self.documents_view, "Documents by disagreement")
        self.tabs.addTab(self.confusion_view, "Confusion matrix (tokens)")
        self.tabs.addTab(self.notes, "Notes")
        self.results = QSplitter(Qt.Orientation.Horizontal)
        self.results.addWidget(left)
        self.results.addWidget(self.tabs)
        self.results.setSizes([760, 520])

    # -- choices ------------------------------------------------------------------------

    def layer(self) -> str | None:
        text = self.layer_box.currentText()
        return None if text == ALL_LAYERS else text

    def chosen_annotators(self) -> list[str]:
        return [a.text() for a in self.annotator_actions if a.isChecked()]

    def set_annotators(self, names: list[str]) -> None:
        for action in self.annotator_actions:
            action.blockSignals(True)
            action.setChecked(action.text() in names)
            action.blockSignals(False)
        self._annotators_changed()

    def _annotators_changed(self) -> None:
        self._chosen_by_user = True
        self._update_annotator_text()
        self.compute()

    def _update_annotator_text(self) -> None:
        chosen = self.chosen_annotators()
        self.annotator_button.setText((", ".join(chosen) or "those who annotated") + "  ▾")

    # -- computing ----------------------------------------------------------------------

    def is_running(self) -> bool:
        return self.task is not None and self.task.is_running()

    def compute(self) -> None:
        """Start a run on a worker thread (or queue one behind the running one)."""
        if self.is_running():
            self._again = True
            return
        names = self.chosen_annotators() if self._chosen_by_user else None
        if names is not None and len(names) < 2:
            self.status.setText("Choose at least two annotators")
            return
        path, layer = self.project_path, self.layer()
        self.task = Task(lambda: compute_report(path, layer, names), self)
        self.task.finished.connect(self._on_report)
        self.task.failed.connect(self._on_failed)
        self.busy.show()
        self.compute_button.setEnabled(False)
        self.status.setText("Computing…")
        self.task.start()

    def _finish_run(self) -> bool:
        if self.task is not None:
            self.task.wait()  # the thread is quitting; wait for it before dropping it
            self.task.deleteLater()
            self.task = None
        self.busy.hide()
        self.compute_button.setEnabled(True)
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.compute)
            return True
        return False

    def _on_failed(self, message: str) -> None:
        if not self._finish_run():
            self.status.setText(f"<span style='color:#b3261e'>Could not compute: "
                                f"{message}</span>")

    def _on_report(self, report: dict) -> None:
        if self._finish_run():
            return
        self.report = report
        if not self._chosen_by_user:  # show who the default run compared
            for action in self.annotator_actions:
                action.blockSignals(True)
                action.setChecked(action.text() in report["annotators"])
                action.blockSignals(False)
            self._update_annotator_text()
        self.status.setText(f"{report['documents_compared']:,} documents compared · "
                            f"{', '.join(report['annotators'])}")
        self.overview.set_rows(figures.overview_rows(report))
        current = self.detail_box.currentText()
        self.detail_box.blockSignals(True)
        self.detail_box.clear()
        for layer, index, text in figures.detail_keys(report):
            self.detail_box.addItem(text, (layer, index))
        found = self.detail_box.findText(current)
        self.detail_box.setCurrentIndex(max(found, 0))
        self.detail_box.blockSignals(False)
        self._show_details()
        rows, ids = figures.document_rows(report)
        self.documents.set_rows(rows, payloads=ids)
        self.notes.setPlainText("\n".join(report.get("notes", [])) or "No notes.")
        self.computed.emit(report)

    def _show_details(self) -> None:
        key = self.detail_box.currentData()
        if not key or not self.report:
            self.chart.clear("No figures: nothing compared")
            self.labels.set_rows([])
            self.confusion.set_rows([], headers=[])
            return
        layer, index = key
        labels, series = figures.label_series(self.report, layer, index)
        if labels:
            self.chart.set_data(labels, series, title=f"F1 per label — {layer}")
        else:
            self.chart.clear(f"No spans in the {layer} layer")
        pair = self.report["layers"][layer]["pairs"][index]
        headers = list(figures.LABEL_HEADERS)
        headers[1:3] = [f"{pair['a']} spans", f"{pair['b']} spans"]
        self.labels.set_rows(figures.label_rows(self.report, layer, index), headers=headers)
        headers, rows, shades = figures.confusion_table(self.report, layer, index)
        self.confusion.set_rows(rows, headers=headers, shades=shades)

    def _open_document(self, index) -> None:
        document_id = self.documents.payload(index.row())
        if document_id is not None:
            self.document_requested.emit(int(document_id), list(self.report.get("annotators",
                                                                                 [])))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.task is not None and self.task.is_running():
            self._again = False
            self.task.wait()
        super().closeEvent(event)
