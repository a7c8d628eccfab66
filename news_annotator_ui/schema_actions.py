"""Actions made from the schema: one per label key, per Ctrl+label (add a fragment), per
relation key, and a show/hide toggle per layer. Rebuilt when the schema changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from news_annotator.schema import Schema

FRAGMENT_MODIFIER = "Ctrl+"


class SchemaActions(QObject):
    """Owns the schema-derived actions; `reserved` sequences are never taken by them."""

    def __init__(self, parent: QObject, *, on_label: Callable[[str, bool], None],
                 on_relation: Callable[[str], None],
                 on_layer_toggled: Callable[[str, bool], None]) -> None:
        super().__init__(parent)
        self._on_label = on_label
        self._on_relation = on_relation
        self._on_layer_toggled = on_layer_toggled
        self.labels: dict[str, QAction] = {}
        self.fragments: dict[str, QAction] = {}
        self.relations: dict[str, QAction] = {}
        self.layers: dict[str, QAction] = {}

    def all_actions(self) -> list[QAction]:
        return [*self.labels.values(), *self.fragments.values(), *self.relations.values(),
                *self.layers.values()]

    def rebuild(self, schema: Schema, reserved: set[str],
                hidden_layers: set[str] | frozenset[str] = frozenset()) -> None:
        for action in self.all_actions():
            action.deleteLater()
        self.labels, self.fragments, self.relations, self.layers = {}, {}, {}, {}
        owner = self.parent()
        for layer in schema.layers:
            toggle = QAction(f"Show {layer.name}", owner, checkable=True)
            toggle.setChecked(layer.name not in hidden_layers)
            toggle.setToolTip(f"Show or hide the {layer.name} layer")
            toggle.toggled.connect(lambda on, name=layer.name: self._on_layer_toggled(name, on))
            self.layers[layer.name] = toggle
            for label in layer.labels:
                action = QAction(label.name, owner)
                action.setToolTip(f"{label.name} ({layer.name}): {label.description}"
                                  + (f" — key {label.key.upper()}" if label.key else ""))
                action.triggered.connect(lambda _c=False, n=label.name: self._on_label(n, False))
                fragment = QAction(f"Add fragment to {label.name} span", owner)
                fragment.triggered.connect(lambda _c=False, n=label.name: self._on_label(n, True))
                if label.key:
                    action.setShortcut(QKeySequence(label.key.upper()))
                    combo = FRAGMENT_MODIFIER + label.key.upper()
                    if combo not in reserved:
                        fragment.setShortcut(QKeySequence(combo))
                self.labels[label.name] = action
                self.fragments[label.name] = fragment
        for relation in schema.relation_types:
            action = QAction(f"Relation: {relation.name}…", owner)
            action.setToolTip(f"{relation.description or relation.name}: select the source "
                              "span, press this, then click the target")
            if relation.key:
                action.setShortcut(QKeySequence(relation.key.upper()))
            action.triggered.connect(lambda _c=False, n=relation.name: self._on_relation(n))
            self.relations[relation.name] = action

    def fragment_sequences(self) -> set[str]:
        return {a.shortcut().toString() for a in self.fragments.values()
                if not a.shortcut().isEmpty()}

    def shortcut_rows(self, schema: Schema) -> list[tuple[str, str]]:
        rows = []
        for layer in schema.layers:
            for label in layer.labels:
                if label.key:
                    rows.append((label.key.upper(), f"{label.name} ({layer.name}): create from "
                                 "the selection, or relabel the selected span"))
        bound = [name for name, a in self.fragments.items() if not a.shortcut().isEmpty()]
        if bound:
            unbound = [name for name in self.fragments if name not in bound]
            rows.append(("Ctrl + label key", "add the selection as another fragment of the "
                         "selected span (e.g. a quote split by “he said”)"
                         + (f"; not for {', '.join(unbound)} (menu only)" if unbound else "")))
        for relation in schema.relation_types:
            if relation.key:
                rows.append((relation.key.upper(), f"relation {relation.name}: from the selected "
                             "span, then click the target"))
        return rows
