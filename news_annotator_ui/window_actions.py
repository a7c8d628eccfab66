"""The main window's fixed actions and menus (the schema's own actions are added later).

Kept apart from the window so that the keyboard map reads as one table, which is also
what Help › Keyboard shortcuts shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from news_annotator_ui.review.review_keys import REVIEW_KEYS

# Sequences the schema's Ctrl+label (add a fragment) actions must leave alone.
RESERVED = {"Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "Ctrl+D", "Ctrl+O", "Ctrl+N", "Ctrl+I",
            "Ctrl+F", "Ctrl+C", "Ctrl+A", "Ctrl+L", "Ctrl+R", "Ctrl+E"}


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    text: str
    keys: tuple[str, ...] = ()
    tip: str = ""
    checkable: bool = False
    shown_keys: str = ""  # keys the document view handles itself (shown, not bound)


FILE = (
    Spec("new_project", "&New project…", ("Ctrl+N",), "Create an empty project file"),
    Spec("open", "&Open project or corpus…", ("Ctrl+O",),
         "Open a project file, or a corpus folder/file (a project is made beside it)"),
    Spec("import", "&Import into project…", ("Ctrl+I",), "Add documents to this project"),
    Spec("export", "&Export…", ("Ctrl+E",), "Write annotations in another tool's format"),
    Spec("backup_now", "&Back up now…", (), "Save a consistent copy of the project file"),
    Spec("quit", "&Quit", ("Ctrl+Q",)),
)
EDIT = (
    Spec("delete_span", "&Delete span", ("Delete", "Backspace"), "Delete the selected span"),
    Spec("filter", "&Filter documents", ("Ctrl+F",), "Full-text filter of the document list"),
)
NAVIGATE = (
    Spec("next_span", "Next span", shown_keys="Tab"),
    Spec("previous_span", "Previous span", shown_keys="Shift+Tab"),
    Spec("next_document", "Next document", ("PgDown", "Ctrl+PgDown")),
    Spec("previous_document", "Previous document", ("PgUp", "Ctrl+PgUp")),
)
ANNOTATE = (
    Spec("end_left", "Move end left", ("Alt+Left",), "One character"),
    Spec("end_right", "Move end right", ("Alt+Right",), "One character"),
    Spec("start_left", "Move start left", ("Alt+Shift+Left",), "One character"),
    Spec("start_right", "Move start right", ("Alt+Shift+Right",), "One character"),
    Spec("end_word_left", "Move end left by a word", ("Ctrl+Alt+Left",)),
    Spec("end_word_right", "Move end right by a word", ("Ctrl+Alt+Right",)),
    Spec("start_word_left", "Move start left by a word", ("Ctrl+Alt+Shift+Left",)),
    Spec("start_word_right", "Move start right by a word", ("Ctrl+Alt+Shift+Right",)),
    Spec("cancel", "Cancel relation", ("Esc",), "Stop picking a relation target"),
    Spec("toggle_done", "Mark document &done", ("Ctrl+D",),
         "Toggle between done and in progress", checkable=True),
    Spec("edit_schema", "Edit &labels and attributes…"),
    Spec("annotator_name", "Change annotator &name…"),
)
VIEW = (
    Spec("show_others", "Show &other annotators", ("Ctrl+Shift+O",),
         "Show other annotators' spans, muted and read-only", checkable=True),
    Spec("snap_words", "&Snap selections to words", ("Ctrl+Shift+W",),
         "Grow new spans to whole words", checkable=True),
    Spec("show_suggestions", "Show s&uggestions", (),
         "Draw suggestions (dashed outlines) in the document", checkable=True),
)
# Keys for suggestions, the dashed spans of the `suggestions` annotator. Enter and its
# variants work while the document has the focus (news_annotator_ui/suggestions.py scopes them), so
# the document list and the text fields keep theirs.
SUGGEST = (
    Spec("next_suggestion", "&Next suggestion", ("N",), "Go to the next suggestion"),
    Spec("previous_suggestion", "&Previous suggestion", ("P",),
         "Go to the previous suggestion"),
    Spec("accept_suggestion", "&Accept suggestion", ("Return", "Enter"),
         "Make the current suggestion yours; a quote comes with its cue and source",
         shown_keys="Enter"),
    Spec("accept_suggestion_alone", "Accept this &part only", ("Ctrl+Return", "Ctrl+Enter"),
         "Accept the current suggestion without the cue and source it points to",
         shown_keys="Ctrl+Enter"),
    Spec("reject_suggestion", "&Reject suggestion", ("X",),
         "Remove the current suggestion; it is not proposed again"),
    Spec("accept_all_suggestions", "Accept all of this &label", ("Shift+Return", "Shift+Enter"),
         "Accept every suggestion in this document with the current one's label",
         shown_keys="Shift+Enter"),
    Spec("suggest_enabled", "&Suggest in this project", (),
         "Propose suggestions for each document you open", checkable=True),
    Spec("suggestion_settings", "Suggestion s&ettings…", (),
         "Whose work suggestions learn from, in which layers"),
    Spec("learn_now", "Lear&n from my work now", (),
         "Learn suggestions from the accepted work (in the background)"),
    Spec("suggestion_quality", "Suggestion &quality…", (),
         "Precision and recall of suggestions against accepted work, per label"),
)
HELP = (
    Spec("shortcuts", "&Keyboard shortcuts", ("F1",)),
    Spec("about", "&About News Annotator"),
)
GROUPS = (("File", FILE), ("Edit", EDIT), ("Navigate", NAVIGATE), ("Annotate", ANNOTATE),
          ("Suggestions", SUGGEST), ("View", VIEW), ("Help", HELP))


def make_actions(window: QMainWindow, handlers: dict[str, Callable]) -> dict[str, QAction]:
    """One QAction per spec, connected to `handlers[name]`, added to the window."""
    actions: dict[str, QAction] = {}
    for _group, specs in GROUPS:
        for spec in specs:
            action = QAction(spec.text, window)
            action.setObjectName(spec.name)
            if spec.keys:
                action.setShortcuts([QKeySequence(k) for k in spec.keys])
            if spec.tip:
                action.setToolTip(spec.tip)
                action.setStatusTip(spec.tip)
            action.setCheckable(spec.checkable)
            handler = handlers.get(spec.name)
            if handler is not None:
                if spec.checkable:
                    action.toggled.connect(handler)
                else:
                    action.triggered.connect(lambda _checked=False, h=handler: h())
            if spec.shown_keys:
                action.setText(f"{spec.text}\t{spec.shown_keys}")
            window.addAction(action)
            actions[spec.name] = action
    actions["cancel"].setEnabled(False)
    actions["cancel"].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    return actions


def add_to_menu(menu: QMenu, actions: dict[str, QAction], specs: tuple[Spec, ...]) -> None:
    for spec in specs:
        menu.addAction(actions[spec.name])


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The fixed part of Help › Keyboard shortcuts, grouped like the menus."""
    sections = []
    for group, specs in GROUPS:
        rows = []
        for spec in specs:
            bound = " / ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                               for k in actions[spec.name].shortcuts())
            keys = spec.shown_keys or bound
            if keys:
                rows.append((keys, spec.text.replace("&", "").rstrip("…")))
        if rows:
            sections.append((group, rows))
    return sections


def shortcut_sections(menu_actions: dict[str, QAction], schema_rows: list[tuple[str, str]]
                      ) -> list[tuple[str, list[tuple[str, str]]]]:
    """Help › Keyboard shortcuts: undo, the schema's keys, the menus', the review window's."""
    sections = [("Edit", [("Ctrl+Z", "Undo"), ("Ctrl+Shift+Z / Ctrl+Y", "Redo")])]
    if schema_rows:
        sections.append(("Labels and relations (from the schema)", schema_rows))
    review = ("Review window (Ctrl+R)", [(" / ".join(key.keys), key.tip) for key in REVIEW_KEYS])
    return sections + shortcut_rows(menu_actions) + [review]
