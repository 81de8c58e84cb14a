"""Property: `archkit diff` ends with a verdict (exit 0 or 1) and a parseable JSON report on any pair of
JSON Schemas built from the keywords the classifier judges, never with a traceback or an internal error.

2,000 generated pairs (derandomized, so CI sees the same ones every run), each pair written as two
one-message AsyncAPI documents and compared under FULL with both rule sets.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archkit.cli import main
from tests.test_confluent_corpus import document

NAMES = st.sampled_from(["a", "b", "c", "I_1", "S_x"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["x", "y", ""]))
TYPES = st.sampled_from(["null", "boolean", "object", "array", "number", "integer", "string"])
PATTERNS = st.sampled_from(["^a", "^I_", "^S_", "x$"])
REFS = st.sampled_from(["#/$defs/A", "#/$defs/B"])


def _leaf() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.booleans(),
        st.fixed_dictionaries({}, optional={
            "type": st.one_of(TYPES, st.lists(TYPES, min_size=1, max_size=3, unique=True)),
            "enum": st.lists(SCALARS, min_size=1, max_size=3),
            "const": SCALARS,
            "minimum": st.integers(-2, 2), "maximum": st.integers(-2, 2), "exclusiveMinimum": st.integers(-2, 2),
            "multipleOf": st.sampled_from([1, 2, 0.5]), "minLength": st.integers(0, 3), "maxLength": st.integers(0, 3),
            "pattern": PATTERNS, "format": st.sampled_from(["uuid", "date-time"]),
            "minItems": st.integers(0, 2), "maxItems": st.integers(0, 3), "uniqueItems": st.booleans(),
            "minContains": st.integers(0, 2), "maxContains": st.integers(0, 3),
            "minProperties": st.integers(0, 2), "maxProperties": st.integers(0, 3),
            "required": st.lists(NAMES, max_size=3, unique=True), "title": st.sampled_from(["t", "u"]),
            "default": SCALARS,
        }),
        REFS.map(lambda ref: {"$ref": ref}),
    )


def _composite(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    maps = st.dictionaries(NAMES, children, max_size=3)
    some = st.lists(children, min_size=1, max_size=3)
    return st.fixed_dictionaries({}, optional={
        "type": TYPES, "properties": maps, "required": st.lists(NAMES, max_size=3, unique=True),
        "additionalProperties": children, "unevaluatedProperties": children,
        "patternProperties": st.dictionaries(PATTERNS, children, max_size=2), "propertyNames": children,
        "dependencies": st.dictionaries(NAMES, st.one_of(st.lists(NAMES, max_size=2, unique=True), children), max_size=2),
        "dependentRequired": st.dictionaries(NAMES, st.lists(NAMES, max_size=2, unique=True), max_size=2),
        "dependentSchemas": maps,
        "items": st.one_of(children, some), "prefixItems": some, "additionalItems": children,
        "unevaluatedItems": children, "contains": children,
        "anyOf": some, "oneOf": some, "allOf": some, "not": children,
    })


SCHEMAS = st.recursive(_leaf(), _composite, max_leaves=5)
#: A definition that is only a `$ref` could name itself: a cycle the reader rightly refuses (exit 2).
DEFINITIONS = SCHEMAS.filter(lambda s: not (isinstance(s, dict) and "$ref" in s))


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A payload schema with the two definitions its `$ref`s may name (which may refer to each other)."""
    return {**draw(st.fixed_dictionaries({}, optional={"type": TYPES}) | SCHEMAS.filter(lambda s: isinstance(s, dict))),
            "$defs": {"A": draw(DEFINITIONS), "B": draw(DEFINITIONS)}}


_RUNNER = CliRunner()
_DIR = Path(tempfile.mkdtemp(prefix="archkit-property-"))


@settings(max_examples=2000, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(old=documents(), new=documents(), rules=st.sampled_from(["default", "confluent"]))
def test_diff_always_gives_a_verdict_and_a_json_report(old, new, rules):
    (_DIR / "old.json").write_text(json.dumps(document(old), separators=(",", ":")), encoding="utf-8")
    (_DIR / "new.json").write_text(json.dumps(document(new), separators=(",", ":")), encoding="utf-8")
    result = _RUNNER.invoke(main, ["diff", str(_DIR / "old.json"), str(_DIR / "new.json"), "--rules", rules,
                                   "--format", "json"])
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    report = json.loads(result.stdout)
    assert (result.exit_code == 1) == (report["summary"]["errors"] > 0)


def test_an_internal_error_is_one_line_and_exit_2_never_a_traceback(tmp_path, cli_process):
    """A payload nested 300 levels deep exhausts Python's recursion inside archkit: a limit of ours, so
    it must end as an internal error (exit 2, one line asking for a bug report), not a traceback or exit 1."""
    def nested(leaf: dict[str, Any]) -> dict[str, Any]:
        for _ in range(300):
            leaf = {"type": "object", "properties": {"a": leaf}}
        return leaf

    for name, leaf in (("old", {"type": "string"}), ("new", {"type": "integer"})):
        doc = document({})
        doc["components"]["schemas"]["Payload"] = nested(leaf)
        (tmp_path / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    result = cli_process("diff", old, new, "--format", "json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: internal error in `archkit diff`: RecursionError")
    assert "bug in archkit, please report it" in result.stderr
