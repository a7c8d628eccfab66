"""Which TSV layer (a UIMA type) holds which of our layers, both ways.

Written as INCEpTION's own layers, as our XMI export names them: the `entity` layer is
DKPro's NamedEntity (label in `value`), any other layer `quote` the custom span layer
`webanno.custom.Quote` (label in `label`), one feature per attribute; every relation goes
into `webanno.custom.Relation` (its type in `type`). Names that are not Java identifiers
are made so; our manifest keeps the original names so our reader restores them.

Read: NamedEntity into `entity`, any other span layer into a layer named after its short
name in lower case (`webanno.custom.Speech` -> `speech`), labelled by its `label`, else
`value`, else first feature, else the type name in capitals; relation layers the same
way (typed by `type`, else `label`/`value`/first feature, else the type name); chain
layers (coreference) as spans and relations between their consecutive links. DKPro's
token-level layers (POS, lemmas, morphology, dependencies...) are not read: the reader
warns about them by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
CUSTOM_PREFIX = "webanno.custom."
RELATION_TYPE = CUSTOM_PREFIX + "Relation"
ENTITY_LAYER = "entity"
# DKPro Core's linguistic preprocessing: token-level layers a news annotator does not keep.
PREPROCESSING = (
    "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.",
    "de.tudarmstadt.ukp.dkpro.core.api.syntax.",
    "de.tudarmstadt.ukp.dkpro.core.api.morph.",
)
LABEL_FEATURES = ("label", "value")
RELATION_FEATURES = ("type", "label", "value")
_RESERVED = {"begin", "end", "sofa", "label", "value", "identifier", "Governor",
             "Dependent", "type"}
_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


@dataclass(slots=True)
class TsvLayer:
    """One TSV type as we write or read it: its features, which one holds the label (or
    relation type), and which of our attributes each other feature holds."""

    type: str
    layer: str  # ours (for relation layers: "")
    label_feature: str | None
    attributes: dict[str, str] = field(default_factory=dict)  # feature -> attribute
    booleans: set[str] = field(default_factory=set)  # features holding true/false

    @property
    def features(self) -> list[str]:
        return ([self.label_feature] if self.label_feature else []) + list(self.attributes)

    @property
    def short_name(self) -> str:
        return self.type.rpartition(".")[2]


def java_name(name: str, *, capital: bool) -> str:
    """`name` as a Java identifier: other characters dropped, never starting with a digit."""
    cleaned = _IDENTIFIER.sub("", name.title().replace(" ", "") if capital else name)
    if not cleaned or cleaned[0].isdigit():
        cleaned = ("L" if capital else "f") + cleaned
    return cleaned[0].upper() + cleaned[1:] if capital else cleaned


def unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate in used:
        candidate = f"{name}{number}"
        number += 1
    used.add(candidate)
    return candidate


def span_layer_for(layer: str, attributes: list[str], booleans: set[str],
                   taken_types: set[str]) -> TsvLayer:
    """The TSV type our layer `layer` is written as, with a feature per attribute."""
    if layer == ENTITY_LAYER:
        tsv_type, label_feature = NAMED_ENTITY, "value"
    else:
        tsv_type = unique(CUSTOM_PREFIX + java_name(layer, capital=True),
                          taken_types | {RELATION_TYPE, NAMED_ENTITY})
        label_feature = "label"
    taken_types.add(tsv_type)
    return TsvLayer(tsv_type, layer, label_feature, *_features(attributes, booleans))


def relation_layer_for(attributes: list[str], booleans: set[str]) -> TsvLayer:
    return TsvLayer(RELATION_TYPE, "", "type", *_features(attributes, booleans))


def _features(attributes: list[str], booleans: set[str]) -> tuple[dict[str, str], set[str]]:
    used = set(_RESERVED)
    features = {unique(java_name(name, capital=False), used): name for name in attributes}
    return features, {feature for feature, name in features.items() if name in booleans}


def is_preprocessing(tsv_type: str) -> bool:
    return tsv_type.startswith(PREPROCESSING)


def read_span_layer(tsv_type: str, features: list[str]) -> TsvLayer:
    """How a span layer read from a file maps onto ours (without our manifest)."""
    if tsv_type == NAMED_ENTITY or tsv_type.endswith(".NamedEntity"):
        label = "value" if "value" in features else None
        layer = ENTITY_LAYER
    else:
        label = _pick(features, LABEL_FEATURES)
        layer = tsv_type.rpartition(".")[2].lower() or tsv_type
    return TsvLayer(tsv_type, layer, label, {f: f for f in features if f != label})


def read_relation_layer(tsv_type: str, features: list[str]) -> TsvLayer:
    label = _pick(features, RELATION_FEATURES)
    return TsvLayer(tsv_type, "", label, {f: f for f in features if f != label})


def _pick(features: list[str], names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in features), features[0] if features
                else None)
