"""Suggestions in the main window, a part of MainWindow (see news_annotator_ui/window_host.py).

Suggestions are the spans of the `suggestions` annotator, drawn dashed in the document
(DocumentSession shows them apart from anyone's work). This part proposes them for the
document just opened on a worker thread and writes them by difference (ids that stay,
stay); walks, accepts and rejects them with one key each through the window's undo
stack; offers a newly labelled span's text at its other occurrences; and learns again
in a child process, on demand or after enough new work.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from news_annotator.changes import Change, ChangeKind
from news_annotator.errors import AnnotatorError
from news_annotator.project import Project
from news_annotator.suggest.app_support import apply_proposals
from news_annotator.suggest.engine import SUGGESTIONS_ANNOTATOR
from news_annotator.suggest.gazetteer import gazetteer_labels
from news_annotator_ui.dialogs.suggestion_quality import SuggestionQualityDialog
from news_annotator_ui.dialogs.suggestion_settings import SuggestionSettingsDialog
from news_annotator_ui.document_session import DocumentSession
from news_annotator_ui.document_view import DocumentView
from news_annotator_ui.suggestion_config import (
    SHOW_SUGGESTIONS,
    SuggestionConfig,
    load_config,
    save_config,
    supports_suggestions,
)
from news_annotator_ui.suggestion_keys import SuggestionKeys
from news_annotator_ui.suggestion_learning import LearnRunner
from news_annotator_ui.suggestion_worker import Job, Proposed, SuggestionWorker
from news_annotator_ui.window_actions import SUGGEST
from news_annotator_ui.window_host import WindowHost
from news_annotator_ui.window_reliability import WindowReliability

IN_DOCUMENT = ("accept_suggestion", "accept_suggestion_alone", "accept_all_suggestions")
LEARN_PAUSE_MS = 8000  # quiet time after the last new span before learning by itself
# A document this long is proposed in two goes: the paragraphs on screen, then the whole
# (a 22,000-character article takes the models ~100 ms; the screen's part, a fifth).
PIECE_FROM = 8000  # characters
PIECE_MARGIN = 1000  # characters past the screen's last line, to the paragraph's end


class SuggestionsPart(QObject):
    """Follows the window's session; `shown(document id)` says a document's suggestions
    are up to date with the suggester."""

    shown = Signal(int)

    def __init__(self, host: WindowHost, view: DocumentView,
                 reliability: WindowReliability) -> None:
        super().__init__(host.as_widget())
        self.host, self.view, self.reliability = host, view, reliability
        self.actions = host.menu_actions
        self.session: DocumentSession | None = None
        self.project: Project | None = None
        self.config: SuggestionConfig | None = None
        self.worker: SuggestionWorker | None = None
        self.suggestions_id: int | None = None
        self.document_id: int | None = None
        self.generation = 0  # changes to the open document, to tell stale proposals
        self.new_spans = 0  # since learning last started
        self.last_latency: float | None = None  # seconds from asking to suggestions shown
        self.shown_at = 0.0  # time.perf_counter() when suggestions were last brought up to date
        self.complete_latency: float | None = None  # ... to the whole document's shown
        self.complete_at = 0.0  # ... the whole document's (a long one's come in pieces)
        self.learner = LearnRunner(self)
        self.learner.progress.connect(
            lambda done, total, _text: self.status.setText(f"learning {done}/{total}"))
        self.learner.finished.connect(self._learned)
        self.learn_timer = QTimer(self, singleShot=True, interval=LEARN_PAUSE_MS)
        self.learn_timer.timeout.connect(lambda: self.learn(automatic=True))
        reliability.add_writer(self.learner.running)
        self.status = QLabel()
        self.status.setObjectName("statusField")
        host.as_widget().statusBar().insertPermanentWidget(0, self.status)
        self.keys = SuggestionKeys(host, view, self.actions,
                                   suggestions_id=lambda: self.suggestions_id,
                                   switched_on=lambda: bool(self.config and self.config.enabled))
        self._connect_actions()
        view.document_shown.connect(self._follow_session)
        self._update_actions()

    def _connect_actions(self) -> None:
        keys = self.keys
        handlers = {
            "next_suggestion": lambda: keys.walk(1), "previous_suggestion": lambda: keys.walk(-1),
            "accept_suggestion": keys.accept,
            "accept_suggestion_alone": lambda: keys.accept(with_frame=False),
            "reject_suggestion": keys.reject, "accept_all_suggestions": keys.accept_all,
            "suggestion_settings": self.edit_settings, "learn_now": self.learn,
            "suggestion_quality": self.show_quality}
        for name, handler in handlers.items():
            self.actions[name].triggered.connect(lambda _c=False, h=handler: h())
        self.actions["suggest_enabled"].toggled.connect(self.set_enabled)
        show = self.actions["show_suggestions"]
        show.setChecked(self.host.settings.get(SHOW_SUGGESTIONS))
        show.toggled.connect(self.set_shown)
        window = self.host.as_widget()
        for name in IN_DOCUMENT:  # Enter belongs to the document, not to the list or fields
            action = self.actions[name]
            window.removeAction(action)
            self.view.addAction(action)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        review = self.host.menu_named("Review")
        if review is not None:
            review.addSeparator()
            review.addAction(self.actions["suggestion_quality"])

    # -- following the window's project and document ----------------------------------

    def _follow_session(self) -> None:
        session = self.host.session
        if session is not self.session:
            self._detach()
            if session is not None and self.host.project is not None:
                self._attach(session, self.host.project)
        if self.session is None or self.session.document_id == self.document_id:
            return
        self.document_id = self.session.document_id
        self.generation += 1
        self.view.select_suggestion(None)
        self._propose()

    def _attach(self, session: DocumentSession, project: Project) -> None:
        self.session, self.project = session, project
        self.document_id = None
        self.new_spans = 0
        self.config = load_config(self.host.settings, project, self.host.annotator_name)
        found = project.annotators.find(SUGGESTIONS_ANNOTATOR)
        self.suggestions_id = found.id if found is not None else None
        if self.supported():
            self.worker = SuggestionWorker(Path(str(project.path)), self.config.learn_from,
                                           self.config.layers, self)
            self.worker.proposed.connect(self._on_proposed)
            self.worker.failed.connect(lambda m: self.host.show_message(f"Suggestions: {m}"))
            if self.proposing():  # first: the rest of the opening runs while it builds
                self.worker.prepare()  # the first document's job waits for it, not a new one
        if self.actions["show_suggestions"].isChecked():
            session.show_suggestions_of(self.suggestions_id)
        session.suggestions_changed.connect(self._update_status)
        session.schema_changed.connect(self.keys.bind)
        project.subscribe(self._on_change)
        self.keys.bind(project.schema)
        self._update_actions()

    def _detach(self) -> None:
        if self.session is None:
            return
        self.learn_timer.stop()
        self.learner.wait()
        if self.worker is not None:
            self.worker.stop()
            self.worker.deleteLater()
        if self.project is not None:
            self.project.unsubscribe(self._on_change)
        self.session = self.project = self.config = self.worker = None
        self.suggestions_id = self.document_id = None
        self._update_actions()

    def supported(self) -> bool:
        return (self.project is not None and not self.project.read_only
                and supports_suggestions(self.project))

    def _on_change(self, change: Change) -> None:
        session = self.session
        if session is None or session.document_id is None:
            return
        if change.kind in (ChangeKind.OUTSIDE, ChangeKind.SCHEMA):
            self.generation += 1
            if change.kind is ChangeKind.SCHEMA and self.worker is not None:
                self.worker.invalidate()
            return
        if change.document_id != session.document_id or change.annotator_id not in (
                None, session.annotator_id, self.suggestions_id):
            return
        self.generation += 1
        if change.kind is ChangeKind.SPAN_ADDED and change.annotator_id == session.annotator_id:
            self._took_new_spans(change.ids)

    def _took_new_spans(self, ids: tuple[int, ...]) -> None:
        """Offer a new span's text at its other occurrences; learn after enough of them."""
        assert self.project is not None and self.config is not None
        if not self.config.enabled or self.worker is None:
            return
        allowed = gazetteer_labels(self.project.schema)
        changed = False
        for span_id in ids:
            span = self.project.spans.get(span_id)
            if span is not None and (span.layer, span.label) in allowed and (
                    self.config.layers is None or span.layer in self.config.layers):
                changed |= self.worker.learn_text(span.layer, span.label, span.text)
        if changed:
            self._propose()
        self.new_spans += len(ids)
        if self.config.retrain_every and self.new_spans >= self.config.retrain_every:
            self.learn_timer.start()  # again after each new span: learn once work pauses

    # -- proposing ------------------------------------------------------------------------

    def proposing(self) -> bool:
        return bool(self.config and self.config.enabled and self.worker is not None
                    and self.actions["show_suggestions"].isChecked())

    def _propose(self) -> None:
        self.reliability.user_active()  # upkeep steps aside (window_reliability.py)
        session = self.session
        if not self.proposing() or session is None or session.document is None:
            return
        assert self.worker is not None
        asked = time.perf_counter()
        text = session.document.text
        existing = tuple((s.layer, s.fragments) for s in session.spans.values())
        # While the suggester is being built (the project just opened), the first go has
        # the models alone and the second the gazetteer too: the screen's part first,
        # whatever the length, and no more than it.
        building = self.worker.suggester is None
        self.worker.request(Job(session.document.id, text, existing, self.generation, asked,
                                self._piece_on_screen(text, 0 if building else PIECE_FROM,
                                                      0 if building else PIECE_MARGIN)))

    def _piece_on_screen(self, text: str, piece_from: int = PIECE_FROM,
                         margin: int = PIECE_MARGIN) -> tuple[int, int] | None:
        """The paragraphs on screen (and `margin` characters more, to a paragraph's end)
        of a document of `piece_from` characters or more: proposed first. Qt lays out the
        paragraphs down to the screen's last, no further (what painting them needs
        anyway)."""
        if len(text) < piece_from or self.view.text() != text:
            return None
        document = self.view.document()
        layout = document.documentLayout()
        top = self.view.verticalScrollBar().value()
        bottom = top + self.view.viewport().height()
        first = last = None
        block = document.begin()
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            if rect.top() > bottom:
                break
            if first is None and rect.bottom() >= top:
                first = block.position()
            last = block.position() + block.length()
            block = block.next()
        if first is None or last is None:
            return None
        offsets = self.view.offsets()
        start = offsets.from_qt(first)
        end = text.find("\n", min(len(text), offsets.from_qt(last) + margin))
        end = len(text) if end < 0 else end + 1
        if end - start > len(text) * 2 // 3:
            return None  # most of it: one go is as quick
        return start, end

    def _on_proposed(self, proposed: Proposed) -> None:
        session, project, job = self.session, self.project, proposed.job
        if self.sender() is not self.worker or session is None or project is None \
                or self.config is None or job.document_id != session.document_id \
                or not self.proposing():  # hidden or switched off meanwhile
            return
        if job.generation != self.generation:
            self._propose()  # the document changed meanwhile: ask again with what is there
            return
        try:
            if self.suggestions_id is None:
                self.suggestions_id = project.annotator(SUGGESTIONS_ANNOTATOR).id
            applied = apply_proposals(project, job.document_id, self.suggestions_id,
                                      proposed.proposals, accepted_by=[session.annotator_id],
                                      layers=self.config.layers, within=proposed.within)
        except AnnotatorError as error:
            self.host.show_message(f"Could not write suggestions: {error}")
            return
        if session.suggestions_id != self.suggestions_id:
            session.show_suggestions_of(self.suggestions_id)
        elif applied.changed:
            session.reload_suggestions()
        if not proposed.complete and applied.changed:
            # Paint the piece now, while the worker waits to propose the rest (it would
            # slow this thread down otherwise); the repaint Qt has queued finds it done.
            self.view.viewport().repaint()
        self.shown_at = time.perf_counter()
        self.last_latency = self.shown_at - job.asked_at
        if proposed.complete:
            self.complete_at, self.complete_latency = self.shown_at, self.last_latency
        self.shown.emit(job.document_id)

    # -- settings, showing, learning, quality ----------------------------------------------

    def set_enabled(self, enabled: bool) -> None:
        if self.project is None or self.config is None or enabled == self.config.enabled:
            return
        self._set_config(replace(self.config, enabled=enabled))

    def set_shown(self, shown: bool) -> None:
        self.host.settings.set(SHOW_SUGGESTIONS, shown)
        if self.session is not None:
            self.session.show_suggestions_of(self.suggestions_id if shown else None)
            self.generation += 1
            self._propose()

    def edit_settings(self) -> None:
        if self.project is None or self.config is None or not self.supported():
            self.host.show_message("Suggestions need a project file open for editing")
            return
        dialog = SuggestionSettingsDialog(self.project, self.host.annotator_name, self.config,
                                          self.host.as_widget())
        if dialog.exec() == SuggestionSettingsDialog.DialogCode.Accepted:
            self._set_config(dialog.config())

    def _set_config(self, config: SuggestionConfig) -> None:
        assert self.project is not None and self.config is not None
        old, self.config = self.config, config
        save_config(self.host.settings, self.project, config)
        if self.worker is not None and (old.learn_from, old.layers) != (config.learn_from,
                                                                         config.layers):
            self.worker.configure(config.learn_from, config.layers)
        self._update_actions()
        self.generation += 1
        self._propose()

    def learn(self, *, automatic: bool = False) -> None:
        """Learn from the accepted work in a child process (with a progress dialog unless
        it runs by itself after new work)."""
        if self.project is None or self.config is None or not self.supported():
            if not automatic:
                self.host.show_message("Suggestions need a project file open for editing")
            return
        if automatic and not self.config.enabled:
            return
        parent = None if automatic else self.host.as_widget()
        if self.learner.start(Path(str(self.project.path)), self.config.learn_from,
                              self.config.layers, dialog_parent=parent):
            self.new_spans = 0
            self._update_status()
        elif not automatic:
            self.host.show_message("Already learning")

    def _learned(self, ok: bool, text: str) -> None:
        self.reliability.own_writes_done()
        self.host.show_message(text)
        if ok and self.worker is not None:
            self.worker.invalidate()
            self.generation += 1
            self._propose()
        self._update_status()

    def show_quality(self) -> SuggestionQualityDialog | None:
        if self.project is None or self.config is None:
            self.host.show_message("Open a project to measure its suggestions")
            return None
        dialog = SuggestionQualityDialog(self.project.path, self.config.learn_from,
                                         self.config.layers, self.host.as_widget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- how it looks ---------------------------------------------------------------------

    def _update_actions(self) -> None:
        supported = self.supported()
        enabled = self.actions["suggest_enabled"]
        enabled.blockSignals(True)
        enabled.setChecked(bool(self.config and self.config.enabled))
        enabled.blockSignals(False)
        for spec in SUGGEST:
            self.actions[spec.name].setEnabled(self.session is not None)
        for name in ("suggest_enabled", "suggestion_settings", "learn_now"):
            self.actions[name].setEnabled(supported)
        team = self.project is not None and not supports_suggestions(self.project)
        enabled.setToolTip("On a team project, `annotator suggest` (a curator) writes the "
                           "suggestions; here you answer them" if team else
                           "Propose suggestions for each document you open")
        self._update_status()

    def _update_status(self) -> None:
        session = self.session
        if session is None:
            self.status.clear()
            self.status.hide()
            return
        count = len(session.suggestions)
        if self.learner.running():
            text = "learning…"
        elif not (self.config and self.config.enabled) and not count:
            text = "suggestions off"
        else:
            text = f"{count} suggestion{'s' if count != 1 else ''}"
        self.status.setText(text)
        self.status.setToolTip("Suggestions in this document (dashed): N / P to walk them, "
                               "Enter accepts, X rejects; Annotate › Suggestions")
        self.status.show()
