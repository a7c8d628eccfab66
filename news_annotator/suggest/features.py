"""Token features for the sequence model: no parser, any language, fast.

Each token gets: its word, lower case, shape, affixes; whether it sits inside quotation
marks; whether it is a cue word (the built-in English list and the words the project's
own cues use); its place in the sentence; where the sentence's cue words and quotation
marks are relative to it; and the same short features of its neighbours (±2 tokens).
Features are plain strings (CRFsuite attributes); words are looked up once per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

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
                 cached_words: int = CACHED_WORDS) -> None:
        self.cached_words = cached_words
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
        own = ["w=" + lower]
        if any(c.isalnum() for c in word):  # for a mark, shape and suffix are the word
            own.append("s=" + _shape(word))
            if len(lower) > 3:
                own.append("x3=" + lower[-3:])
        short = ["w=" + lower]
        # Flags go into one attribute: CRFsuite keeps a token's attributes in an array
        # that doubles as it grows (14 slots, then 30): fewer attributes, half the memory.
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
                       "-2:w=" + lower, "2:w=" + lower, cue)
        if len(self._words) < self.cached_words:
            self._words[word] = result
        return result

    def sequence(self, analysed: Analysed, first: int, last: int) -> list[list[str]]:
        """The attribute lists of tokens first..last-1 (one sequence). What every token
        has is joined a list at a time; the rarer attributes are added where they
        apply."""
        state = analysed.state[first:last]
        hints = analysed.hints[first:last] if analysed.hints is not None else None
        words = [self._word(t.text) for t in analysed.tokens[first:last]]
        phrase = self._phrase_marks([word.lower for word in words])
        sentence_of, position_of = _sentence_positions(analysed, first, last)
        length = last - first
        previous_cue, next_cue = _nearest_cues(words, sentence_of)
        quoted_sentences = {sentence_of[i] for i in range(length) if state[i] == 2}
        lefts = [_LEFT_PAD, *(w.left for w in words[:-1])]
        rights = [*(w.right for w in words[1:]), _RIGHT_PAD]
        out = [word.own + left + right for word, left, right in zip(words, lefts, rights,
                                                                      strict=True)]
        for features, q, sentence, (position, size) in zip(out, state, sentence_of,
                                                           position_of, strict=True):
            features.append(_Q_QUOTED[q] if sentence in quoted_sentences else _Q[q])
            features.append("pos=end" if position == size - 1 and position
                            else _POSITION[min(position, 21)])
        if length > 1:
            out[1].append("-2:pad")
            out[-2].append("2:pad")
        for i in range(2, length):
            out[i].append(words[i - 2].far_left)
            out[i - 2].append(words[i].far_right)
        for i in range(length):
            features, q, sentence = out[i], state[i], sentence_of[i]
            if previous_cue[i] >= 0:
                features.append(_CUE_BEFORE[min(i - previous_cue[i], 21)])
            if next_cue[i] >= 0:
                features.append(_CUE_AFTER[min(next_cue[i] - i, 21)])
            if q == 2:
                features.append("mark=open" if words[i].lower in OPENING else "mark=other")
            if i > 0:
                if state[i - 1] != q:
                    features.append(_LEFT_Q[state[i - 1]])
                if sentence_of[i - 1] != sentence:
                    features.append("-1:othersent")
            if i + 1 < length:
                if state[i + 1] != q:
                    features.append(_RIGHT_Q[state[i + 1]])
                if sentence_of[i + 1] != sentence:
                    features.append("1:othersent")
        if hints is not None:
            _spread(out, hints, "r=", "1:r=", "-1:r=")
        for i, word in enumerate(words):
            if word.cue:  # a cue word: with its neighbours, as phrases
                before = words[i - 1].lower if i > 0 else "^"
                after = words[i + 1].lower if i + 1 < length else "$"
                out[i].append(f"cw<={before}|{word.lower}")
                out[i].append(f"cw>={word.lower}|{after}")
        _spread(out, phrase, "cp=", "+1:cp=", "-1:cp=")
        return out


def _spread(out: list[list[str]], values: list[str], own: str, to_previous: str,
            to_next: str) -> None:
    """Each token's value (when it has one) as its own attribute and as its neighbours'."""
    last = len(out) - 1
    for i, value in enumerate(values):
        if value:
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


def _sentence_positions(analysed: Analysed, first: int, last: int
                        ) -> tuple[list[int], list[tuple[int, int]]]:
    sentence_of = [0] * (last - first)
    position_of = [(0, 1)] * (last - first)
    for number, (start, end) in enumerate(analysed.sentence_bounds):
        if end <= first or start >= last:
            continue
        for index in range(max(start, first), min(end, last)):
            sentence_of[index - first] = number
            position_of[index - first] = (index - start, end - start)
    return sentence_of, position_of


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
_CUE_BEFORE = ["cue<" + _bucket_of(d) for d in range(22)]  # by distance, 21: 21 or more
_CUE_AFTER = ["cue>" + _bucket_of(d) for d in range(22)]
_LEFT_PAD = ["-1:pad"]  # the first token's left neighbour
_RIGHT_PAD = ["1:pad"]
