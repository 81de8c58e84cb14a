"""C4-PlantUML output: accepted by real PlantUML, escaped against hostile labels, deterministic, via the CLI."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from c4_outputs import HOSTILE_MODEL, example_outputs, render_files
from conftest import SPEC_MODEL

from archkit.formats.c4_plantuml import plantuml_text

MACRO_LINE = re.compile(r"^\s*(Person|System|Container|Component|Boundary|System_Boundary|Container_Boundary|Rel)"
                        r"(_Ext|Db|Db_Ext|Queue|Queue_Ext)?\(")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, dict[str, Path]]:
    root = tmp_path_factory.mktemp("c4-plantuml")
    return {
        "spec": render_files(SPEC_MODEL, "c4-plantuml", root / "spec"),
        "channels": render_files(SPEC_MODEL, "c4-plantuml", root / "channels", channel_nodes=True),
        "hostile": render_files(HOSTILE_MODEL, "c4-plantuml", root / "hostile"),
        **example_outputs("c4-plantuml", root),
    }


def test_every_view_renders_in_real_plantuml_and_shows_hostile_text(outputs, assert_plantuml_renders, tmp_path):
    """Every view of the food-delivery model and of each example model, with and without channel nodes."""
    files = [p for group in outputs.values() for p in group.values()]
    assert len(files) == 12 + 2 * 7  # parcel shipping has 4 views, travel booking 3
    assert_plantuml_renders(files)  # one JVM for the batch; fails on any PlantUML error
    svg = (tmp_path / "plantuml-check" / "container-core-date-define.svg").read_text(encoding="utf-8")
    assert "<script" not in svg
    words = [html.unescape(w) for w in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    shown_text = " ".join(" ".join(words).split())
    for shown in ['"hi"', "back\\slash", "!include", "/etc/passwd", "@enduml", "%upper(", "{{ jinja", "**bold**",
                  "[[http://x]]", "--strike--", "${HOME}", "Привет", "🍕", 'Py"thon,',
                  "Pang <b>!include x</b> ${HOME}", "note on link: end note"]:  # the last two: a dense arrow's note
        assert shown in shown_text, f"{shown!r} is not shown as written"


def test_spec_files_are_one_per_view_with_the_right_include(outputs):
    spec = outputs["spec"]
    assert sorted(spec) == ["c4/component-order-service.puml", "c4/container-food-delivery-platform.puml",
                            "c4/context-food-delivery-platform.puml", "c4/landscape.puml"]
    text = spec["c4/container-food-delivery-platform.puml"].read_text()
    assert "!include <C4/C4_Container>" in text
    assert 'ContainerQueue(kafka, "Kafka", "Apache Kafka 3.7"' in text
    assert 'ContainerDb(orders_db, "Orders DB", "PostgreSQL"' in text
    assert 'System_Ext(payment_gateway, "Payment gateway"' in text
    assert 'Rel(order_service, kafka, "publishes OrderPlaced to food.orders.v1", "Kafka", $tags="async")' in text
    assert "legend right" in text and "DashedLine()" in text
    assert "!include <C4/C4_Component>" in spec["c4/component-order-service.puml"].read_text()


def test_channel_nodes_are_queues_inside_a_broker_boundary(outputs):
    text = outputs["channels"]["c4/container-food-delivery-platform.puml"].read_text()
    assert 'Boundary(kafka__boundary, "Kafka", "broker") {' in text
    assert re.search(r'^\s+ContainerDb\(channel__food_orders_v1, "food.orders.v1", "Kafka topic, 12 partitions"',
                     text, re.MULTILINE)


def test_hostile_labels_cannot_add_lines_or_directives(outputs):
    for path in outputs["hostile"].values():
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("@startuml ") and lines[-1] == "@enduml"
        directives = [line for line in lines if line.lstrip().startswith(("!", "@"))]
        assert directives == [lines[0], lines[1], lines[-1]], path.name  # @startuml, !include <C4/..>, @enduml
        legend = lines.index("legend right")
        assert lines[legend:] [-2:] == ["endlegend", "@enduml"]  # the legend is archkit's fixed text
        for line in lines[:legend]:
            if line.lstrip().startswith("note on link: "):
                assert "$" not in line and "%" not in line, line  # a dense arrow's list, escaped
                continue
            if "(" in line and not line.startswith(("title", "AddRelTag", "AddElementTag", "LAYOUT", "HIDE_")):
                assert MACRO_LINE.match(line), f"unexpected line {line!r} in {path.name}"
                body = re.sub(r'"[^"]*"', '""', line)  # nothing outside quotes but aliases and our own tags and links
                ours = ('$tags="async"', '$tags="dead-letter"', '$tags="exchange"', '$tags=""', '$link=""')
                for tag in ours:
                    body = body.replace(tag, "")
                assert "$" not in body, line
                assert "%" not in body


@pytest.mark.parametrize("text, expected", [
    ('say "hi", $x', "say &#34;hi&#34;, &#36;x"),
    ("a\nb\r\nc", "a\\nb\\nc"),
    ("!include x", "&#33;include x"),
    ("%upper(y)", "&#37;upper(y)"),
    ("a -- b // c", "a -&#45; b /&#47; c"),
    ("Привет 🍕", "Привет 🍕"),
    ("tab\there", "tab here"),
    ("a---b", "a-&#45;&#45;b"),  # every character of a run after the first
    ("x..y__z''", "x.&#46;y_&#95;z'&#39;"),
    ("&#65;", "&#38;\u200c&#35;65;"),  # an `&` before `#` never reads as an entity
    ("end\n", "end\\n"),  # a final line break is kept
    ("a\u2028b\x85c\rd", "a\\nb\\nc\\nd"),
    ("", ""),
])
def test_plantuml_text_escaping(text, expected):
    assert plantuml_text(text) == expected


def test_cli_renders_c4_plantuml_deterministically(cli, spec_model, tmp_path):
    first = cli("render", spec_model, "-o", tmp_path, "--format", "c4-plantuml")
    assert first.exit_code == 0, first.output
    folder = tmp_path / "food-delivery" / "c4"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(before) == 4
    again = cli("render", spec_model, "-o", tmp_path, "--format", "c4-plantuml")
    assert again.exit_code == 0 and "0 written, 4 unchanged" in again.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_cli_view_filter_and_template_override(cli, spec_model, tmp_path):
    templates = tmp_path / "templates" / "c4-plantuml"
    templates.mkdir(parents=True)
    templates.joinpath("view.puml.j2").write_text("@startuml\n' custom {{ view_name }}\n@enduml\n")
    result = cli("render", spec_model, "-o", tmp_path / "out", "-f", "c4-plantuml", "--view", "container",
                 "--templates", tmp_path / "templates")
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "out" / "food-delivery" / "c4").iterdir())
    assert [f.name for f in files] == ["container-food-delivery-platform.puml"]
    assert files[0].read_text() == "@startuml\n' custom container-food-delivery-platform\n@enduml\n"
