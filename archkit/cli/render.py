"""`archkit render`: every view of every model in every chosen format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from archkit.cli.app import Context, fail, model_arguments, pass_context
from archkit.cli.options import FormatsOption, cache_option, spec_option
from archkit.config import ASYNCAPI_VERSIONS
from archkit.engine.forking import default_jobs
from archkit.engine.pipeline import render_to
from archkit.errors import ArchkitError
from archkit.formats import RenderOptions, expand_formats, reads_payloads, writes_catalogue
from archkit.formats.images.progress import TerminalProgress
from archkit.views.sequence import unknown_trace_events

if TYPE_CHECKING:
    from archkit.contracts.history import ContractFacts
    from archkit.engine.loader import LoadedModel
    from archkit.engine.session import Session


@click.command()
@model_arguments
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), help="Output folder (default: output/).")
@click.option("-f", "--format", "formats", multiple=True, cls=FormatsOption, default_text="all, pictures included")
@click.option("--view", "views", multiple=True, help="Only views whose name contains this text (repeatable).")
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Folder of Jinja2 templates overriding the built-in ones by name.")
@click.option("--channel-nodes", is_flag=True, help="Draw each topic, exchange and queue as its own node.")
@click.option("--trace", "traces", multiple=True, help="Also draw the choreography trace of this EVENT (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for the text formats of a large model (default: every core; 1: one process).")
@click.option("--asyncapi-version", type=click.Choice(ASYNCAPI_VERSIONS), default=None,
              help="AsyncAPI version of the documents (default: the configuration's asyncapi-version, else 3.0.0).")
@cache_option
@pass_context
def render(ctx: Context, models: tuple[Path, ...], output: Path | None, formats: tuple[str, ...], views: tuple[str, ...],
           templates: Path | None, channel_nodes: bool, traces: tuple[str, ...], jobs: int | None,
           asyncapi_version: str | None, no_cache: bool) -> None:
    """Render MODELS into C4, sequence, AsyncAPI and picture files under the output folder.

    Unchanged files are left untouched; a model or diagram error writes nothing and exits 2.
    """
    config = ctx.config
    names = [n.strip() for f in formats for n in f.split(",") if n.strip()] or config.formats
    try:
        chosen = expand_formats(names)
    except ArchkitError as exc:
        fail(exc)
    options = RenderOptions(
        templates=templates or config.templates, channel_nodes=channel_nodes, views=views, traces=traces,
        extra=spec_option(asyncapi_version or config.asyncapi_version),
    )
    out_dir = output or config.output
    progress = TerminalProgress()
    jobs = jobs or default_jobs()
    with ctx.session(no_cache) as session:
        loaded = ctx.load(session, models, reads_schemas=reads_payloads(chosen), jobs=jobs)
        workspaces = [ws for m in loaded for ws in m.workspaces]
        unknown = unknown_trace_events(traces, [ws.index for ws in workspaces])
        if unknown:
            fail(unknown)
        if writes_catalogue(chosen):  # the site's event pages show lint's findings
            options = replace(options, contracts=site_contracts(ctx, session, loaded))
        try:
            result = render_to(out_dir, workspaces, chosen, session.render_options(options),
                               progress=None if ctx.quiet else progress, jobs=jobs)
        except ArchkitError as exc:
            progress.finish()
            fail(exc)
        progress.finish()
    for note in result.notes:
        click.echo(note, err=True)
    for verb, paths in (("wrote", result.report.written), ("removed", result.report.removed)):
        for path in paths:
            ctx.detail(f"{verb} {out_dir / path}")
    ctx.say(result.report.summary(out_dir))


def site_contracts(ctx: Context, session: Session, loaded: list[LoadedModel]) -> ContractFacts:
    """Lint's findings and the lock's judged histories for the site's event pages (`lint/facts.py`); when
    lint cannot run, the render goes on and says why once."""
    from archkit.lint.facts import contract_facts  # only when the site is rendered

    with session.collector_quiet():
        facts = contract_facts(loaded, ctx.config, session)
    if facts.error:
        ctx.note(f"note: the site's event pages show no lint findings: {facts.error.removeprefix('error: ')}")
    return facts
