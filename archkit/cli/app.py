"""The `archkit` command: one click group; each subcommand lives in `archkit/commands/<name>.py`."""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from archkit import __version__
from archkit.cli import COMMANDS
from archkit.config import Config, load_config
from archkit.engine.loader import LoadedModel
from archkit.engine.session import Session
from archkit.errors import ArchkitError, shown_path
from archkit.model.resolution import generate_schemas

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


_F = TypeVar("_F", bound=Callable[..., Any])


def fail(error: ArchkitError | str) -> NoReturn:
    """Report a user error on stderr and exit 2, as `error: ...` unless it already names its place."""
    text = str(error)
    first_line = text.split("\n", 1)[0]
    if not (first_line.startswith("error:") or ": error:" in first_line):
        text = f"error: {text}"
    click.echo(text, err=True)
    sys.exit(EXIT_ERROR)


class Context:
    """What every command shares: the configuration and how chatty to be."""

    def __init__(self, config: Config, quiet: bool, verbose: bool):
        self.config, self.quiet, self.verbose = config, quiet, verbose

    def model_paths(self, given: tuple[Path, ...]) -> list[Path]:
        if given:
            return list(given)
        if self.config.models:
            return self.config.models
        fail("error: no model given: pass MODEL paths, or set `models = [...]` under [tool.archkit] in pyproject.toml")

    def session(self, no_cache: bool = False) -> Session:
        """This command's caches (`with ctx.session(...) as session:`), saved when the block ends; none on
        disk with --no-cache or `cache = false` in the configuration."""
        return Session(cache=self.config.cache and not no_cache, report=self.detail if self.verbose else None)

    def load(self, session: Session, given: tuple[Path, ...], schemas: bool = False, reads_schemas: bool = False,
             jobs: int | None = None) -> list[LoadedModel]:
        """Load and validate the models in `session`, exiting 2 with the model's file and line on any error.

        `schemas`: also generate every event's payload schema (check, lock), so no type without one
        gets past. `reads_schemas`: the command reads every one (render of an AsyncAPI format), so the
        missing ones are made during the load, on `jobs` processes (Session.load)."""
        try:
            loaded = session.load(self.model_paths(given), make_schemas=schemas or reads_schemas, jobs=jobs)
            if schemas:  # the load made the missing ones on every core; this reports any that fails
                generate_schemas((e for m in loaded for ws in m.workspaces for e in ws.index.event_classes),
                                 session.payloads)
        except ArchkitError as exc:
            fail(exc)
        for model in loaded:
            for file in sorted(model.files):
                self.detail(f"loaded {shown_path(str(file))}")
        return loaded

    def say(self, message: str) -> None:
        """Progress and summaries on stdout; --quiet silences them."""
        if not self.quiet:
            click.echo(message)

    def note(self, message: str) -> None:
        """Advice on stderr (not an error, not a finding); --quiet silences it."""
        if not self.quiet:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        """What --verbose adds: each file read or written, on stderr so stdout stays parseable."""
        if self.verbose and not self.quiet:
            click.echo(message, err=True)


pass_context = click.make_pass_decorator(Context)


def reports_internal_errors(command: _F) -> _F:
    """A command callback that ends any unexpected exception with one line on stderr and exit 2
    (`lint`, `diff` and `lock`: a CI gate reads exit 1 as "breaking" and a traceback as noise)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit, BrokenPipeError):
            raise  # a reader that closed the pipe (`archkit diff ... | head`): click ends quietly, exit 1
        except ArchkitError as exc:
            fail(exc)
        except Exception as exc:
            from archkit.contracts.internal import BUG_REPORT  # only for a bug: `render` never imports it
            from archkit.contracts.schema_compat import describe

            name = click.get_current_context().command_path
            fail(f"internal error in `{name}`: {describe(exc)}; {BUG_REPORT}")

    return run  # type: ignore[return-value]


class LazyGroup(click.Group):
    """Subcommands imported when used (click's documented lazy-loading pattern): `archkit lint` need not
    import watch mode, the renderers and the picture machinery. Importing every command took ~0.25 s
    of each run, as much as linting a 100-container model."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            for each in (command, *getattr(command, "commands", {}).values()):  # a group's commands too
                each.params += [o for o in _verbosity_options() if o.name not in {p.name for p in each.params}]
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


def _verbosity_options() -> list[click.Option]:
    """`-q` and `-v` after the command as well as before it (`archkit render -q`): they set the same flags."""

    def setting(flag: str) -> Any:
        def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
            if value:
                setattr(ctx.find_object(Context), flag, True)
        return callback

    return [click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=setting("quiet"),
                         help="Print only errors and findings (also before the command)."),
            click.Option(["-v", "--verbose"], is_flag=True, expose_value=False, callback=setting("verbose"),
                         help="Print more detail (also before the command).")]


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archkit")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Configuration file (default: archkit.toml or [tool.archkit] in pyproject.toml, found upwards).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and findings.")
@click.option("-v", "--verbose", is_flag=True, help="Print more detail.")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, quiet: bool, verbose: bool) -> None:
    """archkit: architecture as code for event-driven systems.

    Python model files describe people, systems, containers, brokers, topics, queues, event contracts
    and flows; archkit renders C4 and sequence diagrams and AsyncAPI documents from them, and lints
    them for breaking contract changes and unsound messaging design.
    """
    try:
        config = load_config(config_path)
    except ArchkitError as exc:
        fail(exc)
    ctx.obj = Context(config, quiet, verbose)


def model_arguments(func: Any) -> Any:
    return click.argument("models", nargs=-1, type=click.Path(path_type=Path))(func)
