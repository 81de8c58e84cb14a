"""JSON report with a stable schema (documented in docs/lint-rules.md), for scripts and dashboards."""

from __future__ import annotations

from typing import Any

from archkit.formats.json_text import indented
from archkit.lint.formats.common import Report

SCHEMA_VERSION = 1


def finding_dict(report: Report, f: Any) -> dict[str, Any]:
    return {
        "rule": f.rule, "severity": f.severity, "breaking": f.breaking, "event": f.event, "channel": f.channel,
        "element": f.element, "path": f.path, "old": f.old, "new": f.new, "mode": f.mode, "message": f.message,
        "affected": list(f.affected), "suggestion": f.suggestion, "file": report.relpath(f),
        "line": report.line(f),
    }


def render(report: Report) -> str:
    document = {
        "version": SCHEMA_VERSION,
        "findings": [finding_dict(report, f) for f in report.findings],
        "summary": report.summary(),
    }
    return indented(document, default=str)
