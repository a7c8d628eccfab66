"""The right-hand dock: the selected span (label, text, attributes, note, relations) and
the list of spans in the document.

The panel edits nothing itself; it emits what the user asked for and the window turns
that into commands, so the panel also shows undo results without special cases.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from news_annotator.model import Relation, Span
from news_annotator.schema import AttributeDef
from news_annotator_ui.document_session import DocumentSession
from news_annotator_ui.label_palette import text_color_for
from news_annotator_ui.span_list_model import SpanIdRole, SpanListModel

NOTE_DELAY_MS = 700
HINT = "Select text and press a label key, or click a span."
UNSET = "—"


class NoteEdit(QPlainTextEdit):
    """A plain-text note that reports focus loss so the note is saved at once."""

    focus_lost = Signal()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.focus_lost.emit()


class SpanPanel(QWidget):
    attributes_edited = Signal(int, dict)
    note_edited = Signal(int, str)
    relation_delete_requested = Signal(int)
    span_chosen = Signal(int)

    def __init__(self, session: DocumentSession | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("spanPanel")
        self.session = session
        self.span: Span | None = None
        self._form_key: tuple[int, str] | None = None
        self.attribute_widgets: dict[str, QWidget] = {}

        self.title = QLabel("Selected span")
        self.title.setObjectName("panelTitle")
        self.label_chip = QLabel()
        self.label_chip.setObjectName("labelChip")
        self.span_text = QLabel()
        self.span_text.setObjectName("spanText")
        self.span_text.setWordWrap(True)
        self.span_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(HINT)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.note = NoteEdit()
        self.note.setObjectName("noteEdit")
        self.note.setPlaceholderText("Note…")
        self.note.setFixedHeight(64)
        self.relations_box = QVBoxLayout()
        self.relations_box.setSpacing(2)
        self.relations_title = QLabel("Relations")
        self.relations_title.setObjectName("sectionTitle")
        self.relation_actions: dict[str, QAction] = {}
        self.relation_buttons = QHBoxLayout()
        self.relation_buttons.setSpacing(4)

        self.details = QFrame()
        self.details.setObjectName("spanDetails")
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.label_chip)
        head.addStretch(1)
        details.addLayout(head)
        details.addWidget(self.span_text)
        details.addWidget(self.form_host)
        details.addWidget(self.note)
        details.addWidget(self.relations_title)
        details.addLayout(self.relations_box)
        details.addLayout(self.relation_buttons)

        self.list_title = QLabel("Spans in document")
        self.list_title.setObjectName("sectionTitle")
        self.span_model = SpanListModel(self)
        self.span_list = QListView()
        self.span_list.setObjectName("spanList")
        self.span_list.setModel(self.span_model)
        self.span_list.setUniformItemSizes(True)
        self.span_list.clicked.connect(self._on_list_clicked)
        self.span_list.activated.connect(self._on_list_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.details)
        layout.addWidget(self.list_title)
        layout.addWidget(self.span_list, 1)

        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.flush_note)
        self.note.textChanged.connect(self._on_note_typed)
        self.note.focus_lost.connect(self.flush_note)
        self.show_span(None)

    def set_session(self, session: DocumentSession | None) -> None:
        self.session = session
        self.span = None
        self._form_key = None
        self.refresh()

    def set_relation_actions(self, actions: dict[str, QAction]) -> None:
        """The window's relation actions; buttons show those the selected span can start."""
        self.relation_actions = dict(actions)
        self._form_key = None
        if self.span is not None:
            self.show_span(self.span)

    # -- showing ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the selected span and the span list from the session."""
        if self.session is None:
            self.span_model.set_spans([], None)  # type: ignore[arg-type]
            self.show_span(None)
            return
        self.span_model.set_spans(self.session.spans_in_order(), self.session.project.schema)
        span_id = self.span.id if self.span else None
        self.show_span(self.session.span(span_id))

    def show_span(self, span: Span | None) -> None:
        if self.span is not None and (span is None or span.id != self.span.id):
            self.flush_note()
        self.span = span
        self._editing(True)
        self.details.setVisible(span is not None)
        self.hint.setVisible(span is None)
        self.hint.setText(HINT)
        if span is None:
            self._form_key = None
            self.span_list.clearSelection()
            return
        self._show_head(span)
        if (span.id, span.label) != self._form_key:
            self._build_form(span)
        self._fill_form(span)
        if self.note.toPlainText() != span.note and not self.note.hasFocus():
            self.note.blockSignals(True)
            self.note.setPlainText(span.note)
            self.note.blockSignals(False)
        self._show_relations(span)
        row = self.span_model.row_of(span.id)
        if row is not None:
            self.span_list.setCurrentIndex(self.span_model.index(row))

    def show_suggestion(self, span: Span, frame: list[tuple[Relation, Span | None]],
                        keys: str) -> None:
        """A suggestion, read-only: its label and text, the frame it comes with (a
        quote's cue and source), and the keys that accept or reject it; so the choice is
        made here, not by reading dashed outlines."""
        if self.span is not None:
            self.flush_note()
        self.span = None
        self._editing(False)
        self.details.setVisible(True)
        self.hint.setVisible(True)
        self.hint.setText(keys)
        self._show_head(span, suggested=True)
        rows = [(relation.type, relation.source_id == span.id, other, None)
                for relation, other in frame]
        self._relation_rows(rows)
        self.relations_title.setVisible(bool(rows))
        self.span_list.clearSelection()

    def _editing(self, editing: bool) -> None:
        """The title, and the parts only the user's own span has (attributes, note,
        relation buttons)."""
        self.title.setText("Selected span" if editing else "Suggestion")
        self.form_host.setVisible(editing)
        self.note.setVisible(editing)
        for index in range(self.relation_buttons.count()):
            widget = self.relation_buttons.itemAt(index).widget()
            if widget is not None:
                widget.setVisible(editing)

    def _show_head(self, span: Span, *, suggested: bool = False) -> None:
        color = self._label_color(span)
        self.label_chip.setText(f"{span.label}  ·  {span.layer}")
        style = (f"border: 2px dashed {color}; color: palette(text);" if suggested
                 else f"background: {color}; color: {text_color_for(color)};")
        self.label_chip.setStyleSheet(
            f"{style} border-radius: 4px; padding: 3px 8px; font-weight: 600;")
        shown = span.text if len(span.text) <= 400 else span.text[:399] + "…"
        self.span_text.setText(shown)

    def _label_color(self, span: Span) -> str:
        schema = self.session.project.schema if self.session else None
        layer = schema.layer(span.layer) if schema else None
        label = layer.label(span.label) if layer else None
        return label.color if label else "#888888"

    # -- attributes ---------------------------------------------------------------------

    def _definitions(self, span: Span) -> tuple[AttributeDef, ...]:
        if self.session is None:
            return ()
        layer = self.session.project.schema.layer(span.layer)
        return layer.attributes_for(span.label) if layer else ()

    def _build_form(self, span: Span) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.attribute_widgets.clear()
        for definition in self._definitions(span):
            widget: QWidget
            if definition.kind == "boolean":
                widget = QCheckBox()
                widget.toggled.connect(lambda _on, d=definition: self._attribute_edited(d))
            elif definition.kind == "text":
                widget = QLineEdit()
                widget.editingFinished.connect(lambda d=definition: self._attribute_edited(d))
            else:
                widget = QComboBox()
                widget.addItems([UNSET, *definition.values])
                widget.activated.connect(lambda _i, d=definition: self._attribute_edited(d))
            widget.setObjectName(f"attribute_{definition.name}")
            widget.setToolTip(definition.description)
            self.form.addRow(definition.name.replace("_", " "), widget)
            self.attribute_widgets[definition.name] = widget
        self._form_key = (span.id, span.label)
        self._build_relation_buttons(span)

    def _build_relation_buttons(self, span: Span) -> None:
        while self.relation_buttons.count():
            item = self.relation_buttons.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        schema = self.session.project.schema if self.session else None
        for name, action in self.relation_actions.items():
            kind = schema.relation_type(name) if schema else None
            if kind is None or (kind.source_labels and span.label not in kind.source_labels):
                continue
            button = QToolButton()
            button.setObjectName("relationButton")
            button.setDefaultAction(action)
            key = kind.key.upper()
            action.setIconText(f"{key}  → {name}" if key else f"→ {name}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.relation_buttons.addWidget(button)
        self.relation_buttons.addStretch(1)

    def _fill_form(self, span: Span) -> None:
        for definition in self._definitions(span):
            widget = self.attribute_widgets.get(definition.name)
            value = span.attributes.get(definition.name)
            if widget is None:
                continue
            widget.blockSignals(True)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QLineEdit):
                if not widget.hasFocus():
                    widget.setText("" if value is None else str(value))
            elif isinstance(widget, QComboBox):
                found = widget.findText(str(value)) if value is not None else 0
                widget.setCurrentIndex(max(found, 0))
            widget.blockSignals(False)

    def _attribute_edited(self, definition: AttributeDef) -> None:
        if self.span is None:
            return
        widget = self.attribute_widgets[definition.name]
        value: Any
        if isinstance(widget, QCheckBox):
            value = widget.isChecked()
        elif isinstance(widget, QLineEdit):
            value = widget.text().strip() or None
        else:
            text = widget.currentText()
            value = None if text == UNSET else text
        attributes = dict(self.span.attributes)
        if value is None:
            attributes.pop(definition.name, None)
        else:
            attributes[definition.name] = value
        if attributes != self.span.attributes:
            self.attributes_edited.emit(self.span.id, attributes)

    # -- note ---------------------------------------------------------------------------

    def _on_note_typed(self) -> None:
        self._note_timer.start()

    def flush_note(self) -> None:
        """Save the note now if it differs from the stored one."""
        self._note_timer.stop()
        if self.span is not None and self.note.toPlainText() != self.span.note:
            self.note_edited.emit(self.span.id, self.note.toPlainText())

    # -- relations ----------------------------------------------------------------------

    def _show_relations(self, span: Span) -> None:
        relations = self.session.relations_of(span.id) if self.session else []
        self.relations_title.setVisible(bool(relations) or self.relation_buttons.count() > 1)
        rows = []
        for relation in relations:
            outgoing = relation.source_id == span.id
            other = self.session.span(relation.target_id if outgoing else relation.source_id) \
                if self.session else None
            rows.append((relation.type, outgoing, other, relation.id))
        self._relation_rows(rows)

    def _relation_rows(self, rows: list[tuple[str, bool, Span | None, int | None]]) -> None:
        """One line per relation: its type, direction and the other end; a delete button
        when it is the user's (an id given)."""
        while self.relations_box.count():
            item = self.relations_box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for kind, outgoing, other, relation_id in rows:
            other_text = other.text if other else "?"
            other_text = other_text if len(other_text) <= 32 else other_text[:31] + "…"
            arrow = f"{kind} → " if outgoing else f"← {kind} of "
            row = QWidget()
            row.setObjectName("relationRow")
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = QLabel(f"{html.escape(arrow)}<b>{other.label if other else ''}</b> "
                          f"“{html.escape(other_text)}”")
            text.setTextFormat(Qt.TextFormat.RichText)
            line.addWidget(text, 1)
            if relation_id is not None:
                delete = QToolButton()
                delete.setObjectName("deleteRelation")
                delete.setText("✕")
                delete.setToolTip("Delete this relation")
                delete.setAutoRaise(True)
                delete.clicked.connect(lambda _c=False, rid=relation_id:
                                       self.relation_delete_requested.emit(rid))
                line.addWidget(delete)
            self.relations_box.addWidget(row)

    def _on_list_clicked(self, index: QModelIndex) -> None:
        span_id = index.data(SpanIdRole)
        if span_id is not None:
            self.span_chosen.emit(int(span_id))
