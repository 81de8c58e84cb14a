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
from functools import cached_property
from typing import Any

from archkit.model.elements import Broker, Channel, Exchange, Queue, Topic

#: How a broker kind's messages travel, shown as the technology of messaging relationships.
PROTOCOLS = {
    "kafka": "Kafka", "rabbitmq": "AMQP", "sqs": "SQS", "nats": "NATS", "redis": "Redis Streams",
    "activemq": "JMS", "generic": "async",
}


#: More events than this on one arrow and its label names only their count, so dense views stay
#: readable; the list moves to a note (C4-PlantUML) or a property (Structurizr DSL) (docs/c4.md).
DENSE_EVENTS = 3


@dataclass(frozen=True)
class Message:
    """One event travelling along an edge: 'publishes OrderPlaced to food.orders.v1 (key order.placed)'."""

    verb: str  # "publishes" or "delivers"
    event: str  # the event's label
    channel: Channel
    qualifier: str = ""  # "group payments", "key order.placed", "binding order.#": read with the channel


@dataclass(frozen=True, eq=False)
class DeadLetterQueue:
    """The dead-letter queue a queue names (`dead_letter="orders.dlq"`) without the model declaring it.

    Drawn anyway, so the path a rejected message takes is on the picture; its id cannot clash with a
    channel's (slugs never contain '--')."""

    name: str
    source: Queue

    @property
    def id(self) -> str:
        return f"{self.source.id}--dlq"

    @property
    def broker(self) -> Broker:
        return self.source.broker

    @property
    def description(self) -> str:
        return f"Dead letters of {self.source.name}"


@dataclass(frozen=True)
class Edge:
    """One relationship of the model before projection; endpoints are elements or channels."""

    source: Any
    destination: Any
    description: str = ""
    technology: str = ""
    messages: tuple[Message, ...] = ()
    dead_letter: bool = False  # queue -> its dead-letter queue

    @cached_property  # read for every edge of every view
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
    dead_letter: bool = False
    note: str = ""  # the full label, when the dense-view rule shortened `description`


def model_edges(workspace: Any) -> list[Edge]:
    """Every edge of the model in a stable order: relationships, publications, bindings, dead-letter
    paths, subscriptions. Computed once per resolved model (the C4 views and the model tree read them)."""
    return workspace.index.memo("model-edges", lambda: _model_edges(workspace))


def _model_edges(workspace: Any) -> list[Edge]:
    edges = [Edge(r.source, r.destination, r.description, r.technology) for r in workspace.relationships]
    for pub in workspace.publications:
        key = f"key {pub.routing_key}" if pub.routing_key else ""
        edges.append(Edge(pub.participant, pub.channel, technology=_protocol(pub.channel),
                          messages=(Message("publishes", pub.info.label, pub.channel, key),)))
    for channel in workspace.channels.values():
        if isinstance(channel, Queue) and channel.bind is not None:
            edges.append(Edge(channel.bind, channel, _binding_label(channel), _protocol(channel)))
    for queue, target in dead_letter_paths(workspace).items():
        edges.append(Edge(queue, target, technology=_protocol(queue), dead_letter=True))
    groups = group_members(workspace.subscriptions)
    for sub in workspace.subscriptions:
        edges.append(Edge(sub.channel, sub.participant, technology=_protocol(sub.channel),
                          messages=(Message("delivers", sub.info.label, sub.channel, delivery_detail(sub, groups)),)))
    return edges


def dead_letter_paths(workspace: Any) -> dict[Queue, Channel | DeadLetterQueue]:
    """Each queue with `dead_letter=` -> its dead-letter queue: the declared queue of that name on the same
    broker, else a `DeadLetterQueue` standing for it. Computed once per resolved model."""
    def compute() -> dict[Queue, Channel | DeadLetterQueue]:
        paths: dict[Queue, Channel | DeadLetterQueue] = {}
        for channel in workspace.channels.values():
            if isinstance(channel, Queue) and channel.dead_letter:
                declared = next((c for c in channel.broker.channels
                                 if isinstance(c, Queue) and c.name == channel.dead_letter), None)
                paths[channel] = declared if declared is not None else DeadLetterQueue(channel.dead_letter, channel)
        return paths
    return workspace.index.memo("dead-letter-paths", compute)


def group_members(subscriptions: list[Any]) -> dict[tuple[Channel, str], list[Any]]:
    """(topic, group) -> the containers consuming in it, in declaration order."""
    members: dict[tuple[Channel, str], list[Any]] = {}
    for sub in subscriptions:
        if sub.group:
            found = members.setdefault((sub.channel, sub.group), [])
            if sub.container not in found:
                found.append(sub.container)
    return members


def delivery_detail(sub: Any, groups: dict[tuple[Channel, str], list[Any]]) -> str:
    """The consumer group of a topic delivery, naming the other containers in it (they share its messages),
    or the binding key of a bound queue."""
    if isinstance(sub.channel, Topic) and sub.group:
        others = [c.name for c in groups[(sub.channel, sub.group)] if c is not sub.container]
        return f"group {sub.group}" + (f", shared with {', '.join(others)}" if others else "")
    if isinstance(sub.channel, Queue) and sub.channel.bind is not None and sub.channel.routing_key:
        return f"binding {sub.channel.routing_key}"
    return ""


def lineage(obj: Any) -> list[Any]:
    """The object and everything it sits inside (a channel sits in its broker): any node a view may draw it as."""
    if isinstance(obj, (Channel, DeadLetterQueue)):
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
    merged: dict[tuple[str, str, bool, bool], list[tuple[Edge, bool]]] = {}
    for edge in edges:
        source, destination = node_of(edge.source), node_of(edge.destination)
        if source is None or destination is None or source == destination:
            continue
        is_direct = source == key_of(edge.source) and destination == key_of(edge.destination)
        merged.setdefault((source, destination, edge.asynchronous, edge.dead_letter), []).append((edge, is_direct))
    relationships = []
    for (source, destination, asynchronous, dead_letter), group in merged.items():
        direct = [e for e, is_direct in group if is_direct]
        edges_here = [e for e, _ in group]
        labelled = direct if any(e.description for e in direct) else edges_here
        full, short = _label(labelled, edges_here, {source, destination}, key_of)
        relationships.append(ViewRelationship(
            source, destination, short, _join(e.technology for e in labelled), asynchronous,
            tuple(dict.fromkeys(key_of(m.channel) for e in edges_here for m in e.messages)), dead_letter,
            note=full if short != full else "",
        ))
    return relationships


def _label(described: list[Edge], group: list[Edge], ends: set[str], key_of: Callable[[Any], str]) -> tuple[str, str]:
    """The arrow's full label and the label it shows: distinct plain descriptions, the dead-letter path,
    then messages grouped by verb and channel (with its group, routing or binding key).

    The channel's name is left out where the arrow already ends at that channel's own node. With more
    than DENSE_EVENTS events the shown label counts them instead of listing them (the dense-view rule).
    """
    parts = _distinct(e.description for e in described if e.description)
    if any(e.dead_letter for e in group):
        dead = _distinct(e.source.name for e in group if e.dead_letter and key_of(e.source) not in ends)
        parts.append("dead-letters" + (f" {', '.join(dead)}" if dead else ""))
    by_verb: dict[str, dict[tuple[str, str], dict[str, None]]] = {}  # events as ordered sets
    for edge in group:
        for msg in edge.messages:
            place = "" if key_of(msg.channel) in ends else msg.channel.name
            # A queue drawn as its own node shows its binding on the exchange -> queue arrow already.
            qualifier = "" if not place and msg.qualifier.startswith("binding ") else msg.qualifier
            by_verb.setdefault(msg.verb, {}).setdefault((place, qualifier), {})[msg.event] = None
    full, short = list(parts), list(parts)
    for verb, places in by_verb.items():
        preposition = "to" if verb == "publishes" else "from"
        count = len({e for events in places.values() for e in events})
        shared = _distinct(qualifier for _, qualifier in places)
        once = shared[0] if len(shared) == 1 and len(places) > 1 else ""  # one group on every channel: said once
        phrases = [_phrase(", ".join(events), preposition, place, "" if once else qualifier)
                   for (place, qualifier), events in places.items()]
        full.append(f"{verb} " + "; ".join(phrases) + (f" ({once})" if once else ""))
        if count > DENSE_EVENTS:
            where = _distinct(_phrase("", preposition, place, qualifier).strip() for place, qualifier in places)
            short.append(f"{verb} {count} events" + (f" {'; '.join(w for w in where if w)}" if any(where) else ""))
        else:
            short.append(full[-1])
    return "; ".join(full), "; ".join(short)


def _phrase(events: str, preposition: str, place: str, qualifier: str) -> str:
    """'OrderPlaced from food.orders.v1 (group payments)'; without the place where the arrow ends at it."""
    return events + (f" {preposition} {place}" if place else "") + (f" ({qualifier})" if qualifier else "")


def _join(values: Any) -> str:
    return ", ".join(_distinct(v for v in values if v))


def _distinct(values: Any) -> list[str]:
    return list(dict.fromkeys(values))
