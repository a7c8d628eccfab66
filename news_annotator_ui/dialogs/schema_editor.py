"""Annotate › Edit labels: layers, labels (name, color, key), and each layer's attributes.

The dialog edits a copy in item models; OK builds a new Schema, validates it with the
core's parser and hands it to `project.set_schema` (renamed labels carried over), so a
bad edit is refused with the core's message and nothing half-applies. Removing a label
that spans use is refused up front (the core would refuse it on OK anyway).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
)

from news_annotator.commands import Command, SetSchema
from news_annotator.errors import AnnotatorError
from news_annotator.project import EXTRA_COLORS, Project
from news_annotator.schema import Schema, attribute_to_dict, parse_schema

ORIGINAL = Qt.ItemDataRole.UserRole + 1
LAYER_KEY = Qt.ItemDataRole.UserRole + 2  # stable while the layer is renamed
LABEL_COLUMNS = ("Layer / label", "Color", "Key", "Description")
ATTRIBUTE_COLUMNS = ("Attribute", "Kind", "Values (comma-separated)", "Default",
                     "Labels (empty: all)")
RELATION_ENDS = ("source_labels", "target_labels")
REMOVE_KEYS = ("Delete", "Backspace")  # as Delete span in the main window


class SchemaEditor(QDialog):
    def __init__(self, project: Project, parent=None, *,
                 on_applied: Callable[[Command], None] | None = None) -> None:
        """`on_applied` receives the saved edit as a command (the window's undo stack)."""
        super().__init__(parent)
        self.project = project
        self.on_applied = on_applied
        self.setWindowTitle("Labels and attributes")
        self.labels = QStandardItemModel(0, len(LABEL_COLUMNS), self)
        self.labels.setHorizontalHeaderLabels(list(LABEL_COLUMNS))
        self.attributes = QStandardItemModel(0, len(ATTRIBUTE_COLUMNS), self)
        self.attributes.setHorizontalHeaderLabels(list(ATTRIBUTE_COLUMNS))
        self._attribute_rows: dict[str, list[list[str]]] = {}
        self._current_layer = ""
        self._new_layers = 0
        self._usage: dict[str, dict[str, int]] | None = None  # spans per layer/label, lazily
        self.tree = QTreeView()
        self.tree.setModel(self.labels)
        self.tree.setUniformRowHeights(True)
        self.tree.doubleClicked.connect(self._pick_color)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.attribute_view = QTreeView()
        self.attribute_view.setRootIsDecorated(False)
        self.attribute_view.setModel(self.attributes)
        self.attribute_view.selectionModel().currentChanged.connect(self._update_buttons)
        self.attribute_title = QLabel("Attributes")
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_attribute_button = QPushButton("Remove attribute")
        self.remove_attribute_button.setToolTip("Remove the selected attribute (Delete)")
        self.remove_attribute_button.clicked.connect(self.remove_attribute)
        for view, slot in ((self.tree, self.remove_selected),
                           (self.attribute_view, self.remove_attribute)):
            action = QAction("Remove", view)  # Delete only while the view itself has focus,
            action.setShortcuts([QKeySequence(k) for k in REMOVE_KEYS])  # not its cell editor
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            view.addAction(action)
        self._load(project.schema)

        add_layer = QPushButton("Add layer")
        add_layer.clicked.connect(self.add_layer)
        add_label = QPushButton("Add label")
        add_label.clicked.connect(self.add_label)
        add_attribute = QPushButton("Add attribute")
        add_attribute.clicked.connect(self.add_attribute)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel("Double-click a color to change it. Renaming a label renames it on "
                      "every span.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 3)
        layout.addLayout(_button_row(add_layer, add_label, self.remove_button))
        layout.addWidget(self.attribute_title)
        layout.addWidget(self.attribute_view, 2)
        layout.addLayout(_button_row(add_attribute, self.remove_attribute_button))
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(720, 660)

    # -- loading ------------------------------------------------------------------------

    def _load(self, schema: Schema) -> None:
        for layer in schema.layers:
            layer_item = QStandardItem(layer.name)
            layer_item.setData(layer.name, ORIGINAL)
            layer_item.setData(layer.name, LAYER_KEY)
            rest = [QStandardItem(""), QStandardItem(""), QStandardItem(layer.description)]
            for item in rest[:2]:
                item.setEditable(False)
            self.labels.appendRow([layer_item, *rest])
            for label in layer.labels:
                self._append_label(layer_item, label.name, label.color, label.key,
                                   label.description, original=label.name)
            self._attribute_rows[layer.name] = [_attribute_row(attribute_to_dict(a))
                                                for a in layer.attributes]
        self.tree.expandAll()
        self.tree.setColumnWidth(0, 220)
        if self.labels.rowCount():
            self.tree.setCurrentIndex(self.labels.index(0, 0))

    def _append_label(self, layer_item: QStandardItem, name: str, color: str, key: str,
                      description: str, original: str = "") -> None:
        name_item = QStandardItem(name)
        name_item.setData(original, ORIGINAL)
        color_item = QStandardItem(color)
        color_item.setData(QColor(color), Qt.ItemDataRole.DecorationRole)
        color_item.setEditable(False)
        layer_item.appendRow([name_item, color_item, QStandardItem(key),
                              QStandardItem(description)])

    # -- editing ------------------------------------------------------------------------

    def add_layer(self) -> None:
        taken = {self.labels.item(r).text() for r in range(self.labels.rowCount())}
        name = _unused_name("layer", self.labels.rowCount() + 1, taken)
        self._new_layers += 1  # a counter, not the row count: rows come and go
        item = QStandardItem(name)
        item.setData("", ORIGINAL)
        item.setData(f"new:{self._new_layers}", LAYER_KEY)
        self.labels.appendRow([item, QStandardItem(""), QStandardItem(""), QStandardItem("")])
        self._attribute_rows[f"new:{self._new_layers}"] = []
        self.tree.setCurrentIndex(item.index())

    def add_label(self) -> None:
        layer_item = self._layer_item(self.tree.currentIndex())
        if layer_item is None:
            return
        count = sum(self.labels.item(r).rowCount() for r in range(self.labels.rowCount()))
        self._append_label(layer_item, _unused_name("LABEL", count + 1, self._label_names()),
                           EXTRA_COLORS[count % len(EXTRA_COLORS)], "", "")
        self.tree.expand(layer_item.index())
        new = layer_item.child(layer_item.rowCount() - 1, 0)
        self.tree.setCurrentIndex(new.index())
        self.tree.edit(new.index())

    def add_attribute(self) -> None:
        self._store_attributes()
        self.attributes.appendRow([QStandardItem(f"attribute{self.attributes.rowCount() + 1}"),
                                   QStandardItem("choice"), QStandardItem("yes, no"),
                                   QStandardItem(""), QStandardItem("")])

    def remove_selected(self) -> None:
        """Remove the current label, or the current layer with its labels, unless spans use
        them: the core would refuse that on OK, and by then the user has lost the context."""
        index = self.tree.currentIndex().siblingAtColumn(0)
        if not index.isValid():
            return
        item = self.labels.itemFromIndex(index)
        is_layer = not index.parent().isValid()
        in_use = self._spans_using(item)
        if in_use:
            counts = ", ".join(f"{name} ({_spans(n)})" for name, n in in_use)
            message = (f"Layer “{item.text()}” has labels in use: {counts}; relabel or delete "
                       "those spans first." if is_layer else
                       f"{item.text()} is used by {_spans(in_use[0][1])}; relabel or delete "
                       "them first.")
            QMessageBox.warning(self, "Cannot remove", message)
            return
        dropped = self._dropped_relations(item)
        if dropped and QMessageBox.question(
                self, "Remove relation types too?",
                f"Removing “{item.text()}” leaves the relation type(s) "
                f"{', '.join(f'“{name}”' for name in dropped)} without labels at one end, "
                "so they go as well. Remove them?") != QMessageBox.StandardButton.Yes:
            return
        if is_layer:
            self._current_layer = ""  # so the row change does not store its attributes back
            self._attribute_rows.pop(item.data(LAYER_KEY), None)
            self.labels.removeRow(index.row())
        else:
            self.labels.removeRow(index.row(), index.parent())
        self._update_buttons()

    def remove_attribute(self) -> None:
        index = self.attribute_view.currentIndex()
        if index.isValid():
            self.attributes.removeRow(index.row())
            self._store_attributes()
        self._update_buttons()

    def _spans_using(self, item: QStandardItem) -> list[tuple[str, int]]:
        """(shown name, span count) of the saved labels under `item` that spans use."""
        if self._usage is None:  # the dialog is modal: spans cannot change while it is open
            self._usage = self.project.label_counts()
        layer_item = item if item.parent() is None else item.parent()
        used = self._usage.get(layer_item.data(ORIGINAL) or "", {})
        rows = [item] if item.parent() is not None else [item.child(r)
                                                        for r in range(item.rowCount())]
        counts = [(row.text(), used.get(row.data(ORIGINAL) or "", 0)) for row in rows]
        return [(name, count) for name, count in counts if count]

    def _update_buttons(self, *_args: object) -> None:
        index = self.tree.currentIndex()
        self.remove_button.setEnabled(index.isValid())
        self.remove_button.setText("Remove label" if index.parent().isValid()
                                   else "Remove layer")
        self.remove_button.setToolTip("Remove the selected label (Delete)"
                                      if index.parent().isValid() else
                                      "Remove the selected layer and its labels (Delete)")
        self.remove_attribute_button.setEnabled(self.attribute_view.currentIndex().isValid())

    def _pick_color(self, index: QModelIndex) -> None:
        if index.column() != 1 or not index.parent().isValid():
            return
        item = self.labels.itemFromIndex(index)
        color = QColorDialog.getColor(QColor(item.text()), self, "Label color")
        if color.isValid():
            item.setText(color.name())
            item.setData(color, Qt.ItemDataRole.DecorationRole)

    def _layer_item(self, index: QModelIndex) -> QStandardItem | None:
        if not index.isValid():
            return self.labels.item(0) if self.labels.rowCount() else None
        while index.parent().isValid():
            index = index.parent()
        return self.labels.item(index.row())

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._store_attributes()
        layer_item = self._layer_item(current)
        self._current_layer = layer_item.data(LAYER_KEY) if layer_item else ""
        self.attribute_title.setText(f"Attributes of layer “{layer_item.text()}”"
                                     if layer_item else "Attributes")
        self.attributes.removeRows(0, self.attributes.rowCount())
        for row in self._attribute_rows.get(self._current_layer, []):
            self.attributes.appendRow([QStandardItem(value) for value in row])
        self._update_buttons()

    def _store_attributes(self) -> None:
        if self._current_layer:
            self._attribute_rows[self._current_layer] = [
                [self.attributes.item(r, c).text() for c in range(len(ATTRIBUTE_COLUMNS))]
                for r in range(self.attributes.rowCount())]

    # -- saving -------------------------------------------------------------------------

    def schema_and_renames(self) -> tuple[Schema, dict[tuple[str, str], str]]:
        """The edited schema (validated by the core's parser) and the label renames."""
        self._store_attributes()
        layers = []
        for r in range(self.labels.rowCount()):
            layer_item = self.labels.item(r, 0)
            layer_key = layer_item.data(LAYER_KEY)
            labels = []
            for c in range(layer_item.rowCount()):
                name, color, key, description = (layer_item.child(c, k).text() for k in range(4))
                labels.append({"name": name.strip(), "color": color, "key": key.strip(),
                               "description": description})
            attributes = [_attribute_dict(row) for row in self._attribute_rows.get(layer_key, [])]
            layers.append({"name": layer_item.text().strip(), "labels": labels,
                           "attributes": attributes,
                           "description": self.labels.item(r, 3).text()})
        raw = self.project.schema.to_dict()
        raw["layers"] = layers
        raw["relations"] = self._relations()[0]
        return parse_schema(raw, "edited schema"), self._renames()

    def _renames(self) -> dict[tuple[str, str], str]:
        """(saved layer, saved label) -> new name, for saved labels whose name changed."""
        renames = {}
        for r in range(self.labels.rowCount()):
            layer_item = self.labels.item(r, 0)
            for c in range(layer_item.rowCount()):
                name, original = layer_item.child(c).text(), layer_item.child(c).data(ORIGINAL)
                if original and original != name and layer_item.data(ORIGINAL):
                    renames[(layer_item.data(ORIGINAL), original)] = name.strip()
        return renames

    def _label_names(self, without: QStandardItem | None = None) -> set[str]:
        """Label names in the model, leaving out `without` (a label, or a layer's labels)."""
        skip = without.index() if without is not None else QModelIndex()
        return {layer.child(c).text().strip()
                for layer in (self.labels.item(r) for r in range(self.labels.rowCount()))
                if layer.index() != skip
                for c in range(layer.rowCount()) if layer.child(c).index() != skip}

    def _relations(self, without: QStandardItem | None = None) -> tuple[list[dict], list[str]]:
        """The saved relation types fitted to the edited labels, and the names of those
        dropped: a type whose only source (or target) labels are gone is dropped rather
        than widened to 'any label', which is what an empty list means."""
        renamed = {old: new for (_layer, old), new in self._renames().items()}
        names = self._label_names(without)
        kept, dropped = [], []
        for relation in self.project.schema.to_dict()["relations"]:
            for end in RELATION_ENDS:  # a renamed label keeps its place in relations
                relation[end] = [renamed.get(label, label) for label in relation[end]]
            fitted = {end: [label for label in relation[end] if label in names]
                      for end in RELATION_ENDS}
            if any(relation[end] and not fitted[end] for end in RELATION_ENDS):
                dropped.append(relation["name"])
            else:
                kept.append(relation | fitted)
        return kept, dropped

    def _dropped_relations(self, item: QStandardItem) -> list[str]:
        """Relation types that removing `item` would newly drop."""
        already = set(self._relations()[1])
        return [name for name in self._relations(item)[1] if name not in already]

    def accept(self) -> None:
        try:
            schema, renames = self.schema_and_renames()
            command = SetSchema(schema, renames)
            command.apply(self.project)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Labels not saved", str(error))
            return
        if self.on_applied is not None:
            self.on_applied(command)
        super().accept()


def _button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def _unused_name(prefix: str, number: int, taken: set[str]) -> str:
    """prefix+number, counting up past names already taken (removals leave gaps)."""
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def _spans(count: int) -> str:
    return f"{count} span" if count == 1 else f"{count} spans"


def _attribute_row(raw: dict) -> list[str]:
    default = raw.get("default")
    return [raw["name"], raw["kind"], ", ".join(raw["values"]),
            "" if default is None else str(default), ", ".join(raw["labels"])]


def _attribute_dict(row: list[str]) -> dict:
    name, kind, values, default, labels = row
    split = [v.strip() for v in values.split(",") if v.strip()]
    parsed_default: object = default.strip() or None
    if kind.strip() == "boolean" and parsed_default is not None:
        parsed_default = parsed_default.lower() in ("true", "yes", "1")
    return {"name": name.strip(), "kind": kind.strip(), "values": split,
            "default": parsed_default,
            "labels": [v.strip() for v in labels.split(",") if v.strip()]}
