"""The UIMA type system our XMI export declares, and the names both directions share.

Layers become INCEpTION-style types: the ``entity`` layer is DKPro's NamedEntity (label in
``value``); any other layer ``quote`` becomes the custom span layer
``webanno.custom.Quote`` with a ``label`` feature and one feature per attribute the
schema declares; relations are ``webanno.custom.Relation`` with ``Governor``,
``Dependent`` and ``type``. Names that are not Java identifiers are made so, and the
original name rides in the type's or feature's description so our reader restores it.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from cassis import TypeSystem
from cassis.typesystem import Feature, Type

from news_annotator.schema import Schema

ENTITY_LAYER = "entity"
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
DOCUMENT_META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
CUSTOM_PREFIX = "webanno.custom."
RELATION_TYPE = CUSTOM_PREFIX + "Relation"
ANNOTATION = "uima.tcas.Annotation"
STRING = "uima.cas.String"
BOOLEAN = "uima.cas.Boolean"
COLLECTION_ID = "news-annotator"  # DocumentMetaData.collectionId of files we write

LAYER_MARK = "News Annotator layer: "
ATTRIBUTE_MARK = "News Annotator attribute: "
LABEL_MARK = "News Annotator label"
RELATION_MARK = "News Annotator relation type"

_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")
_RESERVED_FEATURES = {"begin", "end", "sofa", "label", "value", "identifier", "Governor",
                      "Dependent"}


@dataclass(slots=True)
class LayerType:
    """One layer's type: which feature holds the label, which holds each attribute."""

    type: Type
    label_feature: str
    attribute_features: dict[str, Feature] = field(default_factory=dict)


@dataclass(slots=True)
class OurTypes:
    typesystem: TypeSystem
    layers: dict[str, LayerType]
    relation: Type
    relation_type_feature: str  # cassis's accessor name for `type` (`type_`)
    document_meta: Type


def java_name(name: str, *, capital: bool) -> str:
    """`name` as a Java identifier: other characters dropped, never starting with a digit."""
    cleaned = _IDENTIFIER.sub("", name.title().replace(" ", "") if capital else name)
    if not cleaned or cleaned[0].isdigit():
        cleaned = ("L" if capital else "f") + cleaned
    return cleaned[0].upper() + cleaned[1:] if capital else cleaned


def logical_feature_name(feature: Feature) -> str:
    """The feature's name as written in XMI (cassis renames `type` to `type_`)."""
    name = feature.name
    if getattr(feature, "_has_reserved_name", False) and name.endswith("_"):
        name = name[:-1]
    if feature.description and feature.description.startswith(ATTRIBUTE_MARK):
        return feature.description[len(ATTRIBUTE_MARK):]
    return name


def build_typesystem(schema: Schema) -> OurTypes:
    """Types for every layer of `schema`, plus document metadata and relations."""
    ts = TypeSystem()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cassis warns when it renames `type` to `type_`
        meta = ts.create_type(DOCUMENT_META, "uima.tcas.DocumentAnnotation")
        for name in ("documentTitle", "documentId", "documentUri", "collectionId",
                     "documentBaseUri"):
            ts.create_feature(meta, name, STRING)
        ts.create_feature(meta, "isLastSegment", BOOLEAN)
        layers: dict[str, LayerType] = {}
        used = {RELATION_TYPE}
        for layer in schema.layers:
            if layer.name == ENTITY_LAYER:
                span_type = ts.create_type(NAMED_ENTITY, ANNOTATION)
                ts.create_feature(span_type, "value", STRING)
                ts.create_feature(span_type, "identifier", STRING)
                label_feature = "value"
            else:
                type_name = _unique(CUSTOM_PREFIX + java_name(layer.name, capital=True), used)
                span_type = ts.create_type(type_name, ANNOTATION,
                                           description=LAYER_MARK + layer.name)
                ts.create_feature(span_type, "label", STRING, description=LABEL_MARK)
                label_feature = "label"
            entry = LayerType(span_type, label_feature)
            taken = set(_RESERVED_FEATURES)
            for attribute in layer.attributes:
                feature_name = _unique(java_name(attribute.name, capital=False), taken)
                feature = ts.create_feature(
                    span_type, feature_name, BOOLEAN if attribute.kind == "boolean" else STRING,
                    description=ATTRIBUTE_MARK + attribute.name)
                entry.attribute_features[attribute.name] = feature
            layers[layer.name] = entry
        relation = ts.create_type(RELATION_TYPE, ANNOTATION)
        ts.create_feature(relation, "Governor", ANNOTATION)
        ts.create_feature(relation, "Dependent", ANNOTATION)
        type_feature = ts.create_feature(relation, "type", STRING, description=RELATION_MARK)
    return OurTypes(ts, layers, relation, type_feature.name, meta)


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate in used:
        candidate = f"{name}{number}"
        number += 1
    used.add(candidate)
    return candidate
