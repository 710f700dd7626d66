"""A small progress bar for long commands, drawn on stderr only when it is a terminal.

Piped or redirected output gets no bar (and no escape sequences).
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO


class Progress:
    """``with Progress("Importing", total) as bar: bar.advance(n)``."""

    def __init__(
        self, label: str, total: int, *, stream: TextIO | None = None, enabled: bool = True
    ) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_draw = 0.0
        self._started = time.monotonic()

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def advance(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        self._draw()

    def _draw(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.1 and self.done < self.total:
            return
        self._last_draw = now
        width = 30
        filled = int(width * self.done / self.total)
        bar = "█" * filled + "░" * (width - filled)
        pct = 100 * self.done / self.total
        elapsed = now - self._started
        self.stream.write(f"\r{self.label} {bar} {pct:5.1f}%  {elapsed:5.1f}s")
        self.stream.flush()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.enabled:
            if exc_type is None:
                self.done = self.total
                self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
