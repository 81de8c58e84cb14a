"""Sequence views: a flow (hand-written or traced) as ordered participants and a tree of messages.

The view decides everything a sequence diagram shows, in which order, and which number each message
gets; renderers only give it syntax. Messaging is drawn through the channel: a publish goes from the
sender to its topic or exchange, a delivery from the topic or queue to the consumer, and a consumer
that reads a queue first sees the exchange route the message into that queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from archkit.errors import ArchkitError, ModelError
from archkit.model.elements import Channel, Container, Element, Exchange, Person, Queue, SoftwareSystem, Topic
from archkit.model.events import event_info
from archkit.model.flows import (
    Action,
    Alt,
    Call,
    Case,
    Consume,
    Flow,
    Note,
    Parallel,
    Publish,
    Reply,
    Step,
    Trace,
)
from archkit.model.index import WorkspaceIndex
from archkit.model.tracing import TraceCycle, expand_trace

ParticipantKind = Literal["person", "system", "container", "database", "component", "topic", "exchange", "queue"]
MessageKind = Literal["call", "reply", "publish", "route", "deliver", "action"]

_DATABASE_KINDS = ("database", "storage")


@dataclass(frozen=True)
class Participant:
    """One lifeline. `alias` is an identifier safe in every notation (letters, digits, '_')."""

    alias: str
    name: str
    kind: ParticipantKind
    technology: str = ""
    description: str = ""
    external: bool = False

    @property
    def is_channel(self) -> bool:
        return self.kind in ("topic", "exchange", "queue")


@dataclass(frozen=True)
class Message:
    """An arrow. `number` counts every message in reading order (what autonumber shows)."""

    number: int
    kind: MessageKind
    source: str  # participant alias
    target: str
    label: str
    technology: str = ""  # a call's protocol
    detail: str = ""  # routing key, binding key or consumer group

    @property
    def is_async(self) -> bool:
        return self.kind in ("publish", "route", "deliver")


@dataclass(frozen=True)
class NoteItem:
    participant: str
    text: str


@dataclass(frozen=True)
class Branch:
    label: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Group:
    """`alt` (one case happens) or `par` (every branch happens, in any order)."""

    kind: Literal["alt", "par"]
    branches: tuple[Branch, ...]


Item = Message | NoteItem | Group


@dataclass(frozen=True)
class SequenceView:
    """A flow ready to draw. `key` names its files: 'checkout' or 'trace-order-placed'."""

    key: str
    title: str
    description: str
    participants: tuple[Participant, ...]
    items: tuple[Item, ...]

    def messages(self) -> list[Message]:
        """Every message in reading order, groups flattened."""
        return [m for m in walk_items(self.items) if isinstance(m, Message)]


def walk_items(items: tuple[Item, ...]) -> Any:
    for item in items:
        yield item
        if isinstance(item, Group):
            for branch in item.branches:
                yield from walk_items(branch.items)


class TraceError(ArchkitError):
    """`--trace EVENT` names no event of the model, or its reactions loop."""


# --- building ----------------------------------------------------------------------------------
def flow_view(flow: Flow, index: WorkspaceIndex) -> SequenceView:
    """The sequence view of a flow, its `trace(E)` steps expanded along the model's reactions."""
    builder = _Builder(index)
    items = builder.steps(flow.steps)
    return builder.view(flow.id, flow.name, flow.description, items)


def trace_view(event: Any, index: WorkspaceIndex) -> SequenceView:
    """What happens once `event` is published: who publishes it, then the whole choreography."""
    info = event_info(event)
    producers = _distinct(pub.participant for pub in index.producers_of(event))
    publishes = [Publish(p, event, None) for p in producers]
    start: list[Step] = list(publishes) if len(publishes) <= 1 else [
        Alt([Case(f"published by {step.participant.name}", [step]) for step in publishes], None)
    ]
    try:
        steps = start + expand_trace(index, event, info.origin)
    except TraceCycle as cycle:
        raise ModelError(
            f"--trace {info.label}: the reactions loop forever: {cycle}", info.origin,
            hint="a reaction publishes an event that leads back to itself; end the loop",
        ) from None
    builder = _Builder(index)
    description = info.description.splitlines()[0] if info.description else ""
    return builder.view(f"trace-{info.id}", f"Trace of {info.label}", description, builder.steps(steps))


def find_event(name: str, index: WorkspaceIndex) -> Any | None:
    """The event a user named on the command line: its label ('OrderPlaced v2'), name, or id."""
    wanted = name.strip().lower()
    matches = [
        e for e in index.event_classes
        if wanted in (event_info(e).label.lower(), event_info(e).id, event_info(e).name.lower(), e.__name__.lower())
    ]
    # A bare name picks the newest version.
    return max(matches, key=lambda e: event_info(e).version) if matches else None


def trace_views(names: tuple[str, ...], index: WorkspaceIndex) -> list[SequenceView]:
    """One trace view per requested event this workspace knows (others may be in another workspace)."""
    views, seen = [], set()
    for name in names:
        event = find_event(name, index)
        if event is not None and event not in seen:
            seen.add(event)
            views.append(trace_view(event, index))
    return views


def unknown_trace_events(names: tuple[str, ...], indexes: list[WorkspaceIndex]) -> TraceError | None:
    """An error naming the `--trace` events no workspace knows, or None."""
    unknown = [n for n in names if all(find_event(n, ix) is None for ix in indexes)]
    if not unknown:
        return None
    known = sorted({event_info(e).label for ix in indexes for e in ix.event_classes})
    return TraceError(
        f"error: --trace {', '.join(unknown)}: no such event in the model (known: {', '.join(known) or 'none'})"
    )


def _distinct(items: Any) -> list[Any]:
    return list(dict.fromkeys(items))


@dataclass
class _Builder:
    """Walks flow steps once, collecting participants in order of first appearance and numbering messages."""

    index: WorkspaceIndex
    participants: dict[str, Participant] = field(default_factory=dict)
    counter: int = 0

    def view(self, key: str, title: str, description: str, items: list[Item]) -> SequenceView:
        people = [p for p in self.participants.values() if p.kind == "person"]
        others = [p for p in self.participants.values() if p.kind != "person"]
        return SequenceView(key, title, description, tuple(people + others), tuple(items))

    def steps(self, steps: list[Step]) -> list[Item]:
        items: list[Item] = []
        for step in steps:
            items.extend(self.step(step))
        return items

    def step(self, step: Step) -> list[Item]:
        if isinstance(step, Call):
            technology = step.technology or self._relationship_technology(step.source, step.target)
            return [self._message("call", step.source, step.target, step.label, technology=technology)]
        if isinstance(step, Reply):
            return [self._message("reply", step.source, step.target, step.label)]
        if isinstance(step, Publish):
            return self._publish(step)
        if isinstance(step, Consume):
            return self._consume(step)
        if isinstance(step, Action):
            return [self._message("action", step.participant, step.participant, step.text)]
        if isinstance(step, Note):
            return [NoteItem(self._participant(step.element), step.text)]
        if isinstance(step, Trace):
            return self.steps(expand_trace(self.index, step.event, step.origin))
        if isinstance(step, (Alt, Parallel)):
            kind: Literal["alt", "par"] = "alt" if isinstance(step, Alt) else "par"
            branches = tuple(Branch(case.label, tuple(self.steps(case.steps))) for case in step.cases)
            return [Group(kind, branches)] if branches else []
        raise TypeError(f"unknown flow step {step!r}")

    def _publish(self, step: Publish) -> list[Item]:
        pub = self.index.publication_of(step.participant, step.event)
        label = step.info.label
        if pub is None:  # validation rejects this for flows; kept total for safety
            return [NoteItem(self._participant(step.participant), f"publishes {label}")]
        return [self._message("publish", step.participant, pub.channel, label, detail=pub.routing_key or "")]

    def _consume(self, step: Consume) -> list[Item]:
        sub = self.index.subscription_of(step.participant, step.event)
        label = step.info.label
        if sub is None:
            return [NoteItem(self._participant(step.participant), f"consumes {label}")]
        items: list[Item] = []
        channel = sub.channel
        if isinstance(channel, Queue) and channel.bind is not None:
            items.append(self._message("route", channel.bind, channel, label, detail=channel.routing_key or ""))
        items.append(self._message("deliver", channel, step.participant, label, detail=sub.group or ""))
        return items

    def _message(self, kind: MessageKind, source: Element | Channel, target: Element | Channel, label: str,
                 technology: str = "", detail: str = "") -> Message:
        source_alias, target_alias = self._participant(source), self._participant(target)
        self.counter += 1
        return Message(self.counter, kind, source_alias, target_alias, label, technology, detail)

    def _participant(self, thing: Element | Channel) -> str:
        made = participant(thing, self.index)
        self.participants.setdefault(made.alias, made)
        return made.alias

    def _relationship_technology(self, source: Element, target: Element) -> str:
        for rel in self.index.relationships_from.get(source, []):
            if rel.destination is target and rel.technology:
                return str(rel.technology)
        return ""


def participant(thing: Element | Channel, index: WorkspaceIndex) -> Participant:
    """`make_participant`, once per element or channel of a resolved model: a service takes part in
    every flow and every event-map edge it publishes or consumes on (25,000 lifelines at dense L)."""
    made: dict[Element | Channel, Participant] = index.memo("sequence-participants", dict)
    found = made.get(thing)
    if found is None:
        found = made[thing] = make_participant(thing)
    return found


def make_participant(thing: Element | Channel) -> Participant:
    """Elements and channels have separate id spaces, so their aliases get distinct prefixes."""
    if isinstance(thing, Channel):
        kind: ParticipantKind = "topic" if isinstance(thing, Topic) else "exchange" if isinstance(thing, Exchange) else "queue"
        return Participant(
            _alias("c", thing.id), thing.name, kind, technology=_channel_technology(thing),
            description=thing.description,
        )
    if isinstance(thing, Person):
        kind = "person"
    elif isinstance(thing, SoftwareSystem):
        kind = "system"
    elif isinstance(thing, Container):
        kind = "database" if thing.kind in _DATABASE_KINDS else "container"
    else:
        kind = "component"
    return Participant(
        _alias("e", thing.id), thing.name, kind, technology=str(getattr(thing, "technology", "") or ""),
        description=thing.description, external=thing.external,
    )


def _channel_technology(channel: Channel) -> str:
    what = type(channel).__name__.lower()
    if isinstance(channel, Exchange):
        what = f"{channel.type} exchange"
    broker = channel.broker
    return f"{broker.name} {what}"


def _alias(prefix: str, slug: str) -> str:
    """Slugs hold only [a-z0-9-], so replacing '-' keeps aliases distinct."""
    return f"{prefix}_{slug.replace('-', '_')}"


def sequence_views(workspace: Any, options: Any) -> list[SequenceView]:
    """Every flow of the workspace, then every `--trace` event it knows, filtered by `--view`."""
    traces = tuple(options.traces)
    if options.only is not None:
        keys = {key for kind, _, key in (n.partition(":") for n in options.only) if kind == "flow"}
        return [v for v in sequence_views_named(workspace, keys, traces) if options.wants(v.key)]
    return [v for v in all_sequence_views(workspace, traces) if options.wants(v.key)]


def sequence_views_named(workspace: Any, keys: set[str], traces: tuple[str, ...]) -> list[SequenceView]:
    """Only the flows with these keys, and the traces if any is asked for (watch mode's fast path)."""
    index = workspace.index
    made: dict[str, SequenceView] = index.memo(("sequence-named", traces), dict)
    views = []
    for flow in workspace.flows.values():
        if flow.id in keys:
            if flow.id not in made:
                made[flow.id] = flow_view(flow, index)
            views.append(made[flow.id])
    if any(key.startswith("trace-") for key in keys):
        views += [v for v in trace_views(traces, index) if v.key in keys]
    return views


def all_sequence_views(workspace: Any, traces: tuple[str, ...]) -> list[SequenceView]:
    """Every flow's view, then every trace's: computed once per resolved model (read-only)."""
    index = workspace.index

    def compute() -> list[SequenceView]:
        return [flow_view(flow, index) for flow in workspace.flows.values()] + trace_views(traces, index)
    return list(index.memo(("sequence", traces), compute))
