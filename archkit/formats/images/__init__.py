"""Pictures: SVG/PNG of every PlantUML source through one warm JVM, and `diagrams` container pictures.

For watch mode (a PlantUML kept warm for the session):

    from archkit.formats.images import PlantUMLPipe, session_plantuml
    plantuml = session_plantuml()          # PlantUMLPipe, ServerPlantUML, or Unavailable(reason)
    render_to(out, workspaces, formats, options, plantuml=plantuml)   # pictures in the same atomic write
    plantuml.close()                       # PlantUMLPipe: no java process left
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archkit.formats.images.backend import Unavailable, batch_plantuml, session_plantuml
    from archkit.formats.images.jobs import PictureError, PictureJob, PlantUML, PlantUMLUnavailable, RenderFailure
    from archkit.formats.images.pipe import PlantUMLPipe
    from archkit.formats.images.plantuml import BatchPlantUML
    from archkit.formats.images.server import ServerPlantUML

#: Each name's module, imported when the name is first used: `archkit render` of text formats imports
#: this package for its progress line only, and the JVM pipe, the HTTP client of the server backend and
#: the rest cost it ~20-40 ms of start-up for nothing.
_HOMES = {
    "Unavailable": "backend", "batch_plantuml": "backend", "session_plantuml": "backend",
    "PictureError": "jobs", "PictureJob": "jobs", "PlantUML": "jobs", "PlantUMLUnavailable": "jobs",
    "RenderFailure": "jobs", "PlantUMLPipe": "pipe", "BatchPlantUML": "plantuml", "ServerPlantUML": "server",
}

__all__ = [
    "BatchPlantUML", "PictureError", "PictureJob", "PlantUML", "PlantUMLPipe", "PlantUMLUnavailable",
    "RenderFailure", "ServerPlantUML", "Unavailable", "batch_plantuml", "session_plantuml",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
