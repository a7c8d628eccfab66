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

from annotator.suggest.cues import SPEAKER_WORDS, SPEECH_VERBS
from annotator.suggest.text import (
    OPENING,
    Token,
    paragraphs,
    quote_state,
    sentences,
    tokenize,
)

PUNCTUATION_ROLES = {":": "colon", "—": "dash", "–": "dash", "-": "dash", ",": "comma",
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


def analyse(text: str, *, rule_hints: bool = False) -> Analysed:
    """Tokens, quotation state, sentences, sequences; `rule_hints`: also what the English
    quote rules find (content, cue, source), as a feature the model may learn to trust."""
    tokens = tokenize(text)
    state = quote_state(text, tokens)
    bounds = sentences(text, tokens)
    analysed = Analysed(text, tokens, state, bounds, paragraphs(text, tokens))
    if rule_hints:
        from annotator.suggest.rules import token_roles

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
                 cue_phrases: Iterable[tuple[str, float]] = ()) -> None:
        self.learned_cues = frozenset(learned_cues)
        self._words: dict[str, tuple[list[str], list[str], bool]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, rate in cue_phrases:
            words = tuple(phrase.split(" "))
            self._phrases.setdefault(words[0], []).append((words, _rate(rate)))
        for found in self._phrases.values():  # longest first
            found.sort(key=lambda item: -len(item[0]))

    def _phrase_marks(self, analysed: Analysed, first: int, last: int) -> list[str]:
        """Per token, where it sits in the most trusted learned cue phrase covering it."""
        marks = [""] * (last - first)
        if not self._phrases:
            return marks
        lowered = [t.text.lower() for t in analysed.tokens[first:last]]
        for index, word in enumerate(lowered):
            for words, rate in self._phrases.get(word, ()):
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

    def _word(self, word: str) -> tuple[list[str], list[str], bool]:
        """(own features, short features for neighbours, is a cue word) of one word."""
        found = self._words.get(word)
        if found is not None:
            return found
        lower = word.lower()
        shape = _shape(word)
        cue = lower in SPEECH_VERBS or lower in self.learned_cues
        own = ["w=" + lower, "s=" + shape, "x3=" + lower[-3:]]
        short = ["w=" + lower, "s=" + shape]
        if word[:1].isupper():
            own.append("cap")
            short.append("cap")
        if lower in SPEECH_VERBS:
            own.append("lex")
            short.append("lex")
        if lower in self.learned_cues:
            own.append("lcue")
            short.append("lcue")
        if lower in SPEAKER_WORDS:
            own.append("pron")
            short.append("pron")
        role = PUNCTUATION_ROLES.get(word)
        if role:
            own.append("punct=" + role)
        result = (own, short, cue)
        if len(self._words) < 500_000:
            self._words[word] = result
        return result

    def sequence(self, analysed: Analysed, first: int, last: int) -> list[list[str]]:
        """The attribute lists of tokens first..last-1 (one sequence)."""
        tokens, state = analysed.tokens, analysed.state
        hints = analysed.hints
        phrase = self._phrase_marks(analysed, first, last)
        words = [self._word(t.text) for t in tokens[first:last]]
        sentence_of, position_of = _sentence_positions(analysed, first, last)
        length = last - first
        cue_positions = [i for i in range(length) if words[i][2]]
        quote_marks = [i for i in range(length) if state[first + i] == 2]
        sentence_cues: dict[int, list[int]] = {}
        sentence_quotes: dict[int, int] = {}
        for i in cue_positions:
            sentence_cues.setdefault(sentence_of[i], []).append(i)
        for i in quote_marks:
            sentence_quotes[sentence_of[i]] = sentence_quotes.get(sentence_of[i], 0) + 1
        out: list[list[str]] = []
        for i in range(length):
            own, _, _ = words[i]
            q = state[first + i]
            features = list(own)
            features.append(f"q={q}")
            position, size = position_of[i]
            features.append("pos=" + _bucket(position))
            features.append("rpos=" + _bucket(size - 1 - position))
            if position == 0:
                features.append("first")
            sentence = sentence_of[i]
            if sentence_quotes.get(sentence):
                features.append("sq")
            before = after = None
            for c in sentence_cues.get(sentence, ()):
                if c < i:
                    before = c
                elif c > i and after is None:
                    after = c
            if before is not None:
                features.append("cue<" + _bucket(i - before))
            if after is not None:
                features.append("cue>" + _bucket(after - i))
            if q == 2:
                features.append("mark=" + ("open" if tokens[first + i].text in OPENING
                                           else "other"))
            for offset in (-2, -1, 1, 2):
                j = i + offset
                if 0 <= j < length:
                    prefix = f"{offset}:"
                    if offset in (-1, 1):
                        features.extend(prefix + f for f in words[j][1])
                        features.append(f"{prefix}q={state[first + j]}")
                        if sentence_of[j] != sentence:
                            features.append(prefix + "othersent")
                    else:
                        features.append(prefix + words[j][1][0])
                    if hints is not None and hints[first + j] and offset in (-1, 1):
                        features.append(prefix + "r=" + hints[first + j])
                else:
                    features.append(f"{offset}:pad")
            if hints is not None and hints[first + i]:
                features.append("r=" + hints[first + i])
            if phrase[i]:
                features.append("cp=" + phrase[i])
                features.append("cpr=" + phrase[i][-1])
            if i + 1 < length and phrase[i + 1]:
                features.append("+1:cp=" + phrase[i + 1])
            if i > 0 and phrase[i - 1]:
                features.append("-1:cp=" + phrase[i - 1])
            out.append(features)
        return out


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
    if distance < 3:
        return str(distance)
    if distance < 6:
        return "3-5"
    if distance < 11:
        return "6-10"
    if distance < 21:
        return "11-20"
    return "21+"
