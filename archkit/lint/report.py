"""Render lint findings in one of the report formats (text, json, sarif, github, junit)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from archkit.contracts.findings import Finding
from archkit.errors import ArchkitError
from archkit.lint.catalogue import RuleDoc, describe
from archkit.lint.formats import github, junit, sarif, text
from archkit.lint.formats import json as json_format
from archkit.lint.formats.common import Report

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render, "json": json_format.render, "sarif": sarif.render, "github": github.render, "junit": junit.render,
}


def _rules_for(findings: list[Finding], checked: Iterable[RuleDoc] | None) -> list[RuleDoc]:
    """The rules checked, plus any rule a finding names (described from the catalogue, or minimally)."""
    rules = {r.id: r for r in (checked or ())}
    for f in findings:
        if f.rule not in rules:
            rules[f.rule] = describe(f.rule) or RuleDoc(f.rule, f.rule.lower(), f.severity, f.rule)
    return [rules[k] for k in sorted(rules)]


def render_findings(findings: list[Finding], fmt: str, root: Path, *, rules: Iterable[RuleDoc] | None = None,
                    ignored: int = 0, color: bool = False) -> str:
    """The report text. `root`: paths are made relative to it (the repository root for SARIF and GitHub).

    `rules`: every rule that ran (JUnit makes one test case per rule, SARIF lists them); default: the rules
    the findings name. `ignored`: how many findings reasoned ignores hid (shown in summaries). `color`: ANSI
    colours in the text format (the caller decides: a terminal, and no NO_COLOR).
    """
    try:
        render = FORMATS[fmt]
    except KeyError:
        raise ArchkitError(f"unknown lint report format {fmt!r} (known: {', '.join(FORMATS)})") from None
    return render(Report(list(findings), _rules_for(list(findings), rules), Path(root), ignored, color))
