"""Proposals made on forked workers are the ones made in process, in order."""

from __future__ import annotations

from news_annotator.suggest.parallel import propose_many
from news_annotator.suggest.rules import QuoteRules


def test_workers_give_the_same_proposals_in_order():
    rules = QuoteRules()
    items = [(f"“Plan {n} is ready,” the minister said. Officials said that {n} came.", [])
             for n in range(40)]

    def propose(text, existing):
        return rules.propose(text)

    serial = [p.spans for p in propose_many(propose, items, 1)]
    forked = [p.spans for p in propose_many(propose, items, 2)]
    assert forked == serial and len(serial) == 40 and all(serial)
