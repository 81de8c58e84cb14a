"""`archkit lock`: write the contract baseline `archkit.lock.json`, or check that it is up to date."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archkit.cli.app import EXIT_FINDINGS, Context, fail, model_arguments, pass_context, reports_internal_errors
from archkit.cli.options import cache_option
from archkit.contracts.from_model import snapshot_from_workspace
from archkit.contracts.lockfile import LockError, build_lock, default_lock_path, describe_changes, dumps_lock, read_lock
from archkit.errors import ArchkitError
from archkit.output import write_atomic


@click.command()
@model_arguments
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Lock file to write (default: archkit.lock.json next to the configuration file).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the lock file is missing or out of date (CI).")
@cache_option
@pass_context
@reports_internal_errors
def lock(ctx: Context, models: tuple[Path, ...], output: Path | None, check: bool, no_cache: bool) -> None:
    """Record every event's schema and every channel's settings of MODELS in the contract lock file.

    Commit the file: `archkit lint` compares the model with it. When an event's schema changes, the old
    schema is kept in the event's history for the _TRANSITIVE compatibility modes.
    """
    path = output or default_lock_path(ctx.config.root)
    with ctx.session(no_cache) as session:
        loaded = ctx.load(session, models, schemas=True)
        snapshots = [snapshot_from_workspace(ws) for model in loaded for ws in model.workspaces]
    try:
        previous = read_lock(path) if path.exists() else None
        fresh = build_lock(snapshots, previous)
    except LockError as exc:
        fail(exc)
    text = dumps_lock(fresh)
    if check:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            ctx.say(f"{path} is up to date")
            return
        click.echo(f"{path} is out of date; run `archkit lock` and commit it:")
        for line in describe_changes(previous, fresh) or ["formatting differs"]:
            click.echo(f"  {line}")
        sys.exit(EXIT_FINDINGS)
    try:
        written = write_atomic(path, text.encode("utf-8"))
    except ArchkitError as exc:
        fail(exc)
    counts = sum(len(s.messages) for s in snapshots), sum(len(s.channels) for s in snapshots)
    ctx.say(f"{'wrote' if written else 'unchanged'} {path}: {counts[0]} messages, {counts[1]} channels")
