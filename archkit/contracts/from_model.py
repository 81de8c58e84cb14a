"""The contract snapshot of a loaded workspace: what the lock file stores and the checker compares.

Lists of names (producers, consumers, channels, routing keys) are sorted, so reordering lines in a model
file never shows up as a contract change.
"""

from __future__ import annotations

from typing import Any

from archkit.contracts.avro_schema import avro_schema
from archkit.contracts.modes import ModeMap, combine, parse_mode
from archkit.contracts.schema_formats import AVRO
from archkit.contracts.snapshot import ChannelContract, ChannelKind, ContractSnapshot, MessageContract, message_key
from archkit.errors import ModelError
from archkit.model.elements import Channel, Exchange, Queue, Topic
from archkit.model.events import event_info
from archkit.model.workspace import Workspace

PROTOCOLS = {"kafka": "kafka", "rabbitmq": "amqp"}


def snapshot_from_workspace(ws: Workspace) -> ContractSnapshot:
    """Every event (JSON Schema, version, key, channels, producers, consumers) and channel of `ws`."""
    index = ws.index
    snapshot = ContractSnapshot(name=ws.name)
    for channel in ws.channels.values():
        contract = _channel_contract(channel, index)
        snapshot.channels[contract.address] = contract
    carried_on: dict[str, list[str]] = {}  # message key -> addresses, built once (not a scan per event)
    for address, contract in snapshot.channels.items():
        for key in dict.fromkeys(contract.messages):
            carried_on.setdefault(key, []).append(address)
    for event in index.event_classes:
        info = event_info(event)
        key = message_key(info.name, info.version)
        snapshot.messages[key] = MessageContract(
            name=info.name,
            version=info.version,
            schema=avro_schema(event, ws.payloads) if info.format == "avro" else ws.payloads.of(event),
            schema_format=AVRO if info.format == "avro" else None,
            key=info.key,
            description=info.description,
            kind=info.kind,
            channels=sorted(carried_on.get(key, [])),
            producers=_names(pub.container for pub in index.producers_of(event)),
            consumers=_names(sub.container for sub in index.consumers_of(event)),
            location=info.origin,
            source=event,
        )
    return snapshot


def modes_from_workspace(ws: Workspace) -> ModeMap:
    """The compatibility mode the model sets for each message and channel (most specific wins).

    An event's own `compatibility=` beats its channels'; an event on several channels must satisfy all
    of theirs (BACKWARD on one and FORWARD on another: FULL); a channel's beats its broker's, which beats
    the workspace's. Entries are left out where nothing is set, so the caller's default applies.
    """
    modes = ModeMap()
    for channel in ws.channels.values():
        setting = channel.compatibility or channel.broker.compatibility or ws.compatibility
        if setting:
            modes.channels[channel.address] = _checked(setting, ws)
    index = ws.index
    for event in index.event_classes:
        info = event_info(event)
        key = message_key(info.name, info.version)
        if info.compatibility:
            modes.messages[key] = info.compatibility
            continue
        channels = {pub.channel for pub in index.producers_of(event)} | {sub.channel for sub in index.consumers_of(event)}
        combined = combine(parse_mode(modes.channels[c.address]) for c in channels if c.address in modes.channels)
        if combined is not None:
            modes.messages[key] = combined.name
        elif ws.compatibility:
            modes.messages[key] = _checked(ws.compatibility, ws)
    return modes


def _checked(setting: str, ws: Workspace) -> str:
    try:
        return parse_mode(setting).name
    except ValueError as exc:
        raise ModelError(f"workspace '{ws.name}': {exc}", ws.origin) from None


def _channel_contract(channel: Channel, index: Any) -> ChannelContract:
    broker = channel.broker
    publications = index.publications_reaching(channel)
    contract = ChannelContract(
        address=channel.address,
        kind=_kind(channel),
        protocol=PROTOCOLS.get(broker.kind, broker.kind),
        broker=broker.name,
        messages=sorted({message_key(pub.info.name, pub.info.version) for pub in publications}),
        producers=_names(pub.container for pub in publications),
        consumers=_names(sub.container for sub in index.subscriptions_by_channel.get(channel, [])),
        location=channel.origin,
    )
    if isinstance(channel, Topic):
        contract.partitions, contract.key, contract.replicas = channel.partitions, channel.key, channel.replicas
        contract.retention_ms, contract.cleanup_policy = channel.retention_ms, channel.cleanup_policy
    elif isinstance(channel, Exchange):
        contract.exchange_type, contract.durable = channel.type, channel.durable
        contract.routing_keys = sorted({pub.routing_key for pub in publications if pub.routing_key is not None})
    elif isinstance(channel, Queue):
        contract.durable, contract.dead_letter = channel.durable, channel.dead_letter
        contract.bind = channel.bind.address if channel.bind is not None else None
        contract.binding_key = channel.routing_key
    return contract


def _kind(channel: Channel) -> ChannelKind:
    if isinstance(channel, Exchange):
        return "exchange"
    if isinstance(channel, Queue):
        return "queue"
    return "topic"


def _names(elements: Any) -> list[str]:
    return sorted({element.name for element in elements})
