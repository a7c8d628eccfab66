"""The search box's syntax (SQLite FTS5's) as a PostgreSQL tsquery expression.

Users type the same thing against a file or a server: words (all must occur),
"exact phrases", prefix*, AND, OR, NOT (binary: `a NOT b`), parentheses, and column
filters `title:word`, `text:"a phrase"` (the index weighs title terms A, text terms B);
`^` is accepted and ignored, NEAR(...) is read as AND (a superset of its matches). Each
word or phrase is parsed by PostgreSQL itself (`phraseto_tsquery`), so it splits text
exactly as the index did; only prefixes and column-filtered terms are built here. The
'simple' configuration folds case and does not stem, like FTS5's default tokenizer, and
both the index and the query fold diacritics as FTS5 does (folding.py).
"""

from __future__ import annotations

import re

from news_annotator.store.postgres.folding import fold

CONFIG = "simple"
COLUMN_WEIGHTS = {"title": "A", "text": "B"}  # FTS5's columns, as tsvector weights
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"(?:[^"]|"")*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_WORD_CHARS = re.compile(r"\w+")
OPERATORS = {"AND", "OR", "NOT"}


class QuerySyntaxError(ValueError):
    """A query the search box cannot read (unbalanced parentheses, a dangling OR, …)."""


def compile_query(query: str) -> tuple[str, str, dict[str, str]]:
    """(SQL expression of type tsquery that documents must match, one that any of its
    terms matches (what a snippet highlights), their parameters) for a search-box query."""
    parser = _Parser(_tokens(query))
    expression = parser.any_of()
    if parser.peek() is not None:
        raise QuerySyntaxError(f"unexpected {parser.peek()[1]!r}")
    if expression is None:
        raise QuerySyntaxError("nothing to search for")
    return expression, "(" + " || ".join(parser.terms) + ")", parser.params


def _tokens(query: str) -> list[tuple[str, str]]:
    found, position = [], 0
    query = query.strip()
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        if match["phrase"] is not None:
            found.append(("phrase", match["phrase"].strip('"').replace('""', '"')))
        elif match["paren"] is not None:
            found.append((match["paren"], match["paren"]))
        else:
            word = match["word"]
            if word in OPERATORS:
                found.append((word, word))
            elif re.fullmatch(r"\w+:", word):  # title:"a phrase"
                found.append(("column", word[:-1]))
            elif word.upper().startswith("NEAR") and word[4:5] in ("", "("):
                continue  # NEAR(a b, 5): the group's terms, all required
            else:
                found.append(("word", word))
    return found


class _Parser:
    """OR binds loosest, then AND (or two terms side by side), then NOT, as in FTS5."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0
        self.params: dict[str, str] = {}
        self.terms: list[str] = []

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def any_of(self) -> str | None:
        left = self.all_of()
        while self.peek() is not None and self.peek()[0] == "OR":
            self.take()
            right = self.all_of()
            if left is None or right is None:
                raise QuerySyntaxError("OR needs a term on each side")
            left = f"({left} || {right})"
        return left

    def all_of(self) -> str | None:
        left = self.but_not()
        while (token := self.peek()) is not None and token[0] in ("AND", "word", "phrase", "("):
            if token[0] == "AND":
                self.take()
            right = self.but_not()
            if left is None or right is None:
                raise QuerySyntaxError("AND needs a term on each side")
            left = f"({left} && {right})"
        return left

    def but_not(self) -> str | None:
        left = self.term()
        while self.peek() is not None and self.peek()[0] == "NOT":
            self.take()
            right = self.term()
            if left is None or right is None:
                raise QuerySyntaxError("NOT needs a term on each side (a NOT b)")
            left = f"({left} && !!{right})"
        return left

    def term(self) -> str | None:
        token = self.peek()
        if token is None or token[0] in ("OR", "AND", "NOT", ")"):
            return None
        kind, value = self.take()
        weight = None
        if kind == "column":
            weight = _weight(value)
            if self.peek() is None or self.peek()[0] not in ("word", "phrase"):
                raise QuerySyntaxError(f"{value}: needs a word or a phrase after it")
            kind, value = self.take()
        if kind == "(":
            inner = self.any_of()
            if self.peek() is None or self.peek()[0] != ")":
                raise QuerySyntaxError("a parenthesis is not closed")
            self.take()
            if inner is None:
                raise QuerySyntaxError("empty parentheses")
            return inner
        if kind == "word":
            column = re.match(r"^(\w+):(?=.)", value)
            if column and weight is None and column[1].lower() in COLUMN_WEIGHTS:
                weight, value = _weight(column[1]), value[column.end():]
            value = value.lstrip("^")
            if value.endswith("*"):
                return self._built(value.rstrip("*"), weight, prefix=True)
        if weight is not None:
            return self._built(value, weight, prefix=False)
        return self._param(f"phraseto_tsquery('{CONFIG}', %({{}})s)", fold(value))

    def _built(self, words: str, weight: str | None, *, prefix: bool) -> str:
        """A tsquery built here: a prefix, or a term limited to one column's weight."""
        parts = [part.lower() for part in _WORD_CHARS.findall(fold(words))]
        if not parts:
            raise QuerySyntaxError(f"nothing to search for in {words!r}")
        marks = [weight or ""] * len(parts)
        if prefix:
            marks[-1] = "*" + marks[-1]
        text = " <-> ".join(f"'{part}'" + (f":{mark}" if mark else "")
                            for part, mark in zip(parts, marks, strict=True))
        return self._param(f"to_tsquery('{CONFIG}', %({{}})s)", text)

    def _param(self, template: str, value: str) -> str:
        name = f"q{len(self.params)}"
        self.params[name] = value
        self.terms.append(template.format(name))
        return self.terms[-1]


def _weight(column: str) -> str:
    weight = COLUMN_WEIGHTS.get(column.lower())
    if weight is None:
        raise QuerySyntaxError(f"no such column {column!r} (title or text)")
    return weight
