"""The main window's Review menu (and File › Merge), and the windows it opens.

Installed by one call from MainWindow so that the window's own modules stay untouched;
the review window follows the window's project: when its undo stack goes (the project
closed or another opened), the review window closes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from news_annotator_ui.review.agreement_window import AgreementWindow
from news_annotator_ui.review.merge_dialog import MergeDialog
from news_annotator_ui.review.review_view import ReviewWindow


class ReviewMenu(QObject):
    """Owns the Review menu's actions and the review, agreement and merge windows."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.review: ReviewWindow | None = None
        self.agreement: AgreementWindow | None = None
        self.merge: MergeDialog | None = None
        self.actions = {
            "review": self._action("Review &document…", "Ctrl+R", self.open_review,
                                   "Compare annotators on this document and curate gold"),
            "agreement": self._action("&Agreement…", "", self.open_agreement,
                                      "Inter-annotator agreement for this project"),
            "merge": self._action("&Merge project files…", "", self.open_merge,
                                  "Merge annotators' project files into one"),
        }
        menu = window.menuBar().addMenu("&Review")
        help_menu = window.menu_named("Help")
        if help_menu is not None:  # keep Help last
            window.menuBar().insertMenu(help_menu.menuAction(), menu)
        menu.addActions(list(self.actions.values()))
        file_menu = window.menu_named("File")
        if file_menu is not None:
            file_menu.insertAction(window.menu_actions["quit"], self.actions["merge"])
            file_menu.insertSeparator(window.menu_actions["quit"])
        window.undo_group.activeStackChanged.connect(self._on_stack_changed)

    def _action(self, text: str, keys: str, handler, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(text.replace("&", "").rstrip("…").lower().replace(" ", "_"))
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _c=False: handler())
        self.window.addAction(action)
        return action

    def _on_stack_changed(self, stack) -> None:
        if self.review is not None and self.review.stack is not stack:
            self.review.close()

    def open_review(self, document_id: int | None = None) -> ReviewWindow | None:
        window = self.window
        if window.project is None or window.stack is None:
            window.show_message("Open a project to review it")
            return None
        if document_id is None:
            document_id = window.session.document_id if window.session else None
        if document_id is None:
            window.show_message("Open a document to review it")
            return None
        if self.review is None:
            self.review = ReviewWindow(window.project, window.stack, window)
            self.review.destroyed.connect(lambda _o=None: setattr(self, "review", None))
        self.review.open_document(document_id)
        self.review.show()
        self.review.raise_()
        self.review.activateWindow()
        return self.review

    def open_agreement(self) -> AgreementWindow | None:
        window = self.window
        if window.project is None:
            window.show_message("Open a project to measure agreement")
            return None
        if self.agreement is None or self.agreement.project_path != window.project.path:
            if self.agreement is not None:
                self.agreement.close()
            self.agreement = AgreementWindow(window.project.path, window)
            self.agreement.document_requested.connect(self._review_from_agreement)
            self.agreement.destroyed.connect(lambda _o=None: setattr(self, "agreement", None))
        self.agreement.show()
        self.agreement.raise_()
        return self.agreement

    def _review_from_agreement(self, document_id: int, annotators: list[str]) -> None:
        window = self.window
        if window.project is None or self.agreement is None \
                or self.agreement.project_path != window.project.path:
            return
        window.open_document(document_id)
        review = self.open_review(document_id)
        ids = [a.id for name in annotators if (a := window.project.annotators.find(name))]
        if review is not None and len(ids) >= 2 and ids != review.annotator_ids:
            review.open_document(document_id, ids)

    def open_merge(self) -> MergeDialog:
        if self.merge is None:
            self.merge = MergeDialog(self.window)
            self.merge.merged.connect(self._on_merged)
        self.merge.show()
        self.merge.raise_()
        return self.merge

    def _on_merged(self, out_path: str) -> None:
        window = self.window
        if window.project is not None and str(window.project.path) == out_path:
            document_id = window.session.document_id if window.session else None
            window.open_path(out_path, document_id=document_id)  # show what came in
        window.show_message(f"Merged into {out_path}")
