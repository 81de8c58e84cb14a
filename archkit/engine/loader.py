"""Load model files and packages, each run in a fresh namespace.

A model is ordinary Python run with the user's rights. Each load gets new module objects and forgets
the model's local modules afterwards, so reloading an edited model (watch mode) never sees stale code.
The loader also reports every local file the model imported: the files watch mode must watch.
"""

from __future__ import annotations

import gc
import itertools
import sys
import traceback
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from archkit.engine.bytecode_cache import model_bytecode_cached
from archkit.engine.gcpause import collector_paused
from archkit.errors import LoadError, ModelError, ModelErrors, SourceLocation, is_internal, shown_path
from archkit.model import resolution
from archkit.model.events import is_event
from archkit.model.payloads import PayloadSchemas
from archkit.model.workspace import Workspace, created_workspaces

if TYPE_CHECKING:
    from archkit.engine.schema_cache import SchemaCache

_counter = itertools.count()


@dataclass
class LoadedModel:
    """What one path yielded: its workspaces (resolved and valid) and the local files it read."""

    path: Path
    workspaces: list[Workspace]
    files: set[Path] = field(default_factory=set)
    #: The model's own modules by name (what the schema cache's walk looks classes up in, after the load);
    #: with `root`, kept only when asked, what `rerun_module` runs in.
    modules: dict[str, types.ModuleType] = field(default_factory=dict)
    root: Path | None = None

    def module_of(self, file: Path) -> types.ModuleType:
        """The kept module loaded from `file` (NotRerunnable if there is not exactly one)."""
        file = file.resolve()
        found = [m for m in self.modules.values() if m.__file__ and Path(m.__file__).resolve() == file]
        # the model's own file or package `__init__` runs everything else: re-running it is a full load
        if self.root is None or len(found) != 1 or getattr(found[0], "__path__", None) is not None \
                or _is_model_root(found[0].__name__):
            raise NotRerunnable(f"{file} is not a module of this model that can be re-run alone")
        return found[0]


def load_paths(paths: list[Path], keep_modules: bool = False, cache: SchemaCache | None = None,
               schema_jobs: int = 0) -> list[LoadedModel]:
    """Load every path (file, package folder, or folder of model files) in order.

    `cache`: the session's schema cache (engine/session.py): each model's payload schemas are seeded
    from it and its package's modules compiled through the bytecode cache. None: no cache at all.
    `schema_jobs` > 1 (with a cache): the stages after the load read every payload schema, so the
    missing ones are made during the load, on that many processes (`SchemaCache.make`).
    """
    return [model for path in paths for model in load_path(path, keep_modules, cache, schema_jobs)]


def load_path(path: Path, keep_modules: bool = False, cache: SchemaCache | None = None,
              schema_jobs: int = 0) -> list[LoadedModel]:
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path}: no such file or folder")
    if path.is_file() or (path / "__init__.py").is_file():
        return [_require_workspace(load_model(path, keep_modules, cache, schema_jobs))]
    candidates = sorted(
        p for p in path.iterdir()
        if not p.name.startswith(("_", ".")) and ((p.suffix == ".py" and p.is_file()) or (p / "__init__.py").is_file())
    )
    models = [m for m in (load_model(p, keep_modules, cache, schema_jobs) for p in candidates) if m.workspaces]
    if not models:
        raise LoadError(f"{path}: no model in this folder defines a Workspace", None, hint_detail(path))
    return models


def hint_detail(path: Path) -> str:
    return f"  hint: a model file creates one with `ws = archkit.Workspace(\"Name\")`; checked {shown_path(str(path))}"


def _require_workspace(model: LoadedModel) -> LoadedModel:
    if not model.workspaces:
        raise LoadError(f"{shown_path(str(model.path))}: the model defines no Workspace", None, hint_detail(model.path))
    return model


def load_model(path: Path, keep_modules: bool = False, cache: SchemaCache | None = None,
               schema_jobs: int = 0) -> LoadedModel:
    """Run one model file or package in a fresh namespace; validate and resolve what it created.

    `keep_modules`: also keep the model's `root`, so watch mode can re-run one changed file of a
    package in its modules (`rerun_module`) instead of the whole package.
    `schema_jobs`: see `load_paths`. Made here, while the model's modules are seen, each missing
    schema's pydantic build (which `resolution.resolve` would otherwise do on this core alone, for the
    check) runs on every core too, and so does the walk for the files it depends on.
    """
    path = path.resolve()
    is_package = path.is_dir()
    source_file = path / "__init__.py" if is_package else path
    root = path if is_package else path.parent  # model-local imports resolve here, and are forgotten after
    module_name = f"_archkit_model_{next(_counter)}"
    module = types.ModuleType(module_name)
    module.__file__ = str(source_file)
    if is_package:
        module.__path__ = [str(path)]  # type: ignore[attr-defined]
        module.__package__ = module_name
    code = _compile(source_file)
    before = set(sys.modules)
    sys.path.insert(0, str(root))
    sys.modules[module_name] = module
    registry: list[Workspace] = []
    token = created_workspaces.set(registry)
    try:
        cached = cache is not None and cache.enabled
        ahead = _package_modules(path, source_file) if cached and is_package and schema_jobs > 1 else None
        with _collector_paused(), model_bytecode_cached(root, cached, ahead):
            exec(code, module.__dict__)
            for ws in registry:
                if cache is not None:
                    ws.payloads = cache.payloads  # the session's memo, shared by all it loads
                ws.resolve()
            modules = {n: m for n, m in _local_modules(before, root).items() if getattr(m, "__file__", None)}
            files = {Path(str(m.__file__)).resolve() for m in modules.values()} | {source_file}
            model = LoadedModel(path, registry, files, modules, root if keep_modules else None)
            if cache is not None:
                cache.seed(model)  # payload schemas of an unchanged model, from an earlier run (never fails)
                if schema_jobs > 1:
                    cache.make(model, schema_jobs)  # a schema that fails is built again below, to be reported
            for ws in registry:  # while its modules are seen
                resolution.resolve(ws.index.event_classes, ws.payloads)
    except (ModelError, ModelErrors, LoadError):
        raise
    except Exception as exc:  # the model's own exception: report it at the model's line
        raise _model_exception(exc) from None
    finally:
        created_workspaces.reset(token)
        sys.path.remove(str(root))
        _forget_local_modules(before, root)
    return model


def _package_modules(folder: Path, init: Path) -> list[Path]:
    """The package's other source files, in the order of their names: what its `__init__` likely imports."""
    return sorted(p for p in folder.rglob("*.py") if p != init and not any(part.startswith((".", "__pycache__"))
                                                                            for part in p.relative_to(folder).parts))


def _is_model_root(module_name: str) -> bool:
    return module_name.startswith("_archkit_model_") and "." not in module_name


class NotRerunnable(Exception):
    """This change cannot be applied by re-running one file: load the whole model again."""


def rerun_module(model: LoadedModel, file: Path) -> types.ModuleType:
    """Run the changed `file` again as a fresh module in place of its old one, inside the kept package.

    Everything else the model's modules built stays as it is; whatever the file's top-level code
    creates (elements, events, relationships) is added to the workspaces it reaches, which the caller
    (watch mode's fast path) has emptied of that file's old objects beforehand. The package's own
    `__init__` is not re-run that way: re-running it would re-run everything.
    """
    file = file.resolve()
    old = model.module_of(file)
    name = old.__name__
    code = _compile(file)
    fresh = types.ModuleType(name)
    for attribute in ("__file__", "__package__", "__spec__", "__loader__"):
        setattr(fresh, attribute, getattr(old, attribute, None))
    parent_name, _, child = name.rpartition(".")
    parent = model.modules.get(parent_name)
    shadowed = {n: sys.modules[n] for n in model.modules if n in sys.modules}
    sys.modules.update(model.modules)
    sys.modules[name] = fresh
    sys.path.insert(0, str(model.root))
    registry: list[Workspace] = []
    token = created_workspaces.set(registry)
    try:
        with _collector_paused(unfreeze=False):
            exec(code, fresh.__dict__)
            payloads = model.workspaces[0].payloads if model.workspaces else PayloadSchemas()
            resolution.resolve((v for v in vars(fresh).values() if is_event(v)), payloads)  # while the modules are seen
    except (ModelError, ModelErrors, LoadError):
        raise
    except Exception as exc:
        raise _model_exception(exc) from None
    finally:
        created_workspaces.reset(token)
        sys.path.remove(str(model.root))
        for n in model.modules:
            sys.modules.pop(n, None)
        sys.modules.update(shadowed)
    if registry:
        raise NotRerunnable(f"{file} creates a Workspace")
    model.modules[name] = fresh
    if parent is not None:
        setattr(parent, child, fresh)
    return fresh


def _compile(source_file: Path) -> types.CodeType:
    """The file's code, or a LoadError at the line that does not parse."""
    try:
        source = source_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(f"{shown_path(str(source_file))}: cannot read the model: {exc}") from None
    try:
        return compile(source, display_path(source_file), "exec", dont_inherit=True)  # its own __future__ only
    except SyntaxError as exc:
        location = SourceLocation(exc.filename or str(source_file), exc.lineno or 0)
        detail = f"    {exc.text.rstrip()}" if exc.text else None
        raise LoadError(f"syntax error: {exc.msg}", location, detail) from None


@contextmanager
def _collector_paused(unfreeze: bool = True) -> Iterator[None]:
    """Run a model without Python's cyclic garbage collector, then set what it built aside from it.

    A large model creates hundreds of thousands of objects (a pydantic class per event, elements,
    relationships), nearly all of them kept. Each full collection rescans all of them: at 1,000
    containers that was a third of the load and of every later render stage. So collection pauses
    while the model runs, and afterwards `gc.freeze()` moves everything alive to the permanent
    generation, which collections skip. Model objects refer to each other in cycles, so a model
    dropped while frozen is never freed by reference counting: the next load therefore unfreezes and
    collects first (watch mode reloads on every save; without this each save kept the old model).
    Re-running one module (`unfreeze=False`) adds to the loaded model, which stays frozen.
    """
    if unfreeze:
        release_frozen()
    with collector_paused(freeze=True):
        yield


def release_frozen() -> None:
    """Free the models earlier loads froze and that nothing uses any more (a no-op in a fresh process)."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()


def display_path(path: Path) -> str:
    """The path as errors show it: relative to the working directory when inside it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _local_modules(before: set[str], root: Path) -> dict[str, types.ModuleType]:
    """The modules the model imported from its own folder tree (and its own), by name."""
    found: dict[str, types.ModuleType] = {}
    for name in set(sys.modules) - before:
        module = sys.modules[name]
        file: str | None = getattr(module, "__file__", None)
        ours = name.startswith("_archkit_model_")
        local = file is not None and not is_internal(file) and "site-packages" not in file and Path(file).resolve().is_relative_to(root)
        if ours or local:
            found[name] = module
    return found


def _forget_local_modules(before: set[str], root: Path) -> None:
    """Drop the modules the model imported from its own folder tree: the next load runs them afresh."""
    for name in _local_modules(before, root):
        del sys.modules[name]


def _model_exception(exc: BaseException) -> LoadError:
    """An exception raised by the model's code, located at the deepest frame in the user's files."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not is_internal(f.filename) and "site-packages" not in f.filename]
    location = SourceLocation(frames[-1].filename, frames[-1].lineno or 0) if frames else None
    if isinstance(exc, SyntaxError) and exc.filename and not is_internal(exc.filename):
        # a module the model imports does not parse: point at its line, not at the import statement
        location = SourceLocation(exc.filename, exc.lineno or 0)
        frames.append(traceback.FrameSummary(exc.filename, exc.lineno or 0, "<module>", line=None))
        exc = SyntaxError(exc.msg)
    detail_lines = ["  model traceback (most recent call last):"]
    for frame in frames:
        detail_lines.append(f"    {shown_path(frame.filename)}:{frame.lineno} in {frame.name}")
        if frame.line:
            detail_lines.append(f"      {frame.line}")
    return LoadError(resolution.python_message(exc), location, "\n".join(detail_lines) if frames else None)
