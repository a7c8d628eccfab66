"""Label schemas: layers, labels, attributes and relation types, loaded from JSON.

A schema is data the user may edit; `parse_schema` checks it whole and names the first
problem, so a bad file never half-applies.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from news_annotator.errors import SchemaError

ATTRIBUTE_KINDS = ("choice", "boolean", "text")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME = re.compile(r"^[^\s].{0,63}$")


@dataclass(frozen=True, slots=True)
class AttributeDef:
    """An attribute a span may carry: a choice among values, a yes/no, or free text."""

    name: str
    kind: str = "choice"
    values: tuple[str, ...] = ()
    default: Any = None
    labels: tuple[str, ...] = ()  # empty: applies to every label of the layer
    description: str = ""

    def applies_to(self, label: str) -> bool:
        return not self.labels or label in self.labels


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    color: str
    key: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    labels: tuple[Label, ...]
    attributes: tuple[AttributeDef, ...] = ()
    description: str = ""

    def label(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)

    def attributes_for(self, label: str) -> tuple[AttributeDef, ...]:
        return tuple(a for a in self.attributes if a.applies_to(label))


@dataclass(frozen=True, slots=True)
class RelationType:
    """A directed link type; empty label lists allow any span on that end."""

    name: str
    source_labels: tuple[str, ...] = ()
    target_labels: tuple[str, ...] = ()
    key: str = ""
    color: str = "#555555"
    description: str = ""

    def allows(self, source_label: str, target_label: str) -> bool:
        return ((not self.source_labels or source_label in self.source_labels)
                and (not self.target_labels or target_label in self.target_labels))


@dataclass(frozen=True, slots=True)
class Schema:
    layers: tuple[Layer, ...]
    relation_types: tuple[RelationType, ...] = ()
    name: str = ""

    def layer(self, name: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.name == name), None)

    def layer_of_label(self, label: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.label(label)), None)

    def relation_type(self, name: str) -> RelationType | None:
        return next((rel for rel in self.relation_types if rel.name == name), None)

    def all_labels(self) -> list[tuple[Layer, Label]]:
        return [(layer, label) for layer in self.layers for label in layer.labels]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "layers": [{
                "name": layer.name, "description": layer.description,
                "labels": [{"name": lb.name, "color": lb.color, "key": lb.key,
                            "description": lb.description} for lb in layer.labels],
                "attributes": [attribute_to_dict(a) for a in layer.attributes],
            } for layer in self.layers],
            "relations": [{
                "name": r.name, "source_labels": list(r.source_labels),
                "target_labels": list(r.target_labels), "key": r.key, "color": r.color,
                "description": r.description,
            } for r in self.relation_types],
        }


def attribute_to_dict(attribute: AttributeDef) -> dict[str, Any]:
    return {"name": attribute.name, "kind": attribute.kind, "values": list(attribute.values),
            "default": attribute.default, "labels": list(attribute.labels),
            "description": attribute.description}


def parse_attribute(raw: dict[str, Any], where: str) -> AttributeDef:
    name = _required_name(raw, where)
    kind = raw.get("kind", "choice")
    if kind not in ATTRIBUTE_KINDS:
        raise SchemaError(f"{where}: attribute {name!r} has kind {kind!r}; "
                          f"expected one of {', '.join(ATTRIBUTE_KINDS)}")
    values = tuple(str(v) for v in raw.get("values", ()))
    if kind == "choice" and not values:
        raise SchemaError(f"{where}: choice attribute {name!r} lists no values")
    default = raw.get("default")
    if kind == "choice" and default is not None and default not in values:
        raise SchemaError(f"{where}: default {default!r} of {name!r} is not one of its values")
    return AttributeDef(name=name, kind=kind, values=values, default=default,
                        labels=tuple(raw.get("labels", ())),
                        description=str(raw.get("description", "")))


def parse_schema(raw: Any, source: str = "schema") -> Schema:
    """Build a Schema from its JSON form, raising SchemaError at the first problem."""
    try:
        return _parse_schema(raw, source)
    except (TypeError, AttributeError, ValueError) as error:  # a wrong type deep inside
        raise SchemaError(f"{source}: malformed schema ({type(error).__name__}: {error})"
                          ) from None


def _parse_schema(raw: Any, source: str) -> Schema:
    if not isinstance(raw, dict) or not isinstance(raw.get("layers"), list):
        raise SchemaError(f"{source}: expected an object with a 'layers' list")
    layers, seen_labels, seen_keys = [], set(), set()
    for index, raw_layer in enumerate(raw["layers"]):
        where = f"{source}: layer {index + 1}"
        if not isinstance(raw_layer, dict):
            raise SchemaError(f"{where}: expected an object")
        layer_name = _required_name(raw_layer, where)
        labels = []
        for raw_label in raw_layer.get("labels", []):
            label_name = _required_name(raw_label, f"{where} ({layer_name})")
            if label_name in seen_labels:
                raise SchemaError(f"{source}: label {label_name!r} is defined twice")
            seen_labels.add(label_name)
            color = str(raw_label.get("color", "#999999"))
            if not _COLOR.match(color):
                raise SchemaError(f"{source}: label {label_name!r} has color {color!r}; "
                                  "expected #rrggbb")
            key = str(raw_label.get("key", ""))
            _check_key(key, label_name, seen_keys, source)
            labels.append(Label(label_name, color, key, str(raw_label.get("description", ""))))
        attributes = tuple(parse_attribute(a, f"{where} ({layer_name})")
                           for a in raw_layer.get("attributes", []))
        layers.append(Layer(layer_name, tuple(labels), attributes,
                            str(raw_layer.get("description", ""))))
    if len({layer.name for layer in layers}) != len(layers):
        raise SchemaError(f"{source}: two layers share a name")
    relation_types = []
    for raw_rel in raw.get("relations", []):
        name = _required_name(raw_rel, f"{source}: relation")
        for end in ("source_labels", "target_labels"):
            unknown = [lb for lb in raw_rel.get(end, []) if lb not in seen_labels]
            if unknown:
                raise SchemaError(f"{source}: relation {name!r} names unknown label(s) "
                                  f"{', '.join(unknown)} in {end}")
        key = str(raw_rel.get("key", ""))
        _check_key(key, name, seen_keys, source)
        relation_types.append(RelationType(
            name, tuple(raw_rel.get("source_labels", [])), tuple(raw_rel.get("target_labels", [])),
            key, str(raw_rel.get("color", "#555555")), str(raw_rel.get("description", ""))))
    if len({r.name for r in relation_types}) != len(relation_types):
        raise SchemaError(f"{source}: two relation types share a name")
    return Schema(tuple(layers), tuple(relation_types), str(raw.get("name", "")))


def _required_name(raw: Any, where: str) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    if not isinstance(name, str) or not _NAME.match(name):
        raise SchemaError(f"{where}: needs a 'name' (1-64 characters, not starting with a space)")
    return name


def _check_key(key: str, owner: str, seen: set[str], source: str) -> None:
    if not key:
        return
    if len(key) != 1:
        raise SchemaError(f"{source}: key {key!r} of {owner!r} must be one character")
    if key.upper() in seen:
        raise SchemaError(f"{source}: key {key!r} of {owner!r} is already used")
    seen.add(key.upper())


def load_schema(path: str | Path) -> Schema:
    """Read and validate a schema file."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text("utf-8"))
    except OSError as error:
        raise SchemaError(f"{path}: cannot read ({error.strerror})") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SchemaError(f"{path}: not valid JSON ({error})") from error
    return parse_schema(raw, str(path))


def default_schema() -> Schema:
    """The news schema shipped in resources/schemas/news.json (package news_annotator.resources)."""
    shipped = resources.files("news_annotator.resources") / "schemas" / "news.json"
    with resources.as_file(shipped) as path:
        return load_schema(path)


def schema_from_json(text: str) -> Schema:
    return parse_schema(json.loads(text))


def dump_schema(schema: Schema) -> str:
    return json.dumps(schema.to_dict(), ensure_ascii=False, indent=2)

