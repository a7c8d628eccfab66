"""The review window's decisions: each key runs one core curation command through the
project's undo stack, then the gold column and the list follow."""

from __future__ import annotations

from news_annotator.review.compare import Difference
from news_annotator.review.curation import AcceptVersions, accept_agreed, finish, gold_annotator


class ReviewDecisions:
    """Mixed into ReviewWindow: accept a version, both, none; all agreed; finish."""

    def _can_curate(self) -> bool:
        if self.project.read_only:
            self.message.emit("This project is open read-only: gold cannot be changed")
            return False
        return self.document_id is not None

    def accept_columns(self, columns: tuple[int, ...]) -> None:
        """Gold takes the versions of the annotators in these columns (none: reject)."""
        difference = self.current_difference()
        if difference is None or not self._can_curate():
            return
        if any(c >= len(self.annotator_ids) for c in columns):
            return
        accept = tuple(self.annotator_ids[c] for c in columns)
        gold_id = gold_annotator(self.project)
        if self.stack.run(AcceptVersions(self.document_id, difference, accept, gold_id)):
            if not accept:
                self._rejected[difference_key(difference)] = self.stack.index()
            self._refresh_gold()
            self.step(1)

    def accept_agreed(self) -> None:
        if not self._can_curate():
            return
        batch = accept_agreed(self.document_id, self.all_differences,
                              gold_annotator(self.project))
        if not batch.children:
            self.message.emit("No agreed spans on this document")
            return
        if self.stack.run(batch):
            self.message.emit(f"Accepted {len(batch.children)} agreed spans into gold")
            self._refresh_gold()

    def finish(self) -> None:
        if self._can_curate() and self.stack.run(finish(self.document_id,
                                                        gold_annotator(self.project))):
            self.message.emit("Gold marked done for this document")
            self._refresh_gold()


def difference_key(difference: Difference) -> tuple:
    """Identifies a difference across re-comparisons (for the 'rejected' marks)."""
    return difference.layer, difference.start, difference.end, difference.kind
