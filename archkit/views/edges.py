"""The model's relationships as one list of edges, and their projection onto the nodes a view shows.

Every `uses`, every publication and every subscription becomes an Edge between two model objects
(elements or channels). A view maps each endpoint to the node it draws (the element itself, its nearest
visible ancestor, a channel node, or nothing); edges whose ends land on two different nodes are merged
per (source, destination, synchronous/asynchronous) into one labelled relationship, as Structurizr
does with implied relationships.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from archkit.model.elements import Channel, Exchange, Queue

#: How a broker kind's messages travel, shown as the technology of messaging relationships.
PROTOCOLS = {
    "kafka": "Kafka", "rabbitmq": "AMQP", "sqs": "SQS", "nats": "NATS", "redis": "Redis Streams",
    "activemq": "JMS", "generic": "async",
}


@dataclass(frozen=True)
class Message:
    """One event travelling along an edge: 'publishes OrderPlaced to food.orders.v1'."""

    verb: str  # "publishes" or "delivers"
    event: str  # the event's label
    channel: Channel


@dataclass(frozen=True)
class Edge:
    """One relationship of the model before projection; endpoints are elements or channels."""

    source: Any
    destination: Any
    description: str = ""
    technology: str = ""
    messages: tuple[Message, ...] = ()

    @property
    def asynchronous(self) -> bool:
        return bool(self.messages) or isinstance(self.source, Channel)


@dataclass(frozen=True)
class ViewRelationship:
    """A drawn arrow between two node keys of one view, its label final."""

    source: str
    destination: str
    description: str
    technology: str
    asynchronous: bool
    channels: tuple[str, ...] = ()  # node keys of the channels its messages travel on (for links)


def model_edges(workspace: Any) -> list[Edge]:
    """Every edge of the model in a stable order: relationships, publications, bindings, subscriptions."""
    edges = [Edge(r.source, r.destination, r.description, r.technology) for r in workspace.relationships]
    for pub in workspace.publications:
        edges.append(Edge(pub.participant, pub.channel, technology=_protocol(pub.channel),
                          messages=(Message("publishes", pub.info.label, pub.channel),)))
    for channel in workspace.channels.values():
        if isinstance(channel, Queue) and channel.bind is not None:
            edges.append(Edge(channel.bind, channel, _binding_label(channel), _protocol(channel)))
    for sub in workspace.subscriptions:
        edges.append(Edge(sub.channel, sub.participant, technology=_protocol(sub.channel),
                          messages=(Message("delivers", sub.info.label, sub.channel),)))
    return edges


def lineage(obj: Any) -> list[Any]:
    """The object and everything it sits inside (a channel sits in its broker): any node a view may draw it as."""
    if isinstance(obj, Channel):
        return [obj, *lineage(obj.broker)]
    return [obj, *obj.ancestors]


class EdgeIndex:
    """The model's edges, found by the nodes their ends may be drawn as, so a view reads only its own.

    Every view maps an end to itself or to one of its ancestors, so the edges that can touch a node are
    those with an end inside it; an edge between two nodes has its ends inside one and the other. Without
    this, every one of a large estate's thousand views projected every edge of the model (quadratic).
    """

    def __init__(self, edges: list[Edge]) -> None:
        self.edges = edges
        self._touching: dict[Any, list[int]] = defaultdict(list)
        self._between: dict[tuple[Any, Any], list[int]] = defaultdict(list)
        lineages: dict[Any, list[Any]] = {}  # many edges share an end
        for position, edge in enumerate(edges):
            sources = lineages.get(edge.source) or lineages.setdefault(edge.source, lineage(edge.source))
            destinations = lineages.get(edge.destination) or lineages.setdefault(edge.destination, lineage(edge.destination))
            for node in {*sources, *destinations}:
                self._touching[node].append(position)
            for source in sources:
                for destination in destinations:
                    self._between[(source, destination)].append(position)

    def touching(self, nodes: Iterable[Any]) -> set[int]:
        """Positions of the edges with an end inside any of `nodes`."""
        return {position for node in nodes for position in self._touching.get(node, ())}

    def among(self, nodes: list[Any]) -> set[int]:
        """Positions of the edges whose ends lie inside two of `nodes` (every edge when that is cheaper).

        Two different nodes: an edge with both ends inside one node is drawn only where its ends are
        drawn as two nodes, and then it is found between those two. (Asking for (a, a) too made every
        context view read the binding edges inside the shared messaging platform: linear in the estate.)
        """
        if len(nodes) ** 2 > len(self.edges):
            return set(range(len(self.edges)))
        return {position for a in nodes for b in nodes if a is not b for position in self._between.get((a, b), ())}

    def select(self, positions: set[int]) -> list[Edge]:
        """The edges at `positions`, in model order (relationships are merged in first-seen order)."""
        return [self.edges[p] for p in sorted(positions)]


def _protocol(channel: Channel) -> str:
    return PROTOCOLS.get(channel.broker.kind, "async")


def _binding_label(queue: Queue) -> str:
    exchange: Exchange = queue.bind
    if exchange.type == "fanout" or queue.routing_key is None:
        return "routes every message"
    return f"routes {queue.routing_key}"


def project(edges: list[Edge], node_of: Callable[[Any], str | None],
            key_of: Callable[[Any], str]) -> list[ViewRelationship]:
    """Map each edge's ends to view nodes; drop edges inside one node; merge the rest, first-seen order.

    As Structurizr does, a relationship declared directly between two drawn nodes wins over ones implied
    by their children: only the direct ones' descriptions label the arrow (messages are always listed).
    """
    merged: dict[tuple[str, str, bool], list[tuple[Edge, bool]]] = {}
    for edge in edges:
        source, destination = node_of(edge.source), node_of(edge.destination)
        if source is None or destination is None or source == destination:
            continue
        is_direct = source == key_of(edge.source) and destination == key_of(edge.destination)
        merged.setdefault((source, destination, edge.asynchronous), []).append((edge, is_direct))
    relationships = []
    for (source, destination, asynchronous), group in merged.items():
        direct = [e for e, is_direct in group if is_direct]
        edges_here = [e for e, _ in group]
        labelled = direct if any(e.description for e in direct) else edges_here
        relationships.append(ViewRelationship(
            source, destination, _label(labelled, edges_here, {source, destination}, key_of),
            _join(e.technology for e in labelled), asynchronous,
            tuple(dict.fromkeys(key_of(m.channel) for e in edges_here for m in e.messages)),
        ))
    return relationships


def _label(described: list[Edge], group: list[Edge], ends: set[str], key_of: Callable[[Any], str]) -> str:
    """Distinct plain descriptions, then messages grouped by verb and channel.

    The channel's name is left out where the arrow already ends at that channel's own node.
    """
    parts = _distinct(e.description for e in described if e.description)
    by_verb: dict[str, dict[str, list[str]]] = {}
    for edge in group:
        for msg in edge.messages:
            place = "" if key_of(msg.channel) in ends else msg.channel.name
            events = by_verb.setdefault(msg.verb, {}).setdefault(place, [])
            if msg.event not in events:
                events.append(msg.event)
    for verb, places in by_verb.items():
        preposition = "to" if verb == "publishes" else "from"
        phrases = [", ".join(events) + (f" {preposition} {place}" if place else "") for place, events in places.items()]
        parts.append(f"{verb} " + "; ".join(phrases))
    return "; ".join(parts)


def _join(values: Any) -> str:
    return ", ".join(_distinct(v for v in values if v))


def _distinct(values: Any) -> list[str]:
    return list(dict.fromkeys(values))
