"""One build of a watch session: reload the model, render in memory, write what changed, draw pictures.

A build never raises. A model that fails to load or validate writes nothing (the pipeline renders in
memory before writing), so the last good output stays on disk and in the browser; the error comes back
as text naming the file and line. The set of files to watch is recomputed from every load, because an
edit can add or drop a local import.
"""

from __future__ import annotations

import gc
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archkit.engine.pipeline import draw_after_text, merged, render_to
from archkit.engine.session import Session
from archkit.errors import ArchkitError, LoadError, ModelError, ModelErrors
from archkit.formats import Batch, RenderOptions
from archkit.output import write_some
from archkit.views.sequence import unknown_trace_events
from archkit.watch.fast import InPlaceModels
from archkit.watch.watcher import WatchTargets


@dataclass
class BuildOutcome:
    """What one build did: the files it wrote or removed, or the error that kept the old output."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. pictures skipped for want of Java
    error: str | None = None
    millis: float = 0.0
    #: Made by the fast path from the changed views only: a full build must follow to confirm it.
    provisional: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BuildSettings:
    """What the command line chose; fixed for the whole session."""

    models: list[Path]
    out_dir: Path
    formats: list[str]
    options: RenderOptions
    config_file: Path | None = None
    cache: bool = True  # the payload schema and bytecode caches (--no-cache, `cache = false`)
    #: With the site: lint's findings and the lock's histories of the models just loaded, for its event
    #: pages (given by the command, which may use lint; watch does not import it). None: no site.
    contracts: Callable[[list[Any]], Any] | None = None


class Builder:
    """Runs builds and keeps the watch targets the latest load reported; its Session (engine/session.py)
    holds the caches of the whole watch session and saves them when the builder is closed."""

    def __init__(self, settings: BuildSettings, plantuml: Any | None = None,
                 reconfigure: Callable[[], BuildSettings] | None = None) -> None:
        self.settings = settings
        self.session = Session(cache=settings.cache, watching=True)
        self.plantuml = plantuml
        self.reconfigure = reconfigure  # re-reads the configuration file: an edit of it takes effect
        self._model_files: frozenset[Path] = frozenset(p.resolve() for p in settings.models if p.is_file())
        self.targets = self._targets(broken=True)
        self.in_place = InPlaceModels()

    def build(self, changed: set[Path] | None = None) -> BuildOutcome:
        """After a save of one module of a model package, the fast path (`provisional`); else a full build."""
        started = time.perf_counter()
        outcome = self._fast_build_paused(changed) if changed else None
        if outcome is None:
            outcome = self._build()
        outcome.millis = (time.perf_counter() - started) * 1000
        return outcome

    def _fast_build_paused(self, changed: set[Path]) -> BuildOutcome | None:
        """The fast path with the cyclic collector paused: a full collection would rescan the whole kept
        model and its views for the little garbage one edit makes; the full build after it collects."""
        with self.session.collector_quiet():
            return self._fast_build(changed)

    def _fast_build(self, changed: set[Path]) -> BuildOutcome | None:
        s = self.settings
        if self.reconfigure is not None and s.config_file is not None and s.config_file.resolve() in changed:
            return None
        files = self.in_place.apply(changed, s.formats, self.session.render_options(s.options))
        if files is None:
            return None
        try:
            early, _ = write_some(s.out_dir, list(files))  # the text at once; the pictures follow
            batch = Batch(s.out_dir, [], s.options, list(files), plantuml=self.plantuml)
            draw_after_text(batch, s.formats, only_from_text=True)
            report = merged(early, write_some(s.out_dir, batch.files)[0])
            for written in batch.on_written:
                written()
        except Exception:  # e.g. the output folder went read-only: the full build reports it
            return None
        return BuildOutcome(written=list(report.written), unchanged=len(report.unchanged),
                            notes=list(batch.notes), provisional=True)

    def _build(self) -> BuildOutcome:
        try:
            if self.reconfigure is not None:  # the output folder stays: the server and watcher point at it
                self.settings = replace(self.reconfigure(), out_dir=self.settings.out_dir)
                if self.settings.cache != self.session.schemas.enabled:  # `cache =` edited in the configuration
                    self.session.save()
                    self.session = Session(cache=self.settings.cache, watching=True)
            s = self.settings
            self.in_place.forget()
            loaded = self.session.load(s.models, keep_modules=True)
            self._model_files = frozenset(f for m in loaded for f in m.files)
            self.targets = self._targets(broken=False)
            workspaces = [ws for m in loaded for ws in m.workspaces]
            unknown = unknown_trace_events(s.options.traces, [ws.index for ws in workspaces])
            if unknown is not None:  # an event renamed in the model that --trace still names
                raise unknown
            warm = {"plantuml": self.plantuml} if self.plantuml is not None else {}
            options = s.options if s.contracts is None else replace(s.options, contracts=s.contracts(loaded))
            result = render_to(s.out_dir, workspaces, s.formats, self.session.render_options(options),
                               text_first=True, **warm)
            self.in_place.adopt(loaded)
            gc.freeze()  # the kept model's views live until the next load: no collection needs to rescan them
        except ArchkitError as exc:
            self.targets = self._targets(broken=True, also=_error_files(exc))
            return BuildOutcome(error=str(exc))
        except (Exception, SystemExit) as exc:
            self.targets = self._targets(broken=True)
            detail = "".join(traceback.format_exception(exc)).rstrip()
            return BuildOutcome(error=f"error: unexpected failure while rendering:\n{detail}")
        return BuildOutcome(written=list(result.report.written), removed=list(result.report.removed),
                            unchanged=len(result.report.unchanged), notes=list(getattr(result, "notes", [])))

    def close(self) -> None:
        """Save the session's caches and stop the warm picture renderer: no JVM outlives the session."""
        self.session.save()
        close = getattr(self.plantuml, "close", None)  # a PlantUML server or `Unavailable` has nothing to stop
        if callable(close):
            close()

    def _targets(self, broken: bool, also: frozenset[Path] = frozenset()) -> WatchTargets:
        """The files the last load read; while broken also any .py beside the models (a fix may be a new file).

        The folders watched stay the same whether the model is broken or not (a model file is always in
        `files`), so a broken save never reschedules inotify watches.
        """
        s = self.settings
        files = set(self._model_files | also)
        if s.config_file is not None:
            files.add(s.config_file.resolve())
        model_files = {p.resolve() for p in s.models if p.is_file()}
        files |= model_files
        trees = {s.options.templates.resolve()} if s.options.templates else set()
        return WatchTargets(
            files=frozenset(files), trees=frozenset(trees),
            py_trees=frozenset(p.resolve() for p in s.models if p.is_dir()),
            py_dirs=frozenset(p.parent for p in model_files) if broken else frozenset(),
            ignored=frozenset({s.out_dir.resolve()}),
        )


def _error_files(exc: ArchkitError) -> frozenset[Path]:
    """The files an error points at: watching them lets a fix in a newly imported module be seen."""
    errors: list[ArchkitError] = list(exc.errors) if isinstance(exc, ModelErrors) else [exc]
    found = set()
    for error in errors:
        location = getattr(error, "location", None) if isinstance(error, (ModelError, LoadError)) else None
        if location is not None and location.file and not location.file.startswith("<"):
            found.add(Path(location.file).resolve())
    return frozenset(found)
