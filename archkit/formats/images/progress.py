"""`rendering 120 pictures ... 80/120` on a terminal; nothing at all when stderr is a file or a pipe."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class TerminalProgress:
    """A one-line counter redrawn in place, for batches long enough to wonder about (> `min_total`)."""

    def __init__(self, stream: TextIO | None = None, min_total: int = 8, interval: float = 0.1):
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.min_total, self.interval = min_total, interval
        self._last = (-1, 0.0)
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.min_total:
            return
        now = time.monotonic()
        if done == self._last[0] or (done < total and now - self._last[1] < self.interval):
            return
        self._last = (done, now)
        self._shown = True
        self.stream.write(f"\rrendering {total} pictures ... {done}/{total}")
        self.stream.flush()

    def finish(self) -> None:
        """Erase the line so the summary that follows starts clean."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
