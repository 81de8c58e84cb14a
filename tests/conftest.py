"""Shared fixtures: the spec model, a CLI runner, model files written for a test, real PlantUML."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from archkit.cli import main
from archkit.formats.images.tools import find_java, find_plantuml_jar

REPO = Path(__file__).resolve().parent.parent
MODELS_DIR = REPO / "models"
# The model API contract (a copy of the design's spec/food_delivery.py): it must load and render unchanged.
SPEC_MODEL = MODELS_DIR / "food_delivery.py"


@pytest.fixture(autouse=True, scope="session")
def _schema_cache_folder(tmp_path_factory: pytest.TempPathFactory):
    """The payload schema cache of the whole run in a temporary folder: tests never touch ~/.cache.

    Set in the environment, so `archkit` subprocesses (watch, the bad-input table) use it too.
    """
    previous = os.environ.get("ARCHKIT_CACHE_DIR")
    os.environ["ARCHKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("archkit-cache"))
    yield
    if previous is None:
        del os.environ["ARCHKIT_CACHE_DIR"]
    else:
        os.environ["ARCHKIT_CACHE_DIR"] = previous


@pytest.fixture
def spec_model() -> Path:
    assert SPEC_MODEL.is_file(), f"the model contract is missing: {SPEC_MODEL}"
    return SPEC_MODEL


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner):
    """Run `archkit ARGS...` in-process; returns click's Result (exit_code, stdout, stderr)."""

    def run(*args: str | Path):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


@pytest.fixture
def cli_process():
    """Run `archkit` as a real subprocess (for signals, watch mode and process-level behaviour)."""

    def run(*args: str | Path, cwd: Path | None = None, **kwargs):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        return subprocess.run([sys.executable, "-m", "archkit", *map(str, args)], cwd=cwd, env=env,
                              capture_output=True, text=True, **kwargs)

    return run


@pytest.fixture
def write_model(tmp_path: Path):
    """Write a model file from dedented source; returns its path. Lines marked `# <--` can be found with line_of."""

    def write(source: str, name: str = "model.py") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
        return path

    return write


def line_of(path: Path, marker: str = "# <--") -> int:
    """The 1-based line number of the first line containing `marker`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not found in {path}")


def plantuml_errors(files: list[Path], out_dir: Path, fmt: str = "svg") -> str:
    """Render `files` with the real PlantUML jar in one JVM (SANDBOX profile); return its error report, or ''."""
    jar, java = find_plantuml_jar(), find_java()
    assert jar and java, "PlantUML is not installed: run scripts/setup.sh"
    proc = subprocess.run(
        [java, "-Djava.awt.headless=true", "-DPLANTUML_SECURITY_PROFILE=SANDBOX", "-jar", str(jar), f"-t{fmt}",
         "-stdrpt:1", "--no-error-image", "-o", str(out_dir), *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    return "" if proc.returncode == 0 else (proc.stdout + proc.stderr)[-4000:]


@pytest.fixture
def assert_plantuml_renders(tmp_path: Path):
    """Fail the test unless real PlantUML renders every given .puml file without an error."""

    def check(files: list[Path]) -> None:
        assert files, "no .puml files to check"
        errors = plantuml_errors(files, tmp_path / "plantuml-check")
        assert not errors, f"PlantUML rejected the output:\n{errors}"

    return check


@pytest.fixture
def assert_mermaid_renders(tmp_path: Path):
    """Fail the test unless real mermaid parses and renders every given .mmd file."""
    from mermaid_check import mermaid_errors

    def check(files: list[Path]) -> None:
        assert files, "no .mmd files to check"
        errors = mermaid_errors(files, tmp_path / "mermaid-check")
        assert not errors, "mermaid rejected the output:\n" + "\n".join(errors)

    return check
