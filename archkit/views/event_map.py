"""The event flow map: every service and channel of a workspace as one graph, like an event storming board.

Publishers point at the channels they send to (with the routing key), channels at the services that
consume from them (with the consumer group), exchanges at the queues they route into (with the binding
key), and queues at their dead-letter queue. Edges between the same two nodes are merged, their events
listed in declaration order, so the map stays readable as the estate grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from archkit.model.elements import Queue, Topic
from archkit.model.index import WorkspaceIndex
from archkit.views.edges import DeadLetterQueue, dead_letter_paths, delivery_detail, group_members
from archkit.views.sequence import Participant, make_participant, participant


@dataclass(frozen=True)
class MapEdge:
    kind: Literal["publish", "route", "consume", "dead-letter"]
    source: str  # participant alias
    target: str
    events: tuple[str, ...]
    detail: str = ""  # "key k" of a publication, "binding k" of a route, "group g" of a topic's consumer


@dataclass(frozen=True)
class BrokerGroup:
    """A broker and its channels on the map (drawn as a frame around them)."""

    name: str
    technology: str
    channels: tuple[Participant, ...]
    dead_letters: frozenset[str] = frozenset()  # aliases of the channels that are dead-letter queues


@dataclass(frozen=True)
class EventMapView:
    title: str
    services: tuple[Participant, ...]
    brokers: tuple[BrokerGroup, ...]
    edges: tuple[MapEdge, ...]

    @property
    def empty(self) -> bool:
        return not self.edges


def event_map_view(index: WorkspaceIndex) -> EventMapView:
    """Services in order of first publish or consume, channels grouped by broker in declaration order.

    Computed once per resolved model (read-only)."""
    return index.memo("event-map", lambda: _event_map_view(index))


def _event_map_view(index: WorkspaceIndex) -> EventMapView:
    ws = index.workspace
    services: dict[str, Participant] = {}
    used_channels: set[str] = set()
    edges: dict[tuple[str, str, str], dict[str, None]] = {}  # each arrow's events, in order, once each
    details: dict[tuple[str, str, str], str] = {}

    def add(kind: str, source: Participant, target: Participant, event: str, detail: str = "") -> None:
        key = (kind, source.alias, target.alias)
        edges.setdefault(key, {})[event] = None
        details.setdefault(key, detail)

    for pub in ws.publications:
        service, channel = participant(pub.participant, index), participant(pub.channel, index)
        services.setdefault(service.alias, service)
        used_channels.add(channel.alias)
        add("publish", service, channel, pub.info.label, f"key {pub.routing_key}" if pub.routing_key else "")
    dead_letters = dead_letter_paths(ws)
    dlqs = {queue: _dead_letter_participant(target) for queue, target in dead_letters.items()}  # each made once
    groups = group_members(ws.subscriptions)
    extra: dict[object, dict[str, Participant]] = {}  # broker -> its undeclared dead-letter queues by alias
    for sub in ws.subscriptions:
        service, channel = participant(sub.participant, index), participant(sub.channel, index)
        services.setdefault(service.alias, service)
        used_channels.add(channel.alias)
        if isinstance(sub.channel, Queue) and sub.channel.bind is not None:
            exchange = participant(sub.channel.bind, index)
            used_channels.add(exchange.alias)
            binding = sub.channel.routing_key
            add("route", exchange, channel, sub.info.label, f"binding {binding}" if binding else "")
        if sub.channel in dead_letters:
            target, dlq = dead_letters[sub.channel], dlqs[sub.channel]
            if isinstance(target, DeadLetterQueue):
                extra.setdefault(target.broker, {}).setdefault(dlq.alias, dlq)
            used_channels.add(dlq.alias)
            add("dead-letter", channel, dlq, sub.info.label)
        group = delivery_detail(sub, groups) if isinstance(sub.channel, Topic) else ""
        add("consume", channel, service, sub.info.label, group)

    brokers = []
    dlq_aliases = {dlq.alias for dlq in dlqs.values()}
    for broker in index.brokers:
        channels = tuple(p for p in [*(participant(c, index) for c in broker.channels), *extra.get(broker, {}).values()]
                         if p.alias in used_channels)
        if channels:
            brokers.append(BrokerGroup(broker.name, broker.technology, channels,
                                       frozenset(c.alias for c in channels if c.alias in dlq_aliases)))
    ordered = sorted(edges, key=lambda k: ("publish", "route", "dead-letter", "consume").index(k[0]))
    return EventMapView(
        title=f"{ws.name}: event flow map",
        services=tuple(services.values()),
        brokers=tuple(brokers),
        edges=tuple(MapEdge(k[0], k[1], k[2], tuple(edges[k]), details[k]) for k in ordered),  # type: ignore[arg-type]
    )


def _dead_letter_participant(target: object) -> Participant:
    """A declared dead-letter queue is the channel itself; one the model only names gets its own alias."""
    if isinstance(target, DeadLetterQueue):
        return Participant(f"c_{target.id.replace('-', '_')}", target.name, "queue",
                           technology=f"{target.broker.name} dead-letter queue", description=target.description)
    return make_participant(target)  # type: ignore[arg-type]
