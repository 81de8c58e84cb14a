"""Rules about losing or stalling work: dual writes without an outbox, waits without a timeout."""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from typing import Any

from archkit.lint.rules.base import Hit, rule
from archkit.lint.rules.sync import container_of
from archkit.model.elements import Container
from archkit.model.events import event_info
from archkit.model.flows import Alt, Consume, Publish, Step, Trace, walk_steps
from archkit.model.index import WorkspaceIndex
from archkit.model.names import variable_name
from archkit.model.workspace import Workspace

_OUTBOX_WORD = re.compile(r"\boutbox\b", re.IGNORECASE)
DATA_STORES = ("database", "storage")


def has_outbox(container: Container) -> bool:
    """`outbox=True`, an "outbox" tag on the container, or a component tagged or named as an outbox."""
    if container.outbox or "outbox" in container.tags:
        return True
    return any("outbox" in c.tags or _OUTBOX_WORD.search(c.name) for c in container.components)


def _stores_written(workspace: Workspace) -> dict[Container, list[Container]]:
    """Each container's data stores that it or its components use, in relationship order (one pass)."""
    stores: dict[Container, dict[Container, None]] = defaultdict(dict)
    for rel in workspace.relationships:
        source, target = container_of(rel.source), container_of(rel.destination)
        if source is not None and target is not None and target.kind in DATA_STORES:
            stores[source].setdefault(target, None)
    return {container: list(found) for container, found in stores.items()}


@rule(
    "AK-D108", "dual-write", "warning",
    "A container that writes its database and publishes events with no outbox (dual write).",
    explanation="""Committing to the database and then publishing to the broker are two writes that can not be
    atomic: a crash between them loses the event after the commit (or publishes an event for a rolled-back
    change). The transactional outbox writes the event into the same database transaction and a relay publishes
    it afterwards. archkit sees a dual write where a container (or one of its components) uses a container of
    kind database or storage and publishes events, and declares no outbox.""",
    fix="""Use a transactional outbox (or change data capture) and say so: `system.container(..., outbox=True)`,
    a container or component tagged `tags=("outbox",)`, or a component named like "Outbox relay".""",
)
def dual_write(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    written = _stores_written(workspace)
    for container in index.containers:
        publications = index.publications_by_container.get(container, [])
        if container.is_broker or container.kind in DATA_STORES or not publications or has_outbox(container):
            continue
        stores = written.get(container, [])
        if not stores:
            continue
        events = sorted({p.info.label for p in publications})
        yield Hit(
            f"{container.name} writes {', '.join(s.name for s in stores)} and publishes {', '.join(events)} with no outbox: "
            "an event can be lost after the commit", container.origin, element=container.name,
            suggestion="publish through a transactional outbox and declare outbox=True on the container",
        )


def _downstream(index: WorkspaceIndex, start: Any) -> dict[Any, list[Any]]:
    """Events that follow `start` through reactions, each with the chain of events that leads to it."""
    chains: dict[Any, list[Any]] = {start: [start]}
    queue = deque([start])
    while queue:
        event = queue.popleft()
        for reaction in index.reactions_by_event.get(event, []):
            for out in reaction.publishes:
                if out not in chains:
                    chains[out] = chains[event] + [out]
                    queue.append(out)
    del chains[start]
    return chains


def _mentions(steps: list[Step], events: set[Any]) -> bool:
    return any(isinstance(s, (Publish, Consume, Trace)) and s.event in events for s in walk_steps(steps))


def _covered_by_flow(workspace: Workspace, awaited: set[Any]) -> bool:
    """A flow has an `alt` where one case sees an awaited event arrive and another case does not (the timeout)."""
    for flow in workspace.flows.values():
        for step in walk_steps(flow.steps):
            if isinstance(step, Alt) and len(step.cases) > 1:
                seen = [_mentions(case.steps, awaited) for case in step.cases]
                if any(seen) and not all(seen):
                    return True
    return False


@rule(
    "AK-D114", "wait-without-timeout", "warning",
    "A flow or reaction that waits for an event with no timeout path.",
    explanation="""In a choreography the container that starts a process usually waits for an answer: the order
    service publishes OrderPlaced and reacts to PaymentSucceeded later. If the answer never comes (a consumer
    down, a message dead-lettered, a bug), the process hangs in its middle state forever unless something times
    it out. archkit sees a wait where a container publishes an event and reacts to an event that follows from it
    through other containers' reactions. The wait has a timeout path when that reaction says
    `timeout="15m"`, or when a flow has an `alt` in which one case sees the awaited event (or an alternative
    outcome of the same reaction) arrive and another case does not.""",
    fix="""Declare how long the container waits, `c.reacts(E, "...", timeout="30m")`, and what it does then, or draw
    the timeout as an alternative in a flow: `with flow.alt(): with flow.case("no answer after 30 minutes"): ...`.""",
)
def wait_without_timeout(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    for container in index.containers:
        waits: dict[Any, list[Any]] = {}
        for pub in index.publications_by_container.get(container, []):
            for awaited, chain in _downstream(index, pub.event).items():
                own_producers = {p.container for p in index.producers_of(awaited)} == {container}
                if index.reactions_of(container, awaited) and not own_producers:
                    waits.setdefault(awaited, chain)
        for awaited, chain in waits.items():
            reactions = index.reactions_of(container, awaited)
            if any(r.timeout for r in reactions):
                continue
            outcomes = {awaited} | {o for r in workspace.reactions if awaited in r.publishes for o in r.publishes}
            if _covered_by_flow(workspace, outcomes):
                continue
            label = event_info(awaited).label
            yield Hit(
                f"{container.name} publishes {event_info(chain[0]).label} and waits for {label} "
                f"({' -> '.join(event_info(e).label for e in chain)}) with no timeout path",
                reactions[0].origin, event=label, element=container.name,
                suggestion=f"declare {variable_name(container)}.reacts({awaited.__name__}, ..., timeout=\"...\") and handle the timeout, "
                "or draw it as an alt case in a flow",
            )
