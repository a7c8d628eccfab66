"""What a suggestion run did, for the CLI and the app."""

from __future__ import annotations

from dataclasses import dataclass, field

from news_annotator.suggest.learning import LearnReport


@dataclass
class SuggestResult:
    """What a run did, for the CLI and the app."""

    documents: int = 0
    spans: int = 0
    relations: int = 0
    replaced: int = 0  # earlier suggestions deleted in those documents
    skipped_existing: int = 0
    skipped_rejected: int = 0
    by_origin: dict[str, int] = field(default_factory=dict)
    learned: dict[str, LearnReport] = field(default_factory=dict)
    seconds: float = 0.0
    suggest_seconds: float = 0.0

    def lines(self) -> list[str]:
        out = []
        for layer, report in self.learned.items():
            out.append(f"learned {layer!r} from {report.documents:,} documents of "
                       f"{', '.join(report.annotators)} in {report.seconds:.1f} s "
                       f"({report.spans:,} spans, model {report.size / 1e6:.1f} MB)")
        origins = ", ".join(f"{origin} {count:,}" for origin, count in
                            sorted(self.by_origin.items()))
        out.append(f"suggested {self.spans:,} spans and {self.relations:,} relations in "
                   f"{self.documents:,} documents ({origins or 'nothing found'}); replaced "
                   f"{self.replaced:,} earlier suggestions; skipped {self.skipped_existing:,} "
                   f"that exist and {self.skipped_rejected:,} rejected")
        if self.documents and self.suggest_seconds:
            out.append(f"{self.documents / self.suggest_seconds:,.0f} documents/s; "
                       f"{self.seconds:.1f} s in all")
        return out
