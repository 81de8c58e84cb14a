"""C4 views (landscape, system context, container, component) computed from a workspace.

Each view is a plain, format-free value: the elements it shows, the boundaries around some of them and
the relationships between them, all in declaration order so every renderer's output is deterministic.
Membership follows Structurizr's defaults: a view shows its focus elements and their nearest
neighbours, and relationships between deeper elements appear between their nearest visible ancestors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from archkit.model.elements import (
    Broker,
    Channel,
    Component,
    Container,
    Element,
    Exchange,
    Person,
    Queue,
    SoftwareSystem,
    Topic,
)
from archkit.views.edges import DeadLetterQueue, EdgeIndex, ViewRelationship, dead_letter_paths, model_edges, project

Level = Literal["landscape", "context", "container", "component"]
ElementKind = Literal["person", "system", "container", "database", "queue", "component", "channel"]
#: What a channel node is; each is drawn in its own shape (docs/c4.md).
ChannelKind = Literal["", "topic", "exchange", "queue", "dead-letter"]
BoundaryKind = Literal["system", "container", "broker"]


@dataclass(frozen=True)
class ViewElement:
    """A box in a diagram. `key` is unique in the view and stable across runs (derived from ids)."""

    key: str
    name: str
    description: str
    kind: ElementKind
    technology: str = ""
    external: bool = False
    tags: tuple[str, ...] = ()
    boundary: str | None = None  # key of the boundary drawn around it
    replicas: int | None = None  # instances of a container running ("Ledger ×3")
    channel_kind: ChannelKind = ""  # set for kind "channel"


@dataclass(frozen=True)
class Boundary:
    """A frame around elements: a system (container view), a container (component view), a broker (channels)."""

    key: str
    name: str
    kind: BoundaryKind
    description: str = ""
    external: bool = False
    parent: str | None = None


@dataclass(frozen=True)
class Nested:
    """A boundary with what is drawn inside it, for renderers that write nested blocks."""

    boundary: Boundary
    children: list[ViewElement | Nested]


@dataclass(frozen=True)
class C4View:
    name: str
    level: Level
    title: str
    description: str
    elements: tuple[ViewElement, ...]
    boundaries: tuple[Boundary, ...] = ()
    relationships: tuple[ViewRelationship, ...] = ()
    subject: str = ""  # id of the system or container the view is about ('' for the landscape)

    def tree(self) -> list[ViewElement | Nested]:
        """Elements and boundaries nested as they are drawn, in declaration order."""
        nested = {b.key: Nested(b, []) for b in self.boundaries}
        roots: list[ViewElement | Nested] = []
        for boundary in self.boundaries:
            (nested[boundary.parent].children if boundary.parent else roots).append(nested[boundary.key])
        for element in self.elements:
            (nested[element.boundary].children if element.boundary else roots).append(element)
        # People first, then the boundaries, then everything else outside: a readable top-down layout.
        return sorted(roots, key=lambda n: 0 if isinstance(n, ViewElement) and n.kind == "person" else
                      1 if isinstance(n, Nested) else 2)

    def element(self, key: str) -> ViewElement:
        return next(e for e in self.elements if e.key == key)


def node_key(obj: Element | Channel | DeadLetterQueue) -> str:
    """Channels live in their own id namespace; slugs never contain '--', so this cannot collide."""
    return f"channel--{obj.id}" if isinstance(obj, (Channel, DeadLetterQueue)) else obj.id


class _DrawnAs(dict[Any, str | None]):
    """A model object -> the key of the node one view draws it as (None: not drawn), found on first ask;
    each node found is kept in `objects` under its key."""

    def __init__(self, node_of: Callable[[Any], Any], node_keys: NodeKeys, objects: dict[str, Any]) -> None:
        super().__init__()
        self.node_of, self.node_keys, self.objects = node_of, node_keys, objects

    def __missing__(self, obj: Any) -> str | None:
        node = self.node_of(obj)
        if node is None:
            self[obj] = None
            return None
        key = self[obj] = self.node_keys[node]
        self.objects[key] = node
        return key


class NodeKeys(dict[Any, str]):
    """`node_key` of each object, made once: the views ask for the keys of the same ends ~500,000 times."""

    def __missing__(self, obj: Any) -> str:
        key = self[obj] = node_key(obj)
        return key


def boundary_key(obj: Element) -> str:
    return f"{obj.id}--boundary"


def c4_views(workspace: Any, channel_nodes: bool = False) -> list[C4View]:
    """Every C4 view of the workspace: landscape, then a context and a container view per internal
    system, then a component view per container that has components.

    Computed once per resolved model and channel-node choice: every C4 format draws the same views.
    """
    return list(workspace.index.memo(("c4", channel_nodes), lambda: _c4_views(workspace, channel_nodes)))


def c4_views_named(workspace: Any, names: frozenset[str] | set[str], channel_nodes: bool = False) -> list[C4View]:
    """Only the named views, in `c4_views` order: watch mode's fast path computes just what an edit touched."""
    made: dict[str, C4View] = workspace.index.memo(("c4-named", channel_nodes), dict)
    builder = None
    views = []
    for name, make in c4_view_plan(workspace).items():
        if name in names:
            if name not in made:
                builder = builder or _builder(workspace, channel_nodes)
                made[name] = make(builder)
            views.append(made[name])
    return views


def c4_view_plan(workspace: Any) -> dict[str, Callable[[_Builder], C4View]]:
    """View name -> how to compute it: the landscape, a context and a container view per internal system,
    a component view per container that has components."""
    return dict(workspace.index.memo("c4-plan", lambda: _plan(workspace.index)))


def drill_down_views(workspace: Any) -> dict[str, str]:
    """Element key -> the view one level down that it opens: a system its container view, a container its
    component view. From the plan, not from the views drawn: watch's fast path draws one view, and its
    links must be those of the full render."""
    index = workspace.index
    views = {node_key(s): f"container-{s.id}" for s in index.internal_systems if s.containers}
    return {**views, **{node_key(c): f"component-{c.id}" for c in index.containers if c.components}}


def _plan(index: Any) -> dict[str, Callable[[_Builder], C4View]]:
    plan: dict[str, Callable[[_Builder], C4View]] = {"landscape": _call("landscape")}
    for system in index.internal_systems:
        plan[f"context-{system.id}"] = _call("context", system)
    for system in index.internal_systems:
        if system.containers:
            plan[f"container-{system.id}"] = _call("container", system)
    for container in index.containers:
        if container.components:
            plan[f"component-{container.id}"] = _call("component", container)
    return plan


def _call(method: str, *args: Any) -> Callable[[_Builder], C4View]:
    return lambda builder: getattr(builder, method)(*args)


def _builder(workspace: Any, channel_nodes: bool) -> _Builder:
    return workspace.index.memo(("c4-builder", channel_nodes),
                                lambda: _Builder(workspace, EdgeIndex(model_edges(workspace)), channel_nodes))


def _c4_views(workspace: Any, channel_nodes: bool) -> list[C4View]:
    builder = _builder(workspace, channel_nodes)
    return [make(builder) for make in c4_view_plan(workspace).values()]


@dataclass
class _Builder:
    workspace: Any
    edges: EdgeIndex
    channel_nodes: bool
    order: dict[Any, tuple[int, int]] = field(default_factory=dict)
    keys: NodeKeys = field(default_factory=NodeKeys)
    dead_letters: dict[Any, Any] = field(init=False)  # queue -> its dead-letter queue
    dead_letter_targets: set[Any] = field(init=False)
    dead_letters_by_broker: dict[Any, list[Any]] = field(init=False)  # broker -> its queues' dead-letter queues

    def __post_init__(self) -> None:
        for position, element in enumerate(self.workspace.elements.values()):
            self.order[element] = (position, 0)
        for position, channel in enumerate(self.workspace.channels.values(), start=1):
            self.order[channel] = (self.order[channel.broker][0], 2 * position)
        self.dead_letters = dead_letter_paths(self.workspace)
        self.dead_letter_targets = set(self.dead_letters.values())
        self.dead_letters_by_broker = {}
        for queue, target in self.dead_letters.items():
            self.order.setdefault(target, (self.order[queue][0], self.order[queue][1] + 1))
            self.dead_letters_by_broker.setdefault(queue.broker, []).append(target)

    # --- the four kinds of view ----------------------------------------------------------------
    def landscape(self) -> C4View:
        top = [e for e in self.workspace.elements.values() if isinstance(e, (Person, SoftwareSystem))]
        return self._view(
            "landscape", "landscape", f"System landscape: {self.workspace.name}", self.workspace.description,
            focus=top, node_of=_top_level, subject="", projected=self.top_level_relationships,
        )

    def context(self, system: SoftwareSystem) -> C4View:
        return self._view(
            f"context-{system.id}", "context", f"System context: {system.name}", system.description,
            focus=[system], node_of=_top_level, subject=system.id, projected=self.top_level_relationships,
        )

    @cached_property
    def top_level_relationships(self) -> tuple[ViewRelationship, ...]:
        """Every edge projected onto people and systems: the landscape's arrows, and those of each context
        view between the nodes it draws (an arrow between two systems merges all the edges between what
        they contain, whichever view draws it), so no context view projects again."""
        objects: dict[str, Any] = {}
        return tuple(project(self.edges.edges, _DrawnAs(_top_level, self.keys, objects).__getitem__,
                             self.keys.__getitem__))

    def container(self, system: SoftwareSystem) -> C4View:
        frame = Boundary(boundary_key(system), system.name, "system", system.description, system.external)
        channels_shown = self.channel_nodes

        def node_of(obj: Any) -> Any:
            if isinstance(obj, (Channel, DeadLetterQueue)):
                if obj.broker.system is system:
                    return obj if channels_shown or obj in self.dead_letter_targets else obj.broker
                return obj.broker.system
            if obj is system:
                return None  # the system is the frame around this view
            if isinstance(obj, Component):
                obj = obj.parent
            return obj if obj.system is system else _top_level(obj)

        focus: list[Any] = []
        frames = [frame]
        placed: dict[Any, str] = {}
        for container in system.containers:
            if channels_shown and isinstance(container, Broker) and container.channels:
                broker_frame = Boundary(boundary_key(container), container.name, "broker", container.description,
                                        container.external, parent=frame.key)
                frames.append(broker_frame)
                focus += container.channels
                placed.update({ch: broker_frame.key for ch in container.channels})
                placed.update(self._dead_letters_of(container, broker_frame.key))
                placed[container] = broker_frame.key  # drawn only if something uses the broker itself
            else:
                focus.append(container)
                placed[container] = frame.key
                placed.update(self._dead_letters_of(container, frame.key))
        return self._view(
            f"container-{system.id}", "container", f"Containers: {system.name}", system.description,
            focus=focus, node_of=node_of, boundaries=frames, placed=placed, subject=system.id,
        )

    def component(self, container: Container) -> C4View:
        system = container.system
        frame = Boundary(boundary_key(container), container.name, "container", container.description,
                         container.external)

        def node_of(obj: Any) -> Any:
            if obj in self.dead_letter_targets and obj.broker.system is system:
                return obj  # the dead-letter path of a queue this container's components read
            if isinstance(obj, (Channel, DeadLetterQueue)):
                obj = obj.broker
            if obj is container:
                return None  # the container is the frame; its own relationships belong to the container view
            if isinstance(obj, Component) and obj.parent is container:
                return obj
            if isinstance(obj, Component):
                obj = obj.parent
            return obj if isinstance(obj, Container) and obj.system is system else _top_level(obj)

        return self._view(
            f"component-{container.id}", "component", f"Components: {container.name}", container.description,
            focus=list(container.components), node_of=node_of, boundaries=[frame],
            placed={c: frame.key for c in container.components}, subject=container.id,
        )

    def _dead_letters_of(self, broker: Container, frame: str) -> dict[Any, str]:
        """The broker's dead-letter queues, drawn inside `frame` (its own boundary, or the system's)."""
        return dict.fromkeys(self.dead_letters_by_broker.get(broker, ()), frame)

    # --- shared assembly -------------------------------------------------------------------------
    def _view(self, name: str, level: Level, title: str, description: str, focus: list[Any],
              node_of: Callable[[Any], Any], subject: str, boundaries: list[Boundary] | None = None,
              placed: dict[Any, str] | None = None, projected: tuple[ViewRelationship, ...] | None = None) -> C4View:
        """One view; `projected`: the relationships projected already with this view's `node_of` (over every
        edge), of which it draws those between its nodes."""
        placed = placed or {}
        objects: dict[str, Any] = {}
        drawn_as = _DrawnAs(node_of, self.keys, objects)

        # Visible: the focus and its neighbours, found from the edges touching the focus; then the
        # relationships among everything visible, from the edges between those nodes only.
        touching = self.edges.touching(focus)
        if self.dead_letters:  # a queue's dead-letter path comes with it: wherever a view draws an edge of the queue
            edges = self.edges.edges
            queues = {q for p in touching for q in (edges[p].source, edges[p].destination) if q in self.dead_letters}
            touching |= self.edges.touching([self.dead_letters[q] for q in queues])
        focus_keys = {self.keys[f] for f in focus}
        visible = set(focus_keys)
        dead_letter_arrows = []
        for edge in self.edges.select(touching):  # which nodes an arrow joins to the focus: no labels needed yet
            source, destination = drawn_as[edge.source], drawn_as[edge.destination]
            if source is None or destination is None or source == destination:
                continue
            if edge.dead_letter:
                dead_letter_arrows.append((source, destination))
            if source in focus_keys or destination in focus_keys:
                visible |= {source, destination}
        visible |= {destination for source, destination in dead_letter_arrows if source in visible}
        objects.update({self.keys[f]: f for f in focus})
        if projected is None:
            between = self.edges.among([objects[k] for k in sorted(visible)])
            projected = tuple(project(self.edges.select(touching | between), drawn_as.__getitem__, self.keys.__getitem__))
        shown = sorted((objects[k] for k in visible), key=lambda o: self.order[o])
        return C4View(
            name=name, level=level, title=title, description=description,
            elements=tuple(element_of(obj, placed.get(obj), obj in self.dead_letter_targets) for obj in shown),
            boundaries=tuple(boundaries or ()),
            relationships=tuple(r for r in projected if r.source in visible and r.destination in visible),
            subject=subject,
        )


def _top_level(obj: Any) -> Any:
    """A person or a software system: what the landscape and context views draw."""
    if isinstance(obj, (Channel, DeadLetterQueue)):
        return obj.broker.system
    return obj if isinstance(obj, Person) else obj.system


def element_of(obj: Any, boundary: str | None, dead_letter: bool = False) -> ViewElement:
    """The drawn form of a model element or channel; `dead_letter`: a declared queue other queues dead-letter to."""
    if isinstance(obj, DeadLetterQueue) or dead_letter:
        return ViewElement(node_key(obj), obj.name, obj.description, "channel", f"{obj.broker.name} dead-letter queue",
                           obj.broker.external, tuple(getattr(obj, "tags", ())), boundary, channel_kind="dead-letter")
    if isinstance(obj, Channel):
        return ViewElement(node_key(obj), obj.name, obj.description, "channel", _channel_technology(obj),
                           obj.broker.external, tuple(obj.tags), boundary,
                           channel_kind=type(obj).__name__.lower())  # type: ignore[arg-type]  # topic, exchange, queue
    replicas = getattr(obj, "replicas", None) if isinstance(obj, Container) else None
    return ViewElement(obj.id, obj.name, obj.description, _kind(obj), getattr(obj, "technology", ""),
                       obj.external, tuple(obj.tags), boundary, replicas=replicas)


def _kind(element: Element) -> ElementKind:
    if isinstance(element, Person):
        return "person"
    if isinstance(element, SoftwareSystem):
        return "system"
    if isinstance(element, Broker):
        return "queue"
    if isinstance(element, Container):
        return "database" if element.kind in ("database", "storage") else "container"
    return "component"


def _channel_technology(channel: Channel) -> str:
    if isinstance(channel, Queue) and channel.dead_letter:
        return f"{channel.broker.name} queue, dead letters to {channel.dead_letter}"
    if isinstance(channel, Topic):
        return f"{channel.broker.name} topic" + (f", {channel.partitions} partitions" if channel.partitions else "")
    if isinstance(channel, Exchange):
        return f"{channel.broker.name} {channel.type} exchange"
    return f"{channel.broker.name} queue"
