"""`archkit import asyncapi DOC... -o DIR`: adopt archkit from the AsyncAPI documents a team already has."""

from __future__ import annotations

from pathlib import Path

import click

from archkit.cli.app import Context, fail, pass_context
from archkit.errors import ArchkitError

_DOCUMENT = click.Path(path_type=Path, dir_okay=False, exists=True)


@click.group(name="import")
def import_() -> None:
    """Write a model package from existing descriptions of the estate."""


@import_.command()
@click.argument("documents", nargs=-1, required=True, type=_DOCUMENT)
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder of the model package to write (__init__.py, payloads.py).")
@click.option("--name", help="Name of the workspace (default: the document's title; several: the folder's name).")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Folder the documents' $refs to other files may not leave (as for `archkit diff`).")
@pass_context
def asyncapi(ctx: Context, documents: tuple[Path, ...], output: Path, name: str | None, root: Path | None) -> None:
    """Read AsyncAPI 3 DOCUMENTS and write a model package to OUTPUT.

    One container per document (its title), brokers from servers, channels with their Kafka and AMQP
    settings, publishes/consumes from send/receive operations, and the payloads as pydantic Event
    classes (datamodel-code-generator). Documents that share channels or messages are merged. What the
    model cannot say is listed at the top of __init__.py. Exits 2 when a document cannot be read.
    """
    from archkit.importer.package import import_asyncapi

    try:
        model = import_asyncapi(list(documents), output, name, root, ctx.config.root)
    except ArchkitError as exc:
        fail(exc)
    ctx.say(f"wrote the model package {output} ({len(model.payloads)} payload classes); "
            f"{len(dict.fromkeys(model.notes))} things the model does not express are listed in its __init__.py")
