"""The suggestion settings: whether they are drawn (one preference for every project) and,
per project, whether the app proposes them, from whose work it learns, in which layers.

A project with nothing to do with suggestions yet gets none proposed until the user turns
them on (Annotate › Suggestions): suggestions are written into the project file as their
own annotator, and nobody's file should grow one uninvited. A project that already holds
suggestions or learned models (say from `annotator suggest`) has them on from the start.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from news_annotator.model import GOLD_ANNOTATOR
from news_annotator.project import Project
from news_annotator.suggest.engine import SUGGESTIONS_ANNOTATOR
from news_annotator_ui.settings import Setting, Settings

SHOW_SUGGESTIONS = Setting("show_suggestions", bool, True,
                           "Draw suggestions (dashed) in the document view")
SUGGESTION_PROJECTS = Setting("suggestion_projects", dict, {},
                              "Project path -> that project's suggestion settings")
RETRAIN_EVERY = 20  # new spans of the learn-from annotators between automatic learning runs


@dataclass(frozen=True, slots=True)
class SuggestionConfig:
    """One project's suggestion settings."""

    enabled: bool
    learn_from: tuple[str, ...]
    layers: tuple[str, ...] | None = None  # None: every layer
    retrain_every: int = RETRAIN_EVERY  # 0: learn only when asked

    @classmethod
    def default(cls, user: str, *, enabled: bool) -> SuggestionConfig:
        """Learn from the user and gold, every layer."""
        names = tuple(dict.fromkeys((user, GOLD_ANNOTATOR)))
        return cls(enabled, names)

    def to_dict(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "learn_from": list(self.learn_from),
                "layers": None if self.layers is None else list(self.layers),
                "retrain_every": self.retrain_every}

    @classmethod
    def from_dict(cls, raw: dict[str, Any], fallback: SuggestionConfig) -> SuggestionConfig:
        """Read what was saved, keeping the fallback's value for anything unreadable."""
        config = fallback
        if isinstance(raw.get("enabled"), bool):
            config = replace(config, enabled=raw["enabled"])
        names = raw.get("learn_from")
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            config = replace(config, learn_from=tuple(n for n in names
                                                     if n != SUGGESTIONS_ANNOTATOR))
        layers = raw.get("layers")
        if layers is None or isinstance(layers, list):
            config = replace(config, layers=None if layers is None else tuple(map(str, layers)))
        if isinstance(raw.get("retrain_every"), int) and raw["retrain_every"] >= 0:
            config = replace(config, retrain_every=raw["retrain_every"])
        return config


def supports_suggestions(project: Project) -> bool:
    """The app proposes and learns live for a project file. On a team server it shows the
    suggestions there and answers them with the same keys, but leaves writing them to
    `annotator suggest` (learned models are a curator's, and members would rewrite the
    one shared suggestions annotator after each other's settings)."""
    return isinstance(project.path, Path)


def project_key(project: Project) -> str:
    """How settings name a project: a file by its absolute path, a server by its address."""
    location = project.path
    return str(location.resolve()) if isinstance(location, Path) else str(location)


def load_config(settings: Settings, project: Project, user: str) -> SuggestionConfig:
    """The project's saved settings, or the default: on when the project already holds
    suggestions or learned models, else off."""
    saved = settings.get(SUGGESTION_PROJECTS).get(project_key(project))
    in_use = supports_suggestions(project) and (
        project.annotators.find(SUGGESTIONS_ANNOTATOR) is not None
        or bool(project.suggestions.model_layers()))
    fallback = SuggestionConfig.default(user, enabled=in_use)
    return SuggestionConfig.from_dict(saved, fallback) if isinstance(saved, dict) else fallback


def save_config(settings: Settings, project: Project, config: SuggestionConfig) -> None:
    projects = settings.get(SUGGESTION_PROJECTS)
    projects[project_key(project)] = config.to_dict()
    settings.set(SUGGESTION_PROJECTS, projects)
