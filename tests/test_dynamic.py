"""`dynamic-plantuml`: a flow in C4 notation, numbered like the sequence diagram (rendering is checked
with the real jar in test_sequence_plantuml's batch)."""

from __future__ import annotations

import re
from pathlib import Path


def dynamic_text(cli, model: Path, out: Path, name: str) -> str:
    result = cli("render", model, "-o", out, "-f", "dynamic-plantuml")
    assert result.exit_code == 0, result.output
    return (out / "food-delivery" / "flows" / f"dynamic-{name}.puml").read_text(encoding="utf-8")


def test_checkout_dynamic_view_uses_c4_elements_and_numbered_relationships(cli, spec_model, tmp_path):
    text = dynamic_text(cli, spec_model, tmp_path, "checkout-with-a-saved-card")
    assert "!include <C4/C4_Dynamic>" in text
    assert 'Person(e_customer, "Customer", "Orders food in the web app")' in text
    assert re.search(r'^ContainerQueue\(c_food_orders_v1, "food\.orders\.v1", "Kafka topic", "Order lifecycle"\)$', text, re.MULTILINE)
    assert 'RelIndex("2", e_web_app, e_api_gateway, "POST /orders", "HTTPS/JSON")' in text
    numbers = [int(n) for n in re.findall(r'^RelIndex\("(\d+)"', text, re.MULTILINE)]
    assert numbers == list(range(1, 32)), "every message of the sequence diagram, numbered the same way"


def test_alternatives_and_branches_are_named_on_their_first_relationship(cli, spec_model, tmp_path):
    text = dynamic_text(cli, spec_model, tmp_path, "checkout-with-a-saved-card")
    assert 'RelIndex("9", e_payment_service, c_food_payments_v1, "[alt: PaymentSucceeded] PaymentSucceeded")' in text
    assert 'RelIndex("10", c_food_payments_v1, e_order_service, "[par: Order service] PaymentSucceeded")' in text
    assert 'RelIndex("11", e_order_service, e_order_service, "Mark the order paid")' in text
    assert 'RelIndex("29", e_payment_service, c_food_payments_v1, "[alt: PaymentFailed] PaymentFailed")' in text


def test_nested_blocks_that_open_together_name_both(cli, write_model, tmp_path):
    model = write_model('''
        from archkit import Workspace
        ws = Workspace("Food delivery")
        a = ws.person("A")
        s = ws.system("S")
        a.uses(s, "x")
        f = ws.flow("F")
        with f.alt():
            with f.case("outer"):
                with f.parallel():
                    with f.branch("inner"):
                        f.call(a, s, "go")
                    with f.branch("other"):
                        f.call(a, s, "too")
    ''')
    text = dynamic_text(cli, model, tmp_path, "f")
    assert 'RelIndex("1", e_a, e_s, "[alt: outer / par: inner] go")' in text
    assert 'RelIndex("2", e_a, e_s, "[par: other] too")' in text
