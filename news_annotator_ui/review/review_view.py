"""The review window: compare annotators on one document and curate gold from the keys.

Each decision is a core curation command run through the project's undo stack (the one
the main window uses), so it is saved at once and Ctrl+Z undoes it here and there.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from news_annotator.changes import Change, ChangeKind
from news_annotator.model import Status
from news_annotator.project import Project
from news_annotator.review.compare import Difference, DifferenceKind, compare_document, summarize
from news_annotator.review.curation import GOLD
from news_annotator.suggest.engine import SUGGESTIONS_ANNOTATOR
from news_annotator_ui.review.difference_model import KIND_STYLE, DifferenceModel
from news_annotator_ui.review.gold_state import default_pair, gold_version, letters
from news_annotator_ui.review.review_columns import BADGE_COLORS, GOLD_BADGE, ReviewColumns
from news_annotator_ui.review.review_decisions import ReviewDecisions, difference_key
from news_annotator_ui.review.review_keys import REVIEW_KEYS
from news_annotator_ui.review.review_style import REVIEW_STYLE
from news_annotator_ui.review.review_toolbar import ReviewToolBar
from news_annotator_ui.undo import ProjectUndoStack


class ReviewWindow(ReviewDecisions, QMainWindow):
    """Differences on the left, the annotators' versions and gold side by side."""

    message = Signal(str)

    def __init__(self, project: Project, stack: ProjectUndoStack, parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reviewWindow")
        self.project, self.stack = project, stack
        self.document_id: int | None = None
        self.annotator_ids: list[int] = []
        self._chosen_by_user = False
        self._rejected: dict[tuple, int] = {}  # difference key -> undo index when rejected
        self._pending = self._full = False
        self._text = ""
        self.all_differences: list[Difference] = []
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.model = DifferenceModel(self)
        self.table = QTableView()
        self.table.setObjectName("differenceList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        header.setStretchLastSection(True)
        self.model.modelReset.connect(self._size_columns)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show(cur.row()))
        self.summary = QLabel()
        self.summary.setObjectName("reviewSummary")
        self.summary.setWordWrap(True)
        left = QWidget()
        left.setObjectName("differencePanel")
        box = QVBoxLayout(left)
        box.setContentsMargins(8, 8, 4, 8)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)
        self.columns = ReviewColumns()
        self.columns.span_selected.connect(self._on_span_clicked)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.columns)
        splitter.setSizes([620, 980])
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.actions_by_name = self._make_actions()
        self.toolbar = ReviewToolBar(self.actions_by_name, self)
        self.toolbar.annotators_chosen.connect(self._on_annotators_chosen)
        self.toolbar.agreed_toggled.connect(lambda _on: self.refresh())
        self.toolbar.layer_changed.connect(lambda _layer: self.refresh())
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.gold_label = QLabel()
        self.gold_label.setObjectName("statusField")
        self.statusBar().addPermanentWidget(self.gold_label)
        self.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.stack.indexChanged.connect(lambda _i: self._schedule())
        project.subscribe(self._on_change)
        self.setStyleSheet(REVIEW_STYLE)
        self.resize(1600, 900)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(1, self.model.columnCount() - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, 150 if column == 1 else 125)

    def _make_actions(self) -> dict[str, QAction]:
        handlers = {
            "accept_a": lambda: self.accept_columns((0,)),
            "accept_b": lambda: self.accept_columns((1,)),
            "accept_c": lambda: self.accept_columns((2,)),
            "accept_all": lambda: self.accept_columns(tuple(range(len(self.annotator_ids)))),
            "reject": lambda: self.accept_columns(()), "agreed": self.accept_agreed,
            "next": lambda: self.step(1), "previous": lambda: self.step(-1),
            "finish": self.finish,
            "next_document": lambda: self.walk_documents(1),
            "previous_document": lambda: self.walk_documents(-1),
        }
        found = {}
        for key in REVIEW_KEYS:
            action = QAction(key.text, self)
            action.setObjectName(key.name)
            action.setShortcuts([QKeySequence(k) for k in key.keys])
            action.setToolTip(f"{key.tip} ({key.keys[0]})")
            action.triggered.connect(lambda _c=False, h=handlers[key.name]: h())
            self.addAction(action)
            found[key.name] = action
        undo = self.stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.stack.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([undo, redo])
        found["undo"], found["redo"] = undo, redo
        return found

    # -- what is shown ------------------------------------------------------------------

    def open_document(self, document_id: int, annotator_ids: list[int] | None = None) -> bool:
        document = self.project.documents.get(document_id)
        if document is None:
            return False
        self.document_id = document_id
        candidates = [a.id for a in self.project.annotators.all() if a.name != GOLD]
        if annotator_ids is not None:
            self.annotator_ids, self._chosen_by_user = list(annotator_ids), True
        elif not self._chosen_by_user or len(set(self.annotator_ids) & set(candidates)) < 2:
            counts: dict[int, int] = {}
            for span in self.project.spans.for_document(document_id):
                counts[span.annotator_id] = counts.get(span.annotator_id, 0) + 1
            people = [a.id for a in self.project.annotators.all()  # not suggestions
                      if a.id in candidates and a.name != SUGGESTIONS_ANNOTATOR]
            self.annotator_ids = default_pair(counts, people)
        self._rejected.clear()
        self.setWindowTitle(f"Review — {document.title or f'Document {document.id}'}")
        self.toolbar.set_document(document.title or f"Document {document.id}")
        self.toolbar.set_annotators(self.project.annotators.all(), self.annotator_ids)
        self.toolbar.set_layers([layer.name for layer in self.project.schema.layers])
        self._build_columns()
        self.refresh()
        self.table.setFocus()
        return True

    def _names(self) -> dict[int, str]:
        return {a.id: a.name for a in self.project.annotators.all()}

    def _gold_id(self) -> int | None:
        found = self.project.annotators.find(GOLD)
        return found.id if found else None

    def _build_columns(self) -> None:
        names, tags = self._names(), letters(len(self.annotator_ids))
        owners: list[tuple[int | None, str, str, str]] = [
            (who, tags[i], names.get(who, str(who)), BADGE_COLORS[i % len(BADGE_COLORS)])
            for i, who in enumerate(self.annotator_ids)]
        owners.append((None, "G", "gold", GOLD_BADGE))
        self.columns.build(owners)
        self.actions_by_name["accept_c"].setEnabled(len(self.annotator_ids) > 2)

    def refresh(self) -> None:
        """Compare again and reload every column (keeps the selected difference)."""
        if self.document_id is None:
            return
        current = self.current_difference()
        document = self.project.documents.get(self.document_id)
        assert document is not None
        layer = self.toolbar.layer()
        self._text = document.text
        self.all_differences = compare_document(self.project, self.document_id,
                                                self.annotator_ids, layer=layer)
        shown = [d for d in self.all_differences
                 if self.toolbar.show_agreed() or d.kind is not DifferenceKind.SAME]
        schema = self.project.schema
        colors = {label.name: QColor(label.color) for _, label in schema.all_labels()}
        gold_spans = self._gold_spans()
        gold_id = self._gold_id()
        self.model.reset(document.text, shown, [gold_version(d, gold_spans, gold_id)
                                                for d in shown],
                         self.annotator_ids, self._names(), colors)
        for who in self.annotator_ids:
            spans = [s for s in self.project.spans.for_document(self.document_id, who)
                     if layer is None or s.layer == layer]
            self.columns.load(who, document.text, spans,
                              self.project.relations.for_document(self.document_id, who), schema)
        self._load_gold(document.text, gold_spans)
        self._update_summary()
        row = next((i for i, d in enumerate(shown) if current is not None
                    and (d.layer, d.start, d.end) == (current.layer, current.start, current.end)),
                   0 if shown else -1)
        self.select_row(row)

    def _gold_spans(self) -> list:
        gold_id = self._gold_id()
        if gold_id is None or self.document_id is None:
            return []
        layer = self.toolbar.layer()
        return [s for s in self.project.spans.for_document(self.document_id, gold_id)
                if layer is None or s.layer == layer]

    def _load_gold(self, text: str, gold_spans: list) -> None:
        gold_id = self._gold_id()
        relations = (self.project.relations.for_document(self.document_id, gold_id)
                     if gold_id is not None else [])
        self.columns.load(None, text, gold_spans, relations, self.project.schema)
        column = self.columns.column_of(None)
        if column is not None and self.document_id is not None and gold_id is not None:
            status = self.project.statuses.get(self.document_id, gold_id)
            column.set_count(len(gold_spans), f" · {status.value}")

    def _refresh_gold(self) -> None:
        """Gold changed (a decision, an undo): update the gold column and the list."""
        if self.document_id is None:
            return
        view = self.columns.column_of(None)
        scroll = view.view.verticalScrollBar().value() if view else 0
        gold_spans, gold_id = self._gold_spans(), self._gold_id()
        self._load_gold(self._text, gold_spans)
        if view is not None:
            view.view.verticalScrollBar().setValue(scroll)
        index = self.stack.index()
        self._rejected = {k: i for k, i in self._rejected.items() if i <= index}
        rows = self.model.differences()
        rejected = {r for r, d in enumerate(rows) if difference_key(d) in self._rejected}
        self.model.set_gold([gold_version(d, gold_spans, gold_id) for d in rows], rejected)
        self._update_summary()
        self._show(self.current_row())

    def _update_summary(self) -> None:
        counts = summarize(self.all_differences)
        parts = [f"<span style='color:{KIND_STYLE[kind][0]}'>●</span> {counts[kind.value]} "
                 f"{KIND_STYLE[kind][2]}" for kind in DifferenceKind]
        gold_id = self._gold_id()
        decided = sum(1 for r in range(self.model.rowCount()) if not self.model.gold(r).empty)
        status = (self.project.statuses.get(self.document_id, gold_id)
                  if gold_id is not None and self.document_id is not None else Status.NEW)
        self.summary.setText("&nbsp;&nbsp;".join(parts) + f"<br><span style='color:#6b7480'>"
                             f"{decided} of {self.model.rowCount()} listed in gold · gold "
                             f"{status.value}</span>")
        self.gold_label.setText(f"gold: {status.value}" + (" ●" if status is Status.DONE else ""))

    # -- the list -----------------------------------------------------------------------

    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def current_difference(self) -> Difference | None:
        return self.model.difference(self.current_row())

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(self.model.index(row, 0))
            self._show(row)

    def step(self, delta: int) -> None:
        count = self.model.rowCount()
        if count:
            self.select_row(max(0, min(count - 1, self.current_row() + delta)))

    def _show(self, row: int) -> None:
        difference = self.model.difference(row)
        if difference is None:
            return
        chosen: dict[int | None, int | None] = {
            who: (spans[0].id if spans else None) for who, spans in difference.versions}
        gold = [s for s in self._gold_spans() if s.layer == difference.layer
                and s.start < difference.end and difference.start < s.end]
        chosen[None] = gold[0].id if gold else None
        self.columns.show_range(difference.start, difference.end, chosen)

    def _on_span_clicked(self, owner: int | None, span_id: int | None) -> None:
        if span_id is None:
            return
        for row, difference in enumerate(self.model.differences()):
            if owner is not None and any(s.id == span_id for s in difference.spans_of(owner)):
                self.select_row(row)
                return

    def walk_documents(self, step: int) -> None:
        if self.document_id is not None:
            target = self.project.documents.neighbour(self.document_id, step)
            if target is None:
                self.message.emit("No more documents that way")
            else:
                self.open_document(target)

    def _on_annotators_chosen(self, ids: list[int]) -> None:
        if self.document_id is not None and ids != self.annotator_ids:
            self.open_document(self.document_id, ids)

    # -- project changes ----------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if change.kind in (ChangeKind.SCHEMA, ChangeKind.ANNOTATORS, ChangeKind.OUTSIDE) or (
                self.document_id is not None and change.document_id == self.document_id):
            self._schedule(full=change.annotator_id in self.annotator_ids
                           or change.kind in (ChangeKind.SCHEMA, ChangeKind.OUTSIDE))

    def _schedule(self, *, full: bool = False) -> None:
        self._full = self._full or full
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._flush)

    def _flush(self) -> None:
        self._pending = False
        full, self._full = self._full, False
        (self.refresh if full else self._refresh_gold)()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.project.unsubscribe(self._on_change)
        self._pending = True  # no refresh after the window is gone
        super().closeEvent(event)

