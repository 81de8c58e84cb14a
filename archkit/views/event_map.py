"""The event flow map: every service and channel of a workspace as one graph, like an event storming board.

Publishers point at the channels they send to, channels at the services that consume from them, and
exchanges at the queues they route into. Edges between the same two nodes are merged, their events
listed in declaration order, so the map stays readable as the estate grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from archkit.model.elements import Queue
from archkit.model.index import WorkspaceIndex
from archkit.views.sequence import Participant, make_participant


@dataclass(frozen=True)
class MapEdge:
    kind: Literal["publish", "route", "consume"]
    source: str  # participant alias
    target: str
    events: tuple[str, ...]
    detail: str = ""  # the binding key of an exchange -> queue route


@dataclass(frozen=True)
class BrokerGroup:
    """A broker and its channels on the map (drawn as a frame around them)."""

    name: str
    technology: str
    channels: tuple[Participant, ...]


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
    edges: dict[tuple[str, str, str], list[str]] = {}
    details: dict[tuple[str, str, str], str] = {}

    def add(kind: str, source: Participant, target: Participant, event: str, detail: str = "") -> None:
        key = (kind, source.alias, target.alias)
        events = edges.setdefault(key, [])
        if event not in events:
            events.append(event)
        details.setdefault(key, detail)

    for pub in ws.publications:
        service, channel = make_participant(pub.participant), make_participant(pub.channel)
        services.setdefault(service.alias, service)
        used_channels.add(channel.alias)
        add("publish", service, channel, pub.info.label)
    for sub in ws.subscriptions:
        service, channel = make_participant(sub.participant), make_participant(sub.channel)
        services.setdefault(service.alias, service)
        used_channels.add(channel.alias)
        if isinstance(sub.channel, Queue) and sub.channel.bind is not None:
            exchange = make_participant(sub.channel.bind)
            used_channels.add(exchange.alias)
            add("route", exchange, channel, sub.info.label, sub.channel.routing_key or "")
        add("consume", channel, service, sub.info.label)

    brokers = []
    for broker in index.brokers:
        channels = tuple(p for p in map(make_participant, broker.channels) if p.alias in used_channels)
        if channels:
            brokers.append(BrokerGroup(broker.name, broker.technology, channels))
    ordered = sorted(edges, key=lambda k: ("publish", "route", "consume").index(k[0]))
    return EventMapView(
        title=f"{ws.name}: event flow map",
        services=tuple(services.values()),
        brokers=tuple(brokers),
        edges=tuple(MapEdge(k[0], k[1], k[2], tuple(edges[k]), details[k]) for k in ordered),  # type: ignore[arg-type]
    )
