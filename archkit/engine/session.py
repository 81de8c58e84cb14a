"""The Session: every cache of one command, or of one watch session, and the one place that saves them.

What exists only for speed is owned here, so the rest of archkit neither keeps module-level memos nor
has to remember to save anything:
- the payload JSON Schema and fingerprint of each event class (model/payloads.py), given to every
  workspace the session loads;
- the payload schema cache (schema_cache.py): each model is seeded from it as it loads, and what the
  run generated is written when the session ends (the latest load of each model path);
- the bytecode cache of model packages (bytecode_cache.py), used by the same loads;
- while watching, the YAML of AsyncAPI entries kept by content from one build to the next
  (formats/yaml_text.py's `Memo`, handed to the formats in `RenderOptions.memo`);
- the GC policy for work that builds much and frees little (`collector_quiet`).
`--no-cache` (or `cache = false`) makes a session that neither reads nor writes the caches on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from archkit.engine.forking import default_jobs
from archkit.engine.gcpause import collector_paused
from archkit.engine.loader import LoadedModel, load_paths
from archkit.engine.schema_cache import SchemaCache
from archkit.engine.schema_jobs import generate_for
from archkit.model.payloads import PayloadSchemas

if TYPE_CHECKING:  # `archkit lint` and `lock` load models through a session and never import the formats
    from archkit.formats import RenderOptions
    from archkit.formats.yaml_text import Memo


class Session:
    """Use as `with Session(cache=...) as session:`; what must be saved is saved when the block ends."""

    def __init__(self, *, cache: bool = True, watching: bool = False, report: Callable[[str], None] | None = None) -> None:
        """`report`: told, when the session saves, how many payload schemas came from the cache (`-v`)."""
        self.report = report
        self.payloads = PayloadSchemas()  # every workspace the session loads shares it (model/payloads.py)
        self.schemas = SchemaCache(enabled=cache, payloads=self.payloads)
        self.yaml: Memo | None = None
        if watching:
            from archkit.formats.yaml_text import Memo

            self.yaml = Memo()
        self._latest: dict[Path, LoadedModel] = {}  # model path -> its latest load: what `save` writes

    def load(self, paths: list[Path], keep_modules: bool = False, make_schemas: bool = False,
             jobs: int | None = None) -> list[LoadedModel]:
        """Load and validate the models, their schemas seeded from the cache.

        `make_schemas`: the stages after read every payload schema (the AsyncAPI formats, lint's contract
        check, check, lock): the missing ones are made during each load, on `jobs` processes (default:
        every core), as `make_schemas` would make them after it, but with the load's own pydantic builds."""
        loaded = load_paths(paths, keep_modules, self.schemas, (jobs or default_jobs()) if make_schemas else 0)
        for model in loaded:
            self._latest[model.path] = model
        return loaded

    def make_schemas(self, models: Iterable[LoadedModel], jobs: int | None = None) -> None:
        """Make the models' missing payload schemas now, on every core (`jobs`; engine/schema_jobs.py), for
        a stage that reads them all (lint's contract check, lock): no error is raised here, the stage
        that needs a schema that failed reports it."""
        generate_for((ws for m in models for ws in m.workspaces), jobs or default_jobs())

    def render_options(self, options: RenderOptions) -> RenderOptions:
        """`options` with this session's render caches (the YAML memo while watching)."""
        return options if self.yaml is None else replace(options, memo=self.yaml)

    @contextmanager
    def collector_quiet(self) -> Iterator[None]:
        """No cyclic garbage collection inside: lint's rules and snapshots, watch's fast path build much,
        keep much and make no cycles worth a full scan of the loaded model (gcpause.py). What was built
        is set aside after (frozen, as a load's model is; the next load frees it): else the first
        collection after the pause scans all of it, at 5,000 containers ~0.4 s for lint's snapshots
        and parsed lock, 9x the time at 1,000."""
        with collector_paused(freeze=True):
            yield

    def save(self, models: Iterable[LoadedModel] | None = None) -> None:
        """Write the payload schemas the run generated (never fails: a cache is only a cache)."""
        models = list(self._latest.values()) if models is None else list(models)
        if self.report is not None and self.schemas.enabled:
            for model in models:
                cached, made = self.schemas.counts(model)
                self.report(f"payload schemas of {model.path.name}: {cached} from the cache, {made} made")
        self.schemas.save(models)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        """Save whatever ended the session (a cached schema is valid whatever happened after it was
        made), except an interrupt: Ctrl-C means stop now."""
        if not (kind is not None and issubclass(kind, KeyboardInterrupt)):
            self.save()
        self._latest.clear()
