"""Options shared by several commands (`render`, `watch`, `lint`, `lock`): one definition, the same help everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from archkit.config import Config
from archkit.formats import RenderOptions, formats_help


class FormatsOption(click.Option):
    """`-f`: its help is made from the format records when shown, so a command that only imports this
    module (lint, for --no-cache) never imports the formats."""

    def __init__(self, *args: Any, default_text: str = "all", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_text = default_text

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = formats_help(self.default_text)
        return super().get_help_record(ctx)


_RENDER_OPTIONS = (
    click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
                 help="Output folder (default: output/)."),
    click.option("-f", "--format", "formats", multiple=True, cls=FormatsOption),
    click.option("--view", "views", multiple=True, help="Only views whose name contains this text (repeatable)."),
    click.option("--templates", type=click.Path(path_type=Path, file_okay=False, exists=True),
                 help="Folder of Jinja2 templates overriding the built-in ones by name."),
    click.option("--channel-nodes", is_flag=True, help="Draw each topic, exchange and queue as its own node."),
    click.option("--trace", "traces", multiple=True,
                 help="Also draw the choreography trace of this EVENT (repeatable)."),
)


def cache_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --no-cache: generate every payload schema anew and leave the schema cache alone."""
    return click.option("--no-cache", is_flag=True,
                        help="Neither read nor write the payload schema cache (docs/performance.md); "
                             "also `cache = false` in the configuration.")(func)


def render_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add -o, -f, --view, --templates, --channel-nodes and --trace to a command."""
    for option in reversed(_RENDER_OPTIONS):
        func = option(func)
    return func


def format_names(formats: tuple[str, ...], config: Config) -> list[str] | None:
    """`-f a,b -f c` as a list; the configuration's formats when none is given (None: all)."""
    return [n.strip() for f in formats for n in f.split(",") if n.strip()] or config.formats


def render_settings(config: Config, templates: Path | None, channel_nodes: bool, views: tuple[str, ...],
                    traces: tuple[str, ...]) -> RenderOptions:
    """RenderOptions from the command line, falling back to the configuration."""
    return RenderOptions(templates=templates or config.templates, channel_nodes=channel_nodes, views=views,
                         traces=traces, extra=spec_option(config.asyncapi_version))


def spec_option(version: str | None) -> dict[str, str]:
    """`RenderOptions.extra` for the AsyncAPI version documents are written in (none: the default)."""
    from archkit.formats.asyncapi import SPEC_OPTION

    return {SPEC_OPTION: version} if version else {}
