"""Rules that read the deployment model: how many brokers run a topic, how many copies a consumer group has."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from archkit.lint.rules.base import Hit, rule
from archkit.model.deployment import ContainerInstance
from archkit.model.elements import Broker, Topic
from archkit.model.index import WorkspaceIndex
from archkit.model.workspace import Workspace


def broker_instances(workspace: Workspace) -> Iterable[tuple[str, Broker, int, ContainerInstance]]:
    """(environment, broker, brokers running, the first instance) for every broker deployed somewhere."""
    for env in workspace.environments.values():
        counts: dict[Broker, list[ContainerInstance]] = {}
        for inst in env.instances:
            if isinstance(inst.container, Broker):
                counts.setdefault(inst.container, []).append(inst)
        for broker, instances in counts.items():
            yield env.name, broker, sum(i.total for i in instances), instances[0]


@rule(
    "AK-D116", "replication-exceeds-brokers", "error",
    "A topic's replication factor is larger than the number of brokers its cluster runs in an environment.",
    explanation="""Kafka places each replica of a partition on a different broker, so a topic with `replicas=3`
    needs at least three brokers: on fewer, creating the topic fails (`InvalidReplicationFactorException`) and
    a deploy that creates topics stops. archkit counts the brokers of each environment from the deployment
    model: the instances of the broker's container instances times the instances of every node around them.""",
    fix="""Run at least as many brokers as the replication factor in every environment that runs the broker
    (`env.node("MSK", instances=3).runs(kafka)`), or lower the topic's `replicas=` there.""",
)
def replication_exceeds_brokers(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    for env, broker, brokers, _ in broker_instances(workspace):
        for channel in workspace.channels.values():
            if isinstance(channel, Topic) and channel.broker is broker and (channel.replicas or 1) > brokers:
                yield Hit(
                    f"topic '{channel.name}' has replication {channel.replicas} but '{broker.name}' runs {brokers} "
                    f"broker{'s' if brokers != 1 else ''} in {env}: the topic cannot be created there",
                    channel.origin, channel=channel.name, element=broker.name,
                    suggestion=f"run at least {channel.replicas} brokers in {env}, or lower replicas",
                )


@rule(
    "AK-D117", "single-broker-cluster", "warning",
    "A broker deployed as a cluster of one: when it stops, all messaging stops.",
    explanation="""One broker is a single point of failure: a restart, a full disk or a lost host stops every
    producer and consumer on it, and with replication of one a lost disk loses the log. Fine for a laptop or
    a throw-away test environment; not where the estate runs for real.""",
    fix="""Run three brokers (one per availability zone) with `instances=3` on the broker's node, or ignore
    the finding for an environment where losing messaging is acceptable (a test host).""",
)
def single_broker_cluster(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    for env, broker, brokers, inst in broker_instances(workspace):
        if brokers == 1:
            yield Hit(f"'{broker.name}' runs as a single broker in {env}: one failure stops all its messaging",
                      inst.origin, element=broker.name, suggestion="run three brokers (instances=3 on its node)")
