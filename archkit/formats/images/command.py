"""The java command line every PlantUML process starts with, in one place so no caller forgets a flag."""

from __future__ import annotations

import hashlib
from pathlib import Path

#: SANDBOX: no file, URL or environment access from `!include` and friends; the `<C4/...>` stdlib still
#: works. headless: no AWT window system needed (CI, containers). UTF-8 so names render the same anywhere.
JVM_FLAGS = ("-Djava.awt.headless=true", "-DPLANTUML_SECURITY_PROFILE=SANDBOX", "-Dfile.encoding=UTF-8")


def java_command(java: str, jar: Path, *args: str) -> list[str]:
    """`java <safe flags> -jar plantuml.jar <args>`; PlantUML's own options follow the jar."""
    return [java, *JVM_FLAGS, "-jar", str(jar), "--ignore-startuml-filename", "--no-error-image", *args]


def jar_identity(jar: Path) -> str:
    """Name, size and start of the jar's digest: a new PlantUML release makes every picture stale."""
    stat = jar.stat()
    digest = hashlib.sha256(f"{jar.name}:{stat.st_size}".encode()).hexdigest()[:12]
    return f"jar:{jar.name}:{digest}"
