"""PlantUML pictures with the real jar: one JVM per batch, real errors, SANDBOX, warm pipe, reuse, no Java."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from archkit.formats import Format, register, unregister
from archkit.formats.images import BatchPlantUML, PictureError, PictureJob, PlantUMLPipe, ServerPlantUML
from archkit.formats.images.pictures import plantuml_pictures
from archkit.formats.images.tools import find_java, find_plantuml_jar
from archkit.output import OutputFile

JAVA, JAR = find_java(), find_plantuml_jar()
pytestmark = pytest.mark.skipif(not (JAVA and JAR), reason="PlantUML is not installed: run scripts/setup.sh")

C4 = """@startuml
!include <C4/C4_Container>
Person(user, "User{n}")
System_Boundary(shop, "Shop") {{
  Container(api, "API {n}", "Python")
  ContainerQueue(bus, "Kafka", "Kafka")
}}
Rel(user, api, "uses")
Rel(api, bus, "publishes")
@enduml
"""
BAD = "@startuml\nAlice -> Bob : hi\nthis line is not PlantUML !!\n@enduml\n"


def job(name: str, text: str, fmt: str = "svg") -> PictureJob:
    return PictureJob(name, text.encode(), fmt)  # type: ignore[arg-type]


def java_processes() -> set[int]:
    out = subprocess.run(["pgrep", "-f", "PLANTUML_SECURITY_PROFILE"], capture_output=True, text=True).stdout
    return {int(pid) for pid in out.split()}


def test_a_batch_renders_in_one_jvm_per_format():
    launches: list[list[str]] = []
    batch = BatchPlantUML(JAVA, JAR, on_launch=launches.append)
    jobs = [job(f"ws/c4/view-{n}.puml", C4.format(n=n), fmt) for n in range(6) for fmt in ("svg", "png")]
    pictures = batch.render_many(jobs)
    assert len(launches) == 2  # one JVM for the 6 SVGs, one for the 6 PNGs; never one per file
    assert all("-DPLANTUML_SECURITY_PROFILE=SANDBOX" in argv and "-Djava.awt.headless=true" in argv for argv in launches)
    assert all("--threads" in argv for argv in launches)
    for j in jobs:
        data = pictures[j]
        assert data.startswith(b"\x89PNG") if j.format == "png" else b"<svg" in data[:200]
    assert b"User3" in pictures[jobs[6]]


def test_errors_name_the_file_and_line():
    batch = BatchPlantUML(JAVA, JAR)
    with pytest.raises(PictureError) as caught:
        batch.render_many([job("ws/flows/ok.puml", C4.format(n=1)), job("ws/flows/broken.puml", BAD)])
    message = str(caught.value)
    assert "ws/flows/broken.puml:3: error:" in message
    assert "this line is not PlantUML" in message
    assert "ok.puml" not in message


def test_an_error_picture_with_exit_0_is_still_an_error(tmp_path: Path):
    """A PlantUML that draws an error picture and exits 0: the real jar, behind a java that always exits 0."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    wrapper = fake_bin / "java"
    wrapper.write_text(f'#!/bin/sh\nfor a; do shift; [ "$a" = --no-error-image ] || set -- "$@" "$a"; done\n'
                       f'"{JAVA}" "$@"\nexit 0\n')
    wrapper.chmod(0o755)
    batch = BatchPlantUML(str(wrapper), JAR)
    with pytest.raises(PictureError) as caught:
        batch.render_many([job("ws/flows/broken.puml", BAD)])
    assert "ws/flows/broken.puml:3" in str(caught.value)


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../etc/passwd"])
def test_sandbox_keeps_includes_out_of_files(target: str):
    source = f"@startuml\n!include {target}\nAlice -> Bob : hi\n@enduml\n"
    root_line = Path("/etc/passwd").read_text().splitlines()[0]
    with pytest.raises(PictureError) as caught:
        BatchPlantUML(JAVA, JAR).render_many([job("ws/x.puml", source)])
    assert "ws/x.puml:2" in str(caught.value) and root_line not in str(caught.value)
    with PlantUMLPipe(JAVA, JAR) as pipe, pytest.raises(PictureError) as piped:
        pipe.render(source, "svg", name="ws/x.puml")
    assert "ws/x.puml:2" in str(piped.value) and root_line not in str(piped.value)


def test_the_pipe_stays_warm_and_close_leaves_no_java():
    with PlantUMLPipe(JAVA, JAR) as pipe:
        pid = pipe.pid
        first = pipe.render(C4.format(n=1), "svg")
        started = time.perf_counter()
        second = pipe.render(C4.format(n=2), "png")
        warm = time.perf_counter() - started
        with pytest.raises(PictureError) as caught:
            pipe.render(BAD, name="ws/broken.puml")
        third = pipe.render(C4.format(n=3), "svg")
        assert pipe.pid == pid  # the same JVM throughout, an error included
    assert b"User1" in first and second.startswith(b"\x89PNG") and b"User3" in third
    assert "ws/broken.puml:3" in str(caught.value)
    assert warm < 5
    assert pid not in java_processes()  # other sessions may run java too: only ours must be gone


def test_a_plantuml_server_is_used_over_http(tmp_path: Path):
    port = 18000 + os.getpid() % 1000
    server = subprocess.Popen([JAVA, "-Djava.awt.headless=true", "-DPLANTUML_SECURITY_PROFILE=SANDBOX", "-jar",
                               str(JAR), f"--http-server:{port}:127.0.0.1"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        client = ServerPlantUML(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 20
        while True:
            try:
                svg = client.render_many([job("ws/a.puml", C4.format(n=7))])
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert b"User7" in next(iter(svg.values()))
        with pytest.raises(PictureError) as caught:
            client.render_many([job("ws/broken.puml", BAD)])
        assert "ws/broken.puml:3" in str(caught.value)
    finally:
        server.terminate()
        server.wait()


def test_unchanged_sources_reuse_their_pictures(tmp_path: Path):
    from archkit.output import write_outputs

    launches: list[list[str]] = []
    batch = BatchPlantUML(JAVA, JAR, on_launch=launches.append)
    text = [OutputFile.text("ws/c4/a.puml", C4.format(n=1)), OutputFile.text("ws/c4/b.puml", C4.format(n=2))]
    first = plantuml_pictures(text, ["svg"], tmp_path, batch)
    write_outputs(tmp_path, text + first.files)
    first.commit()
    picture = tmp_path / "ws/c4/a.svg"
    mtime = picture.stat().st_mtime_ns
    changed = [text[0], OutputFile.text("ws/c4/b.puml", C4.format(n=3))]
    second = plantuml_pictures(changed, ["svg"], tmp_path, batch)
    report = write_outputs(tmp_path, changed + second.files)
    assert (second.reused, second.rendered) == (1, 1)
    assert "ws/c4/a.svg" in report.unchanged and "ws/c4/b.svg" in report.written
    assert picture.stat().st_mtime_ns == mtime
    assert len(launches) == 2


@pytest.fixture
def puml_format():
    """A text format writing the workspace description into a .puml: a seam to feed PlantUML any text."""

    def render(ws, options):
        return [OutputFile.text("c4/probe.puml", f"@startuml\nAlice -> Bob : hi\n{ws.description}\n@enduml\n")]

    register(Format(name="probe-plantuml", draws="a probe", files="c4/probe.puml", extension=".puml", order=99,
                    render=render))
    yield "probe-plantuml"
    unregister("probe-plantuml")


def test_a_render_error_exits_2_and_keeps_the_previous_output(cli, write_model, tmp_path: Path, puml_format):
    good = write_model('from archkit import Workspace\nws = Workspace("Shop", description="note over Alice : fine")\n')
    out = tmp_path / "out"
    result = cli("render", good, "-o", out, "-f", f"{puml_format},svg")
    assert result.exit_code == 0, result.output
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert out / "shop/c4/probe.svg" in before
    bad = write_model('from archkit import Workspace\nws = Workspace("Shop", description="oops !! not uml")\n')
    result = cli("render", bad, "-o", out, "-f", f"{puml_format},svg")
    assert result.exit_code == 2
    assert "shop/c4/probe.puml:3: error:" in result.stderr and "oops" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_without_java_text_is_written_and_one_line_says_why(cli_process, write_model, tmp_path: Path):
    model = write_model('from archkit import Workspace\nws = Workspace("Shop")\n')
    no_java = tmp_path / "bin"
    no_java.mkdir()
    for tool in ("dot",):
        if shutil.which(tool):
            (no_java / tool).symlink_to(shutil.which(tool))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHKIT_PLANTUML")}
    env["PATH"] = f"{no_java}:{Path(sys.executable).parent}"
    with_probe = ("-c", "from archkit.formats import Format, register; from archkit.output import OutputFile;"
                  "register(Format(name='probe-plantuml', draws='a probe', files='c4/p.puml', extension='.puml', order=99,"
                  " render=lambda ws, o: [OutputFile.text('c4/p.puml', '@startuml\\nA -> B\\n@enduml\\n')]));"
                  "from archkit.cli.app import main; main()")
    proc = subprocess.run([sys.executable, *with_probe, "render", str(model), "-o", str(tmp_path / "out"),
                           "-f", "probe-plantuml,svg,png"], env={**env, "PYTHONPATH": str(REPO)},
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    skipped = [line for line in proc.stderr.splitlines() if "images skipped" in line]
    assert len(skipped) == 1 and "no Java" in skipped[0] and "ARCHKIT_PLANTUML_SERVER" in skipped[0]
    assert (tmp_path / "out/shop/c4/p.puml").is_file()
    assert not (tmp_path / "out/shop/c4/p.svg").exists()
