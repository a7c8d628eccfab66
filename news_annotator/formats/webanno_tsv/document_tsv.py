"""One document's spans and relations as the text of a WebAnno TSV 3.3 file.

Tokens come from our tokenizer, cut at every span edge so each span covers whole tokens
(no sub-tokens needed); a span edge in whitespace gets a whitespace token of its own.
Sentences never break inside a span that stays on one line; each sentence's text runs
to the next sentence's first token, so the text between them (spaces, blank lines) is
kept and the file rebuilds the document's text exactly. Disambiguation ids go to spans
over several tokens, spans stacked with another of their layer, and relation ends whose
layer is not the relation layer's base (BT_) layer, so INCEpTION's reader resolves
every reference.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from news_annotator.formats.common.tokens import Token, sentences, tokenize
from news_annotator.formats.webanno_tsv.layers import TsvLayer
from news_annotator.formats.webanno_tsv.syntax import (
    BASE_TYPE_PREFIX,
    FORMAT_LINE,
    NULL_COLUMN,
    NULL_VALUE,
    RELATION_PREFIX,
    SPAN_PREFIX,
    TEXT_PREFIX,
    Utf16Offsets,
    escape_text,
    escape_value,
)
from news_annotator.model import Relation, Span


@dataclass(slots=True, eq=False)
class Part:
    """One fragment of a span, as one TSV annotation over tokens first..last."""

    span: Span
    layer: TsvLayer
    first: int
    last: int
    identifier: int = 0  # disambiguation id; 0: none


@dataclass(slots=True)
class Written:
    """What writing one document noticed: attribute values written as text, notes left out."""

    as_text: set[str] = field(default_factory=set)
    cut_values: set[str] = field(default_factory=set)
    notes: int = 0


def document_tsv(text: str, spans: list[Span], relations: list[Relation],
                 layers: dict[str, TsvLayer], relation_layer: TsvLayer,
                 written: Written) -> str:
    """The TSV text for one document (`layers` maps our layer names to TSV layers)."""
    tokens = _tokens(text, spans)
    starts = {token.start: index for index, token in enumerate(tokens)}
    ends = {token.end: index for index, token in enumerate(tokens)}
    parts: dict[int, list[Part]] = {}
    for span in spans:
        parts[span.id] = [Part(span, layers[span.layer], starts[start], ends[end])
                          for start, end in span.fragments]
        written.notes += bool(span.note)
    relations = [r for r in relations if r.source_id in parts and r.target_id in parts]
    base = parts[relations[0].source_id][0].layer.type if relations else ""
    on_unit = _units(tokens, parts)
    _disambiguate(on_unit, parts, relations, base)
    span_types = _active(layers, parts)
    lines = [FORMAT_LINE]
    columns: list[tuple[TsvLayer, list[str]]] = []
    for layer in span_types:
        features = _used_features(layer, [p.span for ps in parts.values() for p in ps
                                          if p.layer is layer])
        columns.append((layer, features))
        lines.append(SPAN_PREFIX + layer.type + "".join("|" + f for f in features))
    relation_features: list[str] = []
    if relations:
        relation_features = _used_features(relation_layer, relations)
        lines.append(RELATION_PREFIX + relation_layer.type
                     + "".join("|" + f for f in relation_features)
                     + "|" + BASE_TYPE_PREFIX + base)
    lines.append("")
    by_target: dict[int, list[Relation]] = defaultdict(list)
    for relation in relations:
        by_target[parts[relation.target_id][0].first].append(relation)
    units = Utf16Offsets(text)
    ids = _unit_ids(text, tokens, spans)
    for number, group in enumerate(ids.groups, start=1):
        lines.append("")
        start = tokens[group[0]].start
        end = tokens[ids.groups[number][0]].start if number < len(ids.groups) else len(text)
        lines += [TEXT_PREFIX + escape_text(line) for line in text[start:end].split("\n")]
        for index in group:
            token = tokens[index]
            cells = [ids.names[index], f"{units.to_units(token.start)}-"
                     f"{units.to_units(token.end)}", _token_text(text[token.start:token.end])]
            for layer, features in columns:
                cells += [_span_cell(on_unit[index].get(layer.type, []), layer, feature,
                                     written) for feature in features]
            if relations:
                here = by_target.get(index, [])
                cells += [_relation_cell(here, relation_layer, feature, written)
                          for feature in relation_features]
                cells.append("|".join(_reference(r, parts, base, ids.names) for r in here)
                             or NULL_COLUMN)
            lines.append("\t".join(cells) + "\t")
    return "\n".join(lines) + "\n"


def _tokens(text: str, spans: list[Span]) -> list[Token]:
    """Our tokens cut at every span edge, plus whitespace tokens where an edge (or the
    text's start) lies in whitespace, so every edge is a token boundary."""
    begins = {start for span in spans for start, _ in span.fragments}
    finishes = {end for span in spans for _, end in span.fragments}
    tokens = tokenize(text, begins | finishes)
    extra: list[Token] = []
    bounds = [0, *(edge for token in tokens for edge in (token.start, token.end)), len(text)]
    for gap_start, gap_end in zip(bounds[::2], bounds[1::2], strict=True):
        if gap_start >= gap_end:
            continue
        cuts = sorted({gap_start, gap_end} | {e for e in begins | finishes
                                              if gap_start < e < gap_end})
        for left, right in zip(cuts, cuts[1:], strict=False):
            needed = left in begins or right in finishes or (
                left == 0 and not tokens) or (left == 0 and text[left:right].strip(" "))
            if needed:
                extra.append(Token(left, right))
    return sorted(tokens + extra, key=lambda token: token.start)


@dataclass(slots=True)
class _Ids:
    groups: list[list[int]]  # token indexes of each sentence
    names: list[str]  # each token's `sentence-token` id


def _unit_ids(text: str, tokens: list[Token], spans: list[Span]) -> _Ids:
    starts = [token.start for token in tokens]
    inside: set[int] = set()
    for span in spans:
        for start, end in span.fragments:
            if "\n" not in text[start:end]:
                inside.update(range(bisect_right(starts, start), bisect_left(starts, end)))
    positions = {token.start: index for index, token in enumerate(tokens)}
    groups = [[positions[token.start] for token in sentence]
              for sentence in sentences(text, tokens, inside)]
    names = [""] * len(tokens)
    for number, group in enumerate(groups, start=1):
        for position, index in enumerate(group, start=1):
            names[index] = f"{number}-{position}"
    return _Ids(groups, names)


def _units(tokens: list[Token], parts: dict[int, list[Part]]
           ) -> list[dict[str, list[Part]]]:
    """For each token, the parts covering it by TSV layer, outer (longer) ones first."""
    on_unit: list[dict[str, list[Part]]] = [{} for _ in tokens]
    ordered = sorted((p for ps in parts.values() for p in ps),
                     key=lambda p: (p.first, -p.last, p.span.layer, p.span.label, p.span.uid))
    for part in ordered:
        for index in range(part.first, part.last + 1):
            on_unit[index].setdefault(part.layer.type, []).append(part)
    return on_unit


def _disambiguate(on_unit: list[dict[str, list[Part]]], parts: dict[int, list[Part]],
                  relations: list[Relation], base: str) -> None:
    needing: set[int] = set()
    for part_list in parts.values():
        for part in part_list:
            if part.last > part.first:
                needing.add(id(part))
    for unit in on_unit:
        for stacked in unit.values():
            if len(stacked) > 1:
                needing.update(id(part) for part in stacked)
    for relation in relations:
        for end in (relation.source_id, relation.target_id):
            if parts[end][0].layer.type != base:
                needing.add(id(parts[end][0]))
    number = 0
    for part in sorted((p for ps in parts.values() for p in ps),
                       key=lambda p: (p.first, -p.last, p.span.layer, p.span.label,
                                      p.span.uid)):
        if id(part) in needing:
            number += 1
            part.identifier = number


def _active(layers: dict[str, TsvLayer], parts: dict[int, list[Part]]) -> list[TsvLayer]:
    used = {part.layer.type for part_list in parts.values() for part in part_list}
    return [layer for layer in layers.values() if layer.type in used]


def _used_features(layer: TsvLayer, records: list[Any]) -> list[str]:
    names = {name for record in records for name in record.attributes}
    return [layer.label_feature or "label"] + [
        feature for feature, name in layer.attributes.items() if name in names]


def _span_cell(stacked: list[Part], layer: TsvLayer, feature: str, written: Written) -> str:
    if not stacked:
        return NULL_COLUMN
    values = []
    for part in stacked:
        if feature == layer.label_feature:
            value = escape_value(part.span.label)
        else:
            value = _value(part.span.attributes.get(layer.attributes[feature]),
                           layer.attributes[feature], written)
        values.append(value + (f"[{part.identifier}]" if part.identifier else ""))
    return "|".join(values)


def _relation_cell(here: list[Relation], layer: TsvLayer, feature: str,
                   written: Written) -> str:
    if not here:
        return NULL_COLUMN
    if feature == layer.label_feature:
        return "|".join(escape_value(relation.type) for relation in here)
    name = layer.attributes[feature]
    return "|".join(_value(relation.attributes.get(name), name, written) for relation in here)


def _reference(relation: Relation, parts: dict[int, list[Part]], base: str,
               names: list[str]) -> str:
    source, target = parts[relation.source_id][0], parts[relation.target_id][0]
    ids = (source.identifier, target.identifier)
    return names[source.first] + (f"[{ids[0]}_{ids[1]}]" if any(ids) else "")


def _value(value: Any, name: str, written: Written) -> str:
    """A feature value: text escaped, true/false, null as `*`; other JSON as its text."""
    if value is None:
        return NULL_VALUE
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        written.as_text.add(name)
        value = json.dumps(value, ensure_ascii=False)
    if "\r" in value:
        written.cut_values.add(name)
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return escape_value(value)


def _token_text(token: str) -> str:
    return escape_text(token) if any(c in token for c in "\t\n\r") else token
