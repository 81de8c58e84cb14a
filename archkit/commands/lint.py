"""`archkit lint`: run every checker over the models and report the findings.

Exit codes: 0 when no error-severity finding remains, 1 when one does, 2 on a usage, config or model error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from archkit.cli import EXIT_FINDINGS, Context, fail, model_arguments, pass_context
from archkit.errors import ArchkitError
from archkit.lint.checkers import CHECKERS, LintRun, known_rules
from archkit.lint.report import FORMATS, render_findings
from archkit.lint.selection import apply_settings, check_selectors, parse_settings, split_selectors
from archkit.output import write_atomic


def use_color(output: Path | None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return output is None and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _with_checker_options(command: Any) -> Any:
    for checker in reversed(CHECKERS):
        for option in checker.cli_options:
            command.params.append(option)
    return command


@_with_checker_options
@click.command()
@model_arguments
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="Report format: text for people, json for scripts, sarif for code scanning, "
                   "github for workflow annotations, junit for CI test reports.")
@click.option("--select", "select", multiple=True, metavar="RULES",
              help="Only these rule ids or prefixes (comma-separated or repeated), e.g. AK-D1,AK-C; replaces the config's select.")
@click.option("--ignore", "ignore", multiple=True, metavar="RULES",
              help="Skip these rule ids or prefixes (comma-separated or repeated); adds to the config's ignore.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file instead of standard output.")
@pass_context
def lint(ctx: Context, models: tuple[Path, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
         output: Path | None, **checker_options: Any) -> None:
    """Lint MODELS for unsound messaging design (and, with contract checks, breaking changes).

    Rules are documented in docs/lint-rules.md; configure them under [tool.archkit.lint].
    Exits 0 when no error-severity finding remains, 1 when one does, 2 on a usage or model error.
    """
    rules = known_rules()
    rule_ids = [r.id for r in rules]
    try:
        settings = parse_settings(
            ctx.config.lint, ctx.config.source, known_rules=rule_ids,
            extra_keys={k for c in CHECKERS for k in c.config_keys},
        )
        selected, ignored_ids = split_selectors(select), split_selectors(ignore)
        check_selectors(selected, rule_ids, "--select")
        check_selectors(ignored_ids, rule_ids, "--ignore")
        settings = settings.with_cli(selected, ignored_ids)
    except ArchkitError as exc:
        fail(f"error: {exc}")
    loaded = ctx.load(models)
    run = LintRun(loaded, settings, ctx.config, checker_options)
    try:
        findings = [f for checker in CHECKERS for f in checker.run(run)]
    except ArchkitError as exc:
        fail(f"error: {exc}")
    root = ctx.config.root
    outcome = apply_settings(findings, settings, root)
    checked = [r for r in rules if settings.enabled(r.id)]
    report = render_findings(outcome.findings, fmt, root, rules=checked, ignored=len(outcome.ignored),
                             color=use_color(output))
    for entry in outcome.unused:
        click.echo(f"note: {entry.where} ({entry}) matched no finding; remove it if the cause is gone", err=True)
    if output is None:
        click.echo(report, nl=False)
    else:
        try:
            write_atomic(output, report.encode("utf-8"))
        except ArchkitError as exc:
            fail(f"error: {exc}")
        errors = sum(1 for f in outcome.findings if f.severity == "error")
        ctx.say(f"{len(outcome.findings)} finding(s), {errors} error(s): {fmt} report written to {output}")
    if any(f.severity == "error" for f in outcome.findings):
        sys.exit(EXIT_FINDINGS)
