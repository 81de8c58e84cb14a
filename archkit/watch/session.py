"""The watch loop: build, wait for the next settled burst of changes, build again, until stopped.

The loop runs on the main thread and owns every build; watchdog's thread only fills the ChangeQueue and
the server's threads only read the EventHub. Nothing a model does can end the loop: each build catches
its own errors. SIGINT and SIGTERM ask the loop to stop after the current build, then the watcher, the
server and the warm picture renderer (its JVM) are shut down in turn and the command exits 0.
"""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Any

from archkit.watch.build import Builder, BuildOutcome
from archkit.watch.changes import ChangeQueue
from archkit.watch.events import EventHub
from archkit.watch.page import list_diagrams, listing_digest
from archkit.watch.report import Reporter
from archkit.watch.server import PreviewServer
from archkit.watch.watcher import FileWatcher


class WatchSession:
    """Wires the watcher, the builder, the reporter and (with --serve) the preview server together."""

    def __init__(self, builder: Builder, reporter: Reporter, hub: EventHub | None = None,
                 server: PreviewServer | None = None, queue: ChangeQueue | None = None) -> None:
        self.builder, self.reporter, self.hub, self.server = builder, reporter, hub, server
        self.queue = queue or ChangeQueue()
        self.watcher = FileWatcher(self.queue.notify)

    def stop(self, *_: Any) -> None:
        self.queue.stop()

    def run(self) -> None:
        """Build once, then rebuild on every settled change until a signal or `stop()`."""
        previous = _install_signal_handlers(self.stop)
        try:
            self.builder.settings.out_dir.mkdir(parents=True, exist_ok=True)
            self.watcher.watch(self.builder.targets)  # before the first build: a save during it is not lost
            self.watcher.start()
            if self.server is not None:
                self.reporter.info(f"serving {self.server.start()} (Ctrl-C to stop)")
            self._build(None)
            self.reporter.info(f"watching {len(self.watcher.targets.files)} files for changes (Ctrl-C to stop)")
            while (changed := self.queue.wait()) is not None:
                self._build(changed)
        finally:
            self._close()
            _restore_signal_handlers(previous)

    def _build(self, changed: set[Path] | None) -> BuildOutcome:
        outcome = self.builder.build(changed)
        self._publish(outcome, changed)
        if outcome.provisional:  # the fast path drew the changed views; the full build confirms them
            confirmed = self.builder.build()
            if confirmed.written or confirmed.removed or confirmed.error:
                self._publish(confirmed, changed)
        return outcome

    def _publish(self, outcome: BuildOutcome, changed: set[Path] | None) -> None:
        self.watcher.watch(self.builder.targets)  # a load may have added or dropped a local import
        self.reporter.outcome(outcome, changed)
        if self.hub is not None:
            listing = listing_digest(list_diagrams(self.builder.settings.out_dir, with_text=False))
            self.hub.publish(outcome.written, outcome.removed, outcome.error, listing)

    def _close(self) -> None:
        """Stop everything this session started, each step even if an earlier one failed."""
        try:
            self.watcher.stop()
        finally:
            try:
                if self.server is not None:
                    self.server.stop()
            finally:
                self.builder.close()


_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _install_signal_handlers(stop: Any) -> dict[int, Any]:
    def handle(signum: int, frame: FrameType | None) -> None:
        stop()

    previous: dict[int, Any] = {}
    for sig in _SIGNALS:
        previous[sig] = signal.signal(sig, handle)
    return previous


def _restore_signal_handlers(previous: dict[int, Any]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)
