"""Rules about topics, exchanges and queues themselves: use, dead letters, names, replicas, count."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from archkit.lint.rules.base import Hit, rule
from archkit.model.elements import Channel, Exchange, Queue, Topic
from archkit.model.index import WorkspaceIndex
from archkit.model.workspace import Workspace


def _kind(channel: Channel) -> str:
    return type(channel).__name__.lower()


def dead_letter_targets(workspace: Workspace) -> set[str]:
    """Names of queues that some queue dead-letters into: the broker fills them, not a producer."""
    return {c.dead_letter for c in workspace.channels.values() if isinstance(c, Queue) and c.dead_letter}


def _consumed(index: WorkspaceIndex, channel: Channel) -> bool:
    """Whether anyone reads what arrives on `channel`; for an exchange, through a bound queue that receives
    its messages (any bound queue, while nothing is published to the exchange)."""
    if index.subscriptions_by_channel.get(channel):
        return True
    if not isinstance(channel, Exchange):
        return False
    published = bool(index.publications_by_channel.get(channel))
    return any(
        index.subscriptions_by_channel.get(queue) and (index.publications_reaching(queue) or not published)
        for queue in index.queues_by_exchange.get(channel, [])
    )


@rule(
    "AK-D101", "unused-channel", "warning",
    "A topic, exchange or queue that nobody publishes to, or nobody consumes from.",
    explanation="""A channel without producers is dead configuration that still costs broker resources and
    misleads readers; one without consumers means every message sent there is lost or piles up unread.
    For a queue, 'published to' means a publication on its exchange whose routing key its binding matches;
    for an exchange, 'consumed' means a bound queue that receives its messages has a consumer. Queues that
    another queue dead-letters into are exempt (the broker fills them).""",
    fix="""Declare the missing `publishes(...)`/`consumes(...)`, fix the routing key or binding that should
    connect them, or remove the channel from the model and the broker.""",
)
def unused_channel(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    dlqs = dead_letter_targets(workspace)
    for channel in workspace.channels.values():
        if isinstance(channel, Queue) and channel.name in dlqs:
            continue
        published = bool(index.publications_reaching(channel))
        consumed = _consumed(index, channel)
        if published and consumed:
            continue
        why = []
        if not published:
            if isinstance(channel, Queue) and channel.bind is not None:
                keys = sorted({repr(p.routing_key) for p in index.publications_by_channel.get(channel.bind, [])})
                why.append(f"no publication reaches it (bound to '{channel.bind.name}' with {channel.routing_key!r}"
                           + (f"; published routing keys: {', '.join(keys)})" if keys else "; nothing is published there)"))
            else:
                why.append("nobody publishes to it")
        if not consumed:
            why.append("nobody consumes from it")
        yield Hit(
            f"{_kind(channel)} '{channel.name}': {' and '.join(why)}", channel.origin, channel=channel.name,
            suggestion="connect a producer and a consumer (or fix the binding), or remove the channel",
        )


@rule(
    "AK-D104", "queue-without-dead-letter", "warning",
    "A queue with no dead-letter queue: failed messages have nowhere to go.",
    explanation="""When a consumer rejects a message (a poison message, a bug, a dependency down), a queue
    without a dead-letter exchange/queue either drops it or redelivers it forever, blocking the queue and
    burning CPU. A dead-letter queue keeps the message for inspection and replay. Queues that are themselves
    dead-letter targets, and exclusive or auto-delete (temporary reply) queues, are exempt.""",
    fix="""Pass `dead_letter="<queue>.dlq"` to `broker.queue(...)` (and configure it on the broker), or ignore
    the finding with a reason when losing a message is acceptable.""",
)
def queue_without_dead_letter(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    dlqs = dead_letter_targets(workspace)
    for channel in workspace.channels.values():
        if not isinstance(channel, Queue) or channel.dead_letter or channel.name in dlqs:
            continue
        if channel.exclusive or channel.auto_delete:
            continue
        yield Hit(
            f"queue '{channel.name}' has no dead-letter queue: a message its consumer rejects is lost or redelivered forever",
            channel.origin, channel=channel.name, suggestion=f'add dead_letter="{channel.name}.dlq"',
        )


DEFAULT_NAME_PATTERN = r"^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$"


@rule(
    "AK-D110", "channel-naming", "warning",
    "A topic or exchange name that breaks the naming convention.",
    explanation="""Consistent channel names let teams find, secure (ACLs by prefix) and own topics. The default
    convention is lower-case words of letters, digits and '-' separated by dots, such as `food.orders.v1`;
    mixing '.' and '_' is avoided because Kafka maps both to the same metric name.""",
    fix="""Rename the topic or exchange (a new channel beside the old one, then migrate), or set your own
    convention: `[tool.archkit.lint.rules.AK-D110] pattern = "^..."` (a Python regular expression).""",
    options={"pattern": DEFAULT_NAME_PATTERN},
)
def channel_naming(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    pattern = re.compile(options["pattern"])
    for channel in workspace.channels.values():
        if isinstance(channel, (Topic, Exchange)) and not pattern.search(channel.name):
            yield Hit(
                f"{_kind(channel)} name '{channel.name}' does not match the naming convention {pattern.pattern!r}",
                channel.origin, channel=channel.name, suggestion="rename it to match, e.g. 'domain.entity.v1'",
            )


@rule(
    "AK-D111", "single-replica-topic", "warning",
    "A Kafka topic with one replica: its data is lost when a broker fails.",
    explanation="""With `replicas=1` each partition lives on one broker only; a disk failure loses its data and a
    broker restart makes the partition unavailable. Production topics usually have 3 replicas with
    `min.insync.replicas=2`. A topic that does not say (`replicas=None`) uses the cluster default and is not flagged.""",
    fix="Set `replicas=3` on the topic (or ignore with a reason for a development-only topic).",
)
def single_replica_topic(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    for channel in workspace.channels.values():
        if isinstance(channel, Topic) and channel.broker.kind == "kafka" and channel.replicas == 1:
            yield Hit(
                f"Kafka topic '{channel.name}' has one replica: a broker failure loses its data",
                channel.origin, channel=channel.name, suggestion="set replicas=3",
            )


@rule(
    "AK-D113", "too-many-topics", "warning",
    "More than 1000 topics on one broker.",
    explanation="""Every topic adds partitions, files, controller metadata and client metadata requests; past a
    thousand or so topics per cluster, leader elections and restarts slow down and operations get hard.
    Many tiny topics often mean one topic per entity instance, where a keyed topic would do.""",
    fix="""Merge topics that carry the same kind of event into one keyed topic, or split the estate across
    clusters. The limit is `[tool.archkit.lint.rules.AK-D113] max_topics = 1000`.""",
    options={"max_topics": 1000},
)
def too_many_topics(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    limit = options["max_topics"]
    for broker in index.brokers:
        topics = [c for c in broker.channels if isinstance(c, Topic)]
        if len(topics) > limit:
            yield Hit(
                f"broker '{broker.name}' has {len(topics)} topics, more than {limit}", broker.origin,
                element=broker.name, suggestion="merge topics that carry the same kind of event into keyed topics",
            )
