"""Writing rendered files: atomic per file, unchanged files left untouched, stale files removed.

A render computes every file in memory first, so a model error writes nothing. Each file is written to
a temporary name beside its target, flushed and moved into place with `os.replace`, so a render killed
halfway leaves each file either old or new, never truncated. A manifest remembers what archkit wrote,
so views that disappear from the model disappear from the output, and files a user put there stay.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from archkit.errors import ArchkitError

MANIFEST = ".archkit-manifest.json"
_UMASK = os.umask(0)
os.umask(_UMASK)
#: Outputs get the permissions a plain `open(..., "w")` would give (mkstemp alone makes them private).
FILE_MODE = 0o666 & ~_UMASK


class OutputError(ArchkitError):
    """The output folder cannot be written (read-only, full disk, a path escaping the folder)."""


@dataclass(frozen=True)
class OutputFile:
    """One rendered file: a path relative to the output folder (POSIX, no '..') and its bytes."""

    path: str
    content: bytes

    @classmethod
    def text(cls, path: str, text: str) -> OutputFile:
        return cls(path, text.encode("utf-8"))


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self, root: Path) -> str:
        parts = [f"{len(self.written)} written", f"{len(self.unchanged)} unchanged"]
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        return f"{', '.join(parts)} in {root}"


def safe_relative(path: str) -> PurePosixPath:
    """Refuse absolute paths and '..' so no generated name can leave the output folder."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or not rel.parts or any(part in ("..", "") for part in rel.parts) or "\\" in path:
        raise OutputError(f"refusing to write {path!r}: output paths must stay inside the output folder")
    return rel


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


TEMP_SUFFIX = ".tmp"


def remove_stale_temps(folders: set[Path], names: set[str]) -> None:
    """Remove temporary files a killed render left behind (`.<name>.<random>.tmp` beside a file it writes)."""
    for folder in folders:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            stem = entry.name
            if stem.startswith(".") and stem.endswith(TEMP_SUFFIX) and stem[1:].rsplit(".", 2)[0] in names:
                entry.unlink(missing_ok=True)


def write_atomic(target: Path, content: bytes) -> bool:
    """Write `content` to `target` unless it already holds exactly that; True when written."""
    try:
        if target.is_file() and target.stat().st_size == len(content) and target.read_bytes() == content:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent)
        try:
            os.fchmod(fd, FILE_MODE)
            # No fsync: the rename alone is what keeps readers from ever seeing half a file, and an
            # fsync per file was a quarter of a large render (2,300 files, ~4 s on a loaded disk).
            # Outputs are regenerated from the model, so a crash costs at most a re-run.
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in target.parents if p.is_file()), target.parent)
        raise OutputError(f"cannot write {target}: {blocker} is a file where archkit needs a folder") from None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return True


def write_some(root: Path, files: list[OutputFile]) -> tuple[WriteReport, dict[str, bytes]]:
    """Write these files under `root` and touch nothing else (watch mode's fast path, whose full build
    right after removes what is gone and records the manifest)."""
    report = WriteReport()
    seen: dict[str, bytes] = {}
    for file in files:
        rel = str(safe_relative(file.path))
        if rel in seen and seen[rel] != file.content:
            raise OutputError(f"two outputs want the same file {rel}")
        seen[rel] = file.content
    for rel in sorted(seen):
        (report.written if write_atomic(root / rel, seen[rel]) else report.unchanged).append(rel)
    remove_stale_temps({(root / rel).parent for rel in seen} | {root}, {Path(rel).name for rel in seen} | {MANIFEST})
    return report, seen


def write_outputs(root: Path, files: list[OutputFile], manifest_scope: str = "") -> WriteReport:
    """Write every file under `root`; remove files archkit wrote before (under `manifest_scope`) that are gone."""
    report, seen = write_some(root, files)
    manifest_path = root / MANIFEST
    previous = _read_manifest(manifest_path)
    for rel in sorted(previous - set(seen)):
        if manifest_scope and not rel.startswith(manifest_scope):
            continue
        stale = root / rel
        if stale.is_file():
            stale.unlink()
            report.removed.append(rel)
    kept = {r for r in previous if manifest_scope and not r.startswith(manifest_scope)} | set(seen)
    write_atomic(manifest_path, (json.dumps(sorted(kept), indent=1) + "\n").encode())
    return report


def _read_manifest(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(safe_relative(p)) for p in data if isinstance(p, str)}
    except (OSError, ValueError, OutputError):
        return set()
