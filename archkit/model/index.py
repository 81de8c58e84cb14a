"""The resolved workspace: lookups later stages need, built once in linear time.

Views, renderers and lint rules ask "who publishes E", "what does channel C carry", "which
relationships cross system boundaries" here instead of scanning the model's lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from archkit.model.elements import Broker, Channel, Component, Container, Element, Exchange, Queue, SoftwareSystem
from archkit.model.events import EventInfo, event_info
from archkit.model.messaging import Publication, Reaction, Subscription
from archkit.model.routing import binding_receives

if TYPE_CHECKING:
    from archkit.model.workspace import Workspace

T = TypeVar("T")


class WorkspaceIndex:
    """Read-only lookups over a workspace. Lists keep declaration order so output is deterministic."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.events: dict[tuple[str, int], Any] = {}
        self.publications_by_event: dict[Any, list[Publication]] = defaultdict(list)
        self.publications_by_channel: dict[Channel, list[Publication]] = defaultdict(list)
        self.publications_by_container: dict[Container, list[Publication]] = defaultdict(list)
        self.subscriptions_by_event: dict[Any, list[Subscription]] = defaultdict(list)
        self.subscriptions_by_channel: dict[Channel, list[Subscription]] = defaultdict(list)
        self.subscriptions_by_container: dict[Container, list[Subscription]] = defaultdict(list)
        self.reactions_by_container_event: dict[tuple[Container, Any], list[Reaction]] = defaultdict(list)
        self.reactions_by_event: dict[Any, list[Reaction]] = defaultdict(list)
        self._reactions_publishing: dict[tuple[Container, Any], list[Reaction]] = defaultdict(list)
        self.queues_by_exchange: dict[Exchange, list[Queue]] = defaultdict(list)
        self.relationships_from: dict[Element, list[Any]] = defaultdict(list)
        self.relationship_pairs: set[tuple[Element, Element]] = set()
        self.event_conflicts: list[tuple[Any, Any]] = []

        for pub in workspace.publications:
            self._add_event(pub.event)
            self.publications_by_event[pub.event].append(pub)
            self.publications_by_channel[pub.channel].append(pub)
            self.publications_by_container[pub.container].append(pub)
        for sub in workspace.subscriptions:
            self._add_event(sub.event)
            self.subscriptions_by_event[sub.event].append(sub)
            self.subscriptions_by_channel[sub.channel].append(sub)
            self.subscriptions_by_container[sub.container].append(sub)
        for reaction in workspace.reactions:
            self._add_event(reaction.event)
            for out in reaction.publishes:
                self._add_event(out)
            self.reactions_by_container_event[(reaction.container, reaction.event)].append(reaction)
            self.reactions_by_event[reaction.event].append(reaction)
            for out in dict.fromkeys(reaction.publishes):
                self._reactions_publishing[(reaction.container, out)].append(reaction)
        for channel in workspace.channels.values():
            if isinstance(channel, Queue) and channel.bind is not None:
                self.queues_by_exchange[channel.bind].append(channel)
        for rel in workspace.relationships:
            self.relationships_from[rel.source].append(rel)
            self.relationship_pairs.add((rel.source, rel.destination))
        self._carried: dict[Channel, list[Any]] = {}
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per resolved model: views that several formats draw are computed once.

        The index is rebuilt whenever the model changes, so a memo never outlives what it was made
        from. Memoised values are shared between formats: callers must treat them as read-only.
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def remembered(self, key: Hashable) -> Any:
        """What `memo` computed under `key`, or None: watch compares the last build's views with new ones."""
        return self._memo.get(key)

    def _add_event(self, event: Any) -> None:
        info = event_info(event)
        known = self.events.setdefault((info.name, info.version), event)
        if known is not event and (known, event) not in self.event_conflicts:
            self.event_conflicts.append((known, event))

    # --- elements --------------------------------------------------------------------------------
    @property
    def containers(self) -> list[Container]:
        return [e for e in self.workspace.elements.values() if isinstance(e, Container)]

    @property
    def brokers(self) -> list[Broker]:
        return [e for e in self.workspace.elements.values() if isinstance(e, Broker)]

    @property
    def components(self) -> list[Component]:
        return [e for e in self.workspace.elements.values() if isinstance(e, Component)]

    @property
    def internal_systems(self) -> list[SoftwareSystem]:
        return [s for s in self.workspace.systems if not s.external]

    @property
    def event_classes(self) -> list[Any]:
        """Every event the model mentions, sorted by name and version."""
        return [self.events[k] for k in sorted(self.events)]

    def event_infos(self) -> list[EventInfo]:
        return [event_info(e) for e in self.event_classes]

    # --- messaging -------------------------------------------------------------------------------
    def publications_reaching(self, channel: Channel) -> list[Publication]:
        """Publications whose messages arrive on `channel` (for a queue: through its binding)."""
        if isinstance(channel, Queue):
            exchange = channel.bind
            if exchange is None:
                return []
            return [
                pub for pub in self.publications_by_channel.get(exchange, [])
                if binding_receives(exchange.type, channel.routing_key, pub.routing_key)
            ]
        return list(self.publications_by_channel.get(channel, []))

    def carried_events(self, channel: Channel) -> list[Any]:
        """Events that travel on `channel`, in first-published order."""
        if channel not in self._carried:
            seen: dict[Any, None] = {}
            for pub in self.publications_reaching(channel):
                seen.setdefault(pub.event, None)
            self._carried[channel] = list(seen)
        return self._carried[channel]

    def consumers_of(self, event: Any) -> list[Subscription]:
        return list(self.subscriptions_by_event.get(event, []))

    def producers_of(self, event: Any) -> list[Publication]:
        return list(self.publications_by_event.get(event, []))

    def reactions_of(self, container: Container, event: Any) -> list[Reaction]:
        return list(self.reactions_by_container_event.get((container, event), []))

    def reactions_publishing(self, container: Container, event: Any) -> list[Reaction]:
        """The reactions of `container` (or its components) that end by publishing `event`."""
        return list(self._reactions_publishing.get((container, event), []))

    def publication_of(self, participant: Element, event: Any) -> Publication | None:
        """How `participant` (a container, or one of its components) publishes `event`, if it does."""
        uses = self.publications_by_container.get(getattr(participant, "container", None), [])  # type: ignore[arg-type]
        return _first_by(uses, participant, event)

    def subscription_of(self, participant: Element, event: Any) -> Subscription | None:
        """How `participant` (a container, or one of its components) receives `event`, if it does."""
        uses = self.subscriptions_by_container.get(getattr(participant, "container", None), [])  # type: ignore[arg-type]
        return _first_by(uses, participant, event)

    def has_relationship(self, source: Element, destination: Element) -> bool:
        """An explicit relationship between the two, or one between their descendants (implied)."""
        if (source, destination) in self.relationship_pairs:
            return True
        return any(
            (a, b) in self.relationship_pairs for a in _self_and_descendants(source) for b in _self_and_descendants(destination)
        )


def _first_by(uses: list[Any], participant: Element, event: Any) -> Any:
    """The first use of `event` by `participant` itself, else by anything in the same container."""
    matching = [u for u in uses if u.event is event]
    own = [u for u in matching if u.participant is participant]
    return (own or matching or [None])[0]


def _self_and_descendants(element: Element) -> list[Element]:
    out: list[Element] = [element]
    if isinstance(element, SoftwareSystem):
        for container in element.containers:
            out.extend(_self_and_descendants(container))
    elif isinstance(element, Container):
        out.extend(element.components)
    return out
