"""`archkit check`: load and validate models, print what they hold."""

from __future__ import annotations

import json
from pathlib import Path

import click

from archkit.cli.app import Context, model_arguments, pass_context
from archkit.errors import shown_path
from archkit.model.workspace import Workspace


def summarize(ws: Workspace) -> dict[str, int]:
    """Counts of everything the workspace holds, the way a reviewer would tally a C4 model."""
    index = ws.index
    return {
        "people": len(ws.people),
        "systems": len(ws.systems),
        "containers": len([c for c in index.containers if not c.is_broker]),
        "brokers": len(index.brokers),
        "components": len(index.components),
        "channels": len(ws.channels),
        "events": len(index.events),
        "flows": len(ws.flows),
    }


SINGULAR = {
    "people": "person", "systems": "system", "containers": "container", "brokers": "broker",
    "components": "component", "channels": "channel", "events": "event", "flows": "flow",
}


@click.command()
@model_arguments
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json prints one object per workspace for scripts.")
@pass_context
def check(ctx: Context, models: tuple[Path, ...], fmt: str) -> None:
    """Load MODELS (files, packages or folders), validate them and print a summary.

    Exits 0 when every model is sound and 2 when one cannot be loaded or is invalid; errors name the
    model file and line.
    """
    with ctx.session() as session:  # saves the schemas for render, lock and lint
        loaded = ctx.load(session, models, schemas=True)  # what they will need: refused here, not there
    rows = [(m, ws, summarize(ws)) for m in loaded for ws in m.workspaces]
    if fmt == "json":
        click.echo(json.dumps(
            [{"workspace": ws.name, "path": str(m.path), "counts": counts} for m, ws, counts in rows], indent=2
        ))
        return
    for model, ws, counts in rows:
        tally = ", ".join(f"{n} {what if n != 1 else SINGULAR[what]}" for what, n in counts.items())
        ctx.say(f"ok  {ws.name} ({shown_path(str(model.path))}): {tally}")
