"""Proposals made on forked workers are the ones made in process, in order."""

from __future__ import annotations

from news_annotator.suggest.parallel import Proposers
from news_annotator.suggest.rules import QuoteRules


def test_workers_give_the_same_proposals_in_order():
    rules = QuoteRules()
    items = [(f"“Plan {n} is ready,” the minister said. Officials said that {n} came.", [])
             for n in range(40)]

    def propose(text, existing):
        return rules.propose(text)

    with Proposers(propose, 1, len(items)) as proposers:
        serial = [p.spans for p in proposers.map(items)]
    with Proposers(propose, 2, len(items)) as proposers:
        forked = [p.spans for p in proposers.map(items)]
    assert forked == serial and len(serial) == 40 and all(serial)


def test_one_pool_serves_every_batch_of_a_run(tmp_path, monkeypatch):
    """Forking per batch of 200 documents made each batch's workers open the models and
    warm their caches again (the command line wrote 100 articles/s, now 110)."""
    import multiprocessing

    from news_annotator.model import NewDocument
    from news_annotator.project import Project
    from news_annotator.schema import default_schema
    from news_annotator.suggest import parallel
    from news_annotator.suggest.results import SuggestResult
    from news_annotator.suggest.writing import CHUNK, write_proposals

    pools = []
    real = multiprocessing.get_context

    def counting_context(method):
        context = real(method)

        class Counting:
            def Pool(self, size):  # noqa: N802 (multiprocessing's name)
                pools.append(size)
                return context.Pool(size)
        return Counting()

    monkeypatch.setattr(parallel.multiprocessing, "get_context", counting_context)
    rules = QuoteRules()
    count = 2 * CHUNK + 50
    with Project.create(tmp_path / "many.annotator", default_schema()) as project:
        with project.transaction():
            project.documents.insert_many(
                NewDocument(text=f"“Plan {n} is ready,” the minister said.", title=str(n),
                            uid=str(n)) for n in range(count))
        result = SuggestResult()
        write_proposals(project, lambda text, existing: rules.propose(text),
                        list(project.documents.ids()), "suggestions", None, result, workers=2)
        assert result.documents == count and result.spans >= count
    assert pools == [2]
