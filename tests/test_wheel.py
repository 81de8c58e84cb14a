"""The built wheel carries the templates: every renderer works from an installed archkit, not only here."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO

RENDER_FROM_WHEEL = """
import sys
from pathlib import Path
import archkit, archkit.templating
from archkit.loader import load_path
from archkit.pipeline import expand_formats, render_text
from archkit.renderers import RenderOptions
assert Path(archkit.__file__).is_relative_to(Path(sys.argv[1])), archkit.__file__
print(archkit.templating.builtin_templates_dir())
workspaces = [ws for m in load_path(Path(sys.argv[2])) for ws in m.workspaces]
files = render_text(workspaces, expand_formats(None), RenderOptions())
print(len(files))
"""


def test_templates_load_from_the_built_wheel(tmp_path: Path, spec_model: Path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = tmp_path.glob("archkit-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    for folder in ("c4-plantuml", "c4-mermaid", "structurizr", "sequence-plantuml", "sequence-mermaid", "index"):
        assert any(n.startswith(f"archkit/templates/{folder}/") for n in names), folder

    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", RENDER_FROM_WHEEL, str(site), str(spec_model)], capture_output=True,
                         text=True, cwd=tmp_path, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    templates_dir, count = run.stdout.split()
    assert Path(templates_dir) == site / "archkit" / "templates"
    assert int(count) > 20
