"""Writing a ContractSnapshot back as an AsyncAPI 3.0.0 document (the whole bus, like a broker document).

Used to turn a baseline read from anywhere (lock file, git ref, a partner's document) into a
document, and to prove the reader loses nothing: reading the written document gives the snapshot back.
Operations are rebuilt one per (application, action, channel): a snapshot keeps who sends and
receives, not how the original document grouped its operations.
"""

from __future__ import annotations

from typing import Any

from archkit.asyncapi import bindings as b
from archkit.asyncapi import objects
from archkit.asyncapi.schemas import SchemaComponents, component_name
from archkit.contracts.schema_formats import media_type
from archkit.contracts.snapshot import ChannelContract, ContractSnapshot, MessageContract
from archkit.model.ids import slugify


def snapshot_to_asyncapi(snapshot: ContractSnapshot, version: str = "1.0.0") -> dict[str, Any]:
    """An AsyncAPI 3.0.0 document (plain data) with every channel, message, schema and producer/consumer."""
    message_ids = _unique_ids(snapshot.messages, component_name)
    channel_ids = _unique_ids({c.address: c for c in snapshot.channels.values()}, slugify)
    servers = _servers(snapshot)
    schemas = SchemaComponents(reserved=list(message_ids.values()))
    on_kafka = {m for c in snapshot.channels.values() if c.protocol == "kafka" for m in c.messages}
    messages: dict[str, Any] = {}
    for key, msg in sorted(snapshot.messages.items()):
        mid = message_ids[key]
        json_schema = msg.schema_format is None
        payload = schemas.add(mid, msg.schema) if json_schema else {"schemaFormat": media_type(msg.schema_format),
                                                                    "schema": msg.schema}
        messages[mid] = objects.message(
            msg.name, _label(msg), msg.description, payload, version=msg.version, kind=msg.kind, key=msg.key,
            key_schema=objects.key_schema(schemas.schemas.get(mid), msg.key) if key in on_kafka and json_schema else None,
            extensions={b.X_PRODUCERS: msg.producers, b.X_CONSUMERS: msg.consumers},
        )
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for channel in snapshot.channels.values():
        cid = channel_ids[channel.address]
        keys = [message_ids[k] for k in channel.messages if k in message_ids]
        server_id = _server_id(channel)
        channels[cid] = objects.channel(
            channel.address, channel.address, "", [server_id] if server_id in servers else [], keys,
            _channel_bindings(channel), _channel_extensions(channel),
        )
        operations.update(_operations(snapshot, channel, cid, message_ids))
    return objects.document(
        f"urn:archkit:{slugify(snapshot.name)}", objects.info(snapshot.name, version, ""), servers, channels,
        operations, messages, schemas.schemas,
    )


def _label(msg: MessageContract) -> str:
    return msg.name if msg.version in (None, 1) else f"{msg.name} v{msg.version}"


def _unique_ids(items: dict[str, Any], make: Any) -> dict[str, str]:
    """Stable, distinct ids (in key order): the made id, then `-2`, `-3` ... for repeats."""
    out: dict[str, str] = {}
    for key in sorted(items):
        base = make(key)
        candidate, n = base, 2
        while candidate in out.values():
            candidate, n = f"{base}-{n}", n + 1
        out[key] = candidate
    return out


def _server_id(channel: ChannelContract) -> str:
    return slugify(channel.broker or channel.protocol)


def _servers(snapshot: ContractSnapshot) -> dict[str, Any]:
    servers: dict[str, Any] = {}
    for channel in snapshot.channels.values():
        sid = _server_id(channel)
        if sid not in servers:
            servers[sid] = objects.server(sid, channel.broker or channel.protocol, channel.protocol)
    return servers


def _channel_bindings(channel: ChannelContract) -> dict[str, Any]:
    if channel.protocol == "kafka":
        return {"kafka": b.kafka_channel(channel.address, channel.partitions, channel.replicas, channel.retention_ms,
                                         channel.cleanup_policy)}
    if channel.protocol == "amqp" and channel.kind == "exchange":
        return {"amqp": b.amqp_exchange(channel.address, channel.exchange_type, channel.durable, None, None)}
    if channel.protocol == "amqp" and channel.kind == "queue":
        return {"amqp": b.amqp_queue(channel.address, channel.durable, None, None, None)}
    return {}


def _channel_extensions(channel: ChannelContract) -> dict[str, Any]:
    return {
        b.X_KEY: channel.key, b.X_EXCHANGE: channel.bind, b.X_BINDING_KEY: channel.binding_key,
        b.X_DEAD_LETTER: channel.dead_letter, b.X_PRODUCERS: channel.producers, b.X_CONSUMERS: channel.consumers,
    }


def _operations(snapshot: ContractSnapshot, channel: ChannelContract, cid: str,
                message_ids: dict[str, str]) -> dict[str, Any]:
    """send per producer (not on queues: AMQP producers publish to the exchange), receive per consumer."""
    roles = [("receive", channel.consumers)] if channel.kind == "queue" else [("send", channel.producers),
                                                                              ("receive", channel.consumers)]
    out: dict[str, Any] = {}
    for action, services in roles:
        for service in services:
            mine = [k for k in channel.messages if k in snapshot.messages
                    and service in getattr(snapshot.messages[k], "producers" if action == "send" else "consumers")]
            keys = [message_ids[k] for k in (mine or channel.messages) if k in message_ids]
            bindings = {"amqp": b.amqp_publisher(channel.routing_keys, True)} if action == "send" and channel.routing_keys else {}
            out[f"{slugify(service)}.{action}.{cid}"] = objects.operation(action, cid, keys, service, bindings=bindings)
    return out
