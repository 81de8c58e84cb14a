"""The picture step of a render: every `.puml` text output gains its `.svg`/`.png` beside it.

Pictures are computed before anything is written (the whole result goes to the atomic writer at once),
unchanged sources reuse their picture from disk, and without PlantUML the text is still written and one
line says which pictures were skipped and how to get them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archkit.formats.images.backend import HOW_TO_GET_IMAGES, Unavailable, batch_plantuml
from archkit.formats.images.jobs import PictureJob, PlantUML, Progress
from archkit.formats.images.reuse import PictureCache
from archkit.output import OutputFile

PICTURE_FORMATS = ("svg", "png")


@dataclass
class PictureOutcome:
    files: list[OutputFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cache: PictureCache | None = None
    rendered: int = 0
    reused: int = 0

    def commit(self) -> None:
        """Remember what was drawn, once the render is safely written."""
        if self.cache is not None:
            self.cache.save()


def plantuml_pictures(files: Sequence[OutputFile], formats: Sequence[str], out_dir: Path,
                      plantuml: PlantUML | Unavailable | None = None, progress: Progress | None = None) -> PictureOutcome:
    """SVG/PNG for every `*.puml` in `files`; `plantuml` defaults to one batch JVM for this render."""
    jobs = [PictureJob(f.path, f.content, fmt) for f in files if f.path.endswith(".puml")  # type: ignore[arg-type]
            for fmt in formats if fmt in PICTURE_FORMATS]
    if not jobs:
        return PictureOutcome()
    backend = plantuml if plantuml is not None else batch_plantuml()
    available = not isinstance(backend, Unavailable)
    cache = PictureCache(out_dir, backend.identity if available else None)  # type: ignore[union-attr]
    outcome = PictureOutcome(cache=cache)
    pictures: dict[PictureJob, bytes] = {}
    missing = []
    for job in jobs:
        kept = cache.reuse(job, job.picture_name)
        if kept is None:
            missing.append(job)
        else:
            pictures[job] = kept
    outcome.reused = len(pictures)
    if missing and available:
        pictures.update(backend.render_many(missing, progress))  # type: ignore[union-attr]
        outcome.rendered = len(missing)
    elif missing:
        outcome.notes.append(
            f"images skipped: {backend.reason}, so {len(missing)} SVG/PNG picture(s) were not drawn"  # type: ignore[union-attr]
            f" ({HOW_TO_GET_IMAGES})"
        )
    for job in jobs:
        if job in pictures:
            cache.remember(job, job.picture_name, pictures[job])
            outcome.files.append(OutputFile(job.picture_name, pictures[job]))
    return outcome
