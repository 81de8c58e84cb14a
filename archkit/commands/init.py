"""`archkit init [DIR]`: a commented starter model and configuration that check, render and lint clean.

The starter is a real model file shipped in the package (`archkit/starter/architecture.py`), so it is
linted and tested like any other Python file rather than kept as a string that can rot.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import click

from archkit.cli import Context, fail, pass_context
from archkit.output import OutputError, write_atomic

MODEL_NAME = "architecture.py"
CONFIG_NAME = "archkit.toml"

CONFIG = f"""\
# archkit configuration: a bare `archkit render`, `archkit lint` or `archkit watch` in this folder uses it.
# Every setting can be overridden on the command line.

models = ["{MODEL_NAME}"]   # model files, packages or folders
output = "output"           # where `archkit render` writes; generated, so usually git-ignored
# formats = ["plantuml", "mermaid", "asyncapi", "svg", "index"]   # default: every format
# templates = "my-templates"   # Jinja2 templates overriding the built-in ones by name

[lint]
# ignore = ["AK-D105"]   # rules to skip; see docs/lint-rules.md
"""


def starter_files() -> dict[str, str]:
    """File name -> content of everything `init` writes."""
    model = files("archkit.starter").joinpath(MODEL_NAME).read_text(encoding="utf-8")
    return {MODEL_NAME: model, CONFIG_NAME: CONFIG}


@click.command()
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite architecture.py and archkit.toml if they exist.")
@pass_context
def init(ctx: Context, directory: Path, force: bool) -> None:
    """Write a commented starter model (architecture.py) and archkit.toml into DIRECTORY (default: here).

    The starter has a system, containers, a Kafka broker with topics, two events, a consumer that
    reacts, and a flow; `archkit check`, `archkit render` and `archkit lint` all pass on it.
    """
    wanted = starter_files()
    existing = [name for name in wanted if (directory / name).exists()]
    if existing and not force:
        fail(f"error: {', '.join(str(directory / n) for n in existing)} already exist(s); nothing was written\n"
             "  hint: pass --force to overwrite, or choose another folder: archkit init NEW_FOLDER")
    try:
        for name, content in wanted.items():
            write_atomic(directory / name, content.encode("utf-8"))
    except OutputError as exc:
        fail(exc)
    where = "" if directory == Path(".") else f"cd {directory} && "
    ctx.say(f"wrote {directory / MODEL_NAME} and {directory / CONFIG_NAME}")
    ctx.say(f"next: {where}archkit render   (pictures and specs in output/), then archkit lint")
