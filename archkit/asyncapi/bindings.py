"""Kafka 0.5.0 and AMQP 0.3.0 bindings: the field names live here once, for writing and for reading.

Only binding versions the official AsyncAPI 3.0.0 schema bundles are written. What the bindings
cannot say (a topic's key field, the exchange and binding key a queue is bound with, its dead-letter
queue) goes into `x-` extensions on the channel, named in `EXTENSIONS` so readers and writers agree.
"""

from __future__ import annotations

from typing import Any

KAFKA_VERSION = "0.5.0"
AMQP_VERSION = "0.3.0"

#: archkit's specification extensions (AsyncAPI allows `x-` fields on every object).
X_KEY = "x-key"  # channel and message: the payload field used as partition / message key
X_EXCHANGE = "x-exchange"  # queue channel: the exchange it is bound to (its address)
X_BINDING_KEY = "x-binding-key"  # queue channel: the binding pattern
X_DEAD_LETTER = "x-dead-letter"  # queue channel: the address of its dead-letter queue
X_DEAD_LETTER_OF = "x-dead-letter-of"  # dead-letter channel: the queue whose rejects it holds
X_PRODUCERS = "x-producers"
X_CONSUMERS = "x-consumers"
X_SERVICE = "x-service"  # operation: the application that performs it
X_VERSION = "x-version"  # message: the event's version
X_KIND = "x-kind"  # message: "command" (events are the default)

#: Broker kind -> AsyncAPI server protocol, and a placeholder host for the server variable.
PROTOCOLS = {"kafka": "kafka", "rabbitmq": "amqp", "sqs": "sqs", "nats": "nats", "redis": "redis",
             "activemq": "jms", "generic": "generic"}
DEFAULT_PORTS = {"kafka": 9092, "amqp": 5672, "nats": 4222, "redis": 6379, "jms": 61616}


def kafka_channel(topic: str, partitions: int | None, replicas: int | None, retention_ms: int | None,
                  cleanup_policy: str | None) -> dict[str, Any]:
    """`channels.<id>.bindings.kafka`: the topic and the settings consumers and producers rely on."""
    binding: dict[str, Any] = {"topic": topic}
    if partitions is not None:
        binding["partitions"] = partitions
    if replicas is not None:
        binding["replicas"] = replicas
    config: dict[str, Any] = {}
    if retention_ms is not None:
        config["retention.ms"] = retention_ms
    if cleanup_policy:
        config["cleanup.policy"] = [p.strip() for p in cleanup_policy.split(",") if p.strip()]
    if config:
        binding["topicConfiguration"] = config
    binding["bindingVersion"] = KAFKA_VERSION
    return binding


def amqp_exchange(name: str, type: str | None, durable: bool | None, auto_delete: bool | None,
                  vhost: str | None) -> dict[str, Any]:
    """`channels.<id>.bindings.amqp` for an exchange (`is: routingKey`)."""
    exchange = _present(name=name, type=type, durable=durable, autoDelete=auto_delete, vhost=vhost)
    return {"is": "routingKey", "exchange": exchange, "bindingVersion": AMQP_VERSION}


def amqp_queue(name: str, durable: bool | None, exclusive: bool | None, auto_delete: bool | None,
               vhost: str | None) -> dict[str, Any]:
    """`channels.<id>.bindings.amqp` for a queue (`is: queue`)."""
    queue = _present(name=name, durable=durable, exclusive=exclusive, autoDelete=auto_delete, vhost=vhost)
    return {"is": "queue", "queue": queue, "bindingVersion": AMQP_VERSION}


def kafka_consumer(group: str) -> dict[str, Any]:
    """`operations.<id>.bindings.kafka` of a receive: the consumer group as a schema (binding 0.5.0)."""
    return {"groupId": {"type": "string", "enum": [group]}, "bindingVersion": KAFKA_VERSION}


def amqp_publisher(routing_keys: list[str], persistent: bool) -> dict[str, Any]:
    """`operations.<id>.bindings.amqp` of a send: routing keys (`cc`) and delivery mode (2 = persistent)."""
    binding: dict[str, Any] = {}
    if routing_keys:
        binding["cc"] = list(routing_keys)
    binding["deliveryMode"] = 2 if persistent else 1
    binding["bindingVersion"] = AMQP_VERSION
    return binding


def amqp_consumer(ack: bool) -> dict[str, Any]:
    """`operations.<id>.bindings.amqp` of a receive: whether the consumer acknowledges."""
    return {"ack": ack, "bindingVersion": AMQP_VERSION}


def kafka_message(key_schema: dict[str, Any]) -> dict[str, Any]:
    """`components.messages.<id>.bindings.kafka`: the schema of the message key."""
    return {"key": key_schema, "bindingVersion": KAFKA_VERSION}


# --- reading --------------------------------------------------------------------------------------
def read_channel(bindings: dict[str, Any], extensions: dict[str, Any]) -> dict[str, Any]:
    """ChannelContract fields from a channel's bindings and archkit's `x-` extensions."""
    fields: dict[str, Any] = {}
    kafka, amqp = bindings.get("kafka"), bindings.get("amqp")
    if isinstance(kafka, dict):
        config = _mapping(kafka.get("topicConfiguration"))
        policy = config.get("cleanup.policy")
        fields.update(
            kind="topic", protocol="kafka", partitions=_int(kafka.get("partitions")), replicas=_int(kafka.get("replicas")),
            retention_ms=_int(config.get("retention.ms")),
            cleanup_policy=",".join(policy) if isinstance(policy, list) else policy if isinstance(policy, str) else None,
        )
    if isinstance(amqp, dict):
        fields["protocol"] = "amqp"
        if amqp.get("is") == "queue":
            queue = _mapping(amqp.get("queue"))
            fields.update(kind="queue", durable=_bool(queue.get("durable")))
        else:
            exchange = _mapping(amqp.get("exchange"))
            fields.update(kind="exchange", exchange_type=_str(exchange.get("type")), durable=_bool(exchange.get("durable")))
    fields.update(
        key=_str(extensions.get(X_KEY)), bind=_str(extensions.get(X_EXCHANGE)),
        binding_key=_str(extensions.get(X_BINDING_KEY)), dead_letter=_str(extensions.get(X_DEAD_LETTER)),
    )
    return {k: v for k, v in fields.items() if v is not None}


def read_group(bindings: dict[str, Any]) -> str | None:
    """The Kafka consumer group of a receive operation, when its `groupId` schema names one (`const`, or
    an `enum` of one, as archkit writes it); a mere `type: string` names none."""
    kafka = bindings.get("kafka")
    schema = kafka.get("groupId") if isinstance(kafka, dict) else None
    if not isinstance(schema, dict):
        return None
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    return values[0] if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str) else None


def read_routing_keys(bindings: dict[str, Any]) -> list[str]:
    """The routing keys (`cc`) of an AMQP send operation."""
    amqp = bindings.get("amqp")
    cc = amqp.get("cc") if isinstance(amqp, dict) else None
    return [k for k in cc if isinstance(k, str)] if isinstance(cc, list) else []


def _present(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: Any) -> dict[str, Any]:
    """A binding's nested object, or an empty one when a document leaves it out or gets its type wrong."""
    return value if isinstance(value, dict) else {}
