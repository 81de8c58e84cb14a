"""Deployment views: one per environment, its nodes nested as deployed, what runs where, and how it talks.

Format-free, like the C4 views: a box per deployment node (`x3` when several copies run), per
infrastructure node and per container instance (`x4`); a broker instance lists its topics with their
partitions and replication. Edges join instances of containers that call each other (synchronous) or
meet on a broker (asynchronous: publisher -> broker -> consumer, the consumer's group on the edge).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from archkit.model.deployment import ContainerInstance, DeploymentEnvironment, DeploymentNode
from archkit.model.elements import Broker, Component, Container, Topic


@dataclass(frozen=True)
class DeploymentBox:
    """One box: kind is "node" (with children), "infrastructure", "container", "database" or "broker"."""

    key: str
    kind: str
    name: str
    technology: str
    description: str
    children: tuple[DeploymentBox, ...] = ()


@dataclass(frozen=True)
class DeploymentEdge:
    source: str
    destination: str
    description: str
    technology: str
    asynchronous: bool


@dataclass(frozen=True)
class DeploymentView:
    name: str
    title: str
    environment: str
    roots: tuple[DeploymentBox, ...]
    relationships: tuple[DeploymentEdge, ...]


def times(name: str, instances: int) -> str:
    """`Ledger x3` when several copies run, the bare name for one."""
    return f"{name} x{instances}" if instances > 1 else name


def _broker_detail(broker: Broker) -> str:
    """A broker's topics with partitions and replication, one per line (what a deployment view is for)."""
    lines = []
    for channel in broker.workspace.channels.values():
        if isinstance(channel, Topic) and channel.broker is broker:
            facts = [f"{channel.partitions} partitions" if channel.partitions else "",
                     f"RF {channel.replicas}" if channel.replicas else ""]
            lines.append(f"{channel.name}: {', '.join(f for f in facts if f)}".rstrip(": "))
    return "\n".join(lines) or broker.description


def _instance_box(inst: ContainerInstance) -> DeploymentBox:
    container = inst.container
    kind = "broker" if isinstance(container, Broker) else "database" if container.kind in ("database", "storage") \
        else "container"
    description = _broker_detail(container) if isinstance(container, Broker) else container.description
    return DeploymentBox(inst.id, kind, times(container.name, inst.instances), container.technology, description)


def _node_box(node: DeploymentNode) -> DeploymentBox:
    children = [_node_box(n) for n in node.nodes]
    children += [DeploymentBox(i.id, "infrastructure", i.name, i.technology, i.description)
                 for i in node.infrastructure_nodes]
    children += [_instance_box(i) for i in node.instances_run]
    return DeploymentBox(node.id, "node", times(node.name, node.instances), node.technology, node.description,
                         tuple(children))


def _container_of(element: Any) -> Container | None:
    """The container a relationship end belongs to (people and systems are not deployed)."""
    return element.container if isinstance(element, Container | Component) else None


def _edges(env: DeploymentEnvironment) -> list[DeploymentEdge]:
    placed: dict[Container, list[ContainerInstance]] = defaultdict(list)
    for inst in env.instances:
        placed[inst.container].append(inst)
    labels: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
    technology: dict[tuple[str, str, bool], str] = {}

    def add(source: Container | None, destination: Container | None, label: str, tech: str, asynchronous: bool) -> None:
        if source is None or destination is None or source is destination:
            return
        for a in placed.get(source, []):
            for b in placed.get(destination, []):
                key = (a.id, b.id, asynchronous)
                if label not in labels[key]:
                    labels[key].append(label)
                technology.setdefault(key, tech)

    workspace = env.workspace
    for rel in workspace.relationships:
        add(_container_of(rel.source), _container_of(rel.destination), rel.description, rel.technology, False)
    for pub in workspace.publications:
        add(pub.container, pub.channel.broker, f"publishes {pub.info.label}", pub.channel.broker.technology, True)
    for sub in workspace.subscriptions:
        group = f" (group {sub.group})" if sub.group else ""
        add(sub.channel.broker, sub.container, f"{sub.info.label}{group}", sub.channel.broker.technology, True)
    return [DeploymentEdge(s, d, ", ".join(text for text in labels[(s, d, a)] if text), technology[(s, d, a)], a)
            for (s, d, a) in labels]


def deployment_views(workspace: Any) -> list[DeploymentView]:
    """One view per environment, in the order the model declares them; computed once per resolved model
    (watch's fast path compares the last build's with the new ones)."""
    return list(workspace.index.memo("deployment", lambda: [
        DeploymentView(f"deployment-{env.id}", f"Deployment: {workspace.name} - {env.name}", env.name,
                       tuple(_node_box(n) for n in env.nodes), tuple(_edges(env)))
        for env in workspace.environments.values()
    ]))
