"""Annotate › Edit labels: layers, labels (name, color, key), and each layer's attributes.

The dialog edits a copy in item models; OK builds a new Schema, validates it with the
core's parser and hands it to `project.set_schema` (renamed labels carried over), so a
bad edit is refused with the core's message and nothing half-applies.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
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

from annotator.errors import AnnotatorError
from annotator.project import EXTRA_COLORS, Project
from annotator.schema import Schema, attribute_to_dict, parse_schema

ORIGINAL = Qt.ItemDataRole.UserRole + 1
LAYER_KEY = Qt.ItemDataRole.UserRole + 2  # stable while the layer is renamed
LABEL_COLUMNS = ("Layer / label", "Color", "Key", "Description")
ATTRIBUTE_COLUMNS = ("Attribute", "Kind", "Values (comma-separated)", "Default",
                     "Labels (empty: all)")


class SchemaEditor(QDialog):
    def __init__(self, project: Project, parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Labels and attributes")
        self.labels = QStandardItemModel(0, len(LABEL_COLUMNS), self)
        self.labels.setHorizontalHeaderLabels(list(LABEL_COLUMNS))
        self.attributes = QStandardItemModel(0, len(ATTRIBUTE_COLUMNS), self)
        self.attributes.setHorizontalHeaderLabels(list(ATTRIBUTE_COLUMNS))
        self._attribute_rows: dict[str, list[list[str]]] = {}
        self._current_layer = ""
        self.tree = QTreeView()
        self.tree.setModel(self.labels)
        self.tree.setUniformRowHeights(True)
        self.tree.doubleClicked.connect(self._pick_color)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.attribute_view = QTreeView()
        self.attribute_view.setRootIsDecorated(False)
        self.attribute_view.setModel(self.attributes)
        self.attribute_title = QLabel("Attributes")
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
        row = QHBoxLayout()
        for button in (add_layer, add_label, add_attribute):
            row.addWidget(button)
        row.addStretch(1)
        hint = QLabel("Double-click a color to change it. Renaming a label renames it on "
                      "every span.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 3)
        layout.addWidget(self.attribute_title)
        layout.addWidget(self.attribute_view, 2)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(720, 620)

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
        name = f"layer{self.labels.rowCount() + 1}"
        item = QStandardItem(name)
        item.setData("", ORIGINAL)
        item.setData(f"new:{name}", LAYER_KEY)
        self.labels.appendRow([item, QStandardItem(""), QStandardItem(""), QStandardItem("")])
        self._attribute_rows[f"new:{name}"] = []
        self.tree.setCurrentIndex(item.index())

    def add_label(self) -> None:
        layer_item = self._layer_item(self.tree.currentIndex())
        if layer_item is None:
            return
        count = sum(self.labels.item(r).rowCount() for r in range(self.labels.rowCount()))
        self._append_label(layer_item, f"LABEL{count + 1}",
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

    def _store_attributes(self) -> None:
        if self._current_layer:
            self._attribute_rows[self._current_layer] = [
                [self.attributes.item(r, c).text() for c in range(len(ATTRIBUTE_COLUMNS))]
                for r in range(self.attributes.rowCount())]

    # -- saving -------------------------------------------------------------------------

    def schema_and_renames(self) -> tuple[Schema, dict[tuple[str, str], str]]:
        """The edited schema (validated by the core's parser) and the label renames."""
        self._store_attributes()
        current = self.project.schema
        layers, renames = [], {}
        for r in range(self.labels.rowCount()):
            layer_item = self.labels.item(r, 0)
            layer_key = layer_item.data(LAYER_KEY)
            labels = []
            for c in range(layer_item.rowCount()):
                name, color, key, description = (layer_item.child(c, k).text() for k in range(4))
                original = layer_item.child(c, 0).data(ORIGINAL)
                if original and original != name and layer_item.data(ORIGINAL):
                    renames[(layer_item.data(ORIGINAL), original)] = name.strip()
                labels.append({"name": name.strip(), "color": color, "key": key.strip(),
                               "description": description})
            attributes = [_attribute_dict(row) for row in self._attribute_rows.get(layer_key, [])]
            layers.append({"name": layer_item.text().strip(), "labels": labels,
                           "attributes": attributes,
                           "description": self.labels.item(r, 3).text()})
        raw = current.to_dict()
        raw["layers"] = layers
        renamed = {old: new for (_layer, old), new in renames.items()}
        for relation in raw["relations"]:  # a renamed label keeps its place in relations
            for end in ("source_labels", "target_labels"):
                relation[end] = [renamed.get(label, label) for label in relation[end]]
        return parse_schema(raw, "edited schema"), renames

    def accept(self) -> None:
        try:
            schema, renames = self.schema_and_renames()
            self.project.set_schema(schema, renames=renames)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Labels not saved", str(error))
            return
        super().accept()


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
