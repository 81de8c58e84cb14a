"""JUnit XML: one test case per rule checked; a rule with error or warning findings fails.

Info findings do not fail a test case; they are listed in its system-out so a CI still shows them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from archkit.contracts.findings import Finding
from archkit.lint.formats.common import Report

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry at all (ElementTree escapes the rest)."""
    return _NOT_XML.sub("\ufffd", text)


def _line(report: Report, f: Finding) -> str:
    where = report.where(f)
    text = f"{where}: {f.severity} {f.rule} {f.message}"
    return xml_text(text + (f"\n    fix: {f.suggestion}" if f.suggestion else ""))


def render(report: Report) -> str:
    grouped = report.by_rule()
    names = {r.id: r.name for r in report.rules}
    suite = ET.Element("testsuite", name="archkit lint", tests=str(len(grouped)))
    failures = 0
    for rule_id, findings in grouped.items():
        case = ET.SubElement(suite, "testcase", classname="archkit.lint", name=f"{rule_id} {names.get(rule_id, '')}".strip())
        failing = [f for f in findings if f.severity in ("error", "warning")]
        if failing:
            failures += 1
            kind = "error" if any(f.severity == "error" for f in failing) else "warning"
            failure = ET.SubElement(case, "failure", type=kind, message=xml_text(f"{len(failing)} finding(s): {failing[0].message}"))
            failure.text = "\n".join(_line(report, f) for f in failing)
        infos = [f for f in findings if f.severity == "info"]
        if infos:
            ET.SubElement(case, "system-out").text = "\n".join(_line(report, f) for f in infos)
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name="archkit", tests=str(len(grouped)), failures=str(failures), errors="0")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
