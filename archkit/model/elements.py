"""C4 elements (people, systems, containers, brokers, components), relationships and channels.

Children are created through their parent's methods (``system.container(...)``), so a model file
reads like a description of the estate and there is no hidden global state.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, PrivateAttr

from archkit.errors import ModelError, SourceLocation, call_site
from archkit.model.base import ModelObject
from archkit.model.events import CompatibilityMode, event_info, is_event
from archkit.model.messaging import Publication, Reaction, Subscription, describe
from archkit.model.names import variable_name

if TYPE_CHECKING:
    from archkit.model.workspace import Workspace

ContainerKind = Literal["service", "webapp", "mobile", "desktop", "gateway", "database", "storage", "batch"]
BrokerKind = Literal["kafka", "rabbitmq", "sqs", "nats", "redis", "activemq", "generic"]
ExchangeType = Literal["direct", "fanout", "topic", "headers"]
Delivery = Literal["at-most-once", "at-least-once", "exactly-once"]
CleanupPolicy = Literal["delete", "compact", "compact,delete"]

#: Which channel kinds each broker kind offers (topic-like: publish and consume on the same channel).
TOPIC_BROKERS = frozenset({"kafka", "nats", "redis", "sqs", "activemq", "generic"})
QUEUE_BROKERS = frozenset({"rabbitmq", "sqs", "activemq", "generic"})
EXCHANGE_BROKERS = frozenset({"rabbitmq"})
AMQP_NAME_BYTES = 255  # AMQP 0-9-1 short strings: exchange and queue names


class Element(ModelObject):
    """Anything drawn as a box in a C4 diagram."""

    id: str
    name: str = Field(min_length=1)
    description: str = ""
    tags: tuple[str, ...] = ()
    parent: Any = Field(default=None, repr=False, exclude=True)
    _workspace: Workspace = PrivateAttr()

    @property
    def workspace(self) -> Workspace:
        # Read from pydantic's slot for private attributes: `self._workspace` reaches it only through
        # BaseModel.__getattr__ after a failed lookup (~2.7 us against ~0.1 us; 21,000 calls per load at L).
        return self.__pydantic_private__["_workspace"]  # type: ignore[index]

    @property
    def external(self) -> bool:
        return bool(self.parent.external) if self.parent is not None else False

    @property
    def system(self) -> SoftwareSystem | None:
        """The software system this element belongs to (itself for a system, None for a person)."""
        node: Element | None = self
        while node is not None and not isinstance(node, SoftwareSystem):
            node = node.parent
        return node

    @property
    def ancestors(self) -> list[Element]:
        """Parents from the nearest outwards."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def uses(self, other: Element, description: str = "", technology: str = "", *, tags: tuple[str, ...] = ()) -> Relationship:
        """A synchronous relationship: `self` calls or depends on `other`."""
        origin = call_site()
        if not isinstance(other, Element):
            raise ModelError(f"{describe(self)} uses {other!r}, which is not a person, system, container or component", origin)
        if other is self:
            raise ModelError(f"{describe(self)} uses itself", origin)
        if other in self.ancestors or self in other.ancestors:
            raise ModelError(
                f"{describe(self)} uses {describe(other)}, but one contains the other",
                origin,
                hint="relationships connect elements side by side; draw the inner element's relationship instead",
            )
        if other.workspace is not self.workspace:
            raise ModelError(f"{describe(other)} belongs to another workspace", origin)
        rel = Relationship.build(
            "relationship", origin, source=self, destination=other, description=description,
            technology=technology, tags=tuple(tags),
        )
        self.workspace._add_relationship(rel)
        return rel


class Person(Element):
    """A C4 person: a user role or an external actor."""

    external_: bool = Field(default=False, alias="external")

    @property
    def external(self) -> bool:
        return self.external_


class SoftwareSystem(Element):
    """A C4 software system; external ones are drawn grey."""

    external_: bool = Field(default=False, alias="external")
    containers: list[Container] = Field(default_factory=list, repr=False, exclude=True)

    @property
    def external(self) -> bool:
        return self.external_

    def container(
        self, name: str, description: str = "", technology: str = "", kind: ContainerKind = "service", *,
        id: str | None = None, tags: tuple[str, ...] = (), replicas: int | None = None, outbox: bool = False,
    ) -> Container:
        """A C4 container: an application or data store that runs on its own.

        `replicas` (instances running) lets lint check consumer groups against partitions; `outbox=True`
        says the container publishes through a transactional outbox.
        """
        return self._add_container(
            Container, call_site(), name=name, description=description, technology=technology, kind=kind,
            id=id, tags=tuple(tags), replicas=replicas, outbox=outbox,
        )

    def broker(
        self, name: str, description: str = "", kind: BrokerKind = "generic", technology: str = "", *,
        id: str | None = None, tags: tuple[str, ...] = (), compatibility: CompatibilityMode | None = None,
    ) -> Broker:
        """A container that is a message broker (Kafka, RabbitMQ, ...); its channels are created on it.

        `compatibility` sets the contract-check mode of every channel on it (default: the workspace's).
        """
        return self._add_container(
            Broker, call_site(), name=name, description=description, technology=technology, kind=kind,
            id=id, tags=tuple(tags), compatibility=compatibility,
        )

    def _add_container(self, cls: type[Container], origin: SourceLocation | None, id: str | None, **fields: Any) -> Any:
        container = self.workspace._create_element(cls, origin, id=id, parent=self, **fields)
        self.containers.append(container)
        return container


class _Messaging(Element):
    """Publishing, consuming and reacting: shared by containers and components."""

    @property
    def container(self) -> Container:
        raise NotImplementedError

    def publishes(self, event: Any, on: Channel, routing_key: str | None = None) -> Publication:
        """This element sends `event` to a topic or exchange."""
        origin = call_site()
        self._check_event(event, "publishes", origin)
        self._check_channel(on, origin)
        if isinstance(on, Queue):
            target = f"exchange '{on.bind.name}' it is bound to" if on.bind is not None else "an exchange bound to it"
            raise ModelError(
                f"{describe(self)} publishes {event_info(event).label} on queue '{on.name}': producers publish to an exchange",
                origin, hint=f"publish to the {target}, with a routing key the queue's binding matches",
            )
        if routing_key is not None and not isinstance(on, Exchange):
            raise ModelError(f"routing_key= applies to RabbitMQ exchanges, not to {describe(on)}", origin)
        if isinstance(on, Exchange) and on.type in ("direct", "topic") and routing_key is None:
            raise ModelError(
                f"{describe(self)} publishes {event_info(event).label} to {on.type} exchange '{on.name}' without routing_key=",
                origin, hint="a direct or topic exchange routes by key; say which key the message carries",
            )
        pub = Publication.build("publishes", origin, event=event, participant=self, channel=on, routing_key=routing_key)
        self.workspace._add_publication(pub)
        return pub

    def consumes(self, event: Any, on: Channel, group: str | None = None, *, idempotent: bool = False) -> Subscription:
        """This element receives `event` from a topic (in a consumer group) or a queue."""
        origin = call_site()
        self._check_event(event, "consumes", origin)
        self._check_channel(on, origin)
        if isinstance(on, Exchange):
            raise ModelError(
                f"{describe(self)} consumes {event_info(event).label} from exchange '{on.name}': consumers read from a queue",
                origin, hint=f"declare a queue bound to it: {variable_name(on.broker)}.queue('...', bind={variable_name(on)}, routing_key='...')",
            )
        if group is not None and not isinstance(on, Topic):
            raise ModelError(f"group= names a consumer group of a topic, but '{on.name}' is a {type(on).__name__.lower()}", origin)
        sub = Subscription.build(
            "consumes", origin, event=event, participant=self, channel=on, group=group, idempotent=idempotent
        )
        self.workspace._add_subscription(sub)
        return sub

    def reacts(self, event: Any, action: str, publishes: list[Any] | tuple[Any, ...] = (), *, timeout: str | None = None) -> Reaction:
        """Choreography: when `event` arrives this element does `action`, then may publish `publishes`."""
        origin = call_site()
        self._check_event(event, "reacts to", origin)
        for out in publishes:
            self._check_event(out, "reacts by publishing", origin)
        reaction = Reaction.build(
            "reacts", origin, event=event, participant=self, action=action, publishes=tuple(publishes), timeout=timeout
        )
        self.workspace._add_reaction(reaction)
        return reaction

    def _check_event(self, event: Any, verb: str, origin: SourceLocation | None) -> None:
        if not is_event(event):
            raise ModelError(
                f"{describe(self)} {verb} {event!r}, which is not an event class",
                origin, hint="declare it as `class MyEvent(Event, version=1): ...`",
            )

    def _check_channel(self, channel: Any, origin: SourceLocation | None) -> None:
        if not isinstance(channel, Channel):
            raise ModelError(f"on={channel!r} is not a topic, exchange or queue", origin)
        if channel.broker.workspace is not self.workspace:
            raise ModelError(f"{describe(channel)} belongs to another workspace", origin)


class Container(_Messaging):
    """A C4 container: a separately running application or data store."""

    technology: str = ""
    kind: ContainerKind = "service"
    replicas: int | None = Field(default=None, ge=1)
    outbox: bool = False
    components: list[Component] = Field(default_factory=list, repr=False, exclude=True)

    @property
    def container(self) -> Container:
        return self

    @property
    def is_broker(self) -> bool:
        return False

    def component(
        self, name: str, description: str = "", technology: str = "", *, id: str | None = None,
        tags: tuple[str, ...] = (),
    ) -> Component:
        """A C4 component inside this container."""
        comp = self.workspace._create_element(
            Component, call_site(), id=id, parent=self, name=name, description=description, technology=technology,
            tags=tuple(tags),
        )
        self.components.append(comp)
        return comp


class Broker(Container):
    """A message broker; it owns topics (Kafka and alike), exchanges and queues (RabbitMQ)."""

    kind: BrokerKind = "generic"  # type: ignore[assignment]
    compatibility: CompatibilityMode | None = None  # contract-check mode of its channels
    channels: list[Channel] = Field(default_factory=list, repr=False, exclude=True)

    @property
    def is_broker(self) -> bool:
        return True

    def topic(
        self, address: str, description: str = "", partitions: int | None = None, key: str | None = None,
        retention: str | None = None, replicas: int | None = None, *, cleanup_policy: CleanupPolicy = "delete",
        delivery: Delivery = "at-least-once", id: str | None = None, tags: tuple[str, ...] = (),
        compatibility: CompatibilityMode | None = None,
    ) -> Topic:
        """A topic (Kafka, NATS subject, SNS topic, ...): every consumer group gets every message."""
        return self._add_channel(
            Topic, TOPIC_BROKERS, "topic", call_site(), id, name=address, description=description,
            partitions=partitions, key=key, retention=retention, replicas=replicas, cleanup_policy=cleanup_policy,
            delivery=delivery, tags=tuple(tags), compatibility=compatibility,
        )

    def exchange(
        self, name: str, description: str = "", type: ExchangeType = "direct", *, durable: bool = True,
        auto_delete: bool = False, vhost: str = "/", delivery: Delivery = "at-least-once", id: str | None = None,
        tags: tuple[str, ...] = (), compatibility: CompatibilityMode | None = None,
    ) -> Exchange:
        """A RabbitMQ exchange: producers publish here, bound queues receive by routing key."""
        return self._add_channel(
            Exchange, EXCHANGE_BROKERS, "exchange", call_site(), id, name=name, description=description, type=type,
            durable=durable, auto_delete=auto_delete, vhost=vhost, delivery=delivery, tags=tuple(tags),
            compatibility=compatibility,
        )

    def queue(
        self, name: str, description: str = "", bind: Exchange | None = None, routing_key: str | None = None,
        dead_letter: Queue | str | None = None, *, durable: bool = True, exclusive: bool = False, auto_delete: bool = False,
        delivery: Delivery = "at-least-once", id: str | None = None, tags: tuple[str, ...] = (),
        compatibility: CompatibilityMode | None = None,
    ) -> Queue:
        """A queue, optionally bound to an exchange with a binding key; `dead_letter` is its DLQ: a queue of
        this broker, or the name of one (which the model need not declare)."""
        origin = call_site()
        if isinstance(dead_letter, Queue):
            if dead_letter.broker is not self:
                raise ModelError(
                    f"queue '{name}' on broker '{self.name}' dead-letters to queue '{dead_letter.name}' of broker "
                    f"'{dead_letter.broker.name}'", origin, hint="a dead-letter queue is a queue of the same broker",
                )
            dead_letter = dead_letter.name
        elif dead_letter is not None and not isinstance(dead_letter, str):
            given = describe(dead_letter) if isinstance(dead_letter, (Element, Channel)) else repr(dead_letter)
            raise ModelError(f"queue '{name}': dead_letter= is {given}, neither a queue nor a queue name", origin)
        if bind is not None:
            if not isinstance(bind, Exchange):
                raise ModelError(f"queue '{name}': bind={bind!r} is not an exchange", origin)
            if bind.broker is not self:
                raise ModelError(
                    f"queue '{name}' on broker '{self.name}' is bound to exchange '{bind.name}' of broker '{bind.broker.name}'",
                    origin, hint="a queue can only be bound to an exchange of its own broker",
                )
        return self._add_channel(
            Queue, QUEUE_BROKERS, "queue", origin, id, name=name, description=description, bind=bind,
            routing_key=routing_key, dead_letter=dead_letter, durable=durable, exclusive=exclusive,
            auto_delete=auto_delete, delivery=delivery, tags=tuple(tags), compatibility=compatibility,
        )

    def _add_channel(
        self, cls: type[Channel], allowed: frozenset[str], what: str, origin: SourceLocation | None, id: str | None,
        **fields: Any,
    ) -> Any:
        name = fields["name"]
        if self.kind == "rabbitmq" and isinstance(name, str) and len(name.encode("utf-8")) > AMQP_NAME_BYTES:
            raise ModelError(
                f"{what} '{name[:40]}...' is {len(name.encode('utf-8'))} bytes long; RabbitMQ allows at most {AMQP_NAME_BYTES}",
                origin, hint="use a shorter name; put the explanation in the description",
            )
        if self.kind not in allowed:
            offered = [w for w, kinds in (("topic", TOPIC_BROKERS), ("exchange", EXCHANGE_BROKERS), ("queue", QUEUE_BROKERS)) if self.kind in kinds]
            raise ModelError(
                f"broker '{self.name}' is a {self.kind} broker, which has no {what}s",
                origin, hint=f"a {self.kind} broker offers: {', '.join(offered)}",
            )
        channel = self.workspace._create_channel(cls, origin, id=id, broker=self, **fields)
        self.channels.append(channel)
        return channel


class Component(_Messaging):
    """A C4 component: a part of a container's code."""

    technology: str = ""

    @property
    def container(self) -> Container:
        return self.parent


class Relationship(ModelObject):
    """`source.uses(destination, description, technology)`: a synchronous dependency."""

    source: Any = Field(repr=False, exclude=True)
    destination: Any = Field(repr=False, exclude=True)
    description: str = ""
    technology: str = ""
    tags: tuple[str, ...] = ()


_DURATION = re.compile(r"^\s*(\d+)\s*(ms|s|m|h|d|w)?\s*$")
_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000, None: 1}


def duration_ms(text: str) -> int:
    """'7d' -> 604800000; '-1', 'forever' and 'infinite' -> -1 (Kafka's 'keep forever')."""
    if text.strip().lower() in ("-1", "forever", "infinite"):
        return -1
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration such as '7d', '12h', '30m', '500ms' or 'forever'")
    return int(match.group(1)) * _MS[match.group(2)]


class Channel(ModelObject):
    """Where messages travel: a topic, an exchange or a queue on a broker."""

    id: str
    name: str = Field(min_length=1)
    description: str = ""
    tags: tuple[str, ...] = ()
    delivery: Delivery = "at-least-once"
    compatibility: CompatibilityMode | None = None  # contract-check mode here (default: the broker's)
    broker: Any = Field(repr=False, exclude=True)

    @property
    def address(self) -> str:
        return self.name


class Topic(Channel):
    partitions: int | None = Field(default=None, ge=1)
    key: str | None = None
    retention: str | None = None
    replicas: int | None = Field(default=None, ge=1)
    cleanup_policy: CleanupPolicy = "delete"

    def model_post_init(self, context: Any) -> None:
        if self.retention is not None:
            try:
                duration_ms(self.retention)
            except ValueError as exc:
                raise ModelError(f"topic '{self.name}': retention {exc}", self.origin) from None

    @property
    def retention_ms(self) -> int | None:
        return duration_ms(self.retention) if self.retention is not None else None


class Exchange(Channel):
    type: ExchangeType = "direct"
    durable: bool = True
    auto_delete: bool = False
    vhost: str = "/"


class Queue(Channel):
    bind: Any = Field(default=None, repr=False, exclude=True)
    routing_key: str | None = None
    dead_letter: str | None = None
    durable: bool = True
    exclusive: bool = False
    auto_delete: bool = False
