"""`archkit lint`: run every checker over the models and report the findings.

Exit codes: 0 when no error-severity finding remains, 1 when one does, 2 on a usage, config or model error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archkit.cli.app import Context, fail, model_arguments, pass_context, reports_internal_errors
from archkit.cli.options import cache_option
from archkit.cli.reporting import emit_report, report_options, use_color
from archkit.errors import ArchkitError
from archkit.lint.checkers import CHECKERS, LintRun, known_rules
from archkit.lint.contracts import reads_every_schema
from archkit.lint.facts import lint_settings, run_checkers
from archkit.lint.selection import apply_settings, split_selectors

__all__ = ["lint", "use_color"]


def _with_checker_options(command: Any) -> Any:
    for checker in reversed(CHECKERS):
        for option in checker.cli_options:
            command.params.append(option)
    return command


@_with_checker_options
@click.command()
@model_arguments
@report_options
@click.option("--select", "select", multiple=True, metavar="RULES",
              help="Only these rule ids or prefixes (comma-separated or repeated), e.g. AK-D1,AK-C; replaces the config's select.")
@click.option("--ignore", "ignore", multiple=True, metavar="RULES",
              help="Skip these rule ids or prefixes (comma-separated or repeated); adds to the config's ignore.")
@cache_option
@pass_context
@reports_internal_errors
def lint(ctx: Context, models: tuple[Path, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
         output: Path | None, no_cache: bool, **checker_options: Any) -> None:
    """Lint MODELS for unsound messaging design and breaking event-contract changes.

    Contracts are compared with --baseline (a git ref, a lock file or an AsyncAPI document), by default
    with archkit.lock.json when it exists. Rules are documented in docs/lint-rules.md and
    docs/contracts.md; configure them under [tool.archkit.lint].
    Exits 0 when no error-severity finding remains, 1 when one does, 2 on a usage or model error.
    """
    rules = known_rules()
    try:
        settings = lint_settings(ctx.config, split_selectors(select), split_selectors(ignore))
    except ArchkitError as exc:
        fail(exc)
    with ctx.session(no_cache) as session:
        loaded = ctx.load(session, models, reads_schemas=reads_every_schema(settings, checker_options, ctx.config))
        run = LintRun(loaded, settings, ctx.config, checker_options, session)
        try:
            with session.collector_quiet():
                findings = run_checkers(run)
        except ArchkitError as exc:
            fail(exc)
    for note in dict.fromkeys(run.notes):
        ctx.note(note)
    root = ctx.config.root
    outcome = apply_settings(findings, settings, root)
    for entry in outcome.unused:
        ctx.note(f"note: {entry.where} ({entry}) matched no finding; remove it if the cause is gone")
    emit_report(ctx, outcome.findings, fmt, root, output, rules=[r for r in rules if settings.enabled(r.id)],
                ignored=len(outcome.ignored))
