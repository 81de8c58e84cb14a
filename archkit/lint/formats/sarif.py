"""SARIF 2.1.0 for GitHub code scanning: rule metadata in tool.driver.rules, one result per finding.

Locations are relative to the repository root under uriBaseId %SRCROOT%, as code scanning expects.
"""

from __future__ import annotations

import hashlib
from typing import Any

from archkit import __version__
from archkit.formats.json_text import indented
from archkit.lint.catalogue import RuleDoc
from archkit.lint.formats.common import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: Where every rule has its own section (GitHub shows the link beside each alert).
RULES_DOC = "https://github.com/archkit/archkit/blob/main/docs/lint-rules.md"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule(doc: RuleDoc) -> dict[str, Any]:
    return {
        "id": doc.id,
        "name": "".join(part.capitalize() for part in doc.name.split("-")) or doc.id,
        "shortDescription": {"text": doc.summary or doc.id},
        "fullDescription": {"text": doc.explanation or doc.summary or doc.id},
        "help": {"text": doc.help_text or doc.id,
                 "markdown": f"**{doc.summary}**\n\n{doc.explanation}\n\n**Fix:** {doc.fix}" if doc.fix else doc.summary},
        "helpUri": help_uri(doc),
        "defaultConfiguration": {"level": _LEVEL[doc.severity]},
        "properties": {"tags": ["archkit", "architecture"]},
    }


def help_uri(doc: RuleDoc) -> str:
    """The rule's section in docs/lint-rules.md: `## AK-D104 queue-without-dead-letter` has the anchor
    `#ak-d104-queue-without-dead-letter` (GitHub's heading slugs)."""
    return f"{RULES_DOC}#{doc.id.lower()}-{doc.name}"


def render(report: Report) -> str:
    rules = report.rules
    position = {r.id: i for i, r in enumerate(rules)}
    results = []
    for f in report.findings:
        message = f.message + (f" Fix: {f.suggestion}" if f.suggestion else "")
        result: dict[str, Any] = {"ruleId": f.rule, "level": _LEVEL[f.severity], "message": {"text": message}}
        if f.rule in position:
            result["ruleIndex"] = position[f.rule]
            result["properties"] = {"helpUri": help_uri(rules[position[f.rule]])}
        file, line = report.relpath(f), report.line(f)
        if file:
            physical: dict[str, Any] = {"artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"}}
            if line:
                physical["region"] = {"startLine": line}
            result["locations"] = [{"physicalLocation": physical}]
        identity = "\x1f".join([f.rule, file or "", f.event or "", f.channel or "", f.element or "", f.path or "", f.message])
        result["partialFingerprints"] = {"archkitFinding/v1": hashlib.sha256(identity.encode()).hexdigest()[:32]}
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "archkit", "version": __version__, "semanticVersion": __version__.split("+")[0],
                "rules": [_rule(r) for r in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return indented(document)
