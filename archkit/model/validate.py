"""Whole-model checks that need every declaration: each problem is reported at the line that caused it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.errors import ModelError
from archkit.model.elements import Queue
from archkit.model.events import event_info
from archkit.model.flows import Call, Consume, Publish, Reply, Trace, walk_steps
from archkit.model.index import WorkspaceIndex
from archkit.model.names import variable_name
from archkit.model.tracing import TraceCycle, expand_trace

if TYPE_CHECKING:
    from archkit.model.messaging import Subscription
    from archkit.model.workspace import Workspace


def validate(workspace: Workspace, index: WorkspaceIndex) -> list[ModelError]:
    errors: list[ModelError] = []
    errors += _event_names(index)
    errors += _subscriptions(workspace, index)
    errors += _reactions(workspace, index)
    errors += _flows(workspace, index)
    return errors


def _event_names(index: WorkspaceIndex) -> list[ModelError]:
    errors = []
    for known, other in index.event_conflicts:
        info, known_info = event_info(other), event_info(known)
        errors.append(ModelError(
            f"two event classes are both '{info.name}' version {info.version}"
            + (f" (the other is at {known_info.origin})" if known_info.origin else ""),
            info.origin, hint="give the new one a higher version=, or a different name=",
        ))
    return errors


def _subscriptions(workspace: Workspace, index: WorkspaceIndex) -> list[ModelError]:
    errors = []
    for sub in workspace.subscriptions:
        if sub.event in index.carried_events(sub.channel) or _dead_letters_of(sub, index):
            continue
        label, channel = sub.info.label, sub.channel
        published_on = sorted({f"'{p.channel.name}'" for p in index.producers_of(sub.event)})
        if isinstance(channel, Queue) and channel.bind is not None:
            keys = sorted({repr(p.routing_key) for p in index.publications_by_channel.get(channel.bind, []) if p.event is sub.event})
            why = (
                f"no publication of {label} reaches queue '{channel.name}' (bound to '{channel.bind.name}' with "
                f"{channel.routing_key!r}; {label} is published there with routing key {', '.join(keys)})"
                if keys else f"nobody publishes {label} to exchange '{channel.bind.name}' that queue '{channel.name}' is bound to"
            )
        elif isinstance(channel, Queue):
            why = f"queue '{channel.name}' is bound to no exchange, so nothing arrives on it"
        else:
            why = f"nobody publishes {label} on '{channel.name}'"
        hint = f"{label} is published on {', '.join(published_on)}" if published_on else f"no container publishes {label} at all"
        errors.append(ModelError(f"{sub.participant.name} consumes {label} on '{channel.name}', but {why}", sub.origin, hint))
    return errors


def _dead_letters_of(sub: Subscription, index: WorkspaceIndex) -> bool:
    """Whether `sub` reads a dead-letter queue that a queue carrying its event dead-letters to: only the
    messages that queue rejects arrive there, so it is no path of the choreography (traces leave it out)."""
    channel = sub.channel
    return isinstance(channel, Queue) and any(
        isinstance(q, Queue) and q.dead_letter == channel.name and sub.event in index.carried_events(q)
        for q in channel.broker.channels)


def _reactions(workspace: Workspace, index: WorkspaceIndex) -> list[ModelError]:
    errors = []
    for reaction in workspace.reactions:
        container, label = reaction.container, reaction.info.label
        if not any(s.event is reaction.event for s in index.subscriptions_by_container.get(container, [])):
            errors.append(ModelError(
                f"{reaction.participant.name} reacts to {label}, but does not consume it",
                reaction.origin, hint=f"declare {variable_name(container)}.consumes({reaction.event.__name__}, on=...) first",
            ))
        published = {p.event for p in index.publications_by_container.get(container, [])}
        for out in reaction.publishes:
            if out not in published:
                errors.append(ModelError(
                    f"{reaction.participant.name} reacts to {label} by publishing {event_info(out).label}, "
                    f"but never publishes {event_info(out).label}",
                    reaction.origin, hint=f"declare {variable_name(container)}.publishes({out.__name__}, on=...)",
                ))
    return errors


def _flows(workspace: Workspace, index: WorkspaceIndex) -> list[ModelError]:
    errors = []
    for flow in workspace.flows.values():
        for step in walk_steps(flow.steps):
            problem = _step_problem(step, index)
            if problem:
                errors.append(ModelError(f"flow '{flow.name}': {problem[0]}", step.origin, problem[1]))
            if isinstance(step, Trace):
                try:
                    expand_trace(index, step.event, step.origin)
                except TraceCycle as cycle:
                    errors.append(ModelError(
                        f"flow '{flow.name}': trace({step.info.label}) loops forever: {cycle}", step.origin,
                        hint="a reaction publishes an event that leads back to itself; end the loop or draw the flow by hand",
                    ))
    return errors


def _step_problem(step: object, index: WorkspaceIndex) -> tuple[str, str] | None:
    if isinstance(step, Call) and not index.has_relationship(step.source, step.target):
        return (f"call from '{step.source.name}' to '{step.target.name}', but no relationship connects them",
                f"declare {variable_name(step.source)}.uses({variable_name(step.target)}, ...)")
    if isinstance(step, Reply) and not index.has_relationship(step.target, step.source):
        return (f"reply from '{step.source.name}' to '{step.target.name}', but '{step.target.name}' never calls it",
                "a reply answers a call; declare the call's relationship")
    if isinstance(step, Publish) and index.publication_of(step.participant, step.event) is None:
        return (f"'{step.participant.name}' publishes {step.info.label} in the flow, but not in the model",
                f"declare {variable_name(step.participant)}.publishes({step.event.__name__}, on=...) for it")
    if isinstance(step, Consume) and index.subscription_of(step.participant, step.event) is None:
        return (f"'{step.participant.name}' consumes {step.info.label} in the flow, but not in the model",
                f"declare {variable_name(step.participant)}.consumes({step.event.__name__}, on=...) for it")
    return None
