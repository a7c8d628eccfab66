"""The review window's keys, as one table (also shown as the toolbar's buttons)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReviewKey:
    name: str
    text: str
    keys: tuple[str, ...]
    tip: str


REVIEW_KEYS = (
    ReviewKey("accept_a", "Accept A", ("A",), "Gold takes annotator A's version"),
    ReviewKey("accept_b", "Accept B", ("B",), "Gold takes annotator B's version"),
    ReviewKey("accept_c", "Accept C", ("C",), "Gold takes annotator C's version"),
    ReviewKey("accept_all", "Both", ("2",), "Gold takes every annotator's version"),
    ReviewKey("reject", "Reject", ("X",), "Gold keeps no span here"),
    ReviewKey("agreed", "Accept agreed", ("G",), "Copy every agreed span into gold"),
    ReviewKey("next", "Next", ("N",), "Next difference"),
    ReviewKey("previous", "Previous", ("P",), "Previous difference"),
    ReviewKey("finish", "Finish", ("Ctrl+Return", "Ctrl+Enter"),
              "Mark the curated document done for gold"),
    ReviewKey("next_document", "Next document", ("PgDown",), "Review the next document"),
    ReviewKey("previous_document", "Previous document", ("PgUp",),
              "Review the previous document"),
)
TOOLBAR = ("accept_a", "accept_b", "accept_all", "reject", "agreed", "finish")
