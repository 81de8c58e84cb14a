"""The warm PlantUML a watch session keeps: started once, reused by every build, closed on exit.

A JVM takes about a second to start and more to warm up the C4 library; a save must cost a few hundred
milliseconds. So a session that renders pictures holds one PlantUML process (archkit.formats.images' pipe, or
the configured PlantUML server) for its whole life and hands it to the pipeline on every build.
"""

from __future__ import annotations

from typing import Any

from archkit.formats import registry
from archkit.formats.images import session_plantuml


def session_renderer(formats: list[str]) -> Any | None:
    """The PlantUML to keep for the session, or None when no picture format is chosen.

    May be `archkit.formats.images.Unavailable` (no Java): the pipeline then writes the text and says once why
    the pictures were skipped.
    """
    records = registry()
    if not any(records[f].from_text for f in formats):
        return None
    plantuml = session_plantuml()
    start = getattr(plantuml, "start", None)
    if callable(start):
        start()  # launch the JVM now, while the first build loads the model
    return plantuml
