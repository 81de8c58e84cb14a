"""Finding the external programs archkit drives: the PlantUML jar and Java."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PLANTUML_VERSION = "1.2026.8"
#: SHA-256 of plantuml-<PLANTUML_VERSION>.jar, as `archkit setup plantuml` must find it.
PLANTUML_SHA256 = "5e1ecfa8ecd32c90b03bbf3b1eb6f020943f98ab0fcf4032be31a0002ee2c462"


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archkit"


def pinned_plantuml_jar() -> Path:
    """Where `archkit setup plantuml` keeps the pinned jar."""
    return cache_dir() / f"plantuml-{PLANTUML_VERSION}.jar"


def find_plantuml_jar() -> Path | None:
    """ARCHKIT_PLANTUML_JAR, else the jar `archkit setup plantuml` pinned in the cache, else a system PlantUML."""
    explicit = os.environ.get("ARCHKIT_PLANTUML_JAR")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    pinned = pinned_plantuml_jar()
    if pinned.is_file():
        return pinned
    others = sorted(cache_dir().glob("plantuml-*.jar"))
    if others:
        return others[-1]
    system = Path("/usr/share/plantuml/plantuml.jar")
    return system if system.is_file() else None


def find_java() -> str | None:
    return shutil.which("java")
