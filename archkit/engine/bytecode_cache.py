"""The model's own modules compiled once, kept in archkit's cache folder under their source's hash.

A model split over many files is imported module by module, and Python compiles each from source
unless it may keep bytecode beside it; containers and CI images often forbid that
(PYTHONDONTWRITEBYTECODE), and read-only checkouts cannot have it. At 1,000 containers compiling was
~0.1 s of every load, a fifth of it. So while a model loads, the modules found under its folder are
loaded by a SourceFileLoader whose code comes from `<cache>/bytecode/`, one file per source path,
valid while the SHA-256 of the source (and Python's bytecode magic number) is the one stored with it.
A hash, not Python's modification time to the second, which two quick saves in watch mode can beat.
Everything else imports exactly as Python does; `--no-cache` turns this off.

With an empty cache (CI's usual first run) compiling is ~0.08 s of a 1,000-container package's load,
one module after another as the package imports them. A load that may use another core (`ahead`)
therefore forks a worker that compiles the package's other modules into the cache meanwhile, in the
order of their names, while this process runs the model: it finds most of them compiled when it
imports them, and compiles itself what the worker has not reached (the same bytes either way).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import marshal
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, ModuleType

from archkit.engine import cache
from archkit.engine.forking import forking_allowed
from archkit.output import write_atomic

#: Modules compiled ahead only when this many or more have no code in the cache (a fork costs ~5 of them),
#: and at most this many (a package with more is compiled as it imports).
FEWEST_AHEAD, MOST_AHEAD = 10, 2_000


@contextmanager
def model_bytecode_cached(root: Path, enabled: bool = True, ahead: list[Path] | None = None) -> Iterator[None]:
    """While the model under `root` loads, its modules' code comes from (and goes to) the cache.

    `ahead`: source files the load will import, compiled into the cache meanwhile by a forked worker."""
    if not enabled:
        yield
        return
    finder = _ModelModules(root)
    sys.meta_path.insert(0, finder)
    absent = [f for f in ahead or () if not _stored(str(f)).is_file()]  # a warm cache: none, and no fork
    worker = _compile_ahead(absent) if FEWEST_AHEAD <= len(absent) <= MOST_AHEAD else None
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        if worker is not None:
            os.waitpid(worker, 0)  # it compiles a module in ~1 ms, this process runs one in ~5: long done


def _compile_ahead(files: list[Path]) -> int | None:
    """Fork a worker that puts the code of `files` into the cache; its process id (None: not forked)."""
    if not forking_allowed():
        return None
    try:
        pid = os.fork()
    except OSError:  # process limit, memory: this process compiles as it imports
        return None
    if pid == 0:  # the worker: nothing of this process's state is cleaned up or flushed here
        try:
            for file in files:
                _code(str(file))
        finally:
            os._exit(0)
    return pid


class _ModelModules(importlib.abc.MetaPathFinder):
    """Finds what Python's own path finder finds; for a source file under the model's folder, with the
    caching loader. Anything else is left to the finders that follow (None)."""

    def __init__(self, root: Path) -> None:
        self.root = str(root.resolve()) + os.sep

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader \
                or not (spec.origin or "").startswith(self.root):
            return None
        spec.loader = _CachedSourceLoader(fullname, spec.origin or "")
        return spec


class _CachedSourceLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname: str) -> CodeType:
        return _code(self.path, self)


def _stored(path: str) -> Path:
    """Where the code of the source file at `path` is kept."""
    return cache.cache_root() / "bytecode" / f"{hashlib.sha256(path.encode()).hexdigest()[:32]}.bin"


def _code(path: str, loader: importlib.machinery.SourceFileLoader | None = None) -> CodeType:
    """The code of the source file at `path` (as the import system names it): from the cache, else
    compiled as Python's own loader compiles it and stored."""
    loader = loader or importlib.machinery.SourceFileLoader("_", path)
    source = loader.get_data(path)
    digest = hashlib.sha256(importlib.util.MAGIC_NUMBER + source).digest()
    stored = _stored(path)
    try:
        data = stored.read_bytes()
        if data[:len(digest)] == digest:
            code = marshal.loads(data[len(digest):])
            if isinstance(code, CodeType):
                return code
    except (OSError, ValueError, EOFError, TypeError):  # absent or damaged: compile as usual
        pass
    code = loader.source_to_code(source, path)
    try:
        write_atomic(stored, digest + marshal.dumps(code))
    except Exception:  # a cache must never fail a load
        pass
    return code
