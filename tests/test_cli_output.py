"""How chatty archkit is: --quiet prints only errors and findings, --verbose names every file, and
machine-readable output stays on stdout, untouched by either."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO


def test_quiet_render_prints_nothing_and_verbose_names_each_file(cli, spec_model, tmp_path):
    quiet = cli("--quiet", "render", spec_model, "-o", tmp_path / "q", "-f", "mermaid")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""

    model = shutil.copy(spec_model, tmp_path / "food_delivery.py")  # outside the working folder: named in full
    verbose = cli("--verbose", "render", model, "-o", tmp_path / "v", "-f", "mermaid")
    assert verbose.exit_code == 0
    assert f"loaded {model}" in verbose.stderr
    assert f"wrote {tmp_path / 'v' / 'food-delivery' / 'flows' / 'payment-timeout.mmd'}" in verbose.stderr
    assert verbose.stdout.strip().endswith(f"written, 0 unchanged in {tmp_path / 'v'}")


@pytest.mark.parametrize("command", [["render", "-f", "mermaid", "-o", "out"], ["lint"], ["check"], ["lock"]],
                         ids=lambda c: c[0])
def test_quiet_and_verbose_work_after_the_command_too(cli, spec_model, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    before = [cli("-q", *command, spec_model), cli("-v", *command, spec_model)]
    after = [cli(*command, spec_model, "-q"), cli(*command, "--verbose", spec_model)]
    for first, last in zip(before, after):
        assert (last.exit_code, last.stdout, last.stderr) == (first.exit_code, first.stdout, first.stderr)
    assert after[0].stderr == "" and f"loaded {spec_model}" in after[1].stderr


def test_quiet_lint_keeps_findings_and_drops_notes(cli, spec_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no lock file here: lint would add a note about the missing baseline
    loud, quiet = cli("lint", spec_model), cli("--quiet", "lint", spec_model)
    assert "no contract baseline" in loud.stderr
    assert quiet.stderr == "" and quiet.stdout == loud.stdout and quiet.exit_code == loud.exit_code


def test_verbose_check_json_is_still_pure_json(cli, spec_model):
    result = cli("--verbose", "check", spec_model, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["counts"]["events"] == 6
    assert "loaded" in result.stderr


def test_shell_completion_script_and_completions(tmp_path):
    """What docs/tutorial.md tells users to put in ~/.bashrc, and what it completes."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "_ARCHKIT_COMPLETE": "bash_source"}
    script = subprocess.run([sys.executable, "-m", "archkit"], env=env, capture_output=True, text=True, check=False)
    assert script.returncode == 0 and "_archkit_completion" in script.stdout
    env |= {"_ARCHKIT_COMPLETE": "bash_complete", "COMP_WORDS": "archkit re", "COMP_CWORD": "1"}
    words = subprocess.run([sys.executable, "-m", "archkit"], env=env, capture_output=True, text=True, check=False)
    assert "plain,render" in words.stdout


def test_errors_say_error_once(cli, spec_model, tmp_path):
    """Every error line starts `error:` or `file:line: error:`, never `error: error:`."""
    broken = tmp_path / "old.yaml"
    broken.write_text("asyncapi: [3.0.0\n")
    lock = tmp_path / "old.lock.json"
    lock.write_text("{not json")
    for baseline in (broken, lock):
        result = cli("lint", spec_model, "--baseline", baseline)
        assert result.exit_code == 2
        first = result.stderr.splitlines()[0]
        assert first.count("error:") == 1, first
        assert first.startswith("error: ") or ": error: " in first, first


def test_a_reader_that_closes_the_pipe_is_not_an_internal_error():
    """`archkit diff old new | head -1`: the reader goes away; archkit must end quietly, not report a bug."""
    examples = REPO / "tests" / "data" / "asyncapi-spec-examples"
    with subprocess.Popen(
            [sys.executable, "-m", "archkit", "diff", examples / "streetlights-kafka-asyncapi.yml",
             examples / "streetlights-mqtt-asyncapi.yml"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)}) as process:
        process.stdout.close()  # before archkit has written its first line
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) in (0, 1), stderr
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
