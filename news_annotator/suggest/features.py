"""Token features for the sequence model: no parser, any language, fast.

Each token gets: its word, lower case, shape, affixes; whether it sits inside quotation
marks; whether it is a cue word (the built-in English list and the words the project's
own cues use); its place in the sentence; where the sentence's cue words and quotation
marks are relative to it; and the same short features of its neighbours (±2 tokens).
Features are plain strings (CRFsuite attributes); words are looked up once per run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from news_annotator.suggest.cues import SPEAKER_WORDS, SPEECH_VERBS
from news_annotator.suggest.text import (
    OPENING,
    Token,
    line_breaks,
    paragraphs,
    quote_state,
    sentences,
    tokenize,
)

# The words met first are cached (the common ones, which make most of the tokens), about
# 1 kB each. Training caches few: what Python keeps of the cache after training frees it
# adds to the peak (500,000 words once took 31 MB of the 1,000-article training's 303
# MiB; 5,000 take 5 MB and cost 5% of its speed). Proposing keeps one featurizer for
# every document, so it caches more.
CACHED_WORDS = 100_000
CACHED_WORDS_TRAINING = 5_000
PUNCTUATION_ROLES = {":": "colon", "—": "dash", "–": "dash", "―": "dash", "-": "dash", ",": "comma",
                     ".": "stop", "(": "paren", ")": "paren", ";": "semi"}


@dataclass
class Analysed:
    """A text cut into tokens with what the features need, and its sequences."""

    text: str
    tokens: list[Token]
    state: list[int]
    sentence_bounds: list[tuple[int, int]]
    sequences: list[tuple[int, int]]  # token ranges the model tags one at a time
    hints: list[str] | None = None  # per token, what the quote rules made of it

    @cached_property
    def starts(self) -> list[int]:
        """The tokens' start offsets (for bisection)."""
        return [token.start for token in self.tokens]

    @cached_property
    def sentence_places(self) -> tuple[list[int], list[str]]:
        """Per token, its sentence's number and its place-in-the-sentence attribute: made
        once a text, sliced for each sequence."""
        sentence_of = [0] * len(self.tokens)
        places = [_POSITION[0]] * len(self.tokens)
        for number, (start, end) in enumerate(self.sentence_bounds):
            sentence_of[start:end] = [number] * (end - start)
            places[start:end] = _places(end - start)
        return sentence_of, places


def analyse(text: str, *, rule_hints: bool = False) -> Analysed:
    """Tokens, quotation state, sentences, sequences; `rule_hints`: also what the English
    quote rules find (content, cue, source), as a feature the model may learn to trust."""
    tokens = tokenize(text)
    breaks = line_breaks(text, tokens)
    state = quote_state(text, tokens, breaks)
    bounds = sentences(text, tokens, breaks)
    analysed = Analysed(text, tokens, state, bounds, paragraphs(text, tokens, breaks))
    if rule_hints:
        from news_annotator.suggest.rules import token_roles

        analysed.hints = token_roles(text, tokens, state, bounds)
    return analysed


def words_seen_once(texts: Iterable[str]) -> set[str]:
    """The words (lower case) that occur once in all of `texts`."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(token.text.lower() for token in tokenize(text))
    return {word for word, count in counts.items() if count == 1}


def _shape(word: str) -> str:
    out = []
    for char in word[:6]:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() \
            else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


class Featurizer:
    """Turns analysed texts into CRFsuite attribute lists, one list per token."""

    def __init__(self, learned_cues: Iterable[str] = (),
                 cue_phrases: Iterable[tuple[str, float]] = (), *,
                 cached_words: int = CACHED_WORDS, once: Collection[str] = ()) -> None:
        self.cached_words = cached_words
        # Words (lower case) the training data holds once: their word attributes would
        # each occur once, and CRFsuite drops a feature seen fewer than feature.minfreq
        # (2) times, but its trainer keeps every attribute string it is given.
        self.once = frozenset(once)
        self.learned_cues = frozenset(learned_cues)
        self._words: dict[str, _Word] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, rate in cue_phrases:
            words = tuple(phrase.split(" "))
            self._phrases.setdefault(words[0], []).append((words, _rate(rate)))
        for found in self._phrases.values():  # longest first
            found.sort(key=lambda item: -len(item[0]))

    def forget(self) -> None:
        """Drop the per-word cache (it grows with the vocabulary seen)."""
        self._words = {}

    def _phrase_marks(self, lowered: list[str]) -> list[str]:
        """Per token (given in lower case), where it sits in the most trusted learned cue
        phrase covering it."""
        marks = [""] * len(lowered)
        phrases = self._phrases
        if not phrases:
            return marks
        for index in [i for i, word in enumerate(lowered) if word in phrases]:
            for words, rate in phrases[lowered[index]]:
                if tuple(lowered[index:index + len(words)]) == words:
                    size = "1" if len(words) == 1 else "n"
                    for offset in range(len(words)):
                        place = "B" if offset == 0 else "I"
                        if offset == len(words) - 1:
                            place += "E"
                        current = marks[index + offset]
                        if not current or current[-1] < rate[-1]:
                            marks[index + offset] = f"{place}{size}{rate}"
                    break
        return marks

    def _word(self, word: str) -> _Word:
        """Everything a word contributes, made once per word and run."""
        found = self._words.get(word)
        if found is not None:
            return found
        lower = word.lower()
        cue = lower in SPEECH_VERBS or lower in self.learned_cues
        named = lower not in self.once
        own = ["w=" + lower] if named else []
        if any(c.isalnum() for c in word):  # for a mark, shape and suffix are the word
            own.append("s=" + _shape(word))
            if len(lower) > 3:
                own.append("x3=" + lower[-3:])
        short = ["w=" + lower] if named else []
        # Flags go into one attribute: the trainer keeps 16 bytes for each attribute of
        # each token (a thousand articles hold 900,000 tokens).
        flags = "+".join(name for name, on in (
            ("cap", word[:1].isupper()), ("lex", lower in SPEECH_VERBS),
            ("lcue", lower in self.learned_cues), ("pron", lower in SPEAKER_WORDS)) if on)
        if flags:
            short.append("f=" + flags)
            own.append("f=" + flags)
        role = PUNCTUATION_ROLES.get(word)
        if role:
            own.append("punct=" + role)
        result = _Word(lower, own, ["-1:" + f for f in short], ["1:" + f for f in short],
                       "-2:w=" + lower if named else "", "2:w=" + lower if named else "", cue)
        if len(self._words) < self.cached_words:
            self._words[word] = result
        return result

    def sequence(self, analysed: Analysed, first: int, last: int) -> list[list[str]]:
        """The attribute lists of tokens first..last-1 (one sequence). What every token
        has is joined a list at a time; the rarer attributes are added where they
        apply."""
        state = analysed.state[first:last]
        hints = analysed.hints[first:last] if analysed.hints is not None else None
        cached, word_of = self._words, self._word
        words = [cached.get(t[0]) or word_of(t[0]) for t in analysed.tokens[first:last]]
        phrase = self._phrase_marks([word.lower for word in words])
        sentence_of, places = (found[first:last] for found in analysed.sentence_places)
        length = last - first
        cue_at = [i for i, word in enumerate(words) if word.cue]
        quoted_sentences = {sentence_of[i] for i in range(length) if state[i] == 2}
        lefts = [_LEFT_PAD, *(w.left for w in words[:-1])]
        rights = [*(w.right for w in words[1:]), _RIGHT_PAD]
        out = [word.own + left + right for word, left, right in zip(words, lefts, rights,
                                                                      strict=True)]
        # Each pass adds one kind of attribute, so a token's list keeps one order.
        for features, q, sentence, place in zip(out, state, sentence_of, places, strict=True):
            features.append(_Q_QUOTED[q] if sentence in quoted_sentences else _Q[q])
            features.append(place)
        if length > 1:
            out[1].append("-2:pad")
            out[-2].append("2:pad")
        for features, word in zip(out[2:], words[:-2], strict=True):
            if word.far_left:
                features.append(word.far_left)
        for features, word in zip(out[:-2], words[2:], strict=True):
            if word.far_right:
                features.append(word.far_right)
        if cue_at:
            previous_cue, next_cue = _nearest_cues(words, sentence_of)
            for i, (before, after) in enumerate(zip(previous_cue, next_cue, strict=True)):
                if before >= 0:
                    out[i].append(_CUE_BEFORE[min(i - before, 21)])
                if after >= 0:
                    out[i].append(_CUE_AFTER[min(after - i, 21)])
        for i in [i for i, q in enumerate(state) if q == 2]:
            out[i].append("mark=open" if words[i].lower in OPENING else "mark=other")
        # where the quotation state or the sentence changes between two tokens
        quote_turns = [i for i, (a, b) in enumerate(pairwise(state), 1) if a != b]
        sentence_turns = [i for i, (a, b) in enumerate(pairwise(sentence_of), 1) if a != b]
        for i in quote_turns:
            out[i].append(_LEFT_Q[state[i - 1]])
        for i in sentence_turns:
            out[i].append("-1:othersent")
        for i in quote_turns:
            out[i - 1].append(_RIGHT_Q[state[i]])
        for i in sentence_turns:
            out[i - 1].append("1:othersent")
        if hints is not None:
            _spread(out, hints, "r=", "1:r=", "-1:r=")
        for i in cue_at:  # a cue word: with its neighbours, as phrases
            word = words[i].lower
            before = words[i - 1].lower if i > 0 else "^"
            after = words[i + 1].lower if i + 1 < length else "$"
            out[i].append(f"cw<={before}|{word}")
            out[i].append(f"cw>={word}|{after}")
        _spread(out, phrase, "cp=", "+1:cp=", "-1:cp=")
        return out


def _spread(out: list[list[str]], values: list[str], own: str, to_previous: str,
            to_next: str) -> None:
    """Each token's value (when it has one) as its own attribute and as its neighbours'."""
    last = len(out) - 1
    for i in [i for i, value in enumerate(values) if value]:
        value = values[i]
        out[i].append(own + value)
        if i > 0:
            out[i - 1].append(to_previous + value)
        if i < last:
            out[i + 1].append(to_next + value)


@dataclass(frozen=True, slots=True)
class _Word:
    lower: str
    own: list[str]
    left: list[str]  # as the token before another
    right: list[str]  # as the token after another
    far_left: str  # as the token two before
    far_right: str
    cue: bool


_Q = ("q=0", "q=1", "q=2")
_Q_QUOTED = ("q=0s", "q=1s", "q=2s")  # in a sentence that has quotation marks
_LEFT_Q = ("-1:q=0", "-1:q=1", "-1:q=2")
_RIGHT_Q = ("1:q=0", "1:q=1", "1:q=2")


def _nearest_cues(words: list[_Word], sentence_of: list[int]) -> tuple[list[int], list[int]]:
    """Per token, the index of the nearest cue word before and after it in its sentence
    (-1: none)."""
    length = len(words)
    before, after = [-1] * length, [-1] * length
    last, sentence = -1, -1
    for i in range(length):
        if sentence_of[i] != sentence:
            last, sentence = -1, sentence_of[i]
        before[i] = last
        if words[i].cue:
            last = i
    last, sentence = -1, -1
    for i in range(length - 1, -1, -1):
        if sentence_of[i] != sentence:
            last, sentence = -1, sentence_of[i]
        after[i] = last
        if words[i].cue:
            last = i
    return before, after


def _rate(rate: float) -> str:
    """A cue rate as a letter, higher is more trusted (compared as text)."""
    return "a" if rate < 0.1 else "b" if rate < 0.3 else "c" if rate < 0.6 else "d"


def _bucket(distance: int) -> str:
    """A distance as a coarse, named bucket."""
    return _BUCKETS[distance] if distance < 21 else "21+"


def _bucket_of(distance: int) -> str:
    if distance < 3:
        return str(distance)
    if distance < 6:
        return "3-5"
    if distance < 11:
        return "6-10"
    if distance < 21:
        return "11-20"
    return "21+"


_BUCKETS = [_bucket_of(d) for d in range(21)]
_POSITION = ["pos=" + _bucket_of(d) for d in range(22)]
_PLACES: dict[int, list[str]] = {}


def _places(size: int) -> list[str]:
    """The place attributes of a sentence's tokens: by distance from its start, the last
    token (of two or more) "pos=end"."""
    found = _PLACES.get(size)
    if found is None:
        found = [_POSITION[min(index, 21)] for index in range(size - 1)]
        found.append("pos=end" if size > 1 else _POSITION[0])
        if size < 500:
            _PLACES[size] = found
    return found
_CUE_BEFORE = ["cue<" + _bucket_of(d) for d in range(22)]  # by distance, 21: 21 or more
_CUE_AFTER = ["cue>" + _bucket_of(d) for d in range(22)]
_LEFT_PAD = ["-1:pad"]  # the first token's left neighbour
_RIGHT_PAD = ["1:pad"]
