"""`diagrams`: a container picture per system with technology icons (mingrammer `diagrams`, Graphviz).

Drawn from the computed views, not from the text; the drawing lives in `archkit.formats.images.diagrams`,
imported only when this format is chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

from archkit.formats import Batch, Format


def draw(batch: Batch, names: Sequence[str]) -> None:
    from archkit.formats.images.diagrams import workspace_diagrams

    drawn = workspace_diagrams(batch.workspaces, batch.options)
    batch.files += drawn.files
    batch.notes += drawn.notes


FORMAT = Format(
    name="diagrams", draws="a container picture with technology icons", files="diagrams/container-<system>.png",
    extension=".png", order=120, draw=draw, preview="picture",
)
