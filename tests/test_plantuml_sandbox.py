"""No label, in any PlantUML output, can make PlantUML read a local file or the environment.

Every file-reading or environment-reading construct of PlantUML's preprocessor and creole is put in
every label position of a model (each payload visits each position once, by rotation), every `.puml`
archkit writes is rendered by the real jar in one batch (SANDBOX profile, as archkit runs it), and the
pictures must show the payloads as text and contain nothing of the files or variables they name: a
secret file beside the output, /etc/passwd, $HOME and a secret environment variable.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from hostile import Labels, build_model, render_all, write

from archkit.formats.images.tools import find_plantuml_jar

SECRET_TEXT = "archkit-secret-file-6b1f"
SECRET_ENV = "archkit-secret-env-93c2"

PAYLOADS = [
    "!include /etc/passwd",
    "!include ../../../../etc/passwd",
    "!include ../../../../secret.txt",
    "!includeurl file:///etc/passwd",
    "!include_many /etc/passwd",
    "!include_once ../../../../secret.txt",
    "!includesub ../../../../secret.txt!PART",
    "!import ../../../../secret.txt",
    '%load_json("/etc/passwd")',
    '%load_json("../../../../secret.txt")',
    '%getenv("HOME")',
    '%getenv("ARCHKIT_SECRET")',
    '%get_variable_value("ARCHKIT_SECRET")',
    "<img:../../../../secret.txt> <img:/etc/passwd>",
    "[[file:///etc/passwd]] %filename() %dirpath()",
    "$HOME ${ARCHKIT_SECRET}",
]


def svg_text(svg: Path) -> str:
    """All drawn text of a picture, entities decoded, whitespace collapsed."""
    content = svg.read_text(encoding="utf-8")
    return " ".join(html.unescape(" ".join(re.findall(r">([^<]+)<", content))).split())


def test_no_label_reads_a_local_file_or_the_environment(tmp_path, monkeypatch, assert_plantuml_renders):
    home = tmp_path / "home-archkit-c0ffee"
    home.mkdir()
    jar = find_plantuml_jar()
    assert jar, "PlantUML is not installed: run scripts/setup.sh"
    monkeypatch.setenv("ARCHKIT_PLANTUML_JAR", str(jar))  # found through $HOME, which the test replaces
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ARCHKIT_SECRET", SECRET_ENV)
    (tmp_path / "secret.txt").write_text(f"{SECRET_TEXT}\n", encoding="utf-8")
    root = tmp_path / "renders"  # so ../../../../secret.txt from renders/<rotation>/<workspace>/<folder>/x.puml is real
    pumls: list[Path] = []
    for shift in range(len(PAYLOADS)):
        labels = Labels(tuple(PAYLOADS[shift:] + PAYLOADS[:shift]))
        files = write(render_all(build_model(labels)), root / f"rotation-{shift}")
        pumls += [p for p in files.values() if p.suffix == ".puml"]
    assert (pumls[0].parent / "../../../../secret.txt").resolve() == tmp_path / "secret.txt"

    assert_plantuml_renders(pumls)  # SANDBOX profile; fails on any PlantUML error

    svgs = sorted((tmp_path / "plantuml-check").glob("*.svg"))
    assert svgs, "PlantUML drew nothing"
    shown = "\n".join(svg_text(svg) for svg in svgs)
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0] if Path("/etc/passwd").is_file() else "root:x:0:0"
    for leaked in (SECRET_TEXT, SECRET_ENV, str(home), passwd, "root:x:0:0"):
        assert leaked not in shown, f"a picture shows {leaked!r}: a label read a file or the environment"
    for payload in ("!include ../../../../etc/passwd", '%load_json("/etc/passwd")', '%getenv("HOME")',
                    "<img:../../../../secret.txt>"):
        assert payload in shown, f"{payload!r} is not drawn as text"
