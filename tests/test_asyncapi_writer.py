"""`archkit render --format asyncapi`: one valid AsyncAPI 3.0.0 document per service and per broker."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
import yaml
from asyncapi_support import REPO, asyncapi_errors, documents, render_documents

from archkit.asyncapi import read_asyncapi

EXTRAS_MODEL = '''
from typing import Optional
from uuid import UUID
from pydantic import BaseModel
from archkit import Event, Workspace

ws = Workspace("Extras")
app = ws.system("App")
kafka = app.broker("Kafka", kind="kafka")
shop = app.container("Shop")
billing = app.container("Billing")


class Money(BaseModel):
    amount: str
    currency: str


class Quote(Event, version=1, key="quote_id", correlation_id="request_id"):
    """DESCRIPTION"""

    quote_id: UUID
    request_id: str
    price: Money
    note: Optional[str] = None


def _billing_event():
    class Money(BaseModel):  # another model named Money: pydantic names both "Money"
        cents: int

    class Invoice(Event, version=2, key="invoice_id"):
        """An invoice was issued."""

        invoice_id: UUID
        total: Money

    return Invoice


Invoice = _billing_event()
topic = kafka.topic("shop.quotes", "Quotes", partitions=3, key="quote_id")
shop.publishes(Quote, on=topic)
shop.publishes(Invoice, on=topic)
billing.consumes(Quote, on=topic, group="billing")
billing.consumes(Invoice, on=topic, group="billing")
'''

HOSTILE = "Colon: here # not a comment\n- not a list\n&anchor *alias !!python/object:os.system '\"\n---\n{{ x }} ünï ☃ \\ tab  \n..."
QUOTE_DOC = "A price was quoted.\n\n" + HOSTILE


@pytest.fixture
def extras_model(write_model) -> Path:
    return write_model(EXTRAS_MODEL.replace('"""DESCRIPTION"""', repr(QUOTE_DOC)), "extras.py")


def model_files(spec_model: Path) -> list[Path]:
    examples = sorted(p for p in (REPO / "models").iterdir()
                      if (p.suffix == ".py" and not p.name.startswith("_")) or (p / "__init__.py").is_file())
    assert spec_model in examples, "the contract model is one of the examples"
    return examples


def test_every_document_validates_against_the_official_schema(spec_model):
    for model in model_files(spec_model):
        docs = documents(model)
        assert docs, f"{model} produced no AsyncAPI document"
        for doc_id, doc in docs.items():
            assert asyncapi_errors(doc) == [], f"{model.name}: {doc_id}"


def test_validation_catches_a_broken_document(spec_model):
    doc = documents(spec_model)["kafka"]
    doc["channels"]["food-orders-v1"]["bindings"]["kafka"]["partitions"] = "12"
    assert any("partitions" in e and "'12' is not of type 'integer'" in e for e in asyncapi_errors(doc))
    doc = documents(spec_model)["rabbitmq"]
    doc["operations"]["notification-service.receive.NotificationRequested"]["action"] = "consume"
    assert any("'consume' is not one of" in e for e in asyncapi_errors(doc))


def test_one_document_per_service_that_messages_and_per_broker(spec_model):
    assert sorted(render_documents(spec_model)) == [
        f"asyncapi/{name}.yaml" for name in ("courier-service", "kafka", "notification-service", "order-service",
                                             "payment-service", "rabbitmq", "restaurant-service")
    ]


def test_a_service_document_is_its_own_view(spec_model):
    doc = documents(spec_model)["payment-service"]
    assert doc["info"]["title"] == "Payment service"
    assert "Charges the customer's card" in doc["info"]["description"]
    assert list(doc["servers"]) == ["kafka"]
    assert doc["servers"]["kafka"]["protocol"] == "kafka"
    assert doc["servers"]["kafka"]["host"] == "{kafka_host}"
    assert doc["servers"]["kafka"]["variables"]["kafka_host"]["default"] == "kafka:9092"
    assert [c["address"] for c in doc["channels"].values()] == ["food.orders.v1", "food.payments.v1"]
    ops = {(op["action"], op["channel"]["$ref"], op["messages"][0]["$ref"]) for op in doc["operations"].values()}
    assert ops == {
        ("receive", "#/channels/food-orders-v1", "#/channels/food-orders-v1/messages/OrderPlaced"),
        ("send", "#/channels/food-payments-v1", "#/channels/food-payments-v1/messages/PaymentSucceeded"),
        ("send", "#/channels/food-payments-v1", "#/channels/food-payments-v1/messages/PaymentFailed"),
    }
    receive = doc["operations"]["payment-service.receive.OrderPlaced"]
    assert receive["summary"] == "Charge the saved card"
    assert sorted(doc["components"]["messages"]) == ["OrderPlaced", "PaymentFailed", "PaymentSucceeded"]


def test_a_broker_document_shows_the_whole_bus(spec_model):
    doc = documents(spec_model)["kafka"]
    assert [c["address"] for c in doc["channels"].values()] == [
        "food.orders.v1", "food.payments.v1", "food.kitchen.v1", "food.delivery.v1"]
    services = {op["x-service"] for op in doc["operations"].values()}
    assert services == {"Order service", "Payment service", "Restaurant service", "Courier service",
                        "Notification service"}
    assert len(doc["operations"]) == 5 + 9  # every publication and subscription on Kafka
    payments = doc["channels"]["food-payments-v1"]
    assert payments["x-producers"] == ["Payment service"]
    assert sorted(payments["x-consumers"]) == ["Notification service", "Order service", "Restaurant service"]
    assert doc["components"]["messages"]["OrderConfirmed"]["x-consumers"] == [
        "Order service", "Courier service", "Notification service"]


def test_who_sends_and_receives_shows_only_in_the_broker_document(spec_model):
    """A broker's channel and message are a service's (one object, written once) plus who sends and
    receives there; the service's document never gets them."""
    docs = documents(spec_model)
    brokers = {doc_id: doc for doc_id, doc in docs.items() if doc_id in {s for d in docs.values() for s in d["servers"]}}
    assert set(brokers) == {"kafka", "rabbitmq"}
    compared = 0
    for doc_id, doc in docs.items():
        if doc_id in brokers:
            continue
        for channel_id, channel in doc["channels"].items():
            if "x-dead-letter-of" in channel:  # a dead-letter queue made up from its name: nobody's
                continue
            broker = brokers[channel["servers"][0]["$ref"].rsplit("/", 1)[1]]
            pairs = [(channel, broker["channels"][channel_id])] + [
                (doc["components"]["messages"][key], broker["components"]["messages"][key]) for key in channel["messages"]]
            for entry, whole in pairs:
                assert "x-producers" not in entry and "x-consumers" not in entry, doc_id
                assert "x-producers" in whole or "x-consumers" in whole
                if entry.get("messages") == whole.get("messages"):  # the same messages on the channel
                    assert {k: v for k, v in whole.items() if k not in ("x-producers", "x-consumers")} == entry
                    compared += 1
    assert compared >= 10


def test_messages_and_schemas(spec_model):
    doc = documents(spec_model)["kafka"]
    message = doc["components"]["messages"]["OrderPlaced"]
    assert message["name"] == "OrderPlaced"
    assert message["title"] == "OrderPlaced"
    assert message["summary"] == "An order was accepted and awaits payment."
    assert message["description"] == "An order was accepted and awaits payment. No money has been charged yet."
    assert message["contentType"] == "application/json"
    assert message["payload"] == {"$ref": "#/components/schemas/OrderPlaced"}
    schemas = doc["components"]["schemas"]
    assert schemas["OrderPlaced"]["properties"]["total"] == {"$ref": "#/components/schemas/Money"}
    assert schemas["Money"]["properties"]["currency"]["pattern"] == "^[A-Z]{3}$"
    assert "$defs" not in json.dumps(doc)


def test_correlation_id_optional_fields_and_version(extras_model):
    doc = documents(extras_model)["kafka"]
    quote = doc["components"]["messages"]["Quote"]
    assert quote["correlationId"] == {"location": "$message.payload#/request_id"}
    schema = doc["components"]["schemas"]["Quote"]
    assert "note" not in schema["required"]
    assert schema["properties"]["note"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    invoice = doc["components"]["messages"]["Invoice.v2"]
    assert (invoice["name"], invoice["title"], invoice["x-version"]) == ("Invoice", "Invoice v2", 2)
    assert asyncapi_errors(doc) == []


def test_two_events_defining_the_same_name_keep_both_definitions(extras_model):
    schemas = documents(extras_model)["kafka"]["components"]["schemas"]
    # events are added by name: Invoice (v2) first keeps "Money"; Quote's different Money is renamed
    assert schemas["Invoice.v2"]["properties"]["total"] == {"$ref": "#/components/schemas/Money"}
    assert set(schemas["Money"]["properties"]) == {"cents"}
    assert schemas["Quote"]["properties"]["price"] == {"$ref": "#/components/schemas/Quote.Money"}
    assert set(schemas["Quote.Money"]["properties"]) == {"amount", "currency"}


def test_hostile_descriptions_stay_valid_yaml_and_read_back_exactly(extras_model):
    [text] = [t for p, t in render_documents(extras_model).items() if p.endswith("kafka.yaml")]
    tags = set()
    stack = [yaml.compose(text)]
    while stack:
        node = stack.pop()
        tags.add(node.tag.rsplit(":", 1)[-1])
        stack.extend(v for pair in node.value for v in pair) if isinstance(node, yaml.MappingNode) else (
            stack.extend(node.value) if isinstance(node, yaml.SequenceNode) else None)
    assert tags <= {"map", "seq", "str", "int", "bool", "float", "null"}  # no tag a loader could act on
    expected = inspect.cleandoc(QUOTE_DOC)
    doc = yaml.safe_load(text)
    assert doc["components"]["messages"]["Quote"]["description"] == expected
    assert asyncapi_errors(doc) == []
    assert read_asyncapi(text).messages["Quote"].description == expected


def test_rendering_is_deterministic_and_json_matches_yaml(spec_model):
    first, second = render_documents(spec_model), render_documents(spec_model)
    assert first == second
    as_json = {p.replace(".json", ".yaml"): json.loads(t) for p, t in render_documents(spec_model, "asyncapi-json").items()}
    assert as_json == {p: yaml.safe_load(t) for p, t in first.items()}


def test_cli_render_writes_asyncapi_files(cli, spec_model, tmp_path):
    result = cli("render", spec_model, "-o", tmp_path, "--format", "asyncapi,asyncapi-json")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "food-delivery" / "asyncapi"
    assert len(list(folder.glob("*.yaml"))) == 7 and len(list(folder.glob("*.json"))) == 7
    doc = yaml.safe_load((folder / "order-service.yaml").read_text(encoding="utf-8"))
    assert doc["asyncapi"] == "3.0.0" and asyncapi_errors(doc) == []
    again = cli("render", spec_model, "-o", tmp_path, "--format", "asyncapi-all")
    assert again.exit_code == 0 and "0 written, 14 unchanged" in again.output
