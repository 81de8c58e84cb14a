"""Reading AsyncAPI 3.0 documents (archkit's and anyone's) into the contract snapshot, and back."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from asyncapi_support import DATA, asyncapi_errors, documents

from archkit.asyncapi import AsyncApiError, read_asyncapi, snapshot_to_asyncapi
from archkit.errors import ArchkitError

PARTNER = DATA / "partner_shop.asyncapi.yaml"


def operations(doc: dict) -> set[tuple[str, str, str, str]]:
    """(service, action, channel address, message name) of every operation, however they are grouped."""
    out = set()
    for op in doc["operations"].values():
        channel_id = op["channel"]["$ref"].rsplit("/", 1)[-1]
        for ref in op["messages"]:
            message = doc["components"]["messages"][doc["channels"][channel_id]["messages"][ref["$ref"].rsplit("/", 1)[-1]]
                                                    ["$ref"].rsplit("/", 1)[-1]]
            out.add((op["x-service"], op["action"], doc["channels"][channel_id]["address"], message["name"]))
    return out


def test_reading_then_writing_keeps_every_channel_operation_message_and_schema(spec_model):
    for doc_id, original in documents(spec_model).items():
        snapshot = read_asyncapi(yaml.safe_dump(original, sort_keys=False))
        written = snapshot_to_asyncapi(snapshot)
        assert asyncapi_errors(written) == [], doc_id
        assert {c["address"] for c in written["channels"].values()} == {c["address"] for c in original["channels"].values()}
        assert {m["name"] for m in written["components"]["messages"].values()} == {
            m["name"] for m in original["components"]["messages"].values()}
        assert written["components"]["schemas"] == original["components"]["schemas"], doc_id
        assert operations(written) == operations(original), doc_id
        assert read_asyncapi(json.dumps(written)) == snapshot, doc_id


def test_archkit_documents_read_into_the_models_contract(spec_model):
    snapshot = read_asyncapi(yaml.safe_dump(documents(spec_model)["kafka"]))
    orders = snapshot.channels["food.orders.v1"]
    assert (orders.kind, orders.protocol, orders.broker) == ("topic", "kafka", "Kafka")
    assert (orders.partitions, orders.retention_ms, orders.cleanup_policy, orders.key) == (12, 604800000, "delete", "order_id")
    assert orders.producers == ["Order service"] and orders.consumers == ["Payment service"]
    placed = snapshot.messages["OrderPlaced"]
    assert (placed.version, placed.key, placed.channels) == (1, "order_id", ["food.orders.v1"])
    assert placed.schema["properties"]["total"] == {"$ref": "#/$defs/Money"}
    from archkit.engine.loader import load_model

    [ws] = load_model(spec_model).workspaces
    event = next(e for e in ws.index.event_classes if e.__name__ == "OrderPlaced")
    assert placed.schema == event.model_json_schema()  # the same schema the model gives

    rabbit = read_asyncapi(yaml.safe_dump(documents(spec_model)["rabbitmq"]))
    exchange, queue = rabbit.channels["notifications"], rabbit.channels["notifications.sms"]
    assert (exchange.kind, exchange.exchange_type, exchange.durable) == ("exchange", "topic", True)
    assert exchange.routing_keys == ["app.notification.sms.order"]
    assert (queue.kind, queue.bind, queue.binding_key, queue.dead_letter) == (
        "queue", "notifications", "app.notification.sms.#", "notifications.sms.dlq")
    assert queue.producers == ["Notification service"]  # reaches it through the exchange


def test_a_foreign_document_with_refs_reads_correctly():
    assert asyncapi_errors(yaml.safe_load(PARTNER.read_text(encoding="utf-8"))) == []
    snapshot = read_asyncapi(PARTNER)
    assert snapshot.name == "Partner shop"
    users, orders = snapshot.channels["user.signedup"], snapshot.channels["orders.v1"]
    assert (users.protocol, users.broker, users.partitions, users.replicas, users.retention_ms) == (
        "kafka", "production", 3, 2, 86400000)
    assert (orders.partitions, orders.cleanup_policy, orders.messages) == (6, "compact", ["OrderCreated"])
    assert users.consumers == ["Partner shop"] and orders.producers == ["Partner shop"]

    signed_up = snapshot.messages["UserSignedUp"]
    assert signed_up.version is None and signed_up.channels == ["user.signedup"]
    assert signed_up.description == "A user finished signing up."  # from its trait
    assert signed_up.consumers == ["Partner shop"]
    assert set(signed_up.schema["$defs"]) == {"Address", "User"}  # recursive, copied once
    validator = jsonschema.Draft7Validator(signed_up.schema)
    assert validator.is_valid({"id": "u1", "address": {"city": "Oslo"}, "friends": [{"id": "u2", "friends": []}]})
    assert not validator.is_valid({"id": "u1", "friends": [{"address": {}}]})  # a friend without id

    created = snapshot.messages["OrderCreated"]  # no name: known by its key in components.messages
    assert created.description == "An order was created."
    order_validator = jsonschema.Draft7Validator(created.schema)
    assert order_validator.is_valid({"lines": [{"sku": "A-1"}]})
    assert not order_validator.is_valid({"lines": [{}]})


def test_a_foreign_document_round_trips():
    snapshot = read_asyncapi(PARTNER)
    written = snapshot_to_asyncapi(snapshot)
    assert asyncapi_errors(written) == []
    assert read_asyncapi(yaml.safe_dump(written)) == snapshot


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  a:
    address: a
    messages:
      m:
        $ref: 'REF'
"""


@pytest.mark.parametrize(("text", "message", "line"), [
    ("asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\n", "not an AsyncAPI 3.x document (asyncapi: '2.6.0')", 1),
    ("info: {title: T}\n", "not an AsyncAPI 3.x document (no 'asyncapi' field)", None),
    (MINIMAL.replace("REF", "#/components/messages/missing"), "points at nothing", 8),
    (MINIMAL.replace("REF", "https://example.com/m.yaml"), "is a URL: archkit never fetches references", 8),
    (MINIMAL.replace("REF", "#/channels/a/messages/m"), "$ref cycle", 8),
    ("asyncapi: 3.0.0\ninfo: {title: T\n", "not valid YAML", 3),
])
def test_errors_name_the_file_and_line(tmp_path, text, message, line):
    path = write(tmp_path, text)
    with pytest.raises(AsyncApiError) as caught:
        read_asyncapi(path)
    assert isinstance(caught.value, ArchkitError)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}: error:" if line else f"{path}: error:")


def test_an_invalid_avro_payload_names_the_message_and_line(tmp_path):
    text = MINIMAL.replace("$ref: 'REF'", "name: Avro\n        payload:\n          schemaFormat: "
                           "application/vnd.apache.avro;version=1.9.0\n          schema: {type: record}")
    path = write(tmp_path, text)
    with pytest.raises(AsyncApiError, match=f"^{path}:10: error: message 'Avro': not a valid Avro schema"):
        read_asyncapi(path)


def test_an_unreadable_file_is_an_error(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(AsyncApiError, match=f"^{missing}: error: cannot read"):
        read_asyncapi(missing)


def test_nothing_in_a_document_is_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"asyncapi: 3.0.0\ninfo: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(AsyncApiError, match="not valid YAML"):
        read_asyncapi(write(tmp_path, text))
    assert not marker.exists()


def test_json_text_and_dates_stay_strings():
    doc = {"asyncapi": "3.0.0", "info": {"title": "J", "version": "1"}, "channels": {"c": {"address": "c", "messages": {
        "m": {"payload": {"type": "string", "examples": ["2024-01-01"]}}}}}}
    assert read_asyncapi(json.dumps(doc)).messages["m"].schema["examples"] == ["2024-01-01"]
    yaml_text = "asyncapi: 3.0.0\ninfo: {title: Y, version: 1}\nchannels:\n  c:\n    messages:\n      m:\n" \
                "        payload: {type: string, examples: [2024-01-01]}\n"
    assert read_asyncapi(yaml_text).messages["m"].schema["examples"] == ["2024-01-01"]
