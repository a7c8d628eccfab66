"""Review › Suggestion quality: how well suggestions match accepted work, per label and
for quote frames, so the user knows which suggestions to trust.

Suggestions are proposed afresh (not read back: accepted ones are no longer suggestions)
for every document the learn-from annotators annotated, on a worker thread with its own
connection, and scored against that work (news_annotator/suggest/app_support.py).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from news_annotator.project import Project
from news_annotator.server_address import ServerAddress
from news_annotator.suggest.app_support import QualityRun, fresh_quality
from news_annotator.suggest.engine import build_suggester
from news_annotator_ui.review.records_model import RecordsModel
from news_annotator_ui.task import Task

LABEL_HEADERS = ("Layer / label", "Precision", "Recall", "F1", "Suggested", "Accepted",
                 "Overlap F1")
QUOTE_HEADERS = ("Quote frames", "Precision", "Recall", "F1")
QUOTE_NAMES = {"content_overlap": "content (token overlap)", "content": "content (exact)",
               "cue": "cue (exact)", "source": "source (exact, linked)"}


def shade(f1: float) -> QColor:
    """Green for figures to trust, amber for some, red for few."""
    return QColor("#dcefdc") if f1 >= 0.8 else QColor("#fbeccb") if f1 >= 0.5 \
        else QColor("#f6d6d3")


def _table(name: str, model: RecordsModel) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


def fit_rows(view: QTableView) -> None:
    """As tall as its rows: a short table needs no scroll bar."""
    rows = sum(view.rowHeight(r) for r in range(view.model().rowCount()))
    view.setFixedHeight(view.horizontalHeader().height() + rows + 2 * view.frameWidth())


class SuggestionQualityDialog(QDialog):
    """Computes on open; `run` holds the result once `status` says so."""

    def __init__(self, location: Path | ServerAddress, learn_from: tuple[str, ...],
                 layers: tuple[str, ...] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Suggestion quality")
        self.setObjectName("suggestionQuality")
        self.resize(720, 560)
        self.learn_from, self.layers = learn_from, layers
        self.run: QualityRun | None = None
        self.stop = threading.Event()
        self.status = QLabel("Proposing suggestions for the documents with accepted work…")
        self.status.setObjectName("qualityStatus")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.labels = RecordsModel(LABEL_HEADERS, self)
        self.labels.set_header_tips({
            1: "Of the suggestions of this label, the share that matches accepted work "
               "exactly", 2: "Of the accepted spans, the share that was suggested exactly",
            6: "F1 when a suggestion overlapping an accepted span of its label counts"})
        self.quotes = RecordsModel(QUOTE_HEADERS, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(_table("qualityLabels", self.labels), 1)
        self.quotes_view = _table("qualityQuotes", self.quotes)
        layout.addWidget(self.quotes_view)
        layout.addWidget(buttons)
        stop = self.stop

        def compute() -> QualityRun:
            with Project.open(location, read_only=True) as project:
                suggester = build_suggester(project, learn_from=learn_from, layers=layers)
                return fresh_quality(project, suggester, learn_from, layers,
                                     progress=lambda done, total: self.task.report(
                                         (done, total)), cancelled=stop.is_set)

        self.task = Task(compute, self)
        self.task.progress.connect(self._progress)
        self.task.finished.connect(self._show)
        self.task.failed.connect(lambda message: self._end(f"Could not measure: {message}"))
        self.task.start()

    def is_running(self) -> bool:
        return self.task.is_running()

    def done(self, result: int) -> None:  # noqa: D401 (Qt override: close, Esc)
        self.stop.set()
        self.task.wait()
        super().done(result)

    def _progress(self, value: tuple[int, int]) -> None:
        done, total = value
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _end(self, text: str) -> None:
        self.task.wait()
        self.bar.hide()
        self.status.setText(text)

    def _show(self, run: QualityRun) -> None:
        self.run = run
        report = run.report
        rows, shades = [], []
        for key in sorted(report.labels):
            score, overlap = report.labels[key], report.labels_overlap[key]
            rows.append((f"{key[0]} / {key[1]}", score.precision, score.recall, score.f1,
                         score.predicted, score.reference, overlap.f1))
            shades.append([None, None, None, shade(score.f1), None, None, shade(overlap.f1)])
        self.labels.set_rows(rows, shades=shades)
        quote_rows = [(QUOTE_NAMES.get(name, name), s.precision, s.recall, s.f1)
                      for name, s in report.quotes.items() if s.reference or s.predicted]
        self.quotes.set_rows(quote_rows, shades=[[None, None, None, shade(r[3])]
                                                 for r in quote_rows])
        self.quotes_view.setVisible(bool(quote_rows))
        fit_rows(self.quotes_view)
        who = ", ".join(self.learn_from)
        if not run.documents:
            self._end(f"Nothing to compare with yet: {who} have no accepted work. Annotate "
                      "a few documents (or accept suggestions), then look again.")
            return
        documents = "the document" if run.documents == 1 else f"the {run.documents:,} documents"
        text = (f"Suggestions proposed afresh for {documents} that {who} annotated, compared "
                "with that work. Trust a label whose precision is high: accept its "
                "suggestions in bulk (Shift+Enter).")
        if run.learned_from_them:
            text += (" The learned models were trained on these same documents, so the "
                     "figures flatter them; expect less on new documents.")
        self._end(text)
