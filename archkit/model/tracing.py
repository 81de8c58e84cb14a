"""Choreography tracing: expand `flow.trace(E)` into steps by following the model's reactions.

Every consumer of E runs its reactions; a reaction that publishes one event continues with it, one
that may publish several becomes an `alt`; several consumers of one event become `parallel` branches.
An (event, container) pair is expanded once per trace; meeting it again on the current path is a cycle.
"""

from __future__ import annotations

from typing import Any

from archkit.errors import SourceLocation
from archkit.model.events import event_info
from archkit.model.flows import Action, Alt, Case, Consume, Note, Parallel, Publish, Step
from archkit.model.index import WorkspaceIndex


class TraceCycle(Exception):
    """The reactions loop: the path names each event and the container it reached."""

    def __init__(self, path: list[tuple[Any, Any]]):
        self.path = path
        hops = []
        for event, container in path:
            hops += [event_info(event).label, container.name]
        super().__init__(" -> ".join(hops))


def expand_trace(index: WorkspaceIndex, event: Any, origin: SourceLocation | None = None) -> list[Step]:
    """The steps that follow once `event` is published (raises TraceCycle when the reactions loop)."""
    return _Tracer(index, origin).expand(event, [])


class _Tracer:
    def __init__(self, index: WorkspaceIndex, origin: SourceLocation | None):
        self.index, self.origin = index, origin
        self.expanded: set[tuple[Any, Any]] = set()

    def expand(self, event: Any, path: list[tuple[Any, Any]]) -> list[Step]:
        branches: list[Case] = []
        seen_containers: set[Any] = set()
        for sub in self.index.consumers_of(event):
            if sub.container in seen_containers or event not in self.index.carried_events(sub.channel):
                continue  # (a dead-letter queue's reader gets only rejected messages: not a step of the flow)
            seen_containers.add(sub.container)
            branches.append(Case(sub.container.name, self._react(sub, event, path)))
        if len(branches) == 1:
            return branches[0].steps
        return [Parallel(branches, self.origin)] if branches else []

    def _react(self, sub: Any, event: Any, path: list[tuple[Any, Any]]) -> list[Step]:
        pair = (event, sub.container)
        if pair in path:
            raise TraceCycle(path + [pair])
        steps: list[Step] = [Consume(sub.participant, event, self.origin)]
        if pair in self.expanded:
            steps.append(Note(sub.participant, "continues as traced above", self.origin))
            return steps
        self.expanded.add(pair)
        for reaction in self.index.reactions_of(sub.container, event):
            steps.append(Action(reaction.participant, reaction.action, self.origin))
            outcomes = [self._publish(reaction.participant, out, path + [pair]) for out in reaction.publishes]
            if len(outcomes) == 1:
                steps.extend(outcomes[0].steps)
            elif outcomes:
                steps.append(Alt(outcomes, self.origin))
        return steps

    def _publish(self, participant: Any, event: Any, path: list[tuple[Any, Any]]) -> Case:
        return Case(event_info(event).label, [Publish(participant, event, self.origin), *self.expand(event, path)])
