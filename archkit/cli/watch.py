"""`archkit watch`: re-render on every save, optionally with a live preview in the browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from archkit.cli.app import Context, fail, model_arguments, pass_context
from archkit.cli.options import cache_option, format_names, render_options, render_settings
from archkit.config import Config, load_config
from archkit.errors import ArchkitError
from archkit.formats import expand_formats, registry, writes_catalogue
from archkit.watch import Builder, BuildSettings, WatchSession
from archkit.watch.events import EventHub
from archkit.watch.pictures import session_renderer
from archkit.watch.report import Reporter
from archkit.watch.server import PreviewServer


def watch_formats(names: list[str] | None) -> list[str]:
    """The formats a watch session draws: with none chosen, every format but the PNG pictures (`png`,
    `diagrams`), because the preview shows SVG and each PNG format drawn on every save added most of a
    second to it (docs/watch.md); `-f png` or `-f all` still draws them."""
    chosen = expand_formats(names)
    records = registry()
    return chosen if names else [name for name in chosen if records[name].extension != ".png"]


def site_contracts(config: Config) -> Callable[[list[Any]], Any]:
    """What the site's event pages show after each build: lint's findings, the lock's judged histories."""
    from archkit.lint.facts import contract_facts  # only when the site is rendered

    return lambda loaded: contract_facts(loaded, config)


@click.command()
@model_arguments
@render_options
@click.option("--serve", is_flag=True, help="Serve a live preview of the output on 127.0.0.1.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port for --serve; 0 picks a free one (the URL is printed).")
@cache_option
@pass_context
def watch(ctx: Context, models: tuple[Path, ...], output: Path | None, formats: tuple[str, ...],
          views: tuple[str, ...], templates: Path | None, channel_nodes: bool, traces: tuple[str, ...],
          serve: bool, port: int, no_cache: bool) -> None:
    """Render MODELS, then re-render on every save of a model file, a module it imports, the
    configuration or a template, until Ctrl-C.

    Only changed files are rewritten. A model error is printed with its file and line and the last good
    output stays; the next good save renders again. With --serve, a page on 127.0.0.1 shows every
    diagram and updates itself after each render.
    """
    def configure(config: Config) -> BuildSettings:
        """Settings from the command line, falling back to `config`; raises ArchkitError."""
        paths = list(models) or config.models
        if not paths:
            raise ArchkitError("error: no model given: pass MODEL paths, or set `models = [...]` under"
                               " [tool.archkit] in pyproject.toml")
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise ArchkitError(f"error: no such model file or folder: {', '.join(missing)}")
        chosen = watch_formats(format_names(formats, config))
        return BuildSettings(
            models=paths,
            out_dir=output or config.output,
            formats=chosen,
            options=render_settings(config, templates, channel_nodes, views, traces),
            config_file=config.source,
            cache=config.cache and not no_cache,
            contracts=site_contracts(config) if writes_catalogue(chosen) else None,
        )

    source = ctx.config.source
    try:
        settings = configure(ctx.config)
        hub = EventHub() if serve else None
        title = ", ".join(p.name for p in settings.models)
        server = PreviewServer(settings.out_dir, hub, title, port) if hub is not None else None
    except ArchkitError as exc:
        fail(exc)
    reconfigure = (lambda: configure(load_config(source))) if source is not None else None
    try:
        plantuml = session_renderer(settings.formats)
    except ArchkitError as exc:  # e.g. ARCHKIT_PLANTUML_JAR names no file
        fail(exc)
    builder = Builder(settings, plantuml=plantuml, reconfigure=reconfigure)
    WatchSession(builder, Reporter(ctx.quiet), hub, server).run()
