"""Mermaid C4 output: accepted by real mermaid, escaped against hostile labels, deterministic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from c4_outputs import HOSTILE_MODEL, example_outputs, render_files
from conftest import SPEC_MODEL

from archkit.formats.c4_mermaid import mermaid_text


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, dict[str, Path]]:
    root = tmp_path_factory.mktemp("c4-mermaid")
    return {
        "spec": render_files(SPEC_MODEL, "c4-mermaid", root / "spec"),
        "channels": render_files(SPEC_MODEL, "c4-mermaid", root / "channels", channel_nodes=True),
        "hostile": render_files(HOSTILE_MODEL, "c4-mermaid", root / "hostile"),
        **example_outputs("c4-mermaid", root),
    }


def test_every_view_renders_in_real_mermaid(outputs, assert_mermaid_renders):
    """Every view of the food-delivery model and the example models, with and without channel nodes (only
    container views differ with them)."""
    examples = [p for name, group in outputs.items() if name.startswith("example") for p in group.values()
                if name.endswith("brokers") or "/container-" in p.as_posix()]
    files = [*outputs["spec"].values(), *outputs["hostile"].values(),
             outputs["channels"]["c4/container-food-delivery-platform.mmd"], *examples]
    assert len(files) == 9 + 7 + 2  # the example models: 7 views, 2 of them container views
    assert_mermaid_renders(files)  # one browser for the batch


def test_spec_container_view_uses_c4_container_syntax(outputs):
    text = outputs["spec"]["c4/container-food-delivery-platform.mmd"].read_text()
    assert text.startswith("C4Container\n  title Containers: Food delivery platform\n")
    assert 'System_Boundary(food_delivery_platform__boundary, "Food delivery platform") {' in text
    assert 'ContainerQueue(kafka, "Kafka", "Apache Kafka 3.7", "Event log of the order choreography")' in text
    assert 'System_Ext(payment_gateway, "Payment gateway", "Charges saved cards")' in text
    assert 'Rel(payment_service, kafka, "publishes PaymentSucceeded, PaymentFailed to food.payments.v1", "Kafka")' \
        in text
    assert outputs["spec"]["c4/landscape.mmd"].read_text().startswith("C4Context\n")
    assert outputs["spec"]["c4/component-order-service.mmd"].read_text().startswith("C4Component\n")


def test_hostile_labels_stay_inside_their_quotes(outputs):
    for path in outputs["hostile"].values():
        text = path.read_text(encoding="utf-8")
        assert "%%" not in text and "<script" not in text and "${" not in text
        for line in text.splitlines()[2:]:
            if line.strip():
                # every line is one macro call (or a brace); each quoted argument closes on its line
                assert re.match(r"^\s*(\w+\(.*\)( \{)?|\})$", line), line
                assert line.count('"') % 2 == 0, line


@pytest.mark.parametrize("text, expected", [
    ('say "hi"; 100%', "say #34;hi#34;#59; 100#37;"),
    ("%%{init: {}}%%", "#37;#37;#123;init: #123;#125;#125;#37;#37;"),
    ("a\nb", "a b"),
    ("#quot;", "#35;quot#59;"),
    ("Привет 🍕", "Привет 🍕"),
    ("q\r\n", "q "),  # a final line break is a space too
])
def test_mermaid_text_escaping(text, expected):
    assert mermaid_text(text) == expected


def test_mermaid_output_is_byte_identical_across_runs(tmp_path):
    first = render_files(SPEC_MODEL, "c4-mermaid", tmp_path / "a")
    second = render_files(SPEC_MODEL, "c4-mermaid", tmp_path / "b")
    assert {k: p.read_bytes() for k, p in first.items()} == {k: p.read_bytes() for k, p in second.items()}
