"""Pictures: SVG/PNG of every PlantUML source through one warm JVM, and `diagrams` container pictures.

For watch mode (a PlantUML kept warm for the session):

    from archkit.formats.images import PlantUMLPipe, session_plantuml
    plantuml = session_plantuml()          # PlantUMLPipe, ServerPlantUML, or Unavailable(reason)
    render_to(out, workspaces, formats, options, plantuml=plantuml)   # pictures in the same atomic write
    plantuml.close()                       # PlantUMLPipe: no java process left
"""

from archkit.formats.images.backend import Unavailable, batch_plantuml, session_plantuml
from archkit.formats.images.jobs import PictureError, PictureJob, PlantUML, PlantUMLUnavailable, RenderFailure
from archkit.formats.images.pipe import PlantUMLPipe
from archkit.formats.images.plantuml import BatchPlantUML
from archkit.formats.images.server import ServerPlantUML

__all__ = [
    "BatchPlantUML", "PictureError", "PictureJob", "PlantUML", "PlantUMLPipe", "PlantUMLUnavailable",
    "RenderFailure", "ServerPlantUML", "Unavailable", "batch_plantuml", "session_plantuml",
]
