"""Finding the external programs archkit drives: the PlantUML jar and Java."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PLANTUML_VERSION = "1.2026.8"


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archkit"


def find_plantuml_jar() -> Path | None:
    """ARCHKIT_PLANTUML_JAR, else the jar scripts/setup.sh pinned in the cache, else a system PlantUML."""
    explicit = os.environ.get("ARCHKIT_PLANTUML_JAR")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    pinned = cache_dir() / f"plantuml-{PLANTUML_VERSION}.jar"
    if pinned.is_file():
        return pinned
    others = sorted(cache_dir().glob("plantuml-*.jar"))
    if others:
        return others[-1]
    system = Path("/usr/share/plantuml/plantuml.jar")
    return system if system.is_file() else None


def find_java() -> str | None:
    return shutil.which("java")
