"""Rules about event contracts: orphan events, message keys, request/reply correlation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from archkit.lint.rules.base import Hit, rule
from archkit.model.elements import Topic
from archkit.model.events import event_info
from archkit.model.index import WorkspaceIndex
from archkit.model.workspace import Workspace


def _names(uses: Iterable[Any]) -> tuple[str, ...]:
    return tuple(sorted({u.participant.name for u in uses}))


@rule(
    "AK-D102", "orphan-event", "error",
    "An event consumed somewhere but published nowhere (error); published but consumed nowhere (info).",
    explanation="""A consumer waiting for an event nobody sends waits forever: that is an error. An event that is
    published but read by nobody in the model is reported as info: it may serve consumers outside the model
    (analytics, another estate), or it may be dead weight every producer still has to maintain.""",
    fix="""Declare the producer (`x.publishes(E, on=...)`) or remove the consumer; for an unread event, add the
    consumer to the model, or ignore the finding with a reason naming the outside consumer.""",
)
def orphan_event(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    for event in index.event_classes:
        info = event_info(event)
        producers, consumers = index.producers_of(event), index.consumers_of(event)
        if consumers and not producers:
            yield Hit(
                f"{info.label} is consumed by {', '.join(_names(consumers))} but published by nobody",
                info.origin, event=info.label, affected=_names(consumers),
                suggestion=f"declare the container that publishes {info.label}, or remove the consumer",
            )
        elif producers and not consumers:
            yield Hit(
                f"{info.label} is published by {', '.join(_names(producers))} but consumed by nobody in the model",
                info.origin, severity="info", event=info.label,
                suggestion="add its consumers to the model, or ignore with a reason naming who reads it",
            )


@rule(
    "AK-D107", "key-mismatch", "error",
    "A keyed event published to a topic with a different or no key: per-key ordering is lost.",
    explanation="""Kafka keeps order per partition, and the message key picks the partition. An event declared
    with `key="order_id"` promises that all events of one order arrive in order; a topic keyed by something
    else, or not keyed at all (round-robin), spreads one order's events over partitions and consumers see
    them out of order.""",
    fix="""Give the topic the event's key (`kafka.topic(..., key="order_id")`), or publish the event on a topic
    keyed by its key field.""",
)
def key_mismatch(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    for pub in workspace.publications:
        info, channel = pub.info, pub.channel
        if info.key is None or not isinstance(channel, Topic) or channel.key == info.key:
            continue
        what = f"keyed by '{channel.key}'" if channel.key else "not keyed"
        yield Hit(
            f"{pub.participant.name} publishes {info.label} (key '{info.key}') to topic '{channel.name}', which is {what}: "
            "per-key ordering is lost", pub.origin, event=info.label, channel=channel.name, element=pub.participant.name,
            suggestion=f"set key='{info.key}' on topic '{channel.name}', or publish on a topic keyed by '{info.key}'",
        )


def request_replies(workspace: Workspace, index: WorkspaceIndex) -> list[tuple[Any, Any, Any]]:
    """(command, reply, reaction) triples: request/reply over a broker.

    A command (`kind="command"`) whose consumer `reacts(Command, ..., publishes=[Reply])`, where a container
    that publishes the command consumes the reply.
    """
    pairs = []
    for reaction in workspace.reactions:
        command = reaction.event
        if event_info(command).kind != "command":
            continue
        requesters = {p.container for p in index.producers_of(command)}
        for reply in reaction.publishes:
            if any(s.container in requesters for s in index.consumers_of(reply)):
                pairs.append((command, reply, reaction))
    return pairs


@rule(
    "AK-D112", "request-reply-without-correlation", "error",
    "A request/reply over a broker without a correlation id.",
    explanation="""Over a broker, replies arrive on a shared channel, in any order, possibly duplicated or after
    a restart. Without a correlation id carried by the command and copied into the reply, the requester cannot
    tell which request a reply answers. archkit sees request/reply where a container publishes a command
    (`class C(Event, kind="command")`), its consumer `reacts(C, ..., publishes=[Reply])`, and the requester
    consumes `Reply`.""",
    fix="""Declare the correlating field on both: `class C(Event, kind="command", correlation_id="request_id")` and
    `class Reply(Event, correlation_id="request_id")`.""",
)
def request_reply_without_correlation(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    seen: set[tuple[Any, Any]] = set()
    for command, reply, reaction in request_replies(workspace, index):
        if (command, reply) in seen:
            continue
        seen.add((command, reply))
        missing = [e for e in (command, reply) if event_info(e).correlation_id is None]
        if not missing:
            continue
        first = event_info(missing[0])
        yield Hit(
            f"request/reply {event_info(command).label} -> {event_info(reply).label} over a broker, but "
            f"{' and '.join(event_info(e).label for e in missing)} declare{'s' if len(missing) == 1 else ''} no correlation_id",
            first.origin, event=first.label, element=reaction.participant.name,
            suggestion="declare correlation_id='<field>' on the command and on the reply",
        )
