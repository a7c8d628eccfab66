"""The union of two label schemas, or the reasons they cannot be combined.

Compatible differences are unioned: a layer, label, attribute or relation type that
one side lacks is added; choice values and the labels an attribute or relation type
applies to are widened. Cosmetic differences (colors, descriptions, defaults) keep the
first file's value; a shortcut key already taken is dropped from the newcomer.
Conflicts refuse: one label name in two different layers (labels are looked up by
name) or one attribute with two different kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from news_annotator.schema import AttributeDef, Layer, Schema


@dataclass(slots=True)
class SchemaUnion:
    """The schema folded so far, where each part came from, what changed, what clashed."""

    schema: Schema
    origin: str
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    _from: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for _, label in self.schema.all_labels():
            self._from[f"label {label.name}"] = self.origin
        for layer in self.schema.layers:
            self._from[f"layer {layer.name}"] = self.origin

    def source_of(self, key: str) -> str:
        return self._from.get(key, self.origin)

    def add(self, other: Schema, name: str) -> None:
        layers = list(self.schema.layers)
        for theirs in other.layers:
            index = next((i for i, mine in enumerate(layers) if mine.name == theirs.name), None)
            if index is None:
                layers.append(Layer(theirs.name, (), (), theirs.description))
                index = len(layers) - 1
                self._from[f"layer {theirs.name}"] = name
                self.changes.append(f"added layer {theirs.name!r} from {name}")
            layers[index] = self._merge_layer(layers[index], theirs, layers, name)
        relation_types = list(self.schema.relation_types)
        for theirs in other.relation_types:
            index = next((i for i, r in enumerate(relation_types) if r.name == theirs.name), None)
            if index is None:
                relation_types.append(theirs)
                self.changes.append(f"added relation type {theirs.name!r} from {name}")
                continue
            mine = relation_types[index]
            widened = replace(mine, source_labels=_widen(mine.source_labels, theirs.source_labels),
                              target_labels=_widen(mine.target_labels, theirs.target_labels))
            if widened != mine:
                relation_types[index] = widened
                self.changes.append(f"relation type {theirs.name!r} allows more labels "
                                    f"(as in {name})")
        self.schema = _without_key_clashes(replace(self.schema, layers=tuple(layers),
                                                   relation_types=tuple(relation_types)))

    def _merge_layer(self, mine: Layer, theirs: Layer, layers: list[Layer], name: str) -> Layer:
        labels = list(mine.labels)
        for label in theirs.labels:
            home = next((lay.name for lay in layers if lay.label(label.name)), None)
            if home is None:
                labels.append(label)
                self._from[f"label {label.name}"] = name
                self.changes.append(f"added label {theirs.name}/{label.name} from {name}")
            elif home != theirs.name:
                self.conflicts.append(
                    f"label {label.name!r} is in layer {home!r} in "
                    f"{self.source_of(f'label {label.name}')} but in layer {theirs.name!r} "
                    f"in {name}")
        attributes = list(mine.attributes)
        for attribute in theirs.attributes:
            index = next((i for i, a in enumerate(attributes) if a.name == attribute.name), None)
            if index is None:
                attributes.append(attribute)
                self.changes.append(f"added attribute {theirs.name}.{attribute.name} from {name}")
                continue
            merged = self._merge_attribute(theirs.name, attributes[index], attribute, name)
            attributes[index] = merged
        return replace(mine, labels=tuple(labels), attributes=tuple(attributes))

    def _merge_attribute(self, layer: str, mine: AttributeDef, theirs: AttributeDef,
                         name: str) -> AttributeDef:
        if mine.kind != theirs.kind:
            self.conflicts.append(
                f"attribute {layer}.{mine.name} is a {mine.kind} in "
                f"{self.source_of(f'layer {layer}')} but a {theirs.kind} in {name}")
            return mine
        values = mine.values + tuple(v for v in theirs.values if v not in mine.values)
        merged = replace(mine, values=values, labels=_widen(mine.labels, theirs.labels))
        if merged != mine:
            self.changes.append(f"attribute {layer}.{mine.name} widened (as in {name})")
        return merged


def _widen(mine: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[str, ...]:
    """Union of two 'applies to' lists, where an empty list means 'any'."""
    if not mine or not theirs:
        return ()
    return mine + tuple(x for x in theirs if x not in mine)


def _without_key_clashes(schema: Schema) -> Schema:
    """Drop shortcut keys already used earlier in the schema (keys are cosmetic)."""
    seen: set[str] = set()
    layers = []
    for layer in schema.layers:
        labels = []
        for label in layer.labels:
            key = label.key.upper()
            if key and key in seen:
                label = replace(label, key="")
            seen.add(key)
            labels.append(label)
        layers.append(replace(layer, labels=tuple(labels)))
    relation_types = []
    for relation in schema.relation_types:
        if relation.key and relation.key.upper() in seen:
            relation = replace(relation, key="")
        seen.add(relation.key.upper())
        relation_types.append(relation)
    return replace(schema, layers=tuple(layers), relation_types=tuple(relation_types))


def used_but_missing(schema: Schema, used: set[tuple[str, str]]) -> list[str]:
    """'layer/label' of labels in use that the schema lacks."""
    return sorted(f"{layer}/{label}" for layer, label in used
                  if not (schema.layer(layer) and schema.layer(layer).label(label)))

