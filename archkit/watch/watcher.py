"""Which files a watch session reacts to, and the watchdog observer that reports them.

Watch exactly what the last load reported (the model files and every local module they imported),
plus the configuration file and the templates folder, like pystructurizr's watch mode. Events are
matched against that set rather than against whole folders, so saving an unrelated file beside the
model or the renders landing in the output folder never triggers a build. Editors save by writing a
temporary file and renaming it over the original, so each file is watched through its folder.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

log = logging.getLogger(__name__)


class _BenignStopRace(logging.Filter):
    """watchdog logs an error when a watch is removed while its thread is reading; nothing is lost (the
    folder is no longer wanted), and the terminal belongs to the render lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "called when the thread is inactive" not in record.getMessage()


logging.getLogger("watchdog.observers.inotify").addFilter(_BenignStopRace())

# Reading a file (as the loader does on every build) must never look like a change.
_IGNORED_EVENTS = {"opened", "closed_no_write"}


@dataclass(frozen=True)
class WatchTargets:
    """What matters: exact files, and folders where any file, or any new .py module, matters."""

    files: frozenset[Path] = frozenset()  # model files, their local imports, the config file
    trees: frozenset[Path] = frozenset()  # the templates folder: any file below it
    py_trees: frozenset[Path] = frozenset()  # model folders and packages: a .py file at any depth
    py_dirs: frozenset[Path] = frozenset()  # beside a broken model file: a .py there may be the fix
    ignored: frozenset[Path] = frozenset()  # the output folder: our own writes

    def matches(self, path: Path) -> bool:
        if any(path.is_relative_to(out) for out in self.ignored):
            return False
        if path in self.files or any(path.is_relative_to(tree) for tree in self.trees):
            return True
        return path.suffix == ".py" and (
            path.parent in self.py_dirs or any(path.is_relative_to(tree) for tree in self.py_trees))

    def folders(self) -> dict[Path, bool]:
        """Folder -> recursive?, for every existing folder an event for a target would come from.

        Folders beside files are watched flat, never recursively: a model at the root of a large
        repository must not put an inotify watch on every folder below it.
        """
        wanted: dict[Path, bool] = {folder: False for folder in {f.parent for f in self.files} | self.py_dirs}
        for tree in self.trees | self.py_trees:
            wanted[tree] = True
        return {folder: recursive for folder, recursive in wanted.items() if folder.is_dir()}


class _Handler(FileSystemEventHandler):
    """Runs on watchdog's thread: filter, then hand the path over. Never builds, never blocks."""

    def __init__(self, watcher: FileWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _IGNORED_EVENTS or event.is_directory:
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.watcher.offer(Path(os.fsdecode(raw)))


class FileWatcher:
    """A watchdog Observer whose set of watched folders follows the latest WatchTargets."""

    def __init__(self, on_change: Callable[[Path], None]) -> None:
        self._on_change = on_change
        self._observer = Observer()
        self._observer.daemon = True
        self._handler = _Handler(self)
        self._targets = WatchTargets()
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        self._observer.start()

    def offer(self, path: Path) -> None:
        if self._targets.matches(path):
            self._on_change(path)

    def watch(self, targets: WatchTargets) -> None:
        """Follow a new set of targets: schedule folders that appeared, unschedule those gone."""
        with self._lock:
            self._targets = targets
            wanted = set(targets.folders().items())
            for key in set(self._watches) - wanted:
                self._observer.unschedule(self._watches.pop(key))
            for folder, recursive in wanted - set(self._watches):
                try:
                    self._watches[(folder, recursive)] = self._observer.schedule(
                        self._handler, str(folder), recursive=recursive)
                except OSError as exc:  # a folder removed meanwhile, or out of inotify watches
                    log.warning("cannot watch %s: %s", folder, exc)

    @property
    def targets(self) -> WatchTargets:
        return self._targets

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=5)
