"""What the suggestion keys do: walk the suggestions, accept one (a quote with its cue and
source, or the part alone), reject one, accept all of a label. Each answer is one core
command on the window's undo stack; then the next suggestion becomes current, so a
document is answered key after key.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence

from news_annotator.model import Span
from news_annotator.schema import Schema
from news_annotator.suggest.commands import AcceptAllOfLabel, AcceptSuggestion, RejectSuggestion
from news_annotator_ui.document_view import DocumentView
from news_annotator_ui.window_actions import SUGGEST
from news_annotator_ui.window_host import WindowHost

SPECS = {spec.name: spec for spec in SUGGEST}
OFF = "Suggestions are off for this project: Annotate › Suggestions turns them on"


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SuggestionKeys:
    """The answering keys of one window; `suggestions_id()` names the suggestions
    annotator (None before it exists) and `switched_on()` says whether the project gets
    suggestions."""

    def __init__(self, host: WindowHost, view: DocumentView, actions: dict[str, QAction], *,
                 suggestions_id: Callable[[], int | None],
                 switched_on: Callable[[], bool]) -> None:
        self.host, self.view, self.actions = host, view, actions
        self.suggestions_id = suggestions_id
        self.switched_on = switched_on
        view.suggestion_selected.connect(self._on_selected)

    def current(self) -> Span | None:
        return self.view.suggestion(self.view.current_suggestion_id())

    def walk(self, step: int) -> None:
        if self.host.session is not None and self.view.next_suggestion(step) is None:
            self.host.show_message(self._none_left())

    def accept(self, *, with_frame: bool = True) -> None:
        span, me = self.current(), self._me()
        if span is None or me is None or self.host.stack is None:
            self.host.show_message(self._no_current())
            return
        command = AcceptSuggestion(span.id, me, with_frame=with_frame)
        if not self.host.stack.run(command):
            return
        parts = len(command.created) - 1
        what = (" with its cue and source" if parts > 1 else " with 1 part" if parts == 1
                else "")
        self.host.show_message(f"Accepted {span.label} “{short(span.text)}”{what} · "
                               "Ctrl+Z undoes")
        self._move_on(span.start, command.created[0] if command.created else None)

    def reject(self) -> None:
        span = self.current()
        if span is None or self.host.stack is None:
            self.host.show_message(self._no_current())
            return
        if self.host.stack.run(RejectSuggestion(span.id)):
            self.host.show_message(f"Rejected {span.label} “{short(span.text)}”: it will "
                                   "not be proposed again · Ctrl+Z undoes")
            self._move_on(span.start, None)

    def accept_all(self) -> None:
        span, me, session = self.current(), self._me(), self.host.session
        suggestions_id = self.suggestions_id()
        if span is None or me is None or session is None or self.host.stack is None \
                or suggestions_id is None or session.document_id is None:
            self.host.show_message(self._no_current())
            return
        command = AcceptAllOfLabel(session.document_id, suggestions_id, me, span.label,
                                   span.layer)
        if self.host.stack.run(command):
            count = len(command.accepted)
            self.host.show_message(f"Accepted {count} {span.label} suggestion"
                                   f"{'s' if count != 1 else ''} · Ctrl+Z undoes them all")
            self._move_on(span.start, None)

    def _move_on(self, position: int, made: int | None) -> None:
        """After an answer: the next suggestion from where it was, else the span made."""
        order = self.view.suggestions_in_order()
        target = next((s for s in order if s.start >= position), order[0] if order else None)
        if target is not None:
            self.view.select_suggestion(target.id)
        elif made is not None:
            self.view.select_span(made)

    def _me(self) -> int | None:
        return self.host.session.annotator_id if self.host.session is not None else None

    def _no_current(self) -> str:
        if not self.view.suggestions_in_order():
            return self._none_left()
        return f"No suggestion chosen: {self.key_text('next_suggestion')} goes to the next one"

    def _none_left(self) -> str:
        if not self.actions["show_suggestions"].isChecked():
            return "Suggestions are hidden: View › Show suggestions shows them"
        return "No suggestions in this document" if self.switched_on() else OFF

    def _on_selected(self, span_id: int | None) -> None:
        span = self.view.suggestion(span_id)
        if span is not None:
            self.host.show_message(
                f"Suggestion {span.label} “{short(span.text)}”: "
                f"{self.key_text('accept_suggestion')} accepts, "
                f"{self.key_text('reject_suggestion')} rejects, "
                f"{self.key_text('next_suggestion')} goes on")

    def key_text(self, name: str) -> str:
        """The key of an action as Help shows it ("Enter", not "Return")."""
        keys = self.actions[name].shortcuts()
        if not keys:
            return "the menu"
        return SPECS[name].shown_keys or keys[0].toString(QKeySequence.SequenceFormat.NativeText)

    def bind(self, schema: Schema | None) -> None:
        """The single-letter keys step aside for a schema that gives them to labels or
        relations (the menus still have every action)."""
        taken: set[str] = set()
        if schema is not None:
            taken = {lb.key.upper() for _, lb in schema.all_labels() if lb.key}
            taken |= {r.key.upper() for r in schema.relation_types if r.key}
        for spec in SUGGEST:
            if len(spec.keys) == 1 and len(spec.keys[0]) == 1:
                free = spec.keys[0] not in taken
                self.actions[spec.name].setShortcuts([QKeySequence(spec.keys[0])] if free
                                                     else [])
        self.view.suggestion_hint = (f"suggestion · {self.key_text('accept_suggestion')} "
                                     f"accepts, {self.key_text('reject_suggestion')} rejects")
