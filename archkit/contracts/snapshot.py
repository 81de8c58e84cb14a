"""The neutral contract shape: what the lock file stores and what AsyncAPI documents are read into.

Messages are keyed by `message_key(name, version)`: "OrderPlaced" for version 1 (or unversioned
messages from a foreign AsyncAPI document), "OrderPlaced.v2" beyond, so that publishing v2 beside v1 is
an addition, not a change. Channels are keyed by address. Names of containers are used for producers and
consumers, since those are what a reviewer recognises in a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from archkit.errors import SourceLocation

ChannelKind = Literal["topic", "exchange", "queue"]


def message_key(name: str, version: int | None) -> str:
    return name if version in (None, 1) else f"{name}.v{version}"


@dataclass
class MessageContract:
    """One event (message) and its payload schema, with who sends and receives it."""

    name: str
    version: int | None
    schema: Any  # self-contained JSON Schema (local "$ref"s point into its own "$defs"), or see schema_format
    key: str | None = None  # the payload field used as partition/message key
    description: str = ""
    kind: str = "event"
    channels: list[str] = field(default_factory=list)  # channel addresses it travels on
    producers: list[str] = field(default_factory=list)
    consumers: list[str] = field(default_factory=list)
    location: SourceLocation | None = field(default=None, compare=False)  # where it is declared: the event class, or the document line
    #: The event class (a model's snapshot only): findings about a field point at the field's line.
    source: Any = field(default=None, compare=False, repr=False)
    schema_format: str | None = None  # None: JSON Schema; "avro": an Avro schema; else the media type, kept as written

    @property
    def key_name(self) -> str:
        return message_key(self.name, self.version)


@dataclass
class ChannelContract:
    """A topic, exchange or queue with the settings a producer or consumer depends on."""

    address: str
    kind: ChannelKind
    protocol: str  # "kafka", "amqp", or the broker kind for others
    broker: str | None = None
    messages: list[str] = field(default_factory=list)  # message keys that travel here
    producers: list[str] = field(default_factory=list)
    consumers: list[str] = field(default_factory=list)
    # Kafka
    partitions: int | None = None
    key: str | None = None
    retention_ms: int | None = None
    replicas: int | None = None
    cleanup_policy: str | None = None
    # AMQP
    exchange_type: str | None = None
    durable: bool | None = None
    bind: str | None = None  # for a queue: the exchange address it is bound to
    binding_key: str | None = None  # for a queue: the binding (routing) pattern
    routing_keys: list[str] = field(default_factory=list)  # for an exchange: keys producers publish with
    dead_letter: str | None = None
    location: SourceLocation | None = field(default=None, compare=False)  # the channel declaration (model or document)


@dataclass
class Usage:
    """What a document says of how its messages are used beyond the contract: never judged nor locked,
    read by `archkit import` to carry it into the model."""

    groups: dict[tuple[str, str], str] = field(default_factory=dict)  # (consumer, channel key) -> consumer group
    correlation_ids: dict[str, str] = field(default_factory=dict)  # message key -> `correlationId.location`
    requests: set[str] = field(default_factory=set)  # message keys an operation with a `reply` sends or receives
    channel_ids: dict[str, str] = field(default_factory=dict)  # channel key -> the document's channel id


@dataclass
class ContractSnapshot:
    """Every message and channel of one workspace (or one document)."""

    name: str
    messages: dict[str, MessageContract] = field(default_factory=dict)
    channels: dict[str, ChannelContract] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage, compare=False)
