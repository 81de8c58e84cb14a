"""Confluent Schema Registry's own JSON Schema diff corpus, through `archkit diff --compat BACKWARD`.

Every case (263: an original schema, an update, and Confluent's `compatible`, computed as BACKWARD with
the original as the old schema) becomes two one-message AsyncAPI documents; `archkit diff` must exit 0
where Confluent says compatible and 1 where it does not, under `--rules confluent` and the default
rules, except the cases listed in EXCEPTIONS (each documented in docs/contracts.md). Exit 2 or a
traceback is never an answer. The corpus is vendored under tests/data (Apache-2.0, see its README).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).parent / "data" / "confluent-json-schema-diff"
FILES = ("diff-schema-examples.json", "diff-schema-examples-2020-12.json",
         "diff-combined-schema-examples.json", "diff-combined-schema-examples-2020-12.json")
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")

#: The one place where archkit deliberately differs from Confluent's verdict: (rules, case id) -> the
#: section of docs/contracts.md that explains it. The verdict there is archkit's, the opposite of Confluent's.
_REQUIRED_UNDECLARED = "`required` naming a property that `properties` does not declare"
EXCEPTIONS: dict[tuple[str, str], str] = {
    (rules, case): _REQUIRED_UNDECLARED
    for rules in ("confluent", "default")
    for case in ("diff-schema-examples[55] Detect required array to be changed",
                 "diff-schema-examples-2020-12[57] Detect required array to be changed")
}

#: Under the default rules an optional property added to (or removed from) an open content model is
#: compatible both ways: the tolerant-reader convention (docs/contracts.md, "--rules confluent"). These are
#: the corpus cases whose verdict that convention alone flips.
DEFAULT_OPEN_CONTENT = {
    "diff-schema-examples[32] Detect changes to remove properties",
    "diff-schema-examples[44] Detect property added to open content model",
    "diff-schema-examples-2020-12[30] Detect changes to remove properties",
    "diff-schema-examples-2020-12[46] Detect property added to open content model",
}


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for name in FILES:
        text = _TRAILING_COMMA.sub(r"\1", (CORPUS / name).read_text(encoding="utf-8"))
        for index, case in enumerate(json.loads(text)):
            cases.append((f"{name.removesuffix('.json')}[{index}] {case['description']}", case))
    return cases


CASES = load_cases()


def _rebase(node: Any) -> Any:
    """The schema's own `#/...` references, re-rooted at the component the schema is stored under."""
    if isinstance(node, dict):
        return {k: ("#/components/schemas/Payload" + v[1:] if k == "$ref" and isinstance(v, str) and v.startswith("#")
                    else _rebase(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


def document(schema: Any) -> dict[str, Any]:
    """A one-message AsyncAPI 3.0 document whose payload is `schema`."""
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "corpus", "version": "1"},
        "channels": {"events": {"address": "events", "messages": {"Event": {"$ref": "#/components/messages/Event"}}}},
        "operations": {"publish": {"action": "send", "channel": {"$ref": "#/channels/events"},
                                   "messages": [{"$ref": "#/channels/events/messages/Event"}]}},
        "components": {"messages": {"Event": {"name": "Event", "payload": {"$ref": "#/components/schemas/Payload"}}},
                       "schemas": {"Payload": _rebase(schema)}},
    }


def verdict(cli, tmp_path: Path, case: dict[str, Any], rules: str) -> bool:
    """archkit's BACKWARD verdict on the case: True = compatible (exit 0), False = breaking (exit 1)."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(document(case["original_schema"])), encoding="utf-8")
    new.write_text(json.dumps(document(case["update_schema"])), encoding="utf-8")
    result = cli("diff", old, new, "--compat", "BACKWARD", "--rules", rules, "--format", "json")
    assert result.exit_code in (0, 1), f"exit {result.exit_code}: {result.output}"
    report = json.loads(result.stdout)
    assert (result.exit_code == 1) == (report["summary"]["errors"] > 0)
    return result.exit_code == 0


def expected(rules: str, ident: str, case: dict[str, Any]) -> bool:
    flipped = (rules, ident) in EXCEPTIONS or (rules == "default" and ident in DEFAULT_OPEN_CONTENT)
    return case["compatible"] != flipped


def test_the_corpus_is_the_one_confluent_publishes():
    assert len(CASES) == 263
    assert sum(case["compatible"] for _, case in CASES) == 171


def test_at_most_three_documented_exceptions_under_confluent_rules():
    assert len([key for key in EXCEPTIONS if key[0] == "confluent"]) <= 3
    docs = (Path(__file__).parents[1] / "docs" / "contracts.md").read_text(encoding="utf-8")
    for (_, ident), section in EXCEPTIONS.items():
        assert ident in dict(CASES), ident
        assert section in docs, f"{ident}: docs/contracts.md has no '{section}'"
    assert DEFAULT_OPEN_CONTENT <= set(dict(CASES))
    assert "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" in docs


@pytest.mark.parametrize("rules", ["confluent", "default"])
@pytest.mark.parametrize(("ident", "case"), CASES, ids=[ident for ident, _ in CASES])
def test_archkit_gives_confluents_backward_verdict(cli, tmp_path, rules, ident, case):
    assert verdict(cli, tmp_path, case, rules) == expected(rules, ident, case), case["changes"]


@pytest.mark.parametrize("rules", ["confluent", "default"])
def test_forward_is_backward_read_the_other_way_round_on_every_case(cli, tmp_path, rules):
    """FORWARD (old readers, new data) of old -> new must be BACKWARD of new -> old, case by case."""
    for ident, case in CASES:
        old, new = tmp_path / "old.json", tmp_path / "new.json"
        old.write_text(json.dumps(document(case["original_schema"])), encoding="utf-8")
        new.write_text(json.dumps(document(case["update_schema"])), encoding="utf-8")
        forward = cli("diff", old, new, "--compat", "FORWARD", "--rules", rules).exit_code
        backward = cli("diff", new, old, "--compat", "BACKWARD", "--rules", rules).exit_code
        assert forward == backward and forward in (0, 1), ident
