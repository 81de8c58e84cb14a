"""The checkers `archkit lint` runs: each turns loaded models into findings.

A checker declares the rules it can report (for selection, SARIF and JUnit), the `[lint]` config keys
and command-line options it owns, and a `run` callable. Adding a checker is one entry in CHECKERS; its
options appear on `archkit lint` and its values arrive in `LintRun.options`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from archkit.config import Config, ConfigError
from archkit.contracts.findings import Finding
from archkit.engine.loader import LoadedModel
from archkit.lint.catalogue import RuleDoc
from archkit.lint.selection import LintSettings

if TYPE_CHECKING:
    from archkit.engine.session import Session


@dataclass(frozen=True)
class LintRun:
    """Everything a checker may read: the models, the settings, the config and its own option values."""

    models: list[LoadedModel]
    settings: LintSettings
    config: Config
    options: Mapping[str, Any] = field(default_factory=dict)  # values of every checker's click options, by name
    #: The command's Session: models loaded for a git baseline share its caches. None: no cache.
    session: Session | None = None
    notes: list[str] = field(default_factory=list)  # said once on stderr, e.g. that no baseline was found


@dataclass(frozen=True)
class Checker:
    name: str
    rules: Callable[[], list[RuleDoc]]
    run: Callable[[LintRun], list[Finding]]
    config_keys: frozenset[str] = frozenset()  # keys under [lint] this checker reads from settings.extra
    cli_options: tuple[click.Option, ...] = ()


# --- design rules ----------------------------------------------------------------------------------
def _design_rules() -> list[RuleDoc]:
    from archkit.lint.rules import RULES

    return [RULES[k].doc for k in sorted(RULES)]


def design_options(settings: LintSettings) -> dict[str, dict[str, Any]]:
    """Per-rule options for design rules, checked against each rule's defaults (names and types)."""
    from archkit.lint.rules import RULES

    resolved: dict[str, dict[str, Any]] = {}
    for rule_id, values in settings.options.items():
        rule = RULES.get(rule_id)
        if rule is None:
            if rule_id.startswith("AK-D"):
                raise ConfigError(f"[lint.rules]: unknown design rule {rule_id}")
            continue  # another checker's rule
        for name, value in values.items():
            if name not in rule.defaults:
                known = ", ".join(rule.defaults) or "none"
                raise ConfigError(f"[lint.rules.{rule_id}]: unknown option {name!r} (options: {known})")
            default = rule.defaults[name]
            if type(value) is not type(default):
                raise ConfigError(f"[lint.rules.{rule_id}]: {name} must be a {type(default).__name__}, got {value!r}")
            if isinstance(value, int) and value < 1:
                raise ConfigError(f"[lint.rules.{rule_id}]: {name} must be at least 1, got {value}")
            if name == "pattern":
                try:
                    re.compile(value)
                except re.error as exc:
                    raise ConfigError(f"[lint.rules.{rule_id}]: pattern {value!r} is not a regular expression: {exc}") from None
        resolved[rule_id] = dict(values)
    return resolved


def run_design_rules(run: LintRun) -> list[Finding]:
    from archkit.lint.rules import RULES

    options = design_options(run.settings)
    findings: list[Finding] = []
    for model in run.models:
        for workspace in model.workspaces:
            index = workspace.index
            for rule_id in sorted(RULES):
                if run.settings.enabled(rule_id):
                    findings += RULES[rule_id].check(workspace, index, options.get(rule_id))
    return findings


DESIGN = Checker("design", _design_rules, run_design_rules)


# --- contract checks (archkit.lint.contracts) ---------------------------------------------------------
def _contract_checker() -> Checker:
    from archkit.lint import contracts

    return Checker("contracts", contracts.contract_rules, contracts.run_contract_checks, contracts.CONFIG_KEYS,
                   (contracts.baseline_option(), contracts.compat_option(), contracts.rules_option()))


CONTRACTS = _contract_checker()

#: Every checker `archkit lint` runs, in order.
CHECKERS: list[Checker] = [DESIGN, CONTRACTS]


def known_rules(checkers: list[Checker] | None = None) -> list[RuleDoc]:
    return sorted((doc for c in (checkers or CHECKERS) for doc in c.rules()), key=lambda d: d.id)

