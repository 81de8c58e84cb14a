"""`archkit diff OLD NEW`: the contract checks of `archkit lint`, between two AsyncAPI 3.x documents.

The documents may come from anyone (another team, a registry, an older `archkit render`). Findings
point at the NEW document, at the line of the channel or message where it still exists; something only
OLD had points at NEW's file without a line (there is nothing to annotate in NEW, and OLD is usually not
part of the change under review). The `[lint]` settings of the project apply: select, ignore with a
reason, severity, `compatibility`, `schema-rules`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from archkit.asyncapi.external_refs import refs_root
from archkit.asyncapi.reader import read_asyncapi
from archkit.cli.app import Context, fail, pass_context, reports_internal_errors
from archkit.cli.reporting import emit_report, report_options
from archkit.contracts.check import check_contracts
from archkit.contracts.findings import Finding
from archkit.contracts.snapshot import ContractSnapshot
from archkit.engine.forking import side_by_side
from archkit.errors import ArchkitError, SourceLocation
from archkit.lint.baseline import without_implied_dead_letters
from archkit.lint.checkers import CHECKERS, known_rules
from archkit.lint.contracts import ContractSettings, compat_option, contract_rules, rules_option
from archkit.lint.selection import apply_settings, parse_settings

_DOCUMENT = click.Path(path_type=Path, dir_okay=False, exists=True)


@click.command()
@click.argument("old", type=_DOCUMENT)
@click.argument("new", type=_DOCUMENT)
@click.option("--root", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Folder the documents' $refs to other files may not leave, for a document inside it (else the "
                   "configuration's folder, else the document's own folder).")
@report_options
@pass_context
@reports_internal_errors
def diff(ctx: Context, old: Path, new: Path, root: Path | None, fmt: str, output: Path | None, compat: str | None,
         schema_rules: str | None) -> None:
    """Report the changes from AsyncAPI document OLD to NEW that break a producer or consumer.

    Same engine, modes and rules as `archkit lint` (docs/contracts.md). Exits 0 when no error-severity
    finding remains, 1 when one does, 2 when a document cannot be read.
    """
    rules = contract_rules()
    try:
        settings = parse_settings(ctx.config.lint, ctx.config.source, known_rules=[r.id for r in known_rules()],
                                  extra_keys={k for c in CHECKERS for k in c.config_keys})
        contract = ContractSettings.resolve({"compat": compat, "schema_rules": schema_rules}, settings.extra,
                                            "configuration [lint]")
        read_old, after = side_by_side(lambda: read_asyncapi(old.resolve(), refs_root(old, root, ctx.config.root)),
                                       lambda: read_asyncapi(new.resolve(), refs_root(new, root, ctx.config.root)))
        before = without_implied_dead_letters(read_old)
    except ArchkitError as exc:
        fail(exc)
    findings = check_contracts(after, before, mode=contract.mode, rules=contract.rules, compat=contract.compat)
    outcome = apply_settings([_in_new(f, after, new.resolve()) for f in findings], settings, ctx.config.root)
    emit_report(ctx, outcome.findings, fmt, ctx.config.root, output,
                rules=[r for r in rules if settings.enabled(r.id)], ignored=len(outcome.ignored))


def _in_new(finding: Finding, after: ContractSnapshot, new: Path) -> Finding:
    """Point a finding about something only OLD has at NEW: its channel's line there, else no line."""
    if finding.location is not None and Path(finding.location.file) == new:
        return finding
    channels = [after.channels[a] for a in (finding.channel or "").split(", ") if a in after.channels]
    line = channels[0].location.line if channels and channels[0].location else 0
    return replace(finding, location=SourceLocation(str(new), line))

diff.params += [compat_option(), rules_option()]
