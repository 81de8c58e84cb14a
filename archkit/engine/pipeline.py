"""model -> views -> text -> pictures -> files: the render pipeline shared by `render` and `watch`.

Stages run in a fixed order and everything is computed in memory before one atomic write:
1. text formats (FORMATS): one renderer per format, per workspace;
2. PlantUML pictures (`svg`, `png`): every `*.puml` of step 1 gains `<same path>.svg/.png`;
3. workspace pictures (`diagrams`): drawn from the computed views with Graphviz;
4. the index (`index`): lists whatever files steps 1-3 produced, so it grows as formats arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archkit.engine.gcpause import collector_paused
from archkit.engine.parallel import render_formats
from archkit.errors import ArchkitError
from archkit.formats import ALIASES, FORMATS, RenderOptions, _load_builtin_renderers
from archkit.formats.images.backend import Unavailable
from archkit.formats.images.jobs import PlantUML, Progress
from archkit.formats.images.pictures import PICTURE_FORMATS, PictureOutcome, plantuml_pictures
from archkit.model.workspace import Workspace
from archkit.output import OutputFile, WriteReport, write_outputs

#: Formats made from the text outputs rather than from the model, in the order they run.
STEP_FORMATS = (*PICTURE_FORMATS, "diagrams", "index")


class FormatError(ArchkitError):
    """An unknown format name on the command line or in the configuration."""


def available_formats() -> list[str]:
    _load_builtin_renderers()
    return sorted([*FORMATS, *STEP_FORMATS])


def _plantuml_sources() -> tuple[str, ...]:
    """The text formats that write `.puml` files: what `svg`/`png` pictures are drawn from."""
    return ALIASES.get("plantuml") or tuple(name for name in FORMATS if "plantuml" in name)


def expand_formats(names: list[str] | None) -> list[str]:
    """Resolve aliases ('plantuml', 'mermaid', 'all') to format names, keeping the registry's order.

    Pictures imply their sources: `svg` means the `.puml` files and their SVGs.
    """
    _load_builtin_renderers()
    if not names or names == ["all"]:
        return [*FORMATS, *STEP_FORMATS]
    chosen: list[str] = []
    for name in names:
        for target in ALIASES.get(name, (name,)):
            if target not in FORMATS and target not in STEP_FORMATS:
                known = ", ".join(sorted([*FORMATS, *STEP_FORMATS, *ALIASES]))
                raise FormatError(f"error: unknown format '{target}' (known: {known})")
            implied = _plantuml_sources() if target in PICTURE_FORMATS else ()
            for wanted in (*implied, target):
                if wanted not in chosen:
                    chosen.append(wanted)
    order = [*FORMATS, *STEP_FORMATS]
    return sorted(chosen, key=order.index)


def render_text(workspaces: list[Workspace], formats: list[str], options: RenderOptions, jobs: int = 1) -> list[OutputFile]:
    """Every text file of every workspace, each under a folder named by the workspace's id.

    `jobs` > 1 spreads the formats of a large model over that many processes (archkit/parallel.py);
    the files and their order are the same as with one.
    """
    with collector_paused(freeze=True):  # views and documents: large, kept, acyclic (archkit/gcpause.py)
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


@dataclass
class Rendered:
    """A whole render in memory, not yet written."""

    files: list[OutputFile]
    notes: list[str]
    pictures: PictureOutcome  # remembers what was drawn once the files are written


def render_files(out_dir: Path, workspaces: list[Workspace], formats: list[str], options: RenderOptions,
                 plantuml: PlantUML | Unavailable | None = None, progress: Progress | None = None,
                 jobs: int = 1) -> Rendered:
    """Every output in memory; `out_dir` is only read (pictures of unchanged sources are reused)."""
    from archkit.formats.images.diagrams import workspace_diagrams
    from archkit.formats.index import index_files

    files = render_text(workspaces, formats, options, jobs)
    pictures = plantuml_pictures(files, [f for f in formats if f in PICTURE_FORMATS], out_dir, plantuml, progress)
    files += pictures.files
    notes = list(pictures.notes)
    if "diagrams" in formats:
        drawn = workspace_diagrams(workspaces, options)
        files += drawn.files
        notes += drawn.notes
    if "index" in formats:
        for ws in workspaces:
            files += index_files(ws, [f for f in files if f.path.startswith(f"{ws.id}/")], options)
    return Rendered(files, notes, pictures)


def render_to(out_dir: Path, workspaces: list[Workspace], formats: list[str], options: RenderOptions, *,
              plantuml: PlantUML | Unavailable | None = None, progress: Progress | None = None,
              jobs: int = 1) -> RenderResult:
    """Render in memory, then write: a failure before writing leaves the previous output intact.

    `plantuml`: a warm renderer kept by the caller (watch mode's PlantUMLPipe); default one batch JVM.
    `jobs`: processes for the text formats (`archkit render --jobs`); watch keeps to one.
    """
    rendered = render_files(out_dir, workspaces, formats, options, plantuml, progress, jobs)
    report = write_outputs(out_dir, rendered.files)
    rendered.pictures.commit()
    return RenderResult(rendered.files, report, rendered.notes)
