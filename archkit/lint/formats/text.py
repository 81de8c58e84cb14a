"""Human-readable report: findings grouped by file, `file:line: severity RULE message`, then a summary."""

from __future__ import annotations

import click

from archkit.contracts.findings import Finding
from archkit.lint.formats.common import Report, plural

_COLORS = {"error": "red", "warning": "yellow", "info": "blue"}


def render(report: Report) -> str:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if report.color else text  # type: ignore[arg-type]

    lines: list[str] = []
    groups: dict[str | None, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(report.relpath(finding), []).append(finding)
    for file, findings in groups.items():
        lines.append(style(file or "(no location)", bold=True, underline=True))
        for f in findings:
            where = report.where(f)
            severity = style(f"{f.severity}", fg=_COLORS[f.severity], bold=True)
            lines.append(f"{style(where, dim=True)}: {severity} {style(f.rule, bold=True)} {f.message}")
            if f.affected and f.rule.startswith("AK-C"):
                lines.append(f"    affects: {', '.join(f.affected)}")
            if f.suggestion:
                lines.append(f"    {style('fix:', fg='green')} {f.suggestion}")
        lines.append("")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _summary(report: Report) -> str:
    s = report.summary()
    if not s["total"]:
        text = f"No findings ({plural(s['rules_checked'], 'rule')} checked)"
    else:
        text = (f"Found {plural(s['total'], 'finding')}: {plural(s['errors'], 'error')}, "
                f"{plural(s['warnings'], 'warning')}, {plural(s['infos'], 'info')}")
        if s["breaking"]:
            text += f", {s['breaking']} breaking"
    if s["ignored"]:
        text += f" ({s['ignored']} ignored with a reason)"
    return text + "."
