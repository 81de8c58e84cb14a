"""`svg` and `png`: a PlantUML picture beside every `.puml` the text formats wrote, in one PlantUML batch.

The heavy part (JVM, batch, warm pipe, reuse of unchanged pictures) is in `archkit.formats.images`,
imported only when pictures are drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

from archkit.formats import Batch, Format


def draw(batch: Batch, names: Sequence[str]) -> None:
    """Both picture formats of a render at once: one JVM draws every SVG and PNG."""
    from archkit.formats.images.pictures import plantuml_pictures

    outcome = plantuml_pictures(batch.files, names, batch.out_dir, batch.plantuml, batch.progress)
    batch.files += outcome.files
    batch.notes += outcome.notes
    batch.on_written.append(outcome.commit)


SVG = Format(
    name="svg", draws="a PlantUML picture of every .puml", files="beside every .puml", extension=".svg",
    order=100, draw=draw, preview="picture", implies=("plantuml",), from_text=True,
)
PNG = Format(
    name="png", draws="a PlantUML picture of every .puml", files="beside every .puml", extension=".png",
    order=110, draw=draw, preview="picture", implies=("plantuml",), from_text=True,
)
