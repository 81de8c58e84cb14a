"""Messaging detail on the pictures (issue 23): consumer groups, routing and binding keys, replicas, the
dead-letter path, a shape per kind of channel, the legend, and the dense-arrow rule (docs/c4.md).

One model (tests/messaging_model.py) is rendered once per module through `archkit render`, with brokers
and with channel nodes; the pictures are drawn by the real PlantUML and the real mermaid.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SPEC_MODEL

from archkit.cli import main

MODEL = Path(__file__).parent / "messaging_model.py"
FORMATS = "c4-plantuml,c4-mermaid,structurizr,sequence-plantuml"


def _render(out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(main, ["render", str(MODEL), "-o", str(out), "-f", FORMATS, *extra])
    assert result.exit_code == 0, result.output
    return out / "bank"


@pytest.fixture(scope="module")
def brokers(tmp_path_factory) -> Path:
    return _render(tmp_path_factory.mktemp("brokers"))


@pytest.fixture(scope="module")
def channels(tmp_path_factory) -> Path:
    return _render(tmp_path_factory.mktemp("channels"), "--channel-nodes")


def _text(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def test_a_consume_arrow_names_its_group_and_who_shares_it(brokers):
    puml = _text(brokers, "c4/container-bank.puml")
    assert ('Rel(kafka, ledger, "delivers PaymentTaken from bank.payments.v1 (group ledger, shared with Audit trail)"'
            in puml)
    assert 'Rel(kafka, audit_trail, "delivers PaymentTaken from bank.payments.v1 (group ledger, shared with Ledger x3)"' \
        not in puml  # the other member is named by its name, not its drawn label
    assert "(group ledger, shared with Ledger)" in puml
    assert "(group ledger, shared with Audit trail)" in _text(brokers, "c4/container-bank.mmd")
    assert "(group ledger, shared with Audit trail)" in _text(brokers, "structurizr/workspace.dsl")
    assert "group ledger, shared with Audit trail" in _text(brokers, "flows/event-map.puml")


def test_amqp_arrows_carry_the_routing_and_the_binding_key(brokers, channels):
    puml = _text(brokers, "c4/container-bank.puml")
    assert "to bank.receipts (key receipt.email.payment)" in puml
    assert 'Rel(rabbitmq, mailer, "delivers ReceiptRequested from bank.receipts.email (binding receipt.email.&#35;)"' \
        in puml
    nodes = _text(channels, "c4/container-bank.puml")
    assert 'Rel(channel__bank_receipts, channel__bank_receipts_email, "routes receipt.email.&#35;"' in nodes
    assert 'Rel(channel__bank_receipts_email, mailer, "delivers ReceiptRequested", "AMQP"' in nodes  # bound above
    event_map = _text(brokers, "flows/event-map.puml")
    assert "key receipt.email.payment" in event_map and "binding receipt.email.&#35;" in event_map


def test_replicas_show_on_the_container(brokers):
    assert 'Container(ledger, "Ledger x3", "Java", "Books every payment")' in _text(brokers, "c4/container-bank.puml")
    assert 'Container(ledger, "Ledger x3", "Java", "Books every payment")' in _text(brokers, "c4/container-bank.mmd")
    assert '"replicas" "3"' in _text(brokers, "structurizr/workspace.dsl")


def test_the_dead_letter_path_has_its_own_red_dashed_arrow_in_every_view(brokers, channels):
    style = 'AddRelTag("dead-letter", $textColor = "#C62828", $lineColor = "#C62828", $lineStyle = DashedLine())'
    dlq = 'ContainerQueue(channel__bank_receipts_email__dlq, "bank.receipts.email.dlq", "RabbitMQ dead-letter queue"'
    nodes = _text(channels, "c4/container-bank.puml")
    assert style in nodes and dlq in nodes
    assert ('Rel(channel__bank_receipts_email, channel__bank_receipts_email__dlq, "dead-letters", "AMQP", '
            '$tags="dead-letter")') in nodes  # from its queue, not floating
    assert ('Rel(rabbitmq, channel__bank_receipts_email__dlq, "dead-letters bank.receipts.email", "AMQP", '
            '$tags="dead-letter")') in _text(brokers, "c4/container-bank.puml")
    component = _text(brokers, "c4/component-mailer.puml")
    assert dlq in component and '"dead-letters bank.receipts.email", "AMQP", $tags="dead-letter")' in component
    assert ('UpdateRelStyle(channel__bank_receipts_email, channel__bank_receipts_email__dlq, $textColor="#C62828", '
            '$lineColor="#C62828")') in _text(channels, "c4/container-bank.mmd")
    assert re.search(r"^c_bank_receipts_email -\[#C62828,dashed\]-> c_bank_receipts_email__dlq : ReceiptRequested",
                     _text(brokers, "flows/event-map.puml"), re.MULTILINE)
    assert '"dead letters of bank.receipts.email" "bank.receipts.email.dlq"' in _text(brokers, "structurizr/workspace.dsl")


def test_topic_exchange_and_queue_have_different_shapes(channels):
    puml, mmd = _text(channels, "c4/container-bank.puml"), _text(channels, "c4/container-bank.mmd")
    for text in (puml, mmd):
        assert 'ContainerDb(channel__bank_payments_v1, "bank.payments.v1"' in text
        assert re.search(r'\bContainer\(channel__bank_receipts, "bank.receipts"', text)
        assert 'ContainerQueue(channel__bank_receipts_email, "bank.receipts.email"' in text
    assert 'AddElementTag("exchange", $shape = EightSidedShape())' in puml
    assert re.search(r'Container\(channel__bank_receipts, .*\$tags="exchange"\)', puml)
    event_map = _text(channels, "flows/event-map.puml")
    assert re.search(r'^\s+database "bank.payments.v1', event_map, re.MULTILINE)
    assert re.search(r'^\s+hexagon "bank.receipts\\n', event_map, re.MULTILINE)
    assert re.search(r'^\s+queue "bank.receipts.email\\n', event_map, re.MULTILINE)


def test_more_than_three_events_on_an_arrow_move_into_a_note(brokers):
    lines = _text(brokers, "c4/container-bank.puml").splitlines()
    rel = lines.index('Rel(payments_api, kafka, "publishes 4 events to bank.payments.v1", "Kafka", $tags="async")')
    assert lines[rel + 1] == ("note on link: publishes PaymentTaken, PaymentBooked, PaymentRefunded, PaymentDisputed "
                              "to bank.payments.v1")
    mmd = _text(brokers, "c4/container-bank.mmd")
    assert 'Rel(payments_api, kafka, "publishes 4 events to bank.payments.v1", "Kafka")' in mmd and "note" not in mmd
    assert '"events" "publishes PaymentTaken, PaymentBooked, PaymentRefunded, PaymentDisputed to bank.payments.v1"' \
        in _text(brokers, "structurizr/workspace.dsl")
    assert "PaymentDisputed" in _text(brokers, "flows/event-map.puml")  # the map lists every event


def test_three_events_stay_on_the_label(tmp_path, cli):
    result = cli("render", SPEC_MODEL, "-o", tmp_path, "-f", "c4-plantuml", "--view", "container")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "food-delivery" / "c4" / "container-food-delivery-platform.puml").read_text()
    assert ("delivers PaymentSucceeded from food.payments.v1; OrderConfirmed from food.kitchen.v1; CourierAssigned "
            "from food.delivery.v1 (group notifications)") in text
    assert "note on link" not in text


def test_the_pictures_draw_with_a_legend_that_explains_the_notation(brokers, channels, tmp_path,
                                                                     assert_plantuml_renders, assert_mermaid_renders):
    pumls = sorted([*brokers.rglob("*.puml"), *channels.rglob("*.puml")])
    assert_plantuml_renders(pumls)
    assert_mermaid_renders(sorted([*brokers.rglob("*.mmd"), *channels.rglob("c4/container-*.mmd")]))
    svg = (tmp_path / "plantuml-check" / "container-bank.svg").read_text(encoding="utf-8")  # the channel-node one
    shown = " ".join(html.unescape(w) for w in re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    for row in ("\u250c\u254c\u254c\u2510 boundary", "synchronous call", "asynchronous message", "dead-letter path",
                "(group g): consumer group", "(key k): routing key", "xN: N replicas running",
                "N events: the list is in the note", "topic: a stored log (cylinder)", "exchange: routes by key"):
        assert row in shown, row
    assert "\u25af" not in svg  # C4-PlantUML's legend glyph, an empty box
    assert "(binding b): the key a queue is bound with" in _text(brokers, "c4/container-bank.puml")  # the queue is
    assert "(binding b)" not in _text(channels, "c4/container-bank.puml")  # a node there, its binding on its arrow


def test_a_declared_dead_letter_queue_is_drawn_as_one_and_its_reader_is_reached(tmp_path, cli):
    model = Path(__file__).parent.parent / "models" / "parcel_shipping.py"
    result = cli("render", model, "-o", tmp_path, "-f", "c4-plantuml", "--view", "container", "--channel-nodes")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "parcel-shipping" / "c4" / "container-shipping-platform.puml").read_text()
    assert ('ContainerQueue(channel__shipping_notices_email_dlq, "shipping.notices.email.dlq", '
            '"RabbitMQ dead-letter queue", "Notices rejected three times", $tags="dead-letter")') in text
    assert 'Rel(channel__shipping_notices_email, channel__shipping_notices_email_dlq, "dead-letters"' in text
    assert 'Rel(channel__shipping_notices_email_dlq, support_console, "delivers SenderNotified"' in text
