"""Which findings a lint run reports: rule selection, severity overrides and reasoned ignores.

Configured under ``[tool.archkit.lint]`` (or ``[lint]`` in archkit.toml)::

    select = ["AK-D", "AK-C"]            # ids or prefixes, as ruff does (default: every rule)
    ignore = [
        "AK-D115",                       # a string switches a rule (or a prefix of rules) off
        { rule = "AK-D104", channel = "notifications.push", reason = "push is best effort" },
    ]                                    # a table ignores matching findings only, and needs a reason
    severity = { "AK-D115" = "warning" }
    [tool.archkit.lint.rules.AK-D105]    # per-rule options, checked by the rule's checker
    max_depth = 4

Between `select` and string `ignore`s the most specific prefix wins (`select = ["AK-D104"]` beats
`ignore = ["AK-D1"]`); on a tie, ignore wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from archkit.config import ConfigError
from archkit.contracts.findings import SEVERITIES, Finding, Severity

#: The fields a reasoned ignore may match on (glob patterns allowed), besides `rule`.
MATCH_FIELDS = ("event", "channel", "element", "path", "file")
OWN_KEYS = frozenset({"select", "ignore", "severity", "rules"})
ALL = "ALL"


@dataclass(frozen=True)
class ReasonedIgnore:
    """An ignore of specific findings: a rule (id or prefix), what to match, and why."""

    rule: str
    reason: str
    match: tuple[tuple[str, str], ...] = ()
    where: str = ""  # e.g. "pyproject.toml [tool.archkit.lint] ignore #2", for messages

    def matches(self, finding: Finding, root: Path | None = None) -> bool:
        if not finding.rule.startswith(self.rule):
            return False
        return all(_field_matches(finding, name, pattern, root) for name, pattern in self.match)

    def __str__(self) -> str:
        parts = [f"rule={self.rule}", *(f"{k}={v}" for k, v in self.match)]
        return " ".join(parts)


def _field_matches(finding: Finding, name: str, pattern: str, root: Path | None) -> bool:
    if name == "file":
        if finding.location is None:
            return False
        file = Path(finding.location.file)
        candidates = [str(file), file.name]
        if root is not None and file.is_absolute() and file.is_relative_to(root):
            candidates.append(file.relative_to(root).as_posix())
        return any(fnmatchcase(c, pattern) for c in candidates)
    value = getattr(finding, name)
    if value is None:
        return False
    candidates = [str(value)]
    if name == "event":
        candidates.append(str(value).split(" v")[0])  # "OrderPlaced" matches "OrderPlaced v2"
    return any(fnmatchcase(c, pattern) for c in candidates)


@dataclass(frozen=True)
class LintSettings:
    """Resolved lint settings; `options` holds per-rule option tables, `extra` the keys other checkers own."""

    select: tuple[str, ...] = (ALL,)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    ignores: tuple[ReasonedIgnore, ...] = ()
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def enabled(self, rule_id: str) -> bool:
        """ruff's precedence: the longest matching selector decides; ignore wins a tie."""
        chosen = _longest(self.select, rule_id)
        if chosen < 0:
            return False
        return chosen > _longest(self.ignore, rule_id)

    def severity_of(self, finding: Finding) -> Severity:
        best = max((k for k in self.severity if finding.rule.startswith(k)), key=len, default=None)
        return self.severity[best] if best is not None else finding.severity

    def with_cli(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> LintSettings:
        """Command-line `--select` replaces the configured selection; `--ignore` adds to the configured ignores."""
        select, ignore = tuple(select), tuple(ignore)
        return replace(self, select=select or self.select, ignore=self.ignore + ignore)


def _longest(selectors: Iterable[str], rule_id: str) -> int:
    """Length of the most specific selector matching `rule_id` (ALL counts as 0), or -1 when none does."""
    lengths = [0 if s == ALL else len(s) for s in selectors if s == ALL or rule_id.startswith(s)]
    return max(lengths, default=-1)


def split_selectors(values: Iterable[str]) -> list[str]:
    """`--select AK-D1,AK-C --select AK-D115` -> ['AK-D1', 'AK-C', 'AK-D115']."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def check_selectors(selectors: Iterable[str], known: Iterable[str], what: str) -> None:
    """Refuse a selector that matches no known rule (a typo would silently select or ignore nothing)."""
    known = list(known)
    for selector in selectors:
        if selector != ALL and not any(rule_id.startswith(selector) for rule_id in known):
            raise ConfigError(f"{what}: unknown rule selector {selector!r} (rules: {', '.join(known)})")


def parse_settings(table: Mapping[str, Any], source: Path | None = None, *, known_rules: Iterable[str] = (),
                   extra_keys: Iterable[str] = ()) -> LintSettings:
    """Validate the `lint` table of the configuration; every mistake is a ConfigError (exit 2)."""
    where = f"{source.name if source else 'configuration'} [lint]"
    known_rules = list(known_rules)
    unknown = sorted(set(table) - OWN_KEYS - set(extra_keys))
    if unknown:
        known = sorted(OWN_KEYS | set(extra_keys))
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)} (known: {', '.join(known)})")
    select = _strings(table.get("select", [ALL]), f"{where} select")
    check_selectors(select, known_rules, f"{where} select")
    ids, ignores = _ignores(table.get("ignore", []), where)
    check_selectors(ids, known_rules, f"{where} ignore")
    check_selectors((i.rule for i in ignores), known_rules, f"{where} ignore")
    severity = table.get("severity", {})
    if not isinstance(severity, Mapping):
        raise ConfigError(f"{where}: severity must be a table such as {{ \"AK-D115\" = \"warning\" }}")
    for rule_id, level in severity.items():
        if level not in SEVERITIES:
            raise ConfigError(f"{where}: severity of {rule_id} must be one of {', '.join(SEVERITIES)}, got {level!r}")
    check_selectors(severity, known_rules, f"{where} severity")
    options = table.get("rules", {})
    if not isinstance(options, Mapping) or not all(isinstance(v, Mapping) for v in options.values()):
        raise ConfigError(f"{where}: rules must hold one table per rule, e.g. [tool.archkit.lint.rules.AK-D105]")
    return LintSettings(
        select=tuple(select), ignore=tuple(ids), severity=dict(severity), ignores=tuple(ignores),
        options={k: dict(v) for k, v in options.items()}, extra={k: table[k] for k in extra_keys if k in table},
    )


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of rule ids or prefixes")
    return value


def _ignores(value: Any, where: str) -> tuple[list[str], list[ReasonedIgnore]]:
    """Split `ignore` into rule selectors (strings) and reasoned ignores of specific findings (tables)."""
    if isinstance(value, (str, Mapping)):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"{where}: ignore must be a list of rule ids and {{rule=..., reason=...}} tables")
    ids: list[str] = []
    entries: list[ReasonedIgnore] = []
    for number, item in enumerate(value, start=1):
        here = f"{where} ignore #{number}"
        if isinstance(item, str):
            ids.append(item)
            continue
        if not isinstance(item, Mapping):
            raise ConfigError(f"{here}: expected a rule id or a table, got {item!r}")
        unknown = sorted(set(item) - {"rule", "reason", *MATCH_FIELDS})
        if unknown:
            raise ConfigError(f"{here}: unknown key(s) {', '.join(unknown)} (known: rule, reason, {', '.join(MATCH_FIELDS)})")
        rule, reason = item.get("rule"), item.get("reason")
        if not isinstance(rule, str) or not rule:
            raise ConfigError(f"{here}: an ignore of specific findings needs rule = \"AK-...\"")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(
                f"{here}: ignoring {rule} needs a reason, e.g. {{ rule = \"{rule}\", ..., reason = \"why this is fine\" }}"
            )
        match = tuple((k, str(item[k])) for k in MATCH_FIELDS if k in item)
        entries.append(ReasonedIgnore(rule, reason.strip(), match, here))
    return ids, entries


@dataclass
class Outcome:
    """What remains to report, what a reasoned ignore hid, and ignores that matched nothing (stale)."""

    findings: list[Finding]
    ignored: list[tuple[Finding, ReasonedIgnore]]
    unused: list[ReasonedIgnore]


def apply_settings(findings: Iterable[Finding], settings: LintSettings, root: Path | None = None) -> Outcome:
    """Drop findings of rules not enabled, apply severity overrides, then hide findings a reasoned ignore matches."""
    kept: list[Finding] = []
    ignored: list[tuple[Finding, ReasonedIgnore]] = []
    used: set[ReasonedIgnore] = set()
    for finding in findings:
        if not settings.enabled(finding.rule):
            continue
        severity = settings.severity_of(finding)
        if severity != finding.severity:  # a copy only for an override: thousands of findings at scale
            finding = replace(finding, severity=severity)
        entry = next((i for i in settings.ignores if i.matches(finding, root)), None)
        if entry is None:
            kept.append(finding)
        else:
            ignored.append((finding, entry))
            used.add(entry)
    unused = [i for i in settings.ignores if i not in used]
    return Outcome(sorted(kept, key=lambda f: (_where(f), f.sort_key())), ignored, unused)


def _where(finding: Finding) -> tuple[str, int]:
    return (finding.location.file, finding.location.line) if finding.location else ("", 0)
