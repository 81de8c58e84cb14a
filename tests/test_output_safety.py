"""Output safety: no name escapes the output folder, a killed render leaves every file old or new, and a
read-only or full output folder gives a clear error, exit 2, with the previous output intact.

Root ignores file permissions, so as root the read-only and full folders are real tmpfs mounts (a
read-only one, and one of a few hundred kilobytes); other users get a chmod-ed folder, and the full-disk
test is skipped when mounting is not allowed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SPEC_MODEL
from hostile import drawn_without_pictures, hostile_text, named, render_all
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archkit import Workspace
from archkit.engine.loader import load_path
from archkit.formats import RenderOptions
from archkit.model.ids import slugify
from archkit.output import MANIFEST, OutputError, OutputFile, safe_relative, write_outputs

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
PROPERTY = settings(max_examples=300, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.one_of(hostile_text, st.text(), st.sampled_from(["..", ".", "/", "CON", "nul", "Com1", "COM¹", "LPT9.txt",
                                                          "../../etc/passwd", "C:\\Windows", " ", "", "-", "~"])))
def test_every_slug_is_a_plain_file_name(name):
    slug = slugify(name)
    assert SLUG.match(slug), slug
    assert len(slug) <= 80 and slug.split(".")[0] not in WINDOWS_RESERVED
    assert str(safe_relative(f"{slug}/{slug}.puml")) == f"{slug}/{slug}.puml"


@settings(max_examples=40, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_text, min_size=4, max_size=4))
def test_hostile_names_only_write_inside_the_output_folder(tmp_path_factory, names):
    """Ids are slugs of the names here (no explicit id=), so the names choose the file names."""
    ws = Workspace(named(names[0]))
    system = ws.system(named(names[1]) + " system")
    api = system.container(named(names[2]) + " api")
    api.component(named(names[3]) + " component")
    flow = ws.flow(named(names[3]) + " flow")
    user = ws.person(named(names[0]) + " user")
    user.uses(api, "Uses")
    flow.call(user, api, "Call")
    root = tmp_path_factory.mktemp("out")
    files = render_all(ws)
    write_outputs(root, files)
    for path in root.rglob("*"):
        assert path.resolve().is_relative_to(root.resolve())
    assert {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} == {f.path for f in files} | {MANIFEST}


@pytest.mark.parametrize("path", ["../escape.txt", "a/../../escape.txt", "/etc/escape.txt", "", ".", "a\\..\\b.txt",
                                  "a/./../../b", "food/../../../escape.txt"])
def test_write_outputs_refuses_paths_outside_the_folder(tmp_path, path):
    root = tmp_path / "out"
    with pytest.raises(OutputError, match="refusing to write"):
        write_outputs(root, [OutputFile.text("ok.txt", "fine"), OutputFile.text(path, "escape")])
    assert not root.exists(), "nothing is written when one path is unsafe"
    assert not (tmp_path / "escape.txt").exists()


# --- crash safety ------------------------------------------------------------------------------
def _archkit(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "archkit", *map(str, args)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _marked_templates(folder: Path) -> Path:
    """The built-in templates, each ending with a comment: every rendered file differs from the first render."""
    from archkit.formats.templating import builtin_templates_dir

    comments = {".puml.j2": "' second render\n", ".mmd.j2": "%% second render\n", ".dsl.j2": "# second render\n",
                ".yaml.j2": "# second render\n", ".html.j2": "<!-- second render -->\n", ".md.j2": "<!-- second render -->\n"}
    for template in builtin_templates_dir().rglob("*.j2"):
        suffix = "".join(template.suffixes[-2:])
        target = folder / template.relative_to(builtin_templates_dir())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.read_text(encoding="utf-8") + comments.get(suffix, ""), encoding="utf-8")
    return folder


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def estate_m(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("estate") / "estate"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "M", str(folder)], check=True,
                   capture_output=True)
    return folder


def _edited_estate(estate: Path, folder: Path) -> Path:
    """The same estate with every description changed (AsyncAPI files come from code, not templates)."""
    shutil.copytree(estate, folder)
    for module in folder.glob("*.py"):
        text = module.read_text(encoding="utf-8").replace("of domain", "in domain")
        module.write_text(text.replace("Shared event log", "The event log").replace("Shared message bus", "The bus"))
    return folder


def test_a_render_killed_while_writing_leaves_every_file_old_or_new(tmp_path, estate_m):
    """Render once, then SIGKILL a second render (new templates and descriptions) once its first file lands."""
    out, templates = tmp_path / "out", _marked_templates(tmp_path / "templates")
    edited = _edited_estate(estate_m, tmp_path / "estate")
    formats = ",".join(drawn_without_pictures())
    subprocess.run(_archkit("render", estate_m, "-o", out, "-f", formats), env=_env(), check=True, capture_output=True)
    old = _snapshot(out)
    (ws,) = [ws for m in load_path(edited) for ws in m.workspaces]
    new = {f.path: f.content for f in render_all(ws, RenderOptions(templates=templates), drawn_without_pictures())}
    assert set(new) | {MANIFEST} == set(old) and all(new[p] != old[p] for p in new), "every file must change"

    start = time.time()
    proc = subprocess.Popen(_archkit("render", edited, "-o", out, "-f", formats, "--templates", templates), env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    files = [out / p for p in new]
    while proc.poll() is None and not any(p.stat().st_mtime > start for p in files[::7]):
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    after = _snapshot(out)
    temps = [p for p in after if p.endswith(".tmp")]
    finished = {p: after[p] for p in new if p in after}
    torn = [p for p, content in finished.items() if content not in (old[p], new[p])]
    assert not torn, f"half-written files after SIGKILL: {torn[:5]}"
    assert set(finished) == set(new), "a file disappeared"
    replaced = sum(finished[p] == new[p] for p in new)
    assert 0 < replaced < len(new), f"the kill did not land mid-write ({replaced} of {len(new)} replaced); rerun"
    assert len(temps) <= 1, temps  # at most the file being written when the signal came

    again = subprocess.run(_archkit("render", edited, "-o", out, "-f", formats, "--templates", templates), env=_env(),
                           capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert {p: c for p, c in _snapshot(out).items() if p != MANIFEST} == new, "re-render repairs and cleans up"


# --- read-only and full output folders ------------------------------------------------------------
def _mount_tmpfs(folder: Path, options: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def mounts():
    mounted: list[Path] = []

    def mount(folder: Path, options: str) -> Path:
        _mount_tmpfs(folder, options)
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", str(folder)], check=False)


def _make_read_only(folder: Path, mounts) -> None:
    if os.geteuid() == 0:  # root writes through permissions: remount read-only instead
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o555)


def test_read_only_output_folder_is_a_clear_error_and_keeps_the_output(tmp_path, cli, mounts):
    out = tmp_path / "out"
    if os.geteuid() == 0:
        mounts(out, "size=4m")
    assert cli("render", SPEC_MODEL, "-o", out, "-f", "plantuml,mermaid").exit_code == 0
    before = _snapshot(out)
    edited = tmp_path / "model.py"
    edited.write_text(SPEC_MODEL.read_text(encoding="utf-8").replace("Orders food in the web app", "Orders food"))
    _make_read_only(out, mounts)
    result = cli("render", edited, "-o", out, "-f", "plantuml,mermaid")
    assert result.exit_code == 2
    assert re.search(r"cannot write .*food-delivery.*: (Read-only file system|Permission denied)", result.stderr)
    assert "Traceback" not in result.stderr
    assert _snapshot(out) == before


def test_a_file_where_the_output_folder_should_be_is_a_clear_error(tmp_path, cli):
    out = tmp_path / "out"
    out.write_text("not a folder")
    result = cli("render", SPEC_MODEL, "-o", out, "-f", "mermaid")
    assert result.exit_code == 2 and "is a file" in result.stderr
    out.unlink()
    (out / "food-delivery").mkdir(parents=True)
    (out / "food-delivery" / "c4").write_text("not a folder")
    result = cli("render", SPEC_MODEL, "-o", out, "-f", "mermaid")
    assert result.exit_code == 2
    assert re.search(r"cannot write .*food-delivery/c4/\S+: \S+/food-delivery/c4 is a file where archkit needs a folder", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "food-delivery" / "c4").read_text() == "not a folder"


def test_full_disk_is_a_clear_error_and_leaves_each_file_old_or_new(tmp_path, cli, mounts):
    if os.geteuid() != 0:
        pytest.skip("simulating a full disk needs a small tmpfs, which needs root")
    out = mounts(tmp_path / "out", "size=640k")
    assert cli("render", SPEC_MODEL, "-o", out, "-f", ",".join(drawn_without_pictures())).exit_code == 0
    before = _snapshot(out)
    bigger = tmp_path / "model.py"
    bigger.write_text(SPEC_MODEL.read_text(encoding="utf-8").replace(
        '"Orders food in the web app"', '"Orders food in the web app " + "y" * 150_000'), encoding="utf-8")
    result = cli("render", bigger, "-o", out, "-f", ",".join(drawn_without_pictures()))
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    after = _snapshot(out)
    assert set(after) == set(before), "no temporary file is left behind"
    (ws,) = [ws for m in load_path(bigger) for ws in m.workspaces]
    new = {f.path: f.content for f in render_all(ws, formats=drawn_without_pictures())}
    assert all(after[p] in (before[p], new.get(p)) for p in after), "a file was truncated"
    assert any(after[p] == before[p] != new.get(p) for p in after), "the disk was not full after all"
