"""A terminal progress bar for long CLI work; silent when output is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    def __init__(self, label: str, total: int | None = None, *, stream: TextIO | None = None,
                 min_interval: float = 0.1) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.min_interval = min_interval
        self._last = 0.0
        self._started = time.monotonic()

    def update(self, done: int, *, total: int | None = None, detail: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.min_interval and (total or self.total) != done:
            return
        self._last = now
        total = total if total is not None else self.total
        elapsed = now - self._started
        if total:
            width = 30
            filled = int(width * min(done, total) / total)
            bar = "█" * filled + "░" * (width - filled)
            line = f"{self.label} {bar} {done:,}/{total:,}"
        else:
            line = f"{self.label} {done:,}"
        line += f" · {elapsed:.0f}s"
        if detail:
            line += f" · {detail[-40:]}"
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
