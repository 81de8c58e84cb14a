"""The design-rule registry: each rule is a documented check over a resolved workspace.

A rule module declares a check function with `@rule(...)`; the function yields `Hit`s (what was found,
where) and the registry turns them into `Finding`s carrying the rule's id and severity, so no check
repeats that bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archkit.contracts.findings import Finding, Severity
from archkit.errors import SourceLocation
from archkit.lint.catalogue import RuleDoc, register

if TYPE_CHECKING:
    from archkit.model.index import WorkspaceIndex
    from archkit.model.workspace import Workspace


@dataclass(frozen=True)
class Hit:
    """One thing a check found; `severity` overrides the rule's default for this finding only."""

    message: str
    location: SourceLocation | None
    suggestion: str | None = None
    severity: Severity | None = None
    event: str | None = None
    channel: str | None = None
    element: str | None = None
    affected: tuple[str, ...] = ()


CheckFn = Callable[["Workspace", "WorkspaceIndex", Mapping[str, Any]], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A design rule: its docs, its option defaults and its check."""

    doc: RuleDoc
    run: CheckFn
    defaults: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.doc.id

    def check(self, workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any] | None = None) -> list[Finding]:
        """Run the rule with its defaults overridden by `options`."""
        merged = {**self.defaults, **(options or {})}
        return [
            Finding(
                rule=self.doc.id, severity=hit.severity or self.doc.severity, message=hit.message,
                event=hit.event, channel=hit.channel, element=hit.element, affected=hit.affected,
                suggestion=hit.suggestion, location=hit.location,
            )
            for hit in self.run(workspace, index, merged)
        ]


RULES: dict[str, Rule] = {}


def rule(
    id: str, name: str, severity: Severity, summary: str, *, explanation: str, fix: str,
    options: Mapping[str, Any] | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated check as rule `id` (documented in docs/lint-rules.md)."""

    def wrap(fn: CheckFn) -> CheckFn:
        doc = RuleDoc(id, name, severity, summary, " ".join(explanation.split()), " ".join(fix.split()))
        if id in RULES:
            raise ValueError(f"design rule {id} defined twice")
        RULES[id] = Rule(doc, fn, dict(options or {}))
        register(doc)
        return fn

    return wrap
