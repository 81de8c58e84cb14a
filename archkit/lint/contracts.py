"""The contract checker of `archkit lint`: compare the model with its baseline, report what breaks whom.

It owns the `--baseline`, `--compat` and `--rules` options and the `[lint]` keys `baseline`,
`compatibility` and `schema-rules` (not `rules`: `[lint.rules.<ID>]` holds per-rule options). The
command line beats the config, and `--compat` beats every mode the model sets as well; the config's
`compatibility` is only the default for messages and channels the model says nothing about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from archkit.config import Config, ConfigError
from archkit.contracts import check
from archkit.contracts.findings import Finding, Severity
from archkit.contracts.from_model import modes_from_workspace, snapshot_from_workspace
from archkit.contracts.modes import DEFAULT_MODE, parse_mode
from archkit.lint.baseline import BaselineSource, default_baseline, detect_baseline, load_baseline
from archkit.lint.catalogue import RuleDoc, register
from archkit.model.events import COMPATIBILITY_MODES

if TYPE_CHECKING:
    from archkit.lint.checkers import LintRun
    from archkit.lint.selection import LintSettings

SCHEMA_RULES = ("default", "confluent")
CONFIG_KEYS = frozenset({"baseline", "compatibility", "schema-rules"})
NO_BASELINE = ("note: no contract baseline found, so only the design rules ran; run `archkit lock` and commit "
               "archkit.lock.json, or pass --baseline REF|FILE")

_VERSION = "Publish a new event version on a new channel beside the old one, migrate consumers, then retire the old."
#: rule id -> (name, why it matters, how to fix); summaries come from archkit.contracts.check.RULES.
_DETAILS: dict[str, tuple[str, str, str]] = {
    check.PAYLOAD_BREAKING: (
        "breaking-payload-change",
        "A consumer that validates or deserialises with one schema fails on data written with the other.", _VERSION),
    check.MESSAGE_REMOVED: (
        "message-removed", "Consumers still subscribed wait for a message that never comes.",
        "Keep publishing the old version beside the new one until its consumers have moved."),
    check.CHANNEL_REMOVED: (
        "channel-removed", "Producers and consumers configured with the old address fail or silently read nothing.",
        "Keep the old address until everyone has moved; for a rename publish to both first."),
    check.PARTITIONS_REDUCED: (
        "partitions-reduced", "Kafka cannot remove partitions; the topic must be recreated and its data is lost.",
        "Create a new topic with the new partition count and migrate."),
    check.PARTITIONS_INCREASED_KEYED: (
        "partitions-increased-keyed",
        "A key hashes to another partition after the change, so per-key order breaks while old records drain.",
        "Drain consumers before adding partitions, or migrate to a new topic."),
    check.KEY_CHANGED: (
        "key-changed", "Records of one entity land on other partitions, so consumers see them out of order.", _VERSION),
    check.DECLARATION_CHANGED: (
        "declaration-changed",
        "The broker refuses to redeclare an existing exchange or queue differently (PRECONDITION_FAILED).",
        "Declare a new exchange or queue under a new name and migrate."),
    check.ROUTING_LOST: (
        "routing-lost", "Messages still published with that key no longer reach the queue's consumers.",
        "Add a second binding for the old key, or publish with a key the binding matches."),
    check.CONSUMER_ORPHANED: (
        "consumer-orphaned", "The consumer keeps waiting on a channel nobody sends its event to.",
        "Keep publishing there until the consumers have moved, or move them in the same change."),
    check.ACTION_FLIPPED: (
        "action-flipped", "The other side of the channel is left without a counterpart.",
        "Keep the old operation until its counterparts have changed, or use a separate channel."),
    check.UNJUDGED_KEYWORD: (
        "unjudged-schema-keyword", "archkit does not judge this keyword, so it never passes a change to it silently.",
        "Review the change by hand; ignore the finding with a reason once it is known to be safe."),
    check.CHANNEL_SETTING_CHANGED: (
        "channel-setting-changed", "Consumers that replay or retry may rely on the old setting.",
        "Check the consumers that replay or retry."),
    check.PAYLOAD_NOT_JUDGED: (
        "payload-not-judged", "archkit judges JSON Schema and Avro payloads; a change in another format (or a "
        "schema behind a URL, never fetched) can break readers unseen.",
        "Review the change by hand with that format's own rules; ignore the finding with a reason once it is safe."),
}
_SEVERITY: dict[str, Severity] = {check.PARTITIONS_INCREASED_KEYED: "warning", check.CHANNEL_SETTING_CHANGED: "info",
                                  check.PAYLOAD_NOT_JUDGED: "warning"}
_DOCS = tuple(RuleDoc(rule, name, _SEVERITY.get(rule, "error"), check.RULES[rule], why, fix)
              for rule, (name, why, fix) in _DETAILS.items())
register(*_DOCS)


def contract_rules() -> list[RuleDoc]:
    return list(_DOCS)


def baseline_option() -> click.Option:
    return click.Option(["--baseline"], metavar="REF|FILE",
                        help="Compare contracts with a git ref (origin/main), a lock file or an AsyncAPI document "
                             "(default: archkit.lock.json when present).")


def compat_option() -> click.Option:
    return click.Option(["--compat"], type=click.Choice(COMPATIBILITY_MODES, case_sensitive=False),
                        help="Compatibility mode for every event and channel, overriding the model and the config.")


def rules_option() -> click.Option:
    return click.Option(["--rules", "schema_rules"], type=click.Choice(SCHEMA_RULES), default=None,
                        help="Schema rules: default (tolerant readers) or confluent (Schema Registry's content model).")


@dataclass(frozen=True)
class ContractSettings:
    """The mode, forced mode and schema rules of a run: command line first, then config, then defaults."""

    mode: str = DEFAULT_MODE
    compat: str | None = None
    rules: str = "default"

    @classmethod
    def resolve(cls, options: Mapping[str, Any], extra: Mapping[str, Any], where: str) -> ContractSettings:
        mode = extra.get("compatibility", DEFAULT_MODE)
        try:
            mode = parse_mode(mode).name
        except ValueError as exc:
            raise ConfigError(f"{where} compatibility: {exc}") from None
        rules = options.get("schema_rules") or extra.get("schema-rules", "default")
        if rules not in SCHEMA_RULES:
            raise ConfigError(f"{where} schema-rules must be one of {', '.join(SCHEMA_RULES)}, got {rules!r}")
        compat = options.get("compat")
        return cls(mode, compat.upper() if compat else None, rules)


def baseline_source(options: Mapping[str, Any], extra: Mapping[str, Any], config: Config) -> BaselineSource | None:
    """--baseline (relative to the working directory), else the config's (relative to it), else the lock file."""
    if options.get("baseline"):
        return detect_baseline(options["baseline"], Path.cwd())
    configured = extra.get("baseline")
    if configured is not None:
        if not isinstance(configured, str) or not configured:
            raise ConfigError(f"{_where(config)} baseline must be a git ref or a file path, got {configured!r}")
        return detect_baseline(configured, config.root)
    return default_baseline(config.root)


def reads_every_schema(settings: LintSettings, options: Mapping[str, Any], config: Config) -> bool:
    """Whether the contract check will run (one of its rules is on and a baseline is given or found, as
    `baseline_source` looks for one, without reading it): it reads every payload schema, so the load may
    make the missing ones on every core."""
    if not any(settings.enabled(doc.id) for doc in _DOCS):
        return False
    return bool(options.get("baseline")) or settings.extra.get("baseline") is not None \
        or default_baseline(config.root) is not None


def run_contract_checks(run: LintRun) -> list[Finding]:
    """Findings of every workspace against its baseline; a note (and nothing else) when there is none."""
    if not any(run.settings.enabled(doc.id) for doc in _DOCS):
        return []
    settings = ContractSettings.resolve(run.options, run.settings.extra, _where(run.config))
    source = baseline_source(run.options, run.settings.extra, run.config)
    if source is None:
        run.notes.append(NO_BASELINE)
        return []
    baseline = load_baseline(source, [model.path for model in run.models], run.config.root, run.session)
    if run.session is not None:
        run.session.make_schemas(run.models)  # the snapshots read every payload schema
    workspaces = {ws.name: ws for model in run.models for ws in model.workspaces}
    findings = []
    for pair in baseline.comparisons(snapshot_from_workspace(ws) for ws in workspaces.values()):
        findings += check.check_contracts(
            pair.current, pair.baseline, mode=settings.mode, rules=settings.rules, history=pair.history,
            modes_by=modes_from_workspace(workspaces[pair.current.name]), compat=settings.compat,
        )
    run.notes.extend(f"note: {n}" for n in baseline.notes)
    return findings


def _where(config: Config) -> str:
    return f"{config.source.name if config.source else 'configuration'} [lint]"
