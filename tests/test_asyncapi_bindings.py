"""Kafka 0.5.0 and AMQP 0.3.0 bindings carry the model's values, field by field."""

from __future__ import annotations

import pytest
from asyncapi_support import asyncapi_errors, documents

TUNED_TOPIC = '''
from archkit import Event, Workspace

ws = Workspace("Tuned")
app = ws.system("App")
kafka = app.broker("Kafka", kind="kafka")
svc = app.container("Svc")


class Ping(Event, key="id"):
    id: int


topic = kafka.topic("pings", partitions=4, replicas=3, retention="forever", cleanup_policy="compact,delete")
svc.publishes(Ping, on=topic)
'''


@pytest.fixture
def kafka_doc(spec_model):
    return documents(spec_model)["kafka"]


@pytest.fixture
def rabbit_doc(spec_model):
    return documents(spec_model)["rabbitmq"]


def test_kafka_channel_binding(kafka_doc):
    binding = kafka_doc["channels"]["food-orders-v1"]["bindings"]["kafka"]
    assert binding["topic"] == "food.orders.v1"
    assert binding["partitions"] == 12
    assert binding["topicConfiguration"] == {"retention.ms": 604800000, "cleanup.policy": ["delete"]}
    assert binding["bindingVersion"] == "0.5.0"
    assert kafka_doc["channels"]["food-kitchen-v1"]["bindings"]["kafka"]["partitions"] == 6
    assert kafka_doc["channels"]["food-orders-v1"]["x-key"] == "order_id"


def test_kafka_replicas_infinite_retention_and_compaction(write_model):
    doc = documents(write_model(TUNED_TOPIC))["kafka"]
    binding = doc["channels"]["pings"]["bindings"]["kafka"]
    assert binding["replicas"] == 3 and binding["partitions"] == 4
    assert binding["topicConfiguration"] == {"retention.ms": -1, "cleanup.policy": ["compact", "delete"]}
    assert asyncapi_errors(doc) == []


def test_kafka_consumer_group_is_a_schema(kafka_doc):
    op = kafka_doc["operations"]["payment-service.receive.OrderPlaced"]
    assert op["bindings"]["kafka"] == {"groupId": {"type": "string", "enum": ["payments"]}, "bindingVersion": "0.5.0"}


def test_kafka_message_key_is_the_key_fields_schema(kafka_doc):
    message = kafka_doc["components"]["messages"]["OrderPlaced"]
    key_field = kafka_doc["components"]["schemas"]["OrderPlaced"]["properties"]["order_id"]
    assert message["bindings"]["kafka"]["key"] == key_field
    assert key_field["format"] == "uuid" and key_field["type"] == "string"
    assert message["x-key"] == "order_id"


def test_amqp_exchange_binding(rabbit_doc):
    channel = rabbit_doc["channels"]["notifications"]
    assert channel["address"] == "notifications"
    assert channel["bindings"]["amqp"] == {
        "is": "routingKey",
        "exchange": {"name": "notifications", "type": "topic", "durable": True, "autoDelete": False, "vhost": "/"},
        "bindingVersion": "0.3.0",
    }


def test_amqp_queue_binding_with_its_exchange_and_binding_key(rabbit_doc):
    channel = rabbit_doc["channels"]["notifications-sms"]
    amqp = channel["bindings"]["amqp"]
    assert amqp["is"] == "queue" and "exchange" not in amqp
    assert amqp["queue"] == {"name": "notifications.sms", "durable": True, "exclusive": False, "autoDelete": False,
                             "vhost": "/"}
    assert channel["x-exchange"] == "notifications"
    assert channel["x-binding-key"] == "app.notification.sms.#"
    assert list(channel["messages"]) == ["NotificationRequested"]  # routed here by the binding key
    assert rabbit_doc["channels"]["notifications-push"]["messages"] == {}  # the published key does not match


def test_amqp_publish_routing_key_and_delivery_mode(rabbit_doc):
    op = rabbit_doc["operations"]["notification-service.send.NotificationRequested"]
    assert op["channel"] == {"$ref": "#/channels/notifications"}
    assert op["bindings"]["amqp"] == {"cc": ["app.notification.sms.order"], "deliveryMode": 2, "bindingVersion": "0.3.0"}
    receive = rabbit_doc["operations"]["notification-service.receive.NotificationRequested"]
    assert receive["channel"] == {"$ref": "#/channels/notifications-sms"}
    assert receive["bindings"]["amqp"]["ack"] is True


def test_dead_letter_queue_is_its_own_channel(rabbit_doc):
    source = rabbit_doc["channels"]["notifications-sms"]
    assert source["x-dead-letter"] == "notifications.sms.dlq"
    dlq = rabbit_doc["channels"]["notifications-sms-dlq"]
    assert dlq["address"] == "notifications.sms.dlq"
    assert dlq["bindings"]["amqp"]["is"] == "queue"
    assert dlq["bindings"]["amqp"]["queue"]["name"] == "notifications.sms.dlq"
    assert dlq["x-dead-letter-of"] == "notifications.sms"
    assert dlq["messages"] == source["messages"]


def test_service_documents_carry_the_bindings_of_their_channels(spec_model):
    doc = documents(spec_model)["notification-service"]
    assert set(doc["servers"]) == {"kafka", "rabbitmq"}
    assert doc["servers"]["rabbitmq"]["protocol"] == "amqp"
    assert "notifications-sms-dlq" in doc["channels"]
    assert doc["operations"]["notification-service.receive.CourierAssigned"]["bindings"]["kafka"]["groupId"]["enum"] == [
        "notifications"]
