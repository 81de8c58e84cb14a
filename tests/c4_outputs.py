"""Shared by the C4 renderer tests: render a model file in one format into a folder of files."""

from __future__ import annotations

from pathlib import Path

from archkit.engine.loader import load_model
from archkit.engine.pipeline import render_text
from archkit.formats import RenderOptions

HOSTILE_MODEL = Path(__file__).resolve().parent / "c4_hostile_model.py"
#: The example models besides the food-delivery contract: every view of each is drawn by the real tools.
EXAMPLE_MODELS = {"parcel": Path(__file__).resolve().parent.parent / "models" / "parcel_shipping.py",
                  "travel": Path(__file__).resolve().parent.parent / "models" / "travel_booking"}


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


def example_outputs(fmt: str, root: Path) -> dict[str, dict[str, Path]]:
    """`fmt`'s files of every example model, drawn with brokers and with channel nodes."""
    return {f"example-{name}-{mode}": render_files(model, fmt, root / f"{name}-{mode}", channel_nodes=mode == "channels")
            for name, model in EXAMPLE_MODELS.items() for mode in ("brokers", "channels")}
