"""Every report format, read the way its consumer reads it (JSON, SARIF, GitHub runner, JUnit XML parser)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archkit.contracts.findings import Finding
from archkit.errors import ArchkitError, SourceLocation
from archkit.lint.catalogue import describe
from archkit.lint.formats.github import escape_data, escape_property
from archkit.lint.report import render_findings
from archkit.lint.rules import RULES

ROOT = Path("/repo")
NASTY = Finding(
    rule="AK-D104", severity="warning", message="queue 'a,b:c' 100% <lost> & \"gone\"\r\nsecond line",
    channel="a,b:c", suggestion="add dead_letter=\"a.dlq\"", location=SourceLocation("/repo/models/shop.py", 12),
)
ERROR = Finding(rule="AK-D106", severity="error", message="synchronous call cycle: A -> B -> A",
                element="B", affected=("A", "B"), location=SourceLocation("/repo/models/shop.py", 30))
INFO = Finding(rule="AK-D115", severity="info", message="container 'F' has no technology",
               location=SourceLocation("/repo/models/other,file.py", 3))
FINDINGS = [NASTY, ERROR, INFO]
CHECKED = [RULES[k].doc for k in sorted(RULES)]


def test_text_groups_by_file_with_file_line_rule_severity_and_fix():
    out = render_findings(FINDINGS, "text", ROOT)
    lines = out.splitlines()
    assert lines[0] == "models/shop.py"
    assert lines[1].startswith("models/shop.py:12: warning AK-D104 queue 'a,b:c'")
    assert '    fix: add dead_letter="a.dlq"' in lines
    assert "models/shop.py:30: error AK-D106 synchronous call cycle: A -> B -> A" in lines
    assert "models/other,file.py:3: info AK-D115 container 'F' has no technology" in lines
    assert lines[-1] == "Found 3 findings: 1 error, 1 warning, 1 info."
    assert "\x1b[" not in out


def test_text_colour_only_when_asked_and_clean_summary():
    assert "\x1b[" in render_findings(FINDINGS, "text", ROOT, color=True)
    assert render_findings([], "text", ROOT, rules=CHECKED, ignored=2) == "No findings (17 rules checked) (2 ignored with a reason).\n"


def test_json_has_the_documented_schema():
    doc = json.loads(render_findings(FINDINGS, "json", ROOT, ignored=1))
    assert set(doc) == {"version", "findings", "summary"}
    keys = {"rule", "severity", "breaking", "event", "channel", "element", "path", "old", "new", "mode", "message",
            "affected", "suggestion", "file", "line"}
    assert all(set(f) == keys for f in doc["findings"])
    first = doc["findings"][0]
    assert (first["rule"], first["file"], first["line"], first["channel"]) == ("AK-D104", "models/shop.py", 12, "a,b:c")
    assert doc["findings"][1]["affected"] == ["A", "B"]
    assert doc["summary"] == {"errors": 1, "warnings": 1, "infos": 1, "breaking": 0, "total": 3, "ignored": 1,
                              "rules_checked": 3}


def test_sarif_is_what_code_scanning_accepts():
    doc = json.loads(render_findings(FINDINGS, "sarif", ROOT, rules=CHECKED))
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "archkit"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["help"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    levels = [r["level"] for r in run["results"]]
    assert levels == ["warning", "error", "note"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert not artifact["uri"].startswith("/") and artifact["uriBaseId"] == "%SRCROOT%"
        assert location["physicalLocation"]["region"]["startLine"] >= 1
        assert result["partialFingerprints"]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "models/shop.py"
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 12


def test_sarif_matches_the_sarif_2_1_0_schema_essentials():
    """No pip package ships the SARIF schema; validate the subset GitHub code scanning requires."""
    jsonschema = pytest.importorskip("jsonschema")
    text = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}}
    schema = {
        "type": "object", "required": ["version", "runs"],
        "properties": {"version": {"const": "2.1.0"}, "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name", "rules"], "properties": {"rules": {"type": "array", "items": {
                        "type": "object", "required": ["id", "shortDescription", "help"],
                        "properties": {"id": {"type": "string"}, "shortDescription": text, "help": text},
                    }}},
                }}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["ruleId", "message", "locations"],
                    "properties": {
                        "level": {"enum": ["none", "note", "warning", "error"]}, "message": text,
                        "locations": {"type": "array", "items": {"type": "object", "required": ["physicalLocation"],
                            "properties": {"physicalLocation": {"type": "object", "required": ["artifactLocation", "region"],
                                "properties": {"artifactLocation": {"type": "object", "required": ["uri"]},
                                               "region": {"type": "object", "required": ["startLine"], "properties": {
                                                   "startLine": {"type": "integer", "minimum": 1}}}}}}}},
                    },
                }},
            },
        }}},
    }
    jsonschema.validate(json.loads(render_findings(FINDINGS, "sarif", ROOT)), schema)


def unescape(text: str) -> str:
    """What the Actions runner does with a workflow command's escaped text."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def test_github_annotations_escape_data_and_properties():
    lines = render_findings(FINDINGS, "github", ROOT).splitlines()
    assert len(lines) == 3  # a newline inside a message never starts a new command
    assert lines[1] == "::error file=models/shop.py,line=30,title=AK-D106::synchronous call cycle: A -> B -> A"
    assert lines[2].startswith("::notice file=models/other%2Cfile.py,line=3,title=AK-D115::")
    command, message = lines[0].split("::", 2)[1:]
    assert command == "warning file=models/shop.py,line=12,title=AK-D104"
    assert "\r" not in message and "%0D%0A" in message
    assert unescape(message) == NASTY.message + '\nfix: add dead_letter="a.dlq"'
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert escape_data("50%\n") == "50%25%0A"


def test_junit_one_testcase_per_rule_checked_and_failures_for_findings():
    out = render_findings(FINDINGS + [Finding("AK-D101", "warning", "bad \x00 char")], "junit", ROOT, rules=CHECKED)
    root = ET.fromstring(out.encode())
    (suite,) = root.findall("testsuite")
    cases = {c.get("name").split()[0]: c for c in suite.findall("testcase")}
    assert sorted(cases) == sorted(RULES)
    assert suite.get("tests") == "17" and suite.get("failures") == "3"
    failure = cases["AK-D104"].find("failure")
    assert failure.get("type") == "warning" and NASTY.message.replace("\r\n", "\n") in failure.text.replace("\r\n", "\n")
    assert cases["AK-D106"].find("failure").get("type") == "error"
    assert cases["AK-D115"].find("failure") is None and "no technology" in cases["AK-D115"].find("system-out").text
    assert cases["AK-D110"].find("failure") is None


def test_unknown_format_is_refused():
    with pytest.raises(ArchkitError, match="unknown lint report format 'xml'"):
        render_findings([], "xml", ROOT)


def test_every_design_rule_is_documented():
    docs = (Path(__file__).resolve().parent.parent / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    for rule_id in RULES:
        doc = describe(rule_id)
        assert doc and doc.explanation and doc.fix
        assert f"## {rule_id}" in docs
