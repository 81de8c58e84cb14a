"""Shared by the C4 renderer tests: render a model file in one format into a folder of files."""

from __future__ import annotations

from pathlib import Path

from archkit.engine.loader import load_model
from archkit.engine.pipeline import render_text
from archkit.formats import RenderOptions

HOSTILE_MODEL = Path(__file__).resolve().parent / "c4_hostile_model.py"


def render_files(model: Path, fmt: str, out: Path, **options: object) -> dict[str, Path]:
    """Write every file of `fmt` for `model` under `out`; return them by path relative to the workspace folder."""
    workspaces = load_model(model).workspaces
    written = {}
    for file in render_text(workspaces, [fmt], RenderOptions(**options)):  # type: ignore[arg-type]
        relative = file.path.split("/", 1)[1]
        target = out / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)
        written[relative] = target
    return written
