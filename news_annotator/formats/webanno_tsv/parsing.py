"""WebAnno TSV 3.x text into its parts: the document text, the header's layers, and every
annotation with its UTF-16 offsets, as INCEpTION's reader rebuilds them.

The text is rebuilt from the `#Text=` lines: a sentence starts at its first token's
offset (a gap before it is filled with spaces, a line break that would overrun it is
dropped), each `#Text=` line ends in a line feed, and the one after the last sentence is
the format's, not the document's. Annotations are identified as INCEpTION does: within
a unit by layer and stacking position, across units by their disambiguation id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from news_annotator.formats.webanno_tsv.syntax import (
    BASE_TYPE_PREFIX,
    CHAIN_PREFIX,
    FORMAT_PREFIX,
    NULL_COLUMN,
    NULL_VALUE,
    RELATION_PREFIX,
    ROLE_PREFIX,
    SPAN_PREFIX,
    TEXT_PREFIX,
    lines_of,
    parse_reference,
    parse_unit_id,
    split_disambiguation,
    split_unescaped,
    unescape_text,
    unescape_value,
    utf16_length,
)

_FORMAT = re.compile(r"^#FORMAT=WebAnno TSV (3)\.(\d+)$")
_CHAIN_LINK = re.compile(r"^(.*)->(\d{1,9})-(\d{1,9})$", re.DOTALL)


class Malformed(ValueError):
    """The file breaks the format; carries the line (1-based) where it does."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.line = line


@dataclass(slots=True)
class Column:
    layer: HeaderLayer
    role: str  # primitive, placeholder, slot-role, slot-target, reference, chain-type, chain-link
    feature: str = ""


@dataclass(slots=True)
class HeaderLayer:
    kind: str  # span, relation, chain
    type: str
    line: int
    features: list[str] = field(default_factory=list)  # primitive features, in order
    slots: list[str] = field(default_factory=list)  # slot features (not kept)
    base_type: str = ""  # relations: the span layer they attach to


@dataclass(slots=True, eq=False)
class Annotation:
    """A span, relation or chain link, with UTF-16 offsets while the file is read."""

    layer: HeaderLayer
    begin: int
    end: int
    line: int
    values: dict[str, str | None] = field(default_factory=dict)
    reference: tuple[str, int, int] | None = None  # relations: source unit, source/target id
    unit: str = ""  # the unit that defines it (relations: their target's)
    chain: tuple[int, int] | None = None  # chains: (chain id, link index)
    slot_links: int = 0


@dataclass(slots=True)
class Unit:
    id: str
    begin: int
    end: int
    stacks: dict[str, list[Annotation]] = field(default_factory=dict)  # by layer type


@dataclass(slots=True)
class Parsed:
    text: str
    layers: list[HeaderLayer]
    annotations: list[Annotation]
    units: dict[str, Unit]
    by_id: dict[int, Annotation]


def parse(content: str) -> Parsed:
    """The whole file; Malformed naming the first line that breaks the format."""
    lines = lines_of(content.removeprefix("\ufeff"))
    if not lines or not _FORMAT.match(lines[0]):
        found = lines[0][:40] if lines else "an empty file"
        raise Malformed(f"expected '{FORMAT_PREFIX}WebAnno TSV 3.3' on the first line, "
                        f"found {found!r}", 1)
    layers, columns, position = _header(lines)
    return _Body(layers, columns).read(lines, position)


def _header(lines: list[str]) -> tuple[list[HeaderLayer], list[Column], int]:
    layers: list[HeaderLayer] = []
    columns: list[Column] = []
    position = 1
    while position < len(lines) and lines[position].startswith(
            (SPAN_PREFIX, CHAIN_PREFIX, RELATION_PREFIX)):
        line = lines[position]
        kind = {SPAN_PREFIX: "span", CHAIN_PREFIX: "chain", RELATION_PREFIX: "relation"}[
            line[:6]]
        type_name, *declared = line[6:].split("|")
        if not type_name:
            raise Malformed("a layer declaration names no type", position + 1)
        layer = HeaderLayer(kind, type_name, position + 1)
        layers.append(layer)
        columns += _columns(layer, [name for name in declared if name], position + 1)
        position += 1
    while position < len(lines) and not lines[position].strip():
        position += 1
    return layers, columns, position


def _columns(layer: HeaderLayer, declared: list[str], line: int) -> list[Column]:
    if not declared:
        return [Column(layer, "placeholder")]
    found: list[Column] = []
    for index, name in enumerate(declared):
        if layer.kind == "relation" and name.startswith(BASE_TYPE_PREFIX):
            if index != len(declared) - 1:
                raise Malformed(f"{name} must be the last column of {layer.type}", line)
            layer.base_type = name[len(BASE_TYPE_PREFIX):]
            found.append(Column(layer, "reference"))
        elif layer.kind == "chain" and name in ("referenceType", "referenceRelation"):
            found.append(Column(layer, "chain-type" if name == "referenceType"
                                else "chain-link", name))
        elif layer.kind == "span" and name.startswith(ROLE_PREFIX):
            role = name[len(ROLE_PREFIX):].split("_")[0]
            layer.slots.append(role.rpartition(":")[2] or role)
            found.append(Column(layer, "slot-role", name))
        elif layer.kind == "span" and found and found[-1].role == "slot-role":
            found.append(Column(layer, "slot-target", name))  # the slot's target type
        else:
            layer.features.append(name)
            found.append(Column(layer, "primitive", name))
    if layer.kind == "relation" and not layer.base_type:
        raise Malformed(f"relation layer {layer.type} has no BT_ column", line)
    if layer.kind == "chain" and [c.role for c in found] != ["chain-type", "chain-link"]:
        raise Malformed(f"chain layer {layer.type} needs the columns referenceType and "
                        "referenceRelation", line)
    return found


class _Body:
    """Reads sentences and token lines, rebuilding the text and the annotations."""

    def __init__(self, layers: list[HeaderLayer], columns: list[Column]) -> None:
        self.layers = layers
        self.columns = columns
        self.parts: list[str] = []
        self.length = 0  # of the text so far, in UTF-16 units
        self.sentence: list[str] = []
        self.sentence_start = -1
        self.annotations: list[Annotation] = []
        self.units: dict[str, Unit] = {}
        self.by_id: dict[int, Annotation] = {}
        self.chains: dict[tuple[str, int, int], Annotation] = {}
        self.token: Unit | None = None

    def read(self, lines: list[str], position: int) -> Parsed:
        state = "between"
        for number, line in enumerate(lines[position:], start=position + 1):
            if not line:
                state = "between"
                continue
            if line.startswith("#") and state in ("between", "header"):
                if state == "between":
                    self.sentence = []
                state = "header"
                if line.startswith(TEXT_PREFIX):
                    self.sentence.append(unescape_text(line[len(TEXT_PREFIX):]) + "\n")
                continue
            if state == "between":
                raise Malformed("expected a sentence (#Text=) before this line", number)
            self._unit(line, number, starts_sentence=state == "header")
            state = "tokens"
        if state == "header":
            raise Malformed("the last sentence has no tokens", len(lines))
        text = "".join(self.parts)
        return Parsed(text[:-1] if text.endswith("\n") else text, self.layers,
                      self.annotations, self.units, self.by_id)

    def _unit(self, line: str, number: int, *, starts_sentence: bool) -> None:
        fields = line.split("\t")
        if len(fields) < 3:
            raise Malformed("a token line needs an id, offsets and the token", number)
        unit_id, offsets = fields[0], fields[1]
        parsed_id = parse_unit_id(unit_id)
        begin_text, dash, end_text = offsets.partition("-")
        if parsed_id is None or not dash or not begin_text.isdigit() or not end_text.isdigit() \
                or len(offsets) > 20:
            raise Malformed(f"bad token id or offsets {unit_id[:20]!r} {offsets[:20]!r}", number)
        begin, end = int(begin_text), int(end_text)
        if starts_sentence:
            if parsed_id[2]:
                raise Malformed("a sentence cannot start with a sub-token", number)
            self._start_sentence(begin, number)
        if not self.sentence_start <= begin <= end <= self.length:
            raise Malformed(f"offsets {begin}-{end} fall outside the sentence's text", number)
        if unit_id in self.units:
            raise Malformed(f"token id {unit_id} is used twice", number)
        if parsed_id[2] and (self.token is None or not unit_id.startswith(self.token.id + ".")):
            raise Malformed(f"sub-token {unit_id} does not follow its token", number)
        unit = Unit(unit_id, begin, end)
        self.units[unit_id] = unit
        if not parsed_id[2]:
            self.token = unit
        values = fields[3:]
        if len(values) < len(self.columns) or any(values[len(self.columns):]):
            raise Malformed(f"expected {len(self.columns)} annotation columns after the token, "
                            f"found {len([v for v in values if v]) or len(values)}", number)
        chain_types: dict[str, str] = {}
        for index, column in enumerate(self.columns):
            if column.role == "chain-type":
                chain_types[column.layer.type] = values[index]
            elif column.role == "chain-link":
                self._chain(unit, column.layer, chain_types.pop(column.layer.type),
                            values[index], number)
            else:
                self._column(unit, column, values[index], number)

    def _start_sentence(self, begin: int, number: int) -> None:
        if self.length > begin:
            if self.length != begin + 1 or not self.parts or not self.parts[-1].endswith("\n"):
                raise Malformed(f"the sentence starts at {begin}, inside the text of the one "
                                "before", number)
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        elif self.length < begin:
            self.parts.append(" " * (begin - self.length))
            self.length = begin
        self.sentence_start = begin
        sentence = "".join(self.sentence)
        self.parts.append(sentence)
        self.length += utf16_length(sentence)

    def _column(self, unit: Unit, column: Column, raw: str, number: int) -> None:
        if raw == NULL_COLUMN or column.role == "slot-target":  # targets: counted by role
            return
        layer = column.layer
        stack = unit.stacks.setdefault(layer.type, [])
        for index, value in enumerate(split_unescaped(raw, "|")):
            if column.role == "reference":
                annotation = self._annotation(unit, layer, stack, index, None, number)
                reference = parse_reference(value)
                if reference is None:
                    raise Malformed(f"bad relation reference {value[:30]!r}", number)
                annotation.reference = reference
            elif column.role == "slot-role":
                annotation = self._annotation(unit, layer, stack, index, None, number)
                value, _ = split_disambiguation(value)
                if value not in (NULL_COLUMN, NULL_VALUE):  # (repeated on each unit)
                    annotation.slot_links = max(annotation.slot_links,
                                                len(split_unescaped(value, ";")))
            else:
                value, identifier = split_disambiguation(value)
                annotation = self._annotation(unit, layer, stack, index, identifier, number)
                if column.role == "primitive":
                    annotation.values[column.feature] = None if value == NULL_VALUE \
                        else unescape_value(value)

    def _annotation(self, unit: Unit, layer: HeaderLayer, stack: list[Annotation], index: int,
                    identifier: int | None, number: int) -> Annotation:
        if index < len(stack):
            return stack[index]
        if index > len(stack):
            raise Malformed(f"stacked values of {layer.type} do not line up", number)
        found = self.by_id.get(identifier) if identifier else None
        if found is not None and layer.kind == "span":
            if found.layer is not layer:
                raise Malformed(f"disambiguation id {identifier} names a {found.layer.type}, "
                                f"not a {layer.type}", number)
            found.end = max(found.end, unit.end)
        else:
            found = Annotation(layer, unit.begin, unit.end, number, unit=unit.id)
            self.annotations.append(found)
            if identifier and layer.kind == "span":
                self.by_id[identifier] = found
        stack.append(found)
        return found

    def _chain(self, unit: Unit, layer: HeaderLayer, types: str, links: str,
               number: int) -> None:
        """Chain links: each is one annotation per (chain id, link index) across units."""
        if links == NULL_COLUMN and types == NULL_COLUMN:
            return
        link_values = split_unescaped(links, "|") if links != NULL_COLUMN else []
        type_values = split_unescaped(types, "|") if types != NULL_COLUMN else []
        if len(link_values) != len(type_values):
            raise Malformed(f"chain columns of {layer.type} do not line up", number)
        stack = unit.stacks.setdefault(layer.type, [])
        for link_value, type_value in zip(link_values, type_values, strict=True):
            link = _CHAIN_LINK.match(link_value)
            if link is None:
                raise Malformed(f"chain value {link_value[:30]!r} lacks ->CHAIN-LINK", number)
            chain = (int(link.group(2)), int(link.group(3)))
            element = self.chains.get((layer.type, *chain))
            if element is None:
                element = Annotation(layer, unit.begin, unit.end, number, unit=unit.id,
                                     chain=chain)
                self.annotations.append(element)
                self.chains[(layer.type, *chain)] = element
            else:
                element.end = max(element.end, unit.end)
            stack.append(element)
            label, _ = split_disambiguation(type_value)  # [N] here is the chain's id
            relation = link.group(1)
            element.values["referenceType"] = None if label == NULL_VALUE \
                else unescape_value(label)
            element.values["referenceRelation"] = None if relation == NULL_VALUE \
                else unescape_value(relation)
