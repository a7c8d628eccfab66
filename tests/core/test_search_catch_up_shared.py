"""Two connections catching the search index up at once (a window's search while its
upkeep thread indexes, in small batches) index each document once: neither does over
what the other did."""

from __future__ import annotations

from news_annotator.model import NewDocument
from news_annotator.project import Project

DOCUMENTS = 30


def test_a_catch_up_interleaved_with_another_indexes_each_document_once(tmp_path,
                                                                        monkeypatch):
    from news_annotator.store import documents as document_store

    monkeypatch.setattr(document_store, "INDEX_CHUNK", 10)
    path = tmp_path / "p.annotator"
    with Project.create(path) as project, project.transaction():
        project.documents.insert_many(NewDocument(text=f"Harbour story number {i}")
                                      for i in range(DOCUMENTS))
    with Project.open(path) as upkeep, Project.open(path) as window:
        def between_chunks(done: int, total: int) -> None:
            if done == 10:  # the window searches while the upkeep is a third through
                assert window.documents.update_search_index() == DOCUMENTS - 10

        # The upkeep goes on from where the window left the index, not where it was.
        assert upkeep.documents.update_search_index(between_chunks) == 10
        assert upkeep.documents.unindexed_count() == 0
        assert len(window.documents.search("harbour", limit=100)) == DOCUMENTS
        assert window.documents.count(query="harbour") == DOCUMENTS
