"""Annotate › Suggestion settings…: whether this project gets suggestions, whose work they
learn from, in which layers, and how often learning runs again by itself."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from news_annotator.model import GOLD_ANNOTATOR
from news_annotator.project import Project
from news_annotator.suggest.engine import SUGGESTIONS_ANNOTATOR
from news_annotator_ui.suggestion_config import SuggestionConfig


def _grid(boxes: list[QCheckBox], columns: int = 3) -> QWidget:
    holder = QWidget()
    grid = QGridLayout(holder)
    grid.setContentsMargins(0, 0, 0, 0)
    for index, box in enumerate(boxes):
        grid.addWidget(box, index // columns, index % columns)
    return holder


class SuggestionSettingsDialog(QDialog):
    """Edits one project's SuggestionConfig; `config()` reads the choices back."""

    def __init__(self, project: Project, user: str, config: SuggestionConfig,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Suggestions")
        self.setObjectName("suggestionSettings")
        self.setMinimumWidth(520)
        self.enabled_box = QCheckBox("Suggest annotations in this project")
        self.enabled_box.setChecked(config.enabled)
        self.enabled_box.setToolTip("Each document you open gets suggestions (dashed), "
                                    "written as the annotator “suggestions”")
        names = [a.name for a in project.annotators.all() if a.name != SUGGESTIONS_ANNOTATOR]
        names = list(dict.fromkeys([user, GOLD_ANNOTATOR, *names, *config.learn_from]))
        self.annotator_boxes = [QCheckBox(name) for name in names]
        for box in self.annotator_boxes:
            box.setChecked(box.text() in config.learn_from)
        layers = [layer.name for layer in project.schema.layers]
        self.layer_boxes = [QCheckBox(name) for name in layers]
        for box in self.layer_boxes:
            box.setChecked(config.layers is None or box.text() in config.layers)
        self.retrain = QSpinBox()
        self.retrain.setRange(0, 10000)
        self.retrain.setValue(config.retrain_every)
        self.retrain.setSpecialValueText("only when asked")
        self.retrain.setSuffix(" new spans")
        self.models = QLabel(self._models_text(project))
        self.models.setWordWrap(True)
        self.models.setObjectName("suggestionModels")
        self.problem = QLabel("")
        self.problem.setStyleSheet("color: #b3261e")
        form = QFormLayout()
        form.addRow(self.enabled_box)
        form.addRow("Learn from", _grid(self.annotator_boxes))
        form.addRow("Layers", _grid(self.layer_boxes))
        form.addRow("Learn again after", self.retrain)
        form.addRow("Learned", self.models)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        about = QLabel("<small>Suggestions come from your accepted spans (every other "
                       "occurrence of their text), a model learned per layer from the "
                       "annotators above, and, for English news, rules for quotes, cues "
                       "and sources.</small>")
        about.setWordWrap(True)
        layout.addWidget(about)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def config(self) -> SuggestionConfig:
        layers = tuple(b.text() for b in self.layer_boxes if b.isChecked())
        return SuggestionConfig(
            self.enabled_box.isChecked(),
            tuple(b.text() for b in self.annotator_boxes if b.isChecked()),
            None if len(layers) == len(self.layer_boxes) else layers,
            self.retrain.value())

    def _accept(self) -> None:
        config = self.config()
        if not config.learn_from:
            self.problem.setText("Choose at least one annotator to learn from.")
        elif config.layers == ():
            self.problem.setText("Choose at least one layer.")
        else:
            self.accept()

    @staticmethod
    def _models_text(project: Project) -> str:
        store = project.suggestions
        rows = []
        for layer in store.model_layers():
            model = store.model(layer)
            if model is not None:
                rows.append(f"{layer}: {model.documents:,} documents of "
                            f"{', '.join(model.annotators)}, {model.trained_at[:16]}")
        return "; ".join(rows) or "nothing yet (rules and your accepted spans only)"
