"""The catalogue of lint rules every checker can report: ids, names and docs.

Reports (SARIF rule metadata, JUnit test cases) and `--select`/`--ignore` validation need to know every
rule id, including rules that found nothing, so each checker registers its rules here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from archkit.contracts.findings import Severity


@dataclass(frozen=True)
class RuleDoc:
    """What a user reads about a rule; `severity` is its default."""

    id: str
    name: str  # kebab-case, e.g. "queue-without-dead-letter"
    severity: Severity
    summary: str  # one line
    explanation: str = ""  # one paragraph: why it matters
    fix: str = ""  # what to change in the model

    @property
    def help_text(self) -> str:
        return "\n\n".join(part for part in (self.summary, self.explanation, f"Fix: {self.fix}" if self.fix else "") if part)


_RULES: dict[str, RuleDoc] = {}


def register(*docs: RuleDoc) -> None:
    """Add rules to the catalogue (idempotent for the same doc; a different doc under a known id is a bug)."""
    for doc in docs:
        known = _RULES.get(doc.id)
        if known is not None and known != doc:
            raise ValueError(f"lint rule id {doc.id} registered twice with different docs")
        _RULES[doc.id] = doc


def describe(rule_id: str) -> RuleDoc | None:
    return _RULES.get(rule_id)


def all_rules() -> list[RuleDoc]:
    """Every registered rule, sorted by id."""
    return [_RULES[k] for k in sorted(_RULES)]
