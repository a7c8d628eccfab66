"""A long document's suggestions in two goes: a piece's proposals are the whole text's
proposals there, and writing them brings only that piece's suggestions up to date."""

from __future__ import annotations

from news_annotator.model import NewDocument
from news_annotator.suggest.app_support import apply_proposals
from news_annotator.suggest.engine import Suggester, build_suggester
from news_annotator.suggest.gazetteer import Gazetteer
from news_annotator.suggest.proposals import Proposals, ProposedSpan

PARAGRAPH = "“We will act,” Ana Lima said in Brussels. NATO met on Monday.\n"
TEXT = PARAGRAPH * 6


def places(proposals: Proposals) -> list[tuple[str, tuple]]:
    return sorted((span.label, span.fragments) for span in proposals.spans)


def test_a_piece_proposes_what_the_whole_does_there():
    suggester = Suggester(gazetteer=Gazetteer.from_spans([("entity", "ORG", "NATO"),
                                                          ("entity", "GPE", "Brussels")]))
    start, end = len(PARAGRAPH) * 2, len(PARAGRAPH) * 4
    nato = TEXT.index("NATO", start)
    existing = (("entity", ((nato, nato + 4),)),)  # the user's own: no suggestion there
    piece = suggester.propose_piece(TEXT, existing, start, end)
    whole = suggester.propose(TEXT, existing)
    inside = [(label, fragments) for label, fragments in places(whole)
              if start <= fragments[0][0] and fragments[-1][1] <= end]
    assert places(piece) == inside and len(inside) == 3
    assert all(TEXT[s:e] in ("NATO", "Brussels") for _, f in places(piece) for s, e in f)


def test_writing_a_piece_leaves_the_rest_of_the_document_as_it_was(project):
    with project.transaction():
        project.documents.insert_many([NewDocument(text=TEXT, title="t", uid="d")])
    document = project.documents.id_for_uid("d")
    alice, suggestions = project.annotator("alice").id, project.annotator("suggestions").id
    suggester = build_suggester(project)  # rules: quotes, cues and sources
    apply_proposals(project, document, suggestions, suggester.propose(TEXT),
                    accepted_by=[alice])
    before = {(s.label, s.fragments): s.id for s in project.spans.for_document(document,
                                                                               suggestions)}
    links = len(project.relations.for_document(document, suggestions))
    assert len(before) == 18 and links == 12  # a quote, its cue and source a paragraph

    piece = (len(PARAGRAPH), len(PARAGRAPH) * 2)
    proposals = suggester.propose_piece(TEXT, (), *piece)
    brussels = TEXT.index("Brussels", piece[0])
    proposals.add(ProposedSpan("entity", "GPE", ((brussels, brussels + 8),), "gazetteer"))
    applied = apply_proposals(project, document, suggestions, proposals, accepted_by=[alice],
                              within=piece)
    after = {(s.label, s.fragments): s.id for s in project.spans.for_document(document,
                                                                              suggestions)}
    assert [s.text for s in applied.added] == ["Brussels"] and not applied.removed
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(project.relations.for_document(document, suggestions)) == links

    empty = apply_proposals(project, document, suggestions, Proposals(),
                            accepted_by=[alice], within=piece)  # nothing proposed there now
    assert len(empty.removed) == 4  # the piece's quote, cue, source and place, no others
    left = project.spans.for_document(document, suggestions)
    assert len(left) == 15 and not any(piece[0] <= s.start < piece[1] for s in left)
    assert len(project.relations.for_document(document, suggestions)) == links - 2
