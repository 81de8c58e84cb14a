"""What `archkit lint` and `archkit diff` share: the report options, where paths are relative to, the exit code.

GitHub reads annotation and SARIF paths relative to the repository root, so those two formats use the
root git reports (the working directory outside a repository); the others stay relative to the project.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from archkit.cli.app import EXIT_FINDINGS, Context, fail
from archkit.contracts.findings import Finding
from archkit.errors import ArchkitError
from archkit.lint.catalogue import RuleDoc
from archkit.lint.git_baseline import find_repository_root
from archkit.lint.report import FORMATS, render_findings
from archkit.output import write_atomic

REPOSITORY_RELATIVE = ("github", "sarif")


def report_options(func: Any) -> Any:
    """--format and -o, the same help on every command that reports findings."""
    func = click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
                        help="Write the report to this file instead of standard output.")(func)
    return click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
                        help="Report format: text for people, json for scripts, sarif for code scanning, "
                             "github for workflow annotations, junit for CI test reports.")(func)


def use_color(output: Path | None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return output is None and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def report_root(fmt: str, project_root: Path) -> Path:
    """The folder report paths are relative to: the repository root for GitHub's formats, else the project's."""
    if fmt in REPOSITORY_RELATIVE:
        cwd = Path.cwd()
        return find_repository_root(cwd) or cwd
    return project_root


def emit_report(ctx: Context, findings: list[Finding], fmt: str, root: Path, output: Path | None, *,
                rules: Iterable[RuleDoc] | None = None, ignored: int = 0) -> None:
    """Print or write the report, then exit 1 when an error-severity finding remains."""
    report = render_findings(findings, fmt, report_root(fmt, root), rules=rules, ignored=ignored,
                             color=use_color(output))
    if output is None:
        click.echo(report, nl=False)
    else:
        try:
            write_atomic(output, report.encode("utf-8"))
        except ArchkitError as exc:
            fail(exc)
        errors = sum(1 for f in findings if f.severity == "error")
        ctx.say(f"{len(findings)} finding(s), {errors} error(s): {fmt} report written to {output}")
    if any(f.severity == "error" for f in findings):
        sys.exit(EXIT_FINDINGS)
