"""`sequence-mermaid`: flows as Mermaid sequenceDiagrams, checked by real mermaid."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import MODELS_DIR
from sequence_models import HOSTILE


def render(cli, model: Path, out: Path, *extra: str) -> list[Path]:
    result = cli("render", model, "-o", out, "-f", "mermaid", *extra)
    assert result.exit_code == 0, result.output
    return sorted(out.rglob("*.mmd"))


def test_every_flow_of_the_spec_models_and_hostile_labels_renders_in_mermaid(
        cli, spec_model, write_model, tmp_path, assert_mermaid_renders):
    files = render(cli, spec_model, tmp_path / "spec", "--trace", "OrderPlaced")
    for model in sorted(MODELS_DIR.iterdir()):
        if model.suffix == ".py" or (model / "__init__.py").is_file():
            files += render(cli, model, tmp_path / model.stem)
    files += render(cli, write_model(HOSTILE), tmp_path / "hostile", "--trace", "Заказ")
    assert {"checkout-with-a-saved-card.mmd", "payment-timeout.mmd", "trace-orderplaced.mmd",
            "flow-one-end.mmd"} <= {f.name for f in files}
    assert_mermaid_renders(files)


def test_checkout_sequence_diagram_shape(cli, spec_model, tmp_path):
    render(cli, spec_model, tmp_path)
    lines = (tmp_path / "food-delivery" / "flows" / "checkout-with-a-saved-card.mmd").read_text().splitlines()
    stripped = [line.strip() for line in lines]
    assert stripped[:4] == ["---", 'title: "Checkout with a saved card"', "---", "sequenceDiagram"]
    assert "actor e_customer as Customer" in stripped
    assert "autonumber" in stripped
    assert "e_web_app->>e_api_gateway: POST /orders [HTTPS/JSON]" in stripped
    assert "e_order_service-->>e_api_gateway: 202 Accepted" in stripped
    assert "e_order_service-)c_food_orders_v1: OrderPlaced" in stripped
    blocks = [s.split(" ")[0] for s in stripped if s.split(" ")[0] in ("alt", "else", "par", "and", "end")]
    assert blocks == ["alt", "par", "and", "par", "and", "and", "end", "and", "end", "else", "end"]


def test_hostile_labels_cannot_end_blocks_or_statements(cli, write_model, tmp_path):
    render(cli, write_model(HOSTILE), tmp_path)
    text = (tmp_path / "hostile" / "flows" / "flow-one-end.mmd").read_text(encoding="utf-8")
    labels = []
    for line in text.split("sequenceDiagram\n", 1)[1].splitlines():
        keyword, _, rest = line.strip().partition(" ")
        if keyword in ("alt", "else", "par", "and"):
            labels.append(rest)
        elif ": " in line:
            labels.append(line.split(": ", 1)[1])
        elif " as " in line:
            labels.append(line.split(" as ", 1)[1])
    assert len(labels) >= 15
    for label in labels:
        plain = re.sub(r"#\w+;", "", label)
        assert ";" not in plain and "#" not in plain and "%" not in plain and "<script" not in plain, label
        assert not re.search(r"\bend\b", plain, re.IGNORECASE), label
    assert "\n" not in "".join(labels)
