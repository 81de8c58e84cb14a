"""Coalescing file events into builds: a flag under a Condition, and a debounce on the build side.

watchdog calls its handler on its own thread, once per low-level event; one editor save can be four
events (temp file created, written, renamed over the model, directory touched) and a formatter rewriting
ten files is forty. The handler therefore only records the path and notifies; the build loop waits until
the events have been quiet for a short period and then takes them all at once, so a burst is one render.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

#: How long the file system must be quiet before a build starts: long enough to swallow an editor's
#: write-rename sequence and a formatter's sweep, short enough to stay well under the 150 ms target.
DEFAULT_QUIET = 0.05

#: A build starts after this long even if events never stop (a tool rewriting files in a loop).
DEFAULT_MAX_DELAY = 1.0


class ChangeQueue:
    """Paths changed since the last build; `wait` returns them once the burst is over, or None on stop."""

    def __init__(self, quiet: float = DEFAULT_QUIET, max_delay: float = DEFAULT_MAX_DELAY) -> None:
        self.quiet, self.max_delay = quiet, max_delay
        self._cond = threading.Condition()
        self._pending: set[Path] = set()
        self._first = self._last = 0.0
        self._stopping = False

    def notify(self, path: Path) -> None:
        """Record one changed path; safe from any thread, never blocks on a build."""
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.add(path)
            self._last = now
            self._cond.notify_all()

    def stop(self) -> None:
        """Wake the build loop so it ends; safe from a signal handler (the lock is reentrant)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    @property
    def stopping(self) -> bool:
        return self._stopping

    def wait(self, poll: float = 0.5) -> set[Path] | None:
        """Block until a burst of changes has settled; return its paths, or None once stopped.

        Waits are bounded by `poll` so a stop requested while no lock could be taken is still seen.
        """
        with self._cond:
            while not self._stopping:
                if not self._pending:
                    self._cond.wait(poll)
                    continue
                now = time.monotonic()
                settle = min(self._last + self.quiet, self._first + self.max_delay) - now
                if settle > 0:
                    self._cond.wait(min(settle, poll))
                    continue
                taken, self._pending = self._pending, set()
                return taken
            return None
