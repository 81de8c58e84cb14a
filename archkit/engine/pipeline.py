"""model -> views -> text -> pictures -> files: the render pipeline shared by `render` and `watch`.

Formats run in the order of their records (`archkit.formats`), and everything is computed in memory
before one atomic write:
1. text formats: each renders every workspace from the model (on several cores for a large model);
2. the formats made after the text, each from the batch so far: PlantUML pictures (`svg`, `png`: every
   `*.puml` gains `<same path>.svg/.png`), the `diagrams` pictures, and last the index, which lists
   whatever files came before it, so it grows as formats arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path
from typing import Any

from archkit.engine.gcpause import collector_paused
from archkit.engine.parallel import render_formats
from archkit.engine.schema_jobs import generate_for
from archkit.formats import Batch, RenderOptions, reads_payloads, registry, writes_catalogue
from archkit.model.workspace import Workspace
from archkit.output import OutputFile, WriteReport, write_outputs, write_some


def render_text(workspaces: list[Workspace], formats: list[str], options: RenderOptions, jobs: int = 1) -> list[OutputFile]:
    """Every text file of every workspace, each under a folder named by the workspace's id.

    `jobs` > 1 spreads the formats of a large model over that many processes (engine/parallel.py);
    the files and their order are the same as with one.
    """
    if writes_catalogue(formats):  # the pictures may link to the site's pages
        options = replace(options, catalogue=True)
    if jobs > 1 and reads_payloads(formats):
        generate_for(workspaces, jobs)  # an empty cache's schemas on every core, before the formats read them
    with collector_paused(freeze=True):  # views and documents: large, kept, acyclic (engine/gcpause.py)
        rendered = render_formats(workspaces, formats, options, jobs)
        files: list[OutputFile] = []
        for w, ws in enumerate(workspaces):
            for name in formats:
                for file in rendered.get((w, name), ()):
                    files.append(OutputFile(f"{ws.id}/{file.path}", file.content))
    return files


@dataclass
class RenderResult:
    files: list[OutputFile]
    report: WriteReport
    notes: list[str] = field(default_factory=list)  # e.g. "images skipped: no Java found ..."


def render_files(out_dir: Path, workspaces: list[Workspace], formats: list[str], options: RenderOptions,
                 plantuml: Any = None, progress: Any = None, jobs: int = 1) -> Batch:
    """Every output in memory; `out_dir` is only read (pictures of unchanged sources are reused)."""
    batch = Batch(out_dir, workspaces, options, render_text(workspaces, formats, options, jobs),
                  plantuml=plantuml, progress=progress)
    draw_after_text(batch, formats)
    return batch


def merged(early: WriteReport, late: WriteReport) -> WriteReport:
    """One report of two writes of the same files, the first of the text only: what either wrote is written."""
    first = set(early.written)
    return WriteReport(written=[*early.written, *late.written], removed=late.removed,
                       unchanged=[rel for rel in late.unchanged if rel not in first])


def draw_after_text(batch: Batch, formats: list[str], only_from_text: bool = False) -> None:
    """The chosen formats made after the text, in order; formats sharing a `draw` go in one call (svg and
    png: one PlantUML batch). `only_from_text`: just those made from the text files (watch's fast path)."""
    records = registry()
    chosen = [records[f] for f in formats if not records[f].is_text and (records[f].from_text or not only_from_text)]
    for draw, group in groupby(chosen, key=lambda record: record.draw):
        assert draw is not None
        draw(batch, [record.name for record in group])


def render_to(out_dir: Path, workspaces: list[Workspace], formats: list[str], options: RenderOptions, *,
              plantuml: Any = None, progress: Any = None, jobs: int = 1, text_first: bool = False) -> RenderResult:
    """Render in memory, then write: a failure before writing leaves the previous output intact.

    `plantuml`: a warm renderer kept by the caller (watch mode's PlantUMLPipe); default one batch JVM.
    `jobs`: processes for the text formats (`archkit render --jobs`); watch keeps to one.
    `text_first`: write the text files as soon as they are rendered, before the pictures are drawn (watch:
    an editor's preview of a `.puml` should not wait for PlantUML); a model error still writes nothing.
    """
    batch = Batch(out_dir, workspaces, options, render_text(workspaces, formats, options, jobs),
                  plantuml=plantuml, progress=progress)
    early = write_some(out_dir, list(batch.files))[0] if text_first else WriteReport()
    draw_after_text(batch, formats)
    report = merged(early, write_outputs(out_dir, batch.files))
    for written in batch.on_written:
        written()
    return RenderResult(batch.files, report, batch.notes)
