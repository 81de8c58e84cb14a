"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

Escaping follows the runner's rules: in the message, % CR LF become %25 %0D %0A; in properties also
':' and ',' (which would end a property) become %3A and %2C.
"""

from __future__ import annotations

from archkit.lint.formats.common import Report

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for f in report.findings:
        props = []
        file, line = report.relpath(f), report.line(f)
        if file:
            props.append(f"file={escape_property(file)}")
        if file and line:
            props.append(f"line={line}")
        props.append(f"title={escape_property(f.rule)}")
        message = f.message + (f"\nfix: {f.suggestion}" if f.suggestion else "")
        lines.append(f"::{_COMMAND[f.severity]} {','.join(props)}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)
