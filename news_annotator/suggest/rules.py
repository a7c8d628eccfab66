"""Cold-start rules for English news quote frames: content, cue and source.

Three shapes cover most of what news prints:
- a quotation followed (or preceded) by its attribution: “…,” the minister said. /
  Smith said: “…” — with the quote split around the attribution as two fragments of one
  content span (“We agreed,” he said, “to act.”);
- reported speech: SOURCE CUE [that] CONTENT to the end of the sentence, and CONTENT,
  SOURCE CUE. (the content may hold quoted words: MIXED);
- “according to SOURCE, CONTENT” and “CONTENT, according to SOURCE”.
The source is the noun phrase or pronoun tied to the cue, before it or (“said Smith”)
after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from news_annotator.suggest.cues import (
    ADVERBS,
    AUXILIARIES,
    CLAUSE_WORDS,
    DETERMINERS,
    ORG_WORDS,
    PERSON_PRONOUNS,
    PRONOUNS,
    SPEECH_VERBS,
    WEAK_VERBS,
)
from news_annotator.suggest.proposals import Proposals, ProposedSpan
from news_annotator.suggest.text import OPENING, STRAIGHT, Token, quote_state, sentences, tokenize

MAX_SOURCE_TOKENS = 8
NOUN_LIKE = frozenset("""say tell add state note notes ask reply replies claim claims warn write
tweet tweets announce declare report reports promise promises call calls comment comments remark
remarks estimate estimates show shows find finds pledge pledges vow vows threat agree
continue stress urge comment""".split())
TIME_WORDS = frozenset("today yesterday tonight monday tuesday wednesday thursday friday "
                       "saturday sunday last this next week month year earlier on in".split())


@dataclass(frozen=True, slots=True)
class QuoteLabels:
    """Where the rules put what they find, in the project's schema."""

    layer: str = "quote"
    direct: str = "DIRECT"
    indirect: str = "INDIRECT"
    mixed: str = "MIXED"
    cue: str = "CUE"
    source_layer: str = "entity"
    person: str = "PERSON"
    organisation: str = "ORG"
    cue_relation: str = "cue"
    source_relation: str = "source"


@dataclass
class _Frame:
    content: list[tuple[int, int]]  # token ranges, half-open
    cue: tuple[int, int]
    source: tuple[int, int] | None


class QuoteRules:
    """Finds quote frames in one text with the rules above."""

    def __init__(self, labels: QuoteLabels | None = None) -> None:
        self.labels = labels or QuoteLabels()

    def propose(self, text: str) -> Proposals:
        tokens = tokenize(text)
        state = quote_state(text, tokens)
        frames = _find_frames(text, tokens, state)
        return self._to_proposals(text, tokens, state, frames)

    def _to_proposals(self, text: str, tokens: list[Token], state: list[int],
                      frames: list[_Frame]) -> Proposals:
        labels = self.labels
        proposals = Proposals()
        for frame in frames:
            fragments = tuple((tokens[a].start, tokens[b - 1].end) for a, b in frame.content)
            inside = [state[i] for a, b in frame.content for i in range(a, b)]
            if all(s for s in inside) and inside and inside[0] == 2:
                label = labels.direct
            elif any(s for s in inside):
                label = labels.mixed
            else:
                label = labels.indirect
            content = proposals.add(ProposedSpan(labels.layer, label, fragments, "rules"))
            cue = proposals.add(ProposedSpan(labels.layer, labels.cue, (
                (tokens[frame.cue[0]].start, tokens[frame.cue[1] - 1].end),), "rules"))
            proposals.relate(labels.cue_relation, content, cue)
            if frame.source is not None:
                words = [t.text for t in tokens[frame.source[0]:frame.source[1]]]
                source = proposals.add(ProposedSpan(
                    labels.source_layer, _source_label(words, labels),
                    ((tokens[frame.source[0]].start, tokens[frame.source[1] - 1].end),),
                    "rules"))
                proposals.relate(labels.source_relation, content, source)
        return proposals


_LAST: tuple = (None, [], [])  # the token list last seen, with its words and lower case


def _texts(tokens: list[Token]) -> tuple[list[str], list[str]]:
    """The tokens' words and their lower case, made once per token list (the rules look
    at them from every cue)."""
    global _LAST
    last = _LAST
    if last[0] is not tokens:
        words = [t.text for t in tokens]
        last = _LAST = (tokens, words, [w.lower() for w in words])
    return last[1], last[2]


def _source_label(words: list[str], labels: QuoteLabels) -> str:
    lowered = {w.lower() for w in words}
    if lowered & ORG_WORDS or lowered & {"it", "they", "we"}:
        return labels.organisation
    return labels.person


def token_roles(text: str, tokens: list[Token], state: list[int],
                bounds: list[tuple[int, int]]) -> list[str]:
    """Per token, the role the rules give it: "C" content, "V" cue, "S" source, "" none."""
    roles = [""] * len(tokens)
    for frame in _find_frames(text, tokens, state, bounds):
        for a, b in frame.content:
            for index in range(a, b):
                roles[index] = "C"
        if frame.source is not None:
            for index in range(*frame.source):
                roles[index] = "S"
        for index in range(*frame.cue):
            roles[index] = "V"
    return roles


def _find_frames(text: str, tokens: list[Token], state: list[int],
                 bounds: list[tuple[int, int]] | None = None) -> list[_Frame]:
    frames: list[_Frame] = []
    used_cues: set[int] = set()
    cues = _cues(tokens, state)
    cue_at = {start: (start, end) for start, end in cues}
    cue_end = {end: (start, end) for start, end in cues}
    sentence_of = [0] * len(tokens)
    if bounds is None:
        bounds = sentences(text, tokens)
    for number, (first, last) in enumerate(bounds):
        for index in range(first, last):
            sentence_of[index] = number
    joined: set[int] = set()  # quotations taken as a later fragment of a split quote
    for quote in _quotations(tokens, state):
        if quote[0] in joined:
            continue
        frame = _attach_quotation(tokens, state, quote, cue_at, cue_end, sentence_of)
        if frame is not None and frame.cue[0] not in used_cues:
            used_cues.add(frame.cue[0])
            joined.update(start for start, _ in frame.content[1:])
            frames.append(frame)
    for cue in cues:
        if cue[0] in used_cues:
            continue
        first, last = bounds[sentence_of[cue[0]]]
        frame = _reported(tokens, state, cue, first, last)
        if frame is not None:
            used_cues.add(cue[0])
            frames.append(frame)
    frames.sort(key=lambda f: f.content[0])
    return frames


def _cues(tokens: list[Token], state: list[int]) -> list[tuple[int, int]]:
    """Cue phrases as token ranges: [aux] [adverb] VERB, or 'according to'."""
    found = []
    lower = _texts(tokens)[1]
    for index, word in enumerate(lower):
        if word == "according" and index + 1 < len(lower) and lower[index + 1] == "to":
            found.append((index, index + 2))
            continue
        if word not in SPEECH_VERBS or not tokens[index].text.islower() or state[index]:
            continue
        if word in NOUN_LIKE and (index + 1 == len(lower) or lower[index + 1] not in {
                "that", ",", ":", "“", '"'}):
            continue  # "no immediate comment", "the report": a noun, not a cue
        start = index
        while start > 0 and (lower[start - 1] in ADVERBS or lower[start - 1] in AUXILIARIES) \
                and index - start < 3:
            start -= 1
        while start < index and lower[start] not in AUXILIARIES:  # keep "has also said"
            if lower[start] in ADVERBS and start > 0 and lower[start - 1] in AUXILIARIES:
                break
            if lower[start] in ADVERBS and start == index - 1:
                break
            start += 1
        found.append((start, index + 1))
    return found


def _quotations(tokens: list[Token], state: list[int]) -> list[tuple[int, int]]:
    """Quoted stretches (opening mark to closing mark, both in) as token ranges."""
    found, start = [], None
    for index, value in enumerate(state):
        if value == 2 and start is None and (tokens[index].text in OPENING
                                             or tokens[index].text in STRAIGHT):
            start = index
        elif value == 2 and start is not None:
            found.append((start, index + 1))
            start = None
        elif value == 0:
            start = None
    return found


def _attach_quotation(tokens: list[Token], state: list[int], quote: tuple[int, int],
                      cue_at: dict, cue_end: dict, sentence_of: list[int]) -> _Frame | None:
    """A quotation with its attribution right after it (“…,” he said) or right before it
    (He said: “…”); a second quotation after the attribution joins as a fragment."""
    start, end = quote
    words, lower = _texts(tokens)
    # After: “…,” [SOURCE] CUE [SOURCE] (, “…”)?
    after = end
    if after < len(tokens) and words[after] == ",":
        after += 1
    ended = end - start > 2 and words[end - 2] in {".", "!", "?"}
    if ended and after < len(tokens) and not words[after][:1].islower():
        after = len(tokens)  # “… act.” Officials said …: a new sentence, not this quote's
    for offset in range(after, min(after + MAX_SOURCE_TOKENS + 3, len(tokens))):
        if state[offset] != 0 or words[offset] in {".", "!", "?", ";"}:
            break
        cue = cue_at.get(offset)
        if cue is None:
            continue
        source = _source_between(tokens, after, cue[0]) if cue[0] > after else None
        if source is None:
            source = _source_after(tokens, cue[1])
        if source is None and cue[0] > after:
            return None  # words between the quote and the cue that make no source
        frame = _Frame([quote], cue, source)
        tail = max(cue[1], source[1] if source else 0)
        if tail < len(tokens) and words[tail] in {",", ":"} and tail + 1 < len(tokens) \
                and state[tail + 1] == 2:
            for second in _quotations(tokens[tail + 1:tail + 400], state[tail + 1:tail + 400]):
                frame.content.append((tail + 1 + second[0], tail + 1 + second[1]))
                break
        return frame
    # Before: SOURCE CUE[:,] “…”
    before = start - 1
    if before >= 0 and words[before] in {":", ","}:
        before -= 1
    cue = cue_end.get(before + 1)
    if cue is not None and sentence_of[cue[0]] in (sentence_of[start], sentence_of[start] - 1):
        source = _source_before(tokens, cue[0])
        if source is not None and lower[cue[1] - 1] != "according":
            return _Frame([quote], cue, source)
    return None


def _reported(tokens: list[Token], state: list[int], cue: tuple[int, int], first: int,
              last: int) -> _Frame | None:
    """SOURCE CUE [that] CONTENT. / CONTENT, SOURCE CUE. / according to SOURCE, CONTENT."""
    words, lower = _texts(tokens)
    end = last
    while end > first and words[end - 1] in {".", "!", "?"} and state[end - 1] == 0:
        end -= 1
    if lower[cue[0]] == "according":
        source_end = cue[1]
        while source_end < end and words[source_end] not in {",", ".", ";"} \
                and source_end - cue[1] < MAX_SOURCE_TOKENS:
            source_end += 1
        if source_end == cue[1]:
            return None
        source = (cue[1], source_end)
        if source_end < end and words[source_end] == ",":
            return _Frame([(source_end + 1, end)], cue, source) if end > source_end + 1 else None
        if cue[0] > first + 1 and words[cue[0] - 1] == ",":
            return _Frame([(first, cue[0] - 1)], cue, source)
        return None
    source = _source_before(tokens, cue[0], first)
    content_start = cue[1]
    verb = lower[cue[1] - 1]
    if source is not None and content_start < end:
        if verb in {"told", "tells", "tell", "telling", "asked", "asks", "urged"}:
            content_start = _skip_object(lower, content_start, end)
        content_start = _skip_adverbial(lower, content_start, end)
        if content_start < end and words[content_start] in {",", ":"}:
            content_start += 1
        if content_start < end and end - content_start >= 3 and (
                lower[content_start] == "that" or state[content_start]
                or verb not in WEAK_VERBS):
            return _Frame([(content_start, end)], cue, source)
        return None
    # CONTENT, SOURCE CUE.  /  CONTENT, CUE SOURCE.
    if cue[1] >= end - MAX_SOURCE_TOKENS:
        source = _source_between(tokens, _comma_before(words, cue[0], first) + 1, cue[0]) \
            if cue[0] > first else None
        comma = _comma_before(words, cue[0], first)
        if source is None and comma == cue[0] - 1:
            source = _source_after(tokens, cue[1], end)
        if source is not None and comma > first + 2:
            return _Frame([(first, comma)], cue, source)
    return None


def _comma_before(words: list[str], index: int, first: int) -> int:
    for position in range(index - 1, max(first, index - MAX_SOURCE_TOKENS - 2) - 1, -1):
        if words[position] == ",":
            return position
    return first - 1


def _skip_object(lower: list[str], start: int, end: int) -> int:
    """After 'told': the hearer ("told reporters", "told the BBC") up to 'that' or a mark."""
    for position in range(start, min(start + 6, end)):
        if lower[position] in {"that", ",", ":"} or lower[position] in OPENING:
            return position
    return start


def _skip_adverbial(lower: list[str], start: int, end: int) -> int:
    """Skip 'last month', 'on Sunday' up to a 'that' a few words on."""
    position = start
    while position < end and position - start < 5 and lower[position] in TIME_WORDS | {
            "month", "week", "year", "night", "morning", "evening"} | ADVERBS \
            or position < end and position > start and lower[position][:1].isdigit():
        position += 1
    if position > start and position < end and lower[position] == "that":
        return position
    return start


def _source_before(tokens: list[Token], cue_start: int, first: int = 0
                   ) -> tuple[int, int] | None:
    """The noun phrase or pronoun right before a cue, jumping over ', which …,' asides."""
    end = cue_start
    words = _texts(tokens)[0]
    if end > first and words[end - 1] == ",":
        for position in range(end - 2, max(first, end - 25) - 1, -1):
            if words[position] == "," and position + 1 < end and \
                    words[position + 1].lower() in {"who", "which", "whose"}:
                end = position
                break
        else:
            return None
    return _source_between(tokens, max(first, end - MAX_SOURCE_TOKENS), end)


def _source_between(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """The last noun phrase that ends right at `end` and begins after `start`."""
    if end <= start:
        return None
    words = _texts(tokens)[0]
    last = words[end - 1]
    if last.lower() in PRONOUNS:
        return (end - 1, end)
    if not last[:1].isalpha() or last.lower() in CLAUSE_WORDS or last.lower() in DETERMINERS:
        return None
    begin = end - 1
    while begin > start:
        word = words[begin - 1]
        lowered = word.lower()
        if lowered in CLAUSE_WORDS or lowered in PRONOUNS or word in {",", ";", ":", ".",
                                                                      "(", ")", "—"}:
            break
        if not (word[:1].isalnum() or word in {"’s", "'s", "-", "&"}):
            break
        begin -= 1
    if words[begin].islower() and words[begin] not in DETERMINERS:
        # a lower-case start that is not a determiner: keep the capitalised tail only
        capital = next((i for i in range(begin, end) if words[i][:1].isupper()), None)
        if capital is None:
            return (begin, end) if end - begin <= 3 else None
        begin = capital
    return (begin, end)


def _source_after(tokens: list[Token], cue_end: int, end: int | None = None
                  ) -> tuple[int, int] | None:
    """The noun phrase right after a cue (“…,” said Ms. Smith, a spokeswoman.)."""
    stop = len(tokens) if end is None else end
    words = _texts(tokens)[0]
    if cue_end >= stop:
        return None
    if words[cue_end].lower() in PRONOUNS:
        return (cue_end, cue_end + 1)
    position = cue_end
    while position < stop and position - cue_end < MAX_SOURCE_TOKENS and (
            words[position][:1].isupper() or words[position].lower() in DETERMINERS
            or words[position] in {".", "’s", "'s"} and position > cue_end
            and words[position - 1] in {"Mr", "Ms", "Mrs", "Dr", "Sen", "Rep", "Gov"}):
        position += 1
    if position == cue_end or all(w.lower() in DETERMINERS for w in words[cue_end:position]):
        return None
    return (cue_end, position)


def person_pronoun(word: str) -> bool:
    return word.lower() in PERSON_PRONOUNS
