"""The model's own modules compiled once, kept in archkit's cache folder under their source's hash.

A model split over many files is imported module by module, and Python compiles each from source
unless it may keep bytecode beside it; containers and CI images often forbid that
(PYTHONDONTWRITEBYTECODE), and read-only checkouts cannot have it. At 1,000 containers compiling was
~0.1 s of every load, a fifth of it. So while a model loads, the modules found under its folder are
loaded by a SourceFileLoader whose code comes from `<cache>/bytecode/`, one file per source path,
valid while the SHA-256 of the source (and Python's bytecode magic number) is the one stored with it.
A hash, not Python's modification time to the second, which two quick saves in watch mode can beat.
Everything else imports exactly as Python does; `--no-cache` turns this off.
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
from archkit.output import write_atomic


@contextmanager
def model_bytecode_cached(root: Path, enabled: bool = True) -> Iterator[None]:
    """While the model under `root` loads, its modules' code comes from (and goes to) the cache."""
    if not enabled:
        yield
        return
    finder = _ModelModules(root)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


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
        source = self.get_data(self.path)
        digest = hashlib.sha256(importlib.util.MAGIC_NUMBER + source).digest()
        stored = cache.cache_root() / "bytecode" / f"{hashlib.sha256(self.path.encode()).hexdigest()[:32]}.bin"
        try:
            data = stored.read_bytes()
            if data[:len(digest)] == digest:
                code = marshal.loads(data[len(digest):])
                if isinstance(code, CodeType):
                    return code
        except (OSError, ValueError, EOFError, TypeError):  # absent or damaged: compile as usual
            pass
        code = self.source_to_code(source, self.path)
        try:
            write_atomic(stored, digest + marshal.dumps(code))
        except Exception:  # a cache must never fail a load
            pass
        return code
