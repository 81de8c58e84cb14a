"""Rules about synchronous calls between containers: deep chains and cycles (temporal coupling)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from archkit.lint.rules.base import Hit, rule
from archkit.model.elements import Component, Container, Element, Relationship
from archkit.model.index import WorkspaceIndex
from archkit.model.workspace import Workspace

CallGraph = dict[Container, dict[Container, Relationship]]


def container_of(element: Element) -> Container | None:
    """The container a call starts or ends in (a component's calls are its container's); brokers are not calls."""
    if isinstance(element, Component):
        element = element.parent
    if isinstance(element, Container) and not element.is_broker:
        return element
    return None


def call_graph(workspace: Workspace) -> CallGraph:
    """Container -> container synchronous edges, each with the first relationship that declares it."""
    graph: CallGraph = {c: {} for c in workspace.elements.values() if container_of(c) is c}
    for rel in workspace.relationships:
        source, target = container_of(rel.source), container_of(rel.destination)
        if source is not None and target is not None and source is not target:
            graph[source].setdefault(target, rel)
    return graph


def _chain(path: list[Container]) -> str:
    return " -> ".join(c.name for c in path)


@rule(
    "AK-D105", "deep-sync-chain", "warning",
    "A chain of synchronous calls deeper than N (default 3) from an entry point.",
    explanation="""Each synchronous hop multiplies latency and failure: when any service in the chain is slow or
    down, every caller above it is too (temporal coupling, cascading failures, retry storms). archkit counts
    container-to-container hops from each entry point (a container that no other container calls, such as
    the app people use), lifting component relationships to their containers and ignoring brokers.""",
    fix="""Replace a hop with an event (the callee publishes what the caller needs and the caller keeps a local
    copy), merge services that always call each other, or raise the limit:
    `[tool.archkit.lint.rules.AK-D105] max_depth = 4`.""",
    options={"max_depth": 3},
)
def deep_sync_chain(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    limit = options["max_depth"]
    graph = call_graph(workspace)
    called = {target for edges in graph.values() for target in edges}
    reported: dict[Relationship, list[Container]] = {}

    def walk(path: list[Container]) -> None:
        for target, rel in graph[path[-1]].items():
            if target in path:
                continue  # a cycle: AK-D106
            if len(path) == limit + 1:  # this call is hop limit+1
                reported.setdefault(rel, path + [target])
            else:
                walk(path + [target])

    for entry in graph:
        if entry not in called:
            walk([entry])
    for rel, path in reported.items():
        yield Hit(
            f"synchronous call chain of {len(path) - 1} hops (limit {limit}): {_chain(path)}",
            rel.origin, element=rel.source.name, affected=tuple(c.name for c in path),
            suggestion=f"make '{path[-2].name}' -> '{path[-1].name}' (or a hop above it) asynchronous",
        )


def _strongly_connected(graph: CallGraph) -> list[list[Container]]:
    """Tarjan's components with more than one container, in declaration order."""
    order = {c: i for i, c in enumerate(graph)}
    index_of: dict[Container, int] = {}
    low: dict[Container, int] = {}
    stack: list[Container] = []
    on_stack: set[Container] = set()
    found: list[list[Container]] = []

    def visit(node: Container) -> None:
        index_of[node] = low[node] = len(index_of)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index_of:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index_of[target])
        if low[node] == index_of[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member is node:
                    break
            if len(component) > 1:
                found.append(sorted(component, key=order.__getitem__))

    for node in graph:
        if node not in index_of:
            visit(node)
    return sorted(found, key=lambda comp: order[comp[0]])


def _cycle_through(graph: CallGraph, members: list[Container]) -> list[Container]:
    """The shortest cycle from the first member back to itself, inside its component."""
    start, allowed = members[0], set(members)
    previous: dict[Container, Container] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in graph[node]:
            if target is start:
                path = [node]
                while path[-1] is not start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if target in allowed and target not in previous:
                previous[target] = node
                queue.append(target)
    return members  # unreachable for a real component


@rule(
    "AK-D106", "sync-cycle", "error",
    "A cycle of synchronous calls between containers.",
    explanation="""When A calls B and B (directly or through others) calls A, neither can be deployed, scaled or
    restarted on its own, a slow request can deadlock both thread pools, and retries amplify around the loop.
    It is a distributed monolith.""",
    fix="""Break one edge of the cycle: let one side publish an event the other consumes, or move the shared
    logic into one of them.""",
)
def sync_cycle(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    graph = call_graph(workspace)
    for members in _strongly_connected(graph):
        cycle = _cycle_through(graph, members)
        closing = graph[cycle[-2]][cycle[-1]]
        yield Hit(
            f"synchronous call cycle: {_chain(cycle)}", closing.origin, element=closing.source.name,
            affected=tuple(c.name for c in members),
            suggestion=f"replace the call '{cycle[-2].name}' -> '{cycle[-1].name}' with an event",
        )
