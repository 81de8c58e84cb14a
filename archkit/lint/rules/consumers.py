"""Rules about consumers: consumer groups against partitions, idempotency on at-least-once channels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from archkit.lint.rules.base import Hit, rule
from archkit.model.elements import Container, Topic
from archkit.model.index import WorkspaceIndex
from archkit.model.workspace import Workspace


@rule(
    "AK-D103", "idle-consumers", "warning",
    "More consumer instances in one Kafka consumer group than the topic has partitions.",
    explanation="""Kafka gives each partition to one member of a consumer group; members beyond the partition
    count get nothing and sit idle, so scaling out stops helping exactly when it is needed. archkit counts a
    group's instances as the sum of `replicas=` of the containers consuming in it (a container that does not
    say counts as one); a subscription without `group=` is its container's own group. When the model deploys the
    group's containers (`node.runs(c, instances=4)`), each environment is checked with the copies deployed there
    (instances times those of the nodes around them) instead, and the finding is on the deployment's line.""",
    fix="Add partitions to the topic (before keyed data depends on the partition count), or run fewer replicas or deployed instances.",
)
def idle_consumers(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    for channel in workspace.channels.values():
        if not isinstance(channel, Topic) or channel.partitions is None:
            continue
        groups: dict[str, dict[Container, Any]] = defaultdict(dict)
        for sub in index.subscriptions_by_channel.get(channel, []):
            groups[sub.group or sub.container.id].setdefault(sub.container, sub)
        for group, members in groups.items():
            for where, counts, origin in _group_sizes(workspace, members):
                instances = sum(counts.values())
                if instances > channel.partitions:
                    first = next(iter(members.values()))
                    names = ", ".join(f"{c.name} x{n}" for c, n in counts.items())
                    yield Hit(
                        f"consumer group '{group}' on topic '{channel.name}' has {instances} instances{where} ({names}) "
                        f"but the topic has {channel.partitions} partitions: {instances - channel.partitions} will sit idle",
                        origin or first.origin, channel=channel.name, element=first.container.name,
                        suggestion=f"raise partitions to at least {instances}, or run fewer instances",
                    )


def _group_sizes(workspace: Workspace, members: Mapping[Container, Any]) -> list[tuple[str, dict[Container, int], Any]]:
    """The copies of a group's containers: per environment that deploys them (where they really run), else
    their `replicas=` (a container that does not say counts as one). The location is the first deployment."""
    sizes = []
    for env in workspace.environments.values():
        counts: dict[Container, int] = {}
        origin = None
        for inst in env.instances:
            if inst.container in members:
                counts[inst.container] = counts.get(inst.container, 0) + inst.total
                origin = origin or inst.origin
        if counts:
            sizes.append((f" in {env.name}", counts, origin))
    return sizes or [("", {c: c.replicas or 1 for c in members}, None)]


@rule(
    "AK-D109", "non-idempotent-consumer", "warning",
    "A consumer of an at-least-once channel not marked idempotent: duplicates will be processed twice.",
    explanation="""At-least-once delivery (the default of Kafka and RabbitMQ consumers that commit or ack after
    processing) redelivers a message after a crash, a rebalance or a lost ack. A consumer that charges a card
    or sends an SMS per message does it twice. The consumer must deduplicate (an inbox table keyed by message
    id, a conditional update) or be naturally idempotent; `consumes(..., idempotent=True)` records that it is.""",
    fix="""Make the handler idempotent and mark it: `c.consumes(E, on=topic, group="g", idempotent=True)`; or
    declare the channel `delivery="exactly-once"` / `"at-most-once"` when that is what it really offers.""",
)
def non_idempotent_consumer(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    for sub in workspace.subscriptions:
        if sub.idempotent or sub.channel.delivery != "at-least-once":
            continue
        yield Hit(
            f"{sub.participant.name} consumes {sub.info.label} from at-least-once '{sub.channel.name}' without "
            "idempotent=True: a redelivered message is processed twice",
            sub.origin, event=sub.info.label, channel=sub.channel.name, element=sub.participant.name,
            suggestion="deduplicate in the handler and declare consumes(..., idempotent=True)",
        )
