"""AsyncAPI 3.0.0 documents as plain data: one per service that sends or receives, one per broker.

A service's document is its own contract: `send` operations for what it publishes, `receive` for
what it consumes, and only the channels and messages those touch. A broker's document is the whole
bus: every channel on it (dead-letter queues included), every service's operations on them, and
`x-producers` / `x-consumers` on each channel and message. Order follows the model's declaration
order (events by name and version), so the same model always gives the same document.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from archkit.asyncapi import bindings as b
from archkit.asyncapi import objects
from archkit.asyncapi.schemas import SchemaComponents
from archkit.contracts.schema_formats import AVRO_CONTENT_TYPE, AVRO_MEDIA_TYPE
from archkit.contracts.snapshot import message_key
from archkit.model.elements import Broker, Channel, Container, Exchange, Queue, Topic
from archkit.model.events import event_info
from archkit.model.ids import slugify
from archkit.model.payloads import PayloadSchemas
from archkit.model.workspace import Workspace

if TYPE_CHECKING:
    from archkit.model.index import WorkspaceIndex

DEFAULT_VERSION = "1.0.0"


@dataclass(frozen=True)
class AsyncApiDocument:
    """One document: `id` names its file, `kind` says whose view it is."""

    id: str
    kind: Literal["service", "broker"]
    title: str
    content: dict[str, Any]


@dataclass
class _Operation:
    container: Container
    action: Literal["send", "receive"]
    event: Any
    channel: Channel
    routing_keys: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    id: str = ""


@dataclass(frozen=True)
class _DeadLetter:
    """A dead-letter queue the model names only by its address (`queue(..., dead_letter="x.dlq")`)."""

    id: str
    name: str
    source: Queue


def asyncapi_documents(workspace: Workspace, version: str = DEFAULT_VERSION) -> list[AsyncApiDocument]:
    """Every service document (in declaration order), then every broker document.

    Computed once per resolved model and version: the YAML and JSON renderers share them (read-only).
    """
    return list(workspace.index.memo(("asyncapi", version), lambda: _documents(workspace, version)))


def asyncapi_documents_named(workspace: Workspace, ids: set[str] | frozenset[str],
                             version: str = DEFAULT_VERSION) -> list[AsyncApiDocument]:
    """Only the documents with these ids, in `asyncapi_documents` order (watch mode's fast path)."""
    if not ids:
        return []
    made: dict[str, AsyncApiDocument] = workspace.index.memo(("asyncapi-named", version), dict)
    found = []
    for doc_id, make in _plan(workspace, version).items():
        if doc_id in ids:
            if doc_id not in made:
                made[doc_id] = make()
            found.append(made[doc_id])
    return found


#: Index memo key of the payload schemas rewritten for documents (see `SchemaComponents`).
_SCHEMA_COPIES = "asyncapi-schema-copies"


def carry_schema_copies(old: WorkspaceIndex, new: WorkspaceIndex) -> None:
    """Give the index of a model changed in place the payload schemas rewritten for the old one's documents.

    Watch mode's fast path re-resolves the model after a save, which starts a new index; an unchanged
    event keeps its schema object, and a rewritten copy is found by that object (kept alive beside it),
    so only the saved module's events are rewritten again, not all of a broker's (1,800 at 1,000
    containers, a tenth of building its document).
    """
    new.memo(_SCHEMA_COPIES, dict).update(old.memo(_SCHEMA_COPIES, dict))


def asyncapi_prefixes(workspace: Workspace) -> dict[int, tuple[dict[str, Any], dict[str, Any]]]:
    """The documents' objects that begin with the entries of another (`yaml_text.SameObjects`), filled
    as documents are built."""
    return _shared(workspace.index).prefixes


def asyncapi_document_ids(workspace: Workspace, version: str = DEFAULT_VERSION) -> set[str]:
    """The ids of every document the model has, without building any."""
    return set(_plan(workspace, version))


def _documents(workspace: Workspace, version: str) -> list[AsyncApiDocument]:
    return [make() for make in _plan(workspace, version).values()]


def _plan(workspace: Workspace, version: str) -> dict[str, Callable[[], AsyncApiDocument]]:
    """Document id -> how to build it: every sending or receiving service, then every broker with channels."""
    return dict(workspace.index.memo(("asyncapi-plan", version), lambda: _make_plan(workspace, version)))


def _make_plan(workspace: Workspace, version: str) -> dict[str, Callable[[], AsyncApiDocument]]:
    index = workspace.index
    ops = index.memo("asyncapi-operations", lambda: _operations(workspace))
    dead_letters = _dead_letters(workspace)
    order = {channel: position for position, channel in enumerate(workspace.channels.values())}
    by_container: dict[Container, list[_Operation]] = defaultdict(list)
    by_broker: dict[Broker, list[_Operation]] = defaultdict(list)
    for op in ops:
        by_container[op.container].append(op)
        by_broker[op.channel.broker].append(op)
    def service(container: Container, own: list[_Operation]) -> Callable[[], AsyncApiDocument]:
        return lambda: _Builder(workspace, version, own, dead_letters, order, broker_view=False).build(
            container.id, "service", container.name, _service_description(container))

    def broker_document(broker: Broker) -> Callable[[], AsyncApiDocument]:
        return lambda: _Builder(workspace, version, by_broker.get(broker, []), dead_letters, order, broker_view=True,
                                channels=broker.channels).build(broker.id, "broker", broker.name,
                                                                _broker_description(broker))

    plan: dict[str, Callable[[], AsyncApiDocument]] = {}
    for container in index.containers:
        own = by_container.get(container, [])
        if own and not container.is_broker:
            plan[container.id] = service(container, own)
    for broker in index.brokers:
        if broker.channels:
            plan[broker.id] = broker_document(broker)
    return plan


def _avro_payload(event: Any, payloads: PayloadSchemas) -> dict[str, Any]:
    """A Multi Format Schema Object with the event's Avro schema (kept in the message: Avro names its own types)."""
    from archkit.contracts.avro_schema import avro_schema

    return {"schemaFormat": AVRO_MEDIA_TYPE, "schema": avro_schema(event, payloads)}


def _service_description(container: Container) -> str:
    lines = [container.description] if container.description else []
    if container.system is not None:
        lines.append(f"A container of {container.system.name}. Messages it sends and receives.")
    return "\n\n".join(lines)


def _broker_description(broker: Broker) -> str:
    lines = [broker.description] if broker.description else []
    lines.append(f"Every channel on {broker.name} and every service's operations on them.")
    return "\n\n".join(lines)


def _operations(workspace: Workspace) -> list[_Operation]:
    """One operation per (container, action, event, channel), merged over the container's components."""
    found: dict[tuple[Any, ...], _Operation] = {}
    for pub in workspace.publications:
        op = found.setdefault((pub.container, "send", pub.event, pub.channel),
                              _Operation(pub.container, "send", pub.event, pub.channel))
        if pub.routing_key and pub.routing_key not in op.routing_keys:
            op.routing_keys.append(pub.routing_key)
    for sub in workspace.subscriptions:
        op = found.setdefault((sub.container, "receive", sub.event, sub.channel),
                              _Operation(sub.container, "receive", sub.event, sub.channel))
        if sub.group and sub.group not in op.groups:
            op.groups.append(sub.group)
    ops = list(found.values())
    twins = Counter((op.container, op.action, op.event) for op in ops)
    for op in ops:
        op.id = f"{op.container.id}.{op.action}.{_key(op.event)}"
        if twins[(op.container, op.action, op.event)] > 1:
            op.id += f".{op.channel.id}"
    return ops


def _dead_letters(workspace: Workspace) -> dict[Queue, Queue | _DeadLetter]:
    """Each queue's dead-letter queue: a modelled queue of that name, else one made up from the name."""
    by_name = {(c.broker, c.name): c for c in workspace.channels.values() if isinstance(c, Queue)}
    out: dict[Queue, Queue | _DeadLetter] = {}
    for channel in workspace.channels.values():
        if isinstance(channel, Queue) and channel.dead_letter:
            real = by_name.get((channel.broker, channel.dead_letter))
            dlq_id = slugify(channel.dead_letter)
            if dlq_id in workspace.channels:
                dlq_id = f"{channel.id}-dead-letter"
            out[channel] = real if real is not None else _DeadLetter(dlq_id, channel.dead_letter, channel)
    return out


class _Builder:
    """Assembles one document from its operations and channels."""

    def __init__(self, workspace: Workspace, version: str, ops: list[_Operation],
                 dead_letters: dict[Queue, Queue | _DeadLetter], order: dict[Channel, int], *, broker_view: bool,
                 channels: list[Channel] | None = None) -> None:
        self.ws, self.index, self.version, self.ops = workspace, workspace.index, version, ops
        self.broker_view = broker_view
        used = set(channels or []) | {op.channel for op in ops}
        self.channels = sorted(used, key=order.__getitem__)
        self.shown = frozenset(used)
        self.dead_letters = dead_letters  # asked only about the channels used here
        self.on_kafka: set[Any] = set()  # events on a Kafka channel of this document, filled by build()
        self.keys: _MessageKeys = workspace.index.memo("asyncapi-message-keys", _MessageKeys)
        self.event_order: _EventOrder = workspace.index.memo("asyncapi-event-order", _EventOrder)
        self.shared = _shared(workspace.index)

    # --- which messages go where ----------------------------------------------------------------
    def channel_events(self, channel: Channel, ops: list[_Operation]) -> list[Any]:
        events = [op.event for op in ops]
        if self.broker_view:
            events = [*self.index.carried_events(channel), *events]
        return _sorted_events(events, self.event_order)

    def build(self, doc_id: str, kind: Literal["service", "broker"], title: str, description: str) -> AsyncApiDocument:
        ops_on: dict[Channel, list[_Operation]] = defaultdict(list)
        for op in self.ops:
            ops_on[op.channel].append(op)
        channel_events = {c: self.channel_events(c, ops_on.get(c, [])) for c in self.channels}
        self.on_kafka = {e for c, evs in channel_events.items() if c.broker.kind == "kafka" for e in evs}
        events = _sorted_events([e for evs in channel_events.values() for e in evs], self.event_order)
        keys = self.keys
        schemas = SchemaComponents(reserved=[keys[e] for e in events], copies=self.index.memo(_SCHEMA_COPIES, dict))
        memo = self.ws.payloads
        payloads = {e: _avro_payload(e, memo) if event_info(e).format == "avro" else schemas.add(keys[e], memo.of(e))
                    for e in events}
        channels = self._channels(channel_events)
        content = objects.document(
            f"urn:archkit:{self.ws.id}:{doc_id}",
            objects.info(title, self.version, description),
            self._servers(),
            channels,
            {op.id: self.shared.operation(op, self._operation) for op in self.ops},
            {keys[e]: self._message(e, payloads[e], schemas.schemas) for e in events},
            schemas.schemas,
        )
        return AsyncApiDocument(doc_id, kind, title, content)

    def _servers(self) -> dict[str, Any]:
        brokers = list(dict.fromkeys(c.broker for c in self.channels))
        servers = self.shared.servers
        for br in brokers:
            if br not in servers:
                servers[br] = objects.server(br.id, br.name, b.PROTOCOLS[br.kind], br.description)
        return {br.id: servers[br] for br in brokers}

    def _channels(self, channel_events: dict[Channel, list[Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for channel in self.channels:
            keys = tuple(self.keys[e] for e in channel_events[channel])
            entries = self.shared.channels.get((channel, keys))
            if entries is None:
                entries = self.shared.channels[(channel, keys)] = self._channel(channel, list(keys))
            if self.broker_view:  # the service view's, and who sends and receives on it
                entries = {**entries, channel.id: self.shared.extend(entries[channel.id], {
                    b.X_PRODUCERS: _names(p.container for p in self.index.publications_reaching(channel)),
                    b.X_CONSUMERS: _names(s.container for s in self.index.subscriptions_by_channel.get(channel, [])),
                })}
            out.update(entries)
        return out

    def _channel(self, channel: Channel, keys: list[str]) -> dict[str, Any]:
        """The channel's entry (and its made-up dead-letter queue's) with these messages."""
        out = {channel.id: objects.channel(channel.address, channel.name, channel.description, [channel.broker.id],
                                           keys, _channel_bindings(channel), self._channel_extensions(channel))}
        dead = self.dead_letters.get(channel) if isinstance(channel, Queue) else None
        if isinstance(dead, _DeadLetter) and isinstance(channel, Queue):
            out[dead.id] = objects.channel(
                dead.name, dead.name, f"Dead-letter queue of {channel.name}: messages it rejected or let expire.",
                [channel.broker.id], keys,
                {"amqp": b.amqp_queue(dead.name, channel.durable, False, False, _vhost(channel))},
                {b.X_DEAD_LETTER_OF: channel.address},
            )
        return out

    def _channel_extensions(self, channel: Channel) -> dict[str, Any]:
        ext: dict[str, Any] = {}
        if isinstance(channel, Topic):
            ext[b.X_KEY] = channel.key
        if isinstance(channel, Queue):
            ext[b.X_EXCHANGE] = channel.bind.address if channel.bind is not None else None
            ext[b.X_BINDING_KEY] = channel.routing_key
            dead = self.dead_letters.get(channel)
            ext[b.X_DEAD_LETTER] = dead.name if dead is not None else None
        return ext

    def _operation(self, op: _Operation) -> dict[str, Any]:
        info = event_info(op.event)
        if op.action == "receive":
            actions = [r.action for r in self.index.reactions_of(op.container, op.event)]
            description = ""
        else:
            causes = self.index.reactions_publishing(op.container, op.event)
            actions = [r.action for r in causes]
            description = "".join(f"Sent after handling {r.info.label}: {r.action}.\n" for r in causes).strip()
        summary = "; ".join(dict.fromkeys(actions)) or f"{'Publish' if op.action == 'send' else 'Receive'} {info.label}"
        return objects.operation(op.action, op.channel.id, [self.keys[op.event]], op.container.name, summary, description,
                                 _operation_bindings(op))

    def _message(self, event: Any, payload_ref: dict[str, str], schemas: dict[str, Any]) -> dict[str, Any]:
        """The service view's message, shared while its payload schema object (whose key field the Kafka
        binding copies) is the same; a broker's adds who sends and receives it there."""
        info = event_info(event)
        on_kafka = event in self.on_kafka
        avro = info.format == "avro"
        payload = self.ws.payloads.of(event) if avro else schemas.get(self.keys[event])
        found = self.shared.messages.get((event, on_kafka))
        if found is None or found[0] is not payload:
            key_schema = objects.key_schema(payload, info.key) if on_kafka else None
            found = self.shared.messages[(event, on_kafka)] = (payload, objects.message(
                info.name, info.label, info.description, payload_ref, version=info.version, kind=info.kind,
                key=info.key, key_schema=key_schema, content_type=AVRO_CONTENT_TYPE if avro else objects.CONTENT_TYPE,
                correlation_id=info.correlation_id,
            ))
        if not self.broker_view:
            return found[1]
        return self.shared.extend(found[1], {
            b.X_PRODUCERS: _names(p.container for p in self.index.producers_of(event) if p.channel in self.shown),
            b.X_CONSUMERS: _names(s.container for s in self.index.consumers_of(event) if s.channel in self.shown),
        })


def _channel_bindings(channel: Channel) -> dict[str, Any]:
    kind = channel.broker.kind
    if isinstance(channel, Topic) and kind == "kafka":
        return {"kafka": b.kafka_channel(channel.address, channel.partitions, channel.replicas, channel.retention_ms,
                                         channel.cleanup_policy)}
    if isinstance(channel, Exchange):
        return {"amqp": b.amqp_exchange(channel.name, channel.type, channel.durable, channel.auto_delete, channel.vhost)}
    if isinstance(channel, Queue) and kind == "rabbitmq":
        return {"amqp": b.amqp_queue(channel.name, channel.durable, channel.exclusive, channel.auto_delete,
                                     _vhost(channel))}
    return {}


def _operation_bindings(op: _Operation) -> dict[str, Any]:
    channel = op.channel
    if channel.broker.kind == "kafka" and op.action == "receive" and len(op.groups) == 1:
        return {"kafka": b.kafka_consumer(op.groups[0])}
    if channel.broker.kind == "rabbitmq" and op.action == "send":
        persistent = getattr(channel, "durable", True) and channel.delivery != "at-most-once"
        return {"amqp": b.amqp_publisher(op.routing_keys, persistent)}
    if channel.broker.kind == "rabbitmq" and op.action == "receive":
        return {"amqp": b.amqp_consumer(channel.delivery != "at-most-once")}
    return {}


def _vhost(queue: Queue) -> str | None:
    return queue.bind.vhost if queue.bind is not None else None


def _key(event: Any) -> str:
    info = event_info(event)
    return message_key(info.name, info.version)


class _Shared:
    """The objects documents of one model have in common, made once and shared (read-only).

    An operation is the same in its service's document and its broker's; a server in every document
    that uses its broker; a channel in every service's document that has the same messages on it; a
    message in every service's document that sends or receives it. A broker's channel or message is
    the service view's with who sends and receives after it (`prefixes`). Shared by identity, each
    is written once per render (`yaml_text.SameObjects`): at dense L, 60% of the YAML text recurs so.
    """

    def __init__(self) -> None:
        self.servers: dict[Broker, dict[str, Any]] = {}
        self.channels: dict[tuple[Channel, tuple[str, ...]], dict[str, Any]] = {}
        self.messages: dict[tuple[Any, bool], tuple[Any, dict[str, Any]]] = {}  # with the payload schema read
        self.operations: dict[str, dict[str, Any]] = {}
        #: id -> (a broker's channel or message, the service view's object its first entries are)
        self.prefixes: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}

    def operation(self, op: _Operation, make: Callable[[_Operation], dict[str, Any]]) -> dict[str, Any]:
        found = self.operations.get(op.id)
        if found is None:
            found = self.operations[op.id] = make(op)
        return found

    def extend(self, base: dict[str, Any], extensions: dict[str, Any]) -> dict[str, Any]:
        """`base` with the extensions worth writing after its entries, remembered as such in `prefixes`."""
        extra = objects.present(extensions)
        if not extra:
            return base
        out = {**base, **extra}
        if len(out) == len(base) + len(extra):  # nothing of base overwritten: its entries come first, unchanged
            self.prefixes[id(out)] = (out, base)
        return out


def _shared(index: WorkspaceIndex) -> _Shared:
    """The model's `_Shared`: its documents' builders and the YAML writer (`asyncapi_prefixes`) use one."""
    return index.memo("asyncapi-shared", _Shared)


class _MessageKeys(dict[Any, str]):
    """Each event's message key, worked out on first use: a model's documents ask ~40,000 times at L."""

    def __missing__(self, event: Any) -> str:
        key = self[event] = _key(event)
        return key


class _EventOrder(dict[Any, tuple[str, Any]]):
    """Each event's place in a document, (name, version), worked out on first use."""

    def __missing__(self, event: Any) -> tuple[str, Any]:
        info = event_info(event)
        key = self[event] = (info.name, info.version)
        return key


def _sorted_events(events: list[Any], order: _EventOrder) -> list[Any]:
    return sorted(dict.fromkeys(events), key=order.__getitem__)


def _names(containers: Any) -> list[str]:
    return list(dict.fromkeys(c.name for c in containers))
