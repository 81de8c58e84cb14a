"""Deployment: environments, nested deployment nodes, infrastructure nodes and container instances.

In the style of Structurizr's deployment model: `ws.environment("Production")` holds nodes
(`env.node("eu-west-1", technology="AWS region").node("Kafka cluster", instances=3)`), a node runs
container instances (`node.runs(orders, instances=4)`) and holds infrastructure (load balancers, DNS).
Mistakes are caught on the line that makes them, so the error names the user's file and line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.errors import ModelError, SourceLocation, call_site
from archkit.model.elements import Broker, Container, Element
from archkit.model.ids import slugify

if TYPE_CHECKING:
    from archkit.model.workspace import Workspace


def _instances(what: str, instances: object, origin: SourceLocation | None) -> int:
    """A count of running instances: a whole number of at least 1 (bool is not a count)."""
    if isinstance(instances, bool) or not isinstance(instances, int) or instances < 1:
        raise ModelError(f"{what}: instances must be a whole number of at least 1, got {instances!r}", origin)
    return instances


def _name(what: str, name: object, origin: SourceLocation | None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ModelError(f"a {what} needs a non-empty name, got {name!r}", origin)
    return name


class ContainerInstance:
    """`instances` copies of a container running on one deployment node."""

    def __init__(self, node: DeploymentNode, container: Container, instances: int, origin: SourceLocation | None) -> None:
        self.node, self.container, self.instances, self.origin = node, container, instances, origin
        self.id = f"{node.id}-{container.id}"

    @property
    def total(self) -> int:
        """Instances that run in all: this node's own count times every enclosing node's."""
        return self.instances * self.node.multiplicity


class InfrastructureNode:
    """A piece of infrastructure that is not a container: a load balancer, DNS, a firewall."""

    def __init__(self, node: DeploymentNode, name: str, description: str, technology: str,
                 origin: SourceLocation | None) -> None:
        self.node, self.name, self.description, self.technology, self.origin = node, name, description, technology, origin
        self.id = f"{node.id}-{slugify(name)}"


class _NodeParent:
    """What deployment nodes nest in: an environment or another node."""

    environment: DeploymentEnvironment
    nodes: list[DeploymentNode]

    def node(self, name: str, description: str = "", technology: str = "", instances: int = 1, *,
             id: str | None = None, tags: tuple[str, ...] = ()) -> DeploymentNode:
        """A deployment node (a region, a cluster, a server) inside this one; `instances` copies of it run."""
        origin = call_site()
        name = _name("deployment node", name, origin)
        count = _instances(f"deployment node '{name}'", instances, origin)
        parent = self if isinstance(self, DeploymentNode) else None
        node = DeploymentNode(self.environment, parent, name, description, technology, count, tuple(tags), origin)
        self.environment._claim(node, id, origin)
        self.nodes.append(node)
        return node


class DeploymentEnvironment(_NodeParent):
    """One environment (Production, Staging): the deployment nodes and what runs on them."""

    def __init__(self, workspace: Workspace, name: str, origin: SourceLocation | None) -> None:
        self.workspace, self.name, self.origin = workspace, name, origin
        self.id = slugify(name)
        self.environment = self
        self.nodes: list[DeploymentNode] = []

    def walk(self) -> list[DeploymentNode]:
        """Every node of the environment, parents before their children."""
        found: list[DeploymentNode] = []
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(node.nodes))
        return found

    @property
    def instances(self) -> list[ContainerInstance]:
        return [inst for node in self.walk() for inst in node.instances_run]

    def _claim(self, node: DeploymentNode, id: str | None, origin: SourceLocation | None) -> None:
        """Give the node its id: the slug of its path, or `id=`, which names one node in one environment."""
        if id is not None and (not isinstance(id, str) or slugify(id) != id):
            raise ModelError(f"id={id!r} for deployment node '{node.name}' is not a slug (lower-case letters, digits "
                             "and '-')", origin, hint=f"for example id={slugify(str(id))!r}")
        path = node.parent.id if node.parent is not None else self.id
        node.id = id or f"{path}-{slugify(node.name)}"
        taken = self.workspace.deployment_nodes
        other = taken.get(node.id)
        if other is not None:
            where = f" (declared at {other.origin})" if other.origin else ""
            if other.environment is not self:
                raise ModelError(
                    f"deployment node '{node.id}' is in environment '{other.environment.name}'{where} and again in "
                    f"'{self.name}': a node belongs to one environment", origin,
                    hint="give each environment its own node (drop id=, or give distinct ids)")
            raise ModelError(f"duplicate deployment node '{node.id}' in environment '{self.name}'{where}", origin,
                             hint="give one of them a distinct name or pass id='...'")
        taken[node.id] = node


class DeploymentNode(_NodeParent):
    """A place things run: nested regions, clusters, servers; `instances` copies of it."""

    def __init__(self, environment: DeploymentEnvironment, parent: DeploymentNode | None, name: str, description: str,
                 technology: str, instances: int, tags: tuple[str, ...], origin: SourceLocation | None) -> None:
        self.environment, self.parent, self.name, self.description = environment, parent, name, description
        self.technology, self.instances, self.tags, self.origin = technology, instances, tags, origin
        self.id = ""
        self.nodes: list[DeploymentNode] = []
        self.instances_run: list[ContainerInstance] = []
        self.infrastructure_nodes: list[InfrastructureNode] = []

    def __repr__(self) -> str:
        return f"DeploymentNode({self.name!r})"

    @property
    def path(self) -> list[DeploymentNode]:
        """This node and the nodes around it, outermost first."""
        chain: list[DeploymentNode] = []
        node: DeploymentNode | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def multiplicity(self) -> int:
        """Copies of this node that run: its own instances times those of every node around it."""
        total = 1
        for node in self.path:
            total *= node.instances
        return total

    @property
    def brokers(self) -> list[Broker]:
        """The brokers this node runs itself (a broker cluster is a node that runs a broker)."""
        return [inst.container for inst in self.instances_run if isinstance(inst.container, Broker)]

    def runs(self, container: Container, instances: int = 1) -> ContainerInstance:
        """`instances` copies of `container` run on this node (each copy of the node runs that many)."""
        origin = call_site()
        if not isinstance(container, Container):
            what = f"{type(container).__name__.lower()} '{container.name}'" if isinstance(container, Element) else repr(container)
            raise ModelError(f"deployment node '{self.name}' runs {what}, which is not a container", origin)
        if container.workspace is not self.environment.workspace:
            raise ModelError(f"container '{container.name}' belongs to another workspace", origin)
        count = _instances(f"'{container.name}' on deployment node '{self.name}'", instances, origin)
        for node in self.path + self._descendants():
            for inst in node.instances_run:
                if inst.container is container:
                    where = f" at {inst.origin}" if inst.origin else ""
                    raise ModelError(
                        f"container '{container.name}' is deployed twice in one node path: on '{node.name}'{where} "
                        f"and on '{self.name}'", origin,
                        hint="deploy it once, on the innermost node, with instances= for the count")
        instance = ContainerInstance(self, container, count, origin)
        self.instances_run.append(instance)
        return instance

    def infrastructure(self, name: str, description: str = "", technology: str = "") -> InfrastructureNode:
        """An infrastructure node on this node: a load balancer, DNS, a firewall, a gateway."""
        origin = call_site()
        node = InfrastructureNode(self, _name("infrastructure node", name, origin), description, technology, origin)
        self.infrastructure_nodes.append(node)
        return node

    def _descendants(self) -> list[DeploymentNode]:
        found, stack = [], list(self.nodes)
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(node.nodes)
        return found
