"""model -> views -> text -> files: the render pipeline shared by `render` and `watch`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archkit.errors import ArchkitError
from archkit.model.workspace import Workspace
from archkit.output import OutputFile, WriteReport, write_outputs
from archkit.renderers import ALIASES, FORMATS, RenderOptions, _load_builtin_renderers


class FormatError(ArchkitError):
    """An unknown format name on the command line or in the configuration."""


def available_formats() -> list[str]:
    _load_builtin_renderers()
    return sorted(FORMATS)


def expand_formats(names: list[str] | None) -> list[str]:
    """Resolve aliases ('plantuml', 'mermaid', 'all') to format names, keeping the registry's order."""
    _load_builtin_renderers()
    if not names or names == ["all"]:
        return list(FORMATS)
    chosen: list[str] = []
    for name in names:
        targets = ALIASES.get(name, (name,))
        for target in targets:
            if target not in FORMATS:
                known = ", ".join(sorted([*FORMATS, *ALIASES]))
                raise FormatError(f"error: unknown format '{target}' (known: {known})")
            if target not in chosen:
                chosen.append(target)
    return chosen


def render_text(workspaces: list[Workspace], formats: list[str], options: RenderOptions) -> list[OutputFile]:
    """Every text file of every workspace, each under a folder named by the workspace's id."""
    files: list[OutputFile] = []
    for ws in workspaces:
        for name in formats:
            for file in FORMATS[name](ws, options):
                files.append(OutputFile(f"{ws.id}/{file.path}", file.content))
    return files


@dataclass
class RenderResult:
    files: list[OutputFile]
    report: WriteReport


def render_to(out_dir: Path, workspaces: list[Workspace], formats: list[str], options: RenderOptions) -> RenderResult:
    """Render in memory, then write: a failure before writing leaves the previous output intact."""
    files = render_text(workspaces, formats, options)
    report = write_outputs(out_dir, files)
    return RenderResult(files, report)
