"""Structurizr DSL output, checked by a strict structural reading of the DSL grammar.

No Structurizr DSL parser installs from PyPI or npm (the real one is Java, not packaged there), so
`check_dsl` reads the file as Structurizr's parser does: line by line, tokens split on whitespace outside
double quotes with `\\"` as the only escape, braces balanced, every identifier defined before use, no
`${...}` substitution and no line continuation.
"""

from __future__ import annotations

import re

import pytest
from c4_outputs import HOSTILE_MODEL, render_files
from conftest import SPEC_MODEL

from archkit.formats.structurizr import dsl_text

IDENTIFIER = re.compile(r"^\w[A-Za-z0-9_-]*$")
ELEMENT_KEYWORDS = {"person", "softwareSystem", "container", "component"}
VIEW_KEYWORDS = {"systemLandscape", "systemContext", "container", "component"}


def tokenize(line: str) -> list[str]:
    tokens, i, line = [], 0, line.strip()
    while i < len(line):
        if line[i].isspace():
            i += 1
        elif line[i] == '"':
            j, text = i + 1, []
            while True:
                assert j < len(line), f"unclosed string: {line!r}"
                if line[j] == "\\":
                    assert line[j + 1:j + 2] == '"', f"stray backslash: {line!r}"
                    text.append('"')
                    j += 2
                elif line[j] == '"':
                    break
                else:
                    text.append(line[j])
                    j += 1
            tokens.append('"' + "".join(text))  # leading quote marks a string token
            i = j + 1
            assert i == len(line) or line[i].isspace(), f"text glued to a string: {line!r}"
        else:
            j = i
            while j < len(line) and not line[j].isspace():
                assert line[j] != '"', f"quote inside a bare token: {line!r}"
                j += 1
            tokens.append(line[i:j])
            i = j
    return tokens


def check_dsl(text: str) -> dict[str, str]:
    """Return identifier -> element keyword; fail on anything Structurizr's parser would reject or misread."""
    defined: dict[str, str] = {}
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        assert not line.endswith("\\"), f"line {number} continues onto the next"
        if not line.strip() or re.match(r"^\s*(//|#)|^\s*/\*.*\*/\s*$", line):
            continue
        tokens = tokenize(line)
        assert not any(t.startswith('"') and re.search(r"\$\{[A-Za-z0-9-_.]+?}", t) for t in tokens), line
        if tokens == ["}"]:
            depth -= 1
            assert depth >= 0, f"line {number}: unbalanced brace"
            continue
        if tokens[-1] == "{":
            depth += 1
            tokens = tokens[:-1]
        if len(tokens) > 2 and tokens[1] == "=":
            assert IDENTIFIER.match(tokens[0]) and tokens[0] not in defined, f"line {number}: bad id {tokens[0]}"
            assert tokens[2] in ELEMENT_KEYWORDS, line
            assert all(t.startswith('"') for t in tokens[3:]), line
            defined[tokens[0]] = tokens[2]
        elif len(tokens) > 2 and tokens[1] == "->":
            assert tokens[0] in defined and tokens[2] in defined, f"line {number}: undefined identifier"
            assert all(t.startswith('"') for t in tokens[3:]), line
        elif tokens[0] in ("deploymentEnvironment", "infrastructureNode"):
            assert len(tokens) >= 2 and all(t.startswith('"') for t in tokens[1:]), line
        elif tokens[0] == "deploymentNode":  # name [description] [technology] [tags] [instances]
            assert all(t.startswith('"') for t in tokens[1:5]) and tokens[5:6] != [] and tokens[5].isdigit(), line
            assert int(tokens[5]) >= 1 and len(tokens) == 6, line
        elif tokens[0] == "containerInstance":
            assert len(tokens) == 2 and defined.get(tokens[1]) == "container", f"line {number}: {line}"
        elif tokens[0] == "deployment" and depth >= 2:  # deployment <*|system> <environment> [key] [description]
            assert tokens[1] == "*" or tokens[1] in defined, line
            assert len(tokens) >= 3 and all(t.startswith('"') for t in tokens[2:]), line
        elif tokens[0] in VIEW_KEYWORDS and depth >= 2:
            rest = tokens[1:]
            if tokens[0] != "systemLandscape":
                assert rest[0] in defined, f"line {number}: view of an undefined element"
                rest = rest[1:]
            assert all(t.startswith('"') for t in rest), line
        else:
            keyword = tokens[0] in {"workspace", "model", "views", "styles", "element", "relationship", "title",
                                    "include", "autoLayout", "shape", "background", "color", "dashed", "properties"}
            assert keyword or (len(tokens) == 2 and all(t.startswith('"') for t in tokens)), line  # a property
    assert depth == 0, "unbalanced braces at the end"
    return defined


@pytest.fixture(scope="module")
def spec_dsl(tmp_path_factory) -> str:
    files = render_files(SPEC_MODEL, "structurizr", tmp_path_factory.mktemp("dsl"))
    assert list(files) == ["structurizr/workspace.dsl"]
    return files["structurizr/workspace.dsl"].read_text(encoding="utf-8")


def test_spec_workspace_is_well_formed_with_the_whole_model(spec_dsl):
    defined = check_dsl(spec_dsl)
    assert defined["customer"] == "person" and defined["food-delivery-platform"] == "softwareSystem"
    assert defined["kafka"] == "container" and defined["orders-api"] == "component"
    assert 'payment-gateway = softwareSystem "Payment gateway" "Charges saved cards" "External"' in spec_dsl
    assert 'kafka = container "Kafka" "Event log of the order choreography" "Apache Kafka 3.7" "Queue"' in spec_dsl
    assert 'orders-db = container "Orders DB" "Orders and the outbox table" "PostgreSQL" "Database"' in spec_dsl
    assert ('order-service -> kafka "publishes OrderPlaced to food.orders.v1" "Kafka" "Asynchronous"'
            in spec_dsl)


def test_spec_workspace_has_every_view_with_archkit_keys(spec_dsl):
    assert 'systemLandscape "landscape"' in spec_dsl
    assert 'systemContext food-delivery-platform "context-food-delivery-platform"' in spec_dsl
    assert 'container food-delivery-platform "container-food-delivery-platform"' in spec_dsl
    assert 'component order-service "component-order-service"' in spec_dsl
    assert spec_dsl.count("autoLayout tb") == 4
    assert 'relationship "Asynchronous" {\n                dashed true' in spec_dsl


def test_direct_relationships_come_before_those_of_children(spec_dsl):
    """Structurizr then does not imply a second order-service -> orders-db relationship from the components."""
    lines = spec_dsl.splitlines()
    direct = next(i for i, line in enumerate(lines) if line.strip().startswith("order-service -> orders-db"))
    from_component = next(i for i, line in enumerate(lines) if line.strip().startswith("outbox-relay -> orders-db"))
    assert direct < from_component


def test_hostile_workspace_is_well_formed(tmp_path):
    text = render_files(HOSTILE_MODEL, "structurizr", tmp_path)["structurizr/workspace.dsl"].read_text("utf-8")
    check_dsl(text)
    assert "Привет 🍕" in text


@pytest.mark.parametrize("text, expected", [
    ('say "hi"', 'say \\"hi\\"'),
    ("end\\", "end\u29f5"),
    ("${HOME}", "$\u200b{HOME}"),
    ("a\nb", "a b"),
])
def test_dsl_text_escaping(text, expected):
    assert dsl_text(text) == expected


def test_dsl_is_byte_identical_across_runs(tmp_path, spec_dsl):
    again = render_files(SPEC_MODEL, "structurizr", tmp_path)["structurizr/workspace.dsl"].read_text("utf-8")
    assert again == spec_dsl
