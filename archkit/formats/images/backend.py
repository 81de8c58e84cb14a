"""Which PlantUML to use: a server URL, else Java with the pinned jar, else none (and why, and the fix)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from archkit.errors import ArchkitError
from archkit.formats.images.jobs import PlantUML
from archkit.formats.images.pipe import PlantUMLPipe
from archkit.formats.images.plantuml import BatchPlantUML
from archkit.formats.images.server import ServerPlantUML
from archkit.formats.images.tools import find_java, find_plantuml_jar

HOW_TO_GET_IMAGES = "install Java 17+ and Graphviz and run `archkit setup plantuml`, or set ARCHKIT_PLANTUML_SERVER=<url>"


@dataclass(frozen=True)
class Unavailable:
    """No PlantUML on this machine: the reason, said once to the user."""

    reason: str


def _located() -> tuple[str, Path] | Unavailable:
    explicit = os.environ.get("ARCHKIT_PLANTUML_JAR")
    if explicit and not Path(explicit).is_file():
        raise ArchkitError(f"error: ARCHKIT_PLANTUML_JAR={explicit} is not a file")
    java, jar = find_java(), find_plantuml_jar()
    if java is None:
        return Unavailable("no Java found")
    if jar is None:
        return Unavailable("no PlantUML jar found")
    return java, jar


def batch_plantuml() -> PlantUML | Unavailable:
    """For `archkit render`: the server if configured, else one JVM per batch."""
    server = os.environ.get("ARCHKIT_PLANTUML_SERVER")
    if server:
        return ServerPlantUML(server)
    located = _located()
    return located if isinstance(located, Unavailable) else BatchPlantUML(*located)


def session_plantuml() -> PlantUML | Unavailable:
    """For watch mode: the server if configured, else a PlantUMLPipe (not started yet; close it when done)."""
    server = os.environ.get("ARCHKIT_PLANTUML_SERVER")
    if server:
        return ServerPlantUML(server)
    located = _located()
    return located if isinstance(located, Unavailable) else PlantUMLPipe(*located)
