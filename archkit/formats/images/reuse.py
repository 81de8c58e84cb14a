"""Skip work: a picture whose source has not changed since the last render is taken from disk.

`<out>/.archkit-pictures.json` maps each picture path to the digest of its source, the digest of the
picture itself and the PlantUML that drew it. A picture is reused only when the source and the picture
on disk still match, so a render interrupted between files, or a picture edited by hand, is redrawn; a
new PlantUML jar redraws everything. Without any PlantUML, matching pictures are still kept.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from archkit.formats.images.jobs import PictureJob
from archkit.output import OutputError, safe_relative, write_atomic

CACHE = ".archkit-pictures.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PictureCache:
    """What the last render made, and what this one made (to remember once everything is written)."""

    def __init__(self, root: Path, identity: str | None):
        self.root, self.identity = root, identity
        self.entries = _load(root / CACHE)
        self.fresh: dict[str, list[str]] = {}

    @staticmethod
    def key(job: PictureJob) -> str:
        return _digest(f"{job.format}\0".encode() + job.source)

    def reuse(self, job: PictureJob, path: str) -> bytes | None:
        """The picture on disk when it was made from this very source (by this PlantUML, if known)."""
        entry = self.entries.get(path)
        if not entry or entry[0] != self.key(job) or (self.identity is not None and entry[2] != self.identity):
            return None
        try:
            picture = (self.root / safe_relative(path)).read_bytes()
        except (OSError, OutputError):
            return None
        return picture if _digest(picture) == entry[1] else None

    def remember(self, job: PictureJob, path: str, picture: bytes) -> None:
        """Record a picture of this render; one kept without PlantUML keeps the identity it was drawn with."""
        drawn_by = self.identity or self.entries.get(path, ["", "", "unknown"])[2]
        self.fresh[path] = [self.key(job), _digest(picture), drawn_by]

    def save(self) -> None:
        """Called after the render was written; keeps only pictures of this render."""
        if self.fresh or self.entries:
            write_atomic(self.root / CACHE, (json.dumps(self.fresh, indent=1, sort_keys=True) + "\n").encode())


def _load(path: Path) -> dict[str, list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 3 and all(isinstance(x, str) for x in v)}
