"""Lint as other commands use it: the project's settings, every checker's findings, and what the site's
event pages show (`contracts.history.ContractFacts`: the findings and each message's judged lock history).

`archkit lint` and `archkit render -f site` (and `watch` with the site) run the checkers through here, so
the site shows exactly what `archkit lint` with no options would report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archkit.config import Config
from archkit.contracts.findings import Finding
from archkit.contracts.from_model import modes_from_workspace
from archkit.contracts.history import ContractFacts, schema_steps
from archkit.contracts.lockfile import read_lock
from archkit.engine.loader import LoadedModel
from archkit.errors import ArchkitError
from archkit.lint.baseline import default_baseline
from archkit.lint.checkers import CHECKERS, LintRun, known_rules
from archkit.lint.contracts import ContractSettings
from archkit.lint.selection import LintSettings, apply_settings, check_selectors, parse_settings

if TYPE_CHECKING:
    from archkit.engine.session import Session


def lint_settings(config: Config, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> LintSettings:
    """The configuration's `[lint]` table, then the command line's `--select` and `--ignore` (ConfigError)."""
    rule_ids = [r.id for r in known_rules()]
    settings = parse_settings(config.lint, config.source, known_rules=rule_ids,
                              extra_keys={k for c in CHECKERS for k in c.config_keys})
    select, ignore = list(select), list(ignore)
    check_selectors(select, rule_ids, "--select")
    check_selectors(ignore, rule_ids, "--ignore")
    return settings.with_cli(select, ignore)


def run_checkers(run: LintRun) -> list[Finding]:
    """Every checker's findings, before the settings' severity overrides and reasoned ignores."""
    return [f for checker in CHECKERS for f in checker.run(run)]


def contract_facts(models: list[LoadedModel], config: Config, session: Session | None = None,
                   options: Mapping[str, Any] | None = None) -> ContractFacts:
    """What `archkit lint` reports for these models (reasoned ignores applied) and every locked message's
    history, each step judged with the same modes and schema rules. What stops `archkit lint` (a bad
    `[lint]` table, a baseline it cannot read) does not stop the render: the facts carry its message."""
    try:
        return _contract_facts(models, config, session, options or {})
    except ArchkitError as exc:
        return ContractFacts(error=str(exc))


def _contract_facts(models: list[LoadedModel], config: Config, session: Session | None,
                    options: Mapping[str, Any]) -> ContractFacts:
    settings = lint_settings(config)
    run = LintRun(models, settings, config, options, session)
    findings = apply_settings(run_checkers(run), settings, config.root).findings
    contract = ContractSettings.resolve(run.options, settings.extra, "configuration [lint]")
    source = default_baseline(config.root)
    if source is None:
        return ContractFacts(tuple(findings), mode=contract.mode)
    lock = read_lock(Path(source.target))
    history = {}
    for ws in (ws for model in models for ws in model.workspaces):
        snapshot = lock.snapshots.get(ws.name)
        modes = modes_from_workspace(ws)
        history[ws.name] = {key: schema_steps(lock, ws.name, key, mode=contract.mode, rules=contract.rules,
                                              modes_by=modes, compat=contract.compat)
                            for key in (snapshot.messages if snapshot else ())}
    return ContractFacts(tuple(findings), history, locked=True, mode=contract.mode)
