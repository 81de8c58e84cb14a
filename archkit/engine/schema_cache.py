"""Payload JSON Schemas kept across runs, so an unchanged model never waits for pydantic's generator.

pydantic builds an event's JSON Schema in about a millisecond; a 1,000-container estate has 1,800
events, and lint, lock and the AsyncAPI formats need every schema on every run. A `SchemaCache` belongs
to one command's or one watch session's `Session` (engine/session.py): after a load, `seed` fills
the session's memo of payload schemas (model/payloads.py) from the model's cache file; `make` makes
the missing ones on every core during the load (engine/schema_jobs.py); when the session ends, `save`
writes what the run generated. Like ruff's and mypy's caches: one small file per model path (or
`standing_in` name; overwritten, never accumulated), written atomically, and a missing, corrupt,
unreadable or unwritable cache only means schemas are generated as usual.

A cached schema is used only while all of this is unchanged:
- for the whole file: archkit's, pydantic's and Python's versions, and archkit's Event base;
- for each class: the content of every model-local source file its schema can depend on (the file it
  is written in and every file whose code its schema can reach: model/schema_sources.py), its place
  (file relative to the model, qualname, and which of that name it is), its docstring, its fields
  (their settings, memory addresses left out), its model config, its `EventInfo` but for the line,
  and the same of every model and enum its fields refer to (so a field built from an environment
  variable still misses).
So an edit of one domain file regenerates the schemas of that file's events (and of the events whose
code reaches into it), not those of the whole model. The files of an entry are worked out only for the
schemas a run makes, by the process that makes them (`make`'s workers) or else when `save` writes them.
What no file and no fingerprint shows is not seen: a schema hook that reads the environment or a data
file while pydantic builds the schema.
Events defined outside the model's own files (an installed package, a folder beside the model) are
never cached: no file hash would see them change.
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson
import pydantic
import pydantic_core

from archkit import __version__
from archkit.engine import cache
from archkit.engine.schema_jobs import generate_missing
from archkit.model import events
from archkit.model.events import event_info
from archkit.model.fingerprint import Describer, digest
from archkit.model.payloads import PayloadSchemas
from archkit.model.schema_sources import schema_files
from archkit.output import write_atomic

if TYPE_CHECKING:
    from archkit.engine.loader import LoadedModel

#: 2: fields described by their settings, not their repr; 3: EventInfo as a tuple, files relative;
#: 4: the files each entry depends on in the entry, not in the file's key
FORMAT = 4


class _Seeded(NamedTuple):
    """What the last seed of a model path read: what `save` need not write again."""

    key: dict[str, Any]  # the file key it was read under
    digests: dict[str, str]  # each model file (relative) -> its content's digest, at the load
    entries: dict[str, Any]  # name -> {"fingerprint", "files", "schema"}
    schema_ids: set[int]  # id() of each schema object it handed out (kept alive by `entries`)
    #: name -> the files (relative) its schema depends on, for the classes the file had no valid entry
    #: of; None until worked out (by `_Dependencies`, where the schema is made, or when it is saved)
    depends: dict[str, list[str] | None]
    dependencies: _Dependencies


class _Dependencies:
    """Works out the files (relative) an event's schema depends on (model/schema_sources.py), from the
    model's files and modules as the load left them: only for the schemas a run makes, and in the
    process that makes them (engine/schema_jobs.py's workers too). Never raises: every file, if in doubt."""

    def __init__(self, model: LoadedModel, digests: dict[str, str], names: dict[type, str]) -> None:
        self.local = {str(f): rel for f, rel in _local_files(model).items()}
        self.paths = set(self.local)
        self.modules = dict(model.modules)
        self.everything = sorted(digests)
        self.names = names

    def __call__(self, event: type) -> list[str] | None:
        name = self.names.get(event)
        if name is None:
            return None  # not cached (defined outside the model's files)
        files = schema_files(event, self.paths, self.modules)
        if files is None:
            return self.everything
        own = name.rsplit(":", 1)[0]  # the file the event is written in (a qualname has no ':')
        return sorted({own, *(self.local[f] for f in files)})


def cache_dir() -> Path:
    """The `schemas` folder of archkit's cache."""
    return cache.cache_root() / "schemas"


def cache_file(model_path: Path | str) -> Path:
    """The one file of the model at `model_path` (a later run of the same path overwrites it)."""
    return cache_dir() / f"{hashlib.sha256(str(model_path).encode()).hexdigest()[:32]}.json"


class SchemaCache:
    """The payload schema cache of one session: what each model's seed read, and the stand-in names.

    `payloads` is the session's in-memory memo, which the loader gives to every workspace it loads: the
    seed fills it, `save` writes what it holds. It is used with the cache off (`enabled=False`) too.
    """

    def __init__(self, enabled: bool = True, payloads: PayloadSchemas | None = None) -> None:
        self.enabled = enabled
        self.payloads = payloads if payloads is not None else PayloadSchemas()
        self._seeded: dict[Path, _Seeded] = {}
        #: Folders whose models are cached under another name: (folder, name), innermost last.
        self._stand_ins: list[tuple[Path, str]] = []

    @contextmanager
    def standing_in(self, folder: Path, name: str) -> Iterator[None]:
        """While inside, a model loaded from under `folder` is cached as if it lay under `name`.

        For models loaded from a temporary folder that is different on every run (the models at a git
        ref, exported for `lint --baseline REF`): without a stable name their schemas could never be
        found again. Their content still decides, as for any model: file hashes and fingerprints.
        """
        entry = (folder.resolve(), name)
        self._stand_ins.append(entry)
        try:
            yield
        finally:
            self._stand_ins.remove(entry)

    def _identity(self, model_path: Path) -> str:
        """The name the cache knows the model at `model_path` by: its path, or its stand-in's."""
        for folder, name in reversed(self._stand_ins):
            if model_path.is_relative_to(folder):
                return f"{name}/{model_path.relative_to(folder).as_posix()}"
        return str(model_path)

    def seed(self, model: LoadedModel) -> None:
        """Give the session's memo every cached schema of `model`'s events that is still valid."""
        if not self.enabled:
            return
        try:
            identity = self._identity(model.path)
            key, digests = _file_key(identity), _digests(model)
            stored = _read(cache_file(identity), key)
            depends: dict[str, list[str] | None] = {}
            names: dict[type, str] = {}
            for event, (name, fingerprint) in _identify(model, self.payloads).items():
                entry = stored.get(name)
                if entry is not None and entry["fingerprint"] == fingerprint and _unchanged(entry["files"], digests):
                    if self.payloads.known(event) is None:
                        self.payloads.remember(event, entry["schema"])
                    continue
                depends[name], names[event] = None, name
            self._seeded[model.path] = _Seeded(key, digests, stored, {id(e["schema"]) for e in stored.values()}, depends,
                                               _Dependencies(model, digests, names))
        except Exception:  # a cache must never fail a run: generate as usual
            return

    def make(self, model: LoadedModel, jobs: int) -> None:
        """Make the missing payload schemas of `model` now, on `jobs` processes (engine/schema_jobs.py),
        each with the files it depends on: for a stage that reads every schema. Errors are left to it."""
        seeded = self._seeded.get(model.path)
        events = [e for ws in model.workspaces for e in ws.index.event_classes]
        made = generate_missing(events, self.payloads, jobs, seeded.dependencies if seeded is not None else None)
        if seeded is not None:
            for event, files in made.items():
                name = seeded.dependencies.names.get(event)
                if name is not None and files is not None:
                    seeded.depends[name] = files

    def save(self, models: Iterable[LoadedModel]) -> None:
        """Write each model's cache file when this run generated a schema it did not hold.

        Nothing is written for a model whose files changed since it was loaded (an edit during the run,
        or watch mode's re-run of one file): its classes may match neither the old files nor the new.
        """
        if not self.enabled:
            return
        for model in models:
            try:
                self._save(model)
            except Exception:  # unwritable folder, full disk, a schema JSON cannot hold: next run generates again
                continue

    def counts(self, model: LoadedModel) -> tuple[int, int]:
        """(schemas of `model`'s events read from the cache, schemas made in this run) so far."""
        seeded = self._seeded.get(model.path)
        ids = seeded.schema_ids if seeded is not None else set()
        schemas = [self.payloads.known(e) for e in dict.fromkeys(e for ws in model.workspaces for e in ws.index.event_classes)]
        cached = sum(1 for schema in schemas if schema is not None and id(schema) in ids)
        return cached, sum(1 for schema in schemas if schema is not None) - cached

    def _save(self, model: LoadedModel) -> None:
        identity = self._identity(model.path)
        seeded = self._seeded.get(model.path)
        if seeded is None or _all_from_file(model, seeded.schema_ids, self.payloads):
            return  # not seeded, or the usual unchanged run: nothing to write, no file to hash again, no class to name
        if _file_key(identity) != seeded.key or _digests(model) != seeded.digests:
            return  # a file changed since the load: these classes may be of neither version
        stored = seeded.entries
        entries: dict[str, Any] = {}
        for event, (name, fingerprint) in _identify(model, self.payloads).items():
            schema = self.payloads.known(event)
            old = stored.get(name)
            if old is not None and name not in seeded.depends:
                entries[name] = old  # valid at the load (seeded, or not asked for in this run: e.g. --view)
            elif schema is not None and name in seeded.depends:
                depends = seeded.depends[name] or seeded.dependencies(event) or sorted(seeded.digests)
                files = {rel: seeded.digests[rel] for rel in depends}
                entries[name] = {"fingerprint": fingerprint, "files": files, "schema": schema}
        if entries.keys() == stored.keys() and all(entries[n] is stored[n] for n in entries):
            return  # every schema came from the file: nothing new to write
        entries = {n: e for n, e in entries.items() if _survives_json(e["schema"])}
        text = orjson.dumps({"format": FORMAT, "key": seeded.key, "schemas": entries})
        write_atomic(cache_file(identity), text)
        self._seeded[model.path] = seeded._replace(entries=entries, schema_ids={id(e["schema"]) for e in entries.values()})


def _all_from_file(model: LoadedModel, seeded: set[int], payloads: PayloadSchemas) -> bool:
    """True when every schema the run holds for the model's events is one the seed handed out."""
    for ws in model.workspaces:
        for event in ws.index.event_classes:
            schema = payloads.known(event)
            if schema is not None and id(schema) not in seeded:
                return False
    return True


def _unchanged(files: dict[str, str], digests: dict[str, str]) -> bool:
    """True when each file an entry depends on still has the content it had when the entry was made."""
    return all(digests.get(rel) == digest for rel, digest in files.items())


def _read(path: Path, key: dict[str, Any]) -> dict[str, Any]:
    """The file's entries when it was written under `key`; {} when absent, corrupt or for other sources."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return {}
    entries = data.get("schemas")
    if not isinstance(entries, dict):
        return {}
    return {
        name: entry for name, entry in entries.items()
        if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) and isinstance(entry.get("schema"), dict)
        and isinstance(entry.get("files"), dict)
    }


def _file_key(identity: str) -> dict[str, Any]:
    """What every schema of the file depends on besides the classes and their files."""
    return {
        "model": identity,
        "archkit": __version__,
        "events_module": digest(Path(events.__file__).read_bytes()),  # an editable install keeps its version
        "pydantic": pydantic.VERSION,
        "pydantic_core": pydantic_core.__version__,
        "python": sys.version,
    }


def _local_files(model: LoadedModel) -> dict[Path, str]:
    """Each model-local file the load read, with its name in the cache (relative to the model's folder)."""
    root = model.path if model.path.is_dir() else model.path.parent
    return {f: _relative(f, root) for f in sorted(model.files)}


def _digests(model: LoadedModel) -> dict[str, str]:
    return {rel: digest(f.read_bytes()) for f, rel in _local_files(model).items()}


def _relative(file: Path, root: Path) -> str:
    """A model file as the key names it: relative to the model's folder, so a stand-in's key is stable."""
    return file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)


def _identify(model: LoadedModel, payloads: PayloadSchemas) -> dict[type, tuple[str, str]]:
    """Each cacheable event class of `model` with its name in the file and its fingerprint."""
    root = model.path if model.path.is_dir() else model.path.parent
    local = {str(f): f.relative_to(root).as_posix() for f in model.files}
    places: dict[str, str | None] = {}  # origin file as the class saw it -> its path in the model, None: not local
    found: dict[type, tuple[str, str]] = {}
    ordinals: dict[str, int] = {}
    describe = Describer()
    for ws in model.workspaces:
        for event in ws.index.event_classes:
            if event in found:
                continue
            origin = event_info(event).origin
            if origin is None:
                continue
            if origin.file not in places:
                places[origin.file] = local.get(str(Path(origin.file).resolve()))
            file = places[origin.file]
            if file is None:
                continue
            place = f"{file}:{event.__qualname__}"
            ordinal = ordinals[place] = ordinals.get(place, -1) + 1
            found[event] = (f"{place}#{ordinal}", payloads.fingerprint(event, describe))
    return found


def _survives_json(schema: Any) -> bool:
    """True when `schema` comes back from JSON as exactly the same values and types. What pydantic makes
    is nearly always plain JSON data, told by its types alone at a third of the cost of writing and
    reading it back (~2,100 schemas per cold run at L); anything else is tried."""
    try:
        if _plain(schema):
            return True
        return _strictly_equal(orjson.loads(orjson.dumps(schema)), schema)
    except (orjson.JSONEncodeError, TypeError, RecursionError):
        return False


def _plain(value: Any) -> bool:
    """True when `value` is made only of what orjson writes and reads back as itself: dicts with string
    keys, lists, strings it can encode, 64-bit integers, finite floats, booleans and None."""
    kind = type(value)
    if kind is str:
        return value.isascii() or _encodable(value)
    if kind is dict:
        return all(type(k) is str and (k.isascii() or _encodable(k)) and _plain(v) for k, v in value.items())
    if kind is list:
        return all(_plain(v) for v in value)
    if kind is int:
        return -(2 ** 63) <= value < 2 ** 64
    if kind is float:
        return math.isfinite(value)
    return value is None or kind is bool


def _encodable(text: str) -> bool:
    """False for a string with a lone surrogate, which orjson refuses."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _strictly_equal(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and list(a) == list(b) and all(_strictly_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_strictly_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
