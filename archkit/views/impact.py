"""Which views an in-place edit changed: watch mode's fast path renders only those.

Views are plain values, so "changed" is decided by computing a view again and comparing it with the
view the last full build computed (kept in the old model's index). What is cheap is computed in full
(every flow's sequence view, the event map); for the C4 views and AsyncAPI documents, of which a large
estate has thousands, only the candidates are: the views that show an element, channel or
relationship the edit changed, found through an inverted index of the old views' nodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from archkit.model.elements import Channel, Component, Container, Element, Relationship, SoftwareSystem
from archkit.model.events import event_info
from archkit.model.messaging import Publication
from archkit.model.rerun import ModelChanges
from archkit.views.asyncapi import DEFAULT_VERSION, asyncapi_document_ids, asyncapi_documents_named
from archkit.views.c4 import C4View, boundary_key, c4_view_plan, c4_views_named, node_key
from archkit.views.deployment import deployment_views
from archkit.views.event_map import event_map_view
from archkit.views.sequence import SequenceView, make_participant, sequence_views_named


def changed_views(old_index: Any, workspace: Any, changes: ModelChanges, kinds: set[str], *,
                  channel_nodes: bool = False, traces: tuple[str, ...] = (),
                  asyncapi_version: str = DEFAULT_VERSION) -> frozenset[str] | None:
    """'kind:key' of every view of `kinds` that differs from the last full build's; None if unknown.

    None means the old views were not kept (the last build did not draw them): render everything.
    """
    found: set[str] = set()
    if "c4" in kinds:
        old_c4 = old_index.remembered(("c4", channel_nodes))
        if old_c4 is None:
            return None
        indexes = (old_index, workspace.index)
        found |= {f"c4:{name}" for name in _changed_c4(old_c4, workspace, changes, channel_nodes, indexes)}
    if "flow" in kinds:
        old_flows = old_index.remembered(("sequence", traces))
        if old_flows is None:
            return None
        found |= {f"flow:{key}" for key in _changed_flows(old_flows, workspace, changes, traces)}
        old_map = old_index.remembered("event-map")
        if (changes.messaging or any(isinstance(e, Container) for e in changes.elements)) and old_map is not None \
                and old_map != event_map_view(workspace.index):
            found.add("event-map:event-map")
    if "deployment" in kinds:  # one view per environment: cheap enough to compare them all
        old_deployments = old_index.remembered("deployment")
        if old_deployments is None:
            return None
        before_views = {view.name: view for view in old_deployments}
        found |= {f"deployment:{view.name}" for view in deployment_views(workspace) if before_views.get(view.name) != view}
    if "asyncapi" in kinds and (changes.messaging or changes.elements):
        old_docs = old_index.remembered(("asyncapi", asyncapi_version))
        if old_docs is None:
            return None
        before_docs = {doc.id: doc for doc in old_docs}
        candidates = _asyncapi_candidates(old_index, workspace.index, changes) | (
            asyncapi_document_ids(workspace, asyncapi_version) - before_docs.keys())
        for doc in asyncapi_documents_named(workspace, candidates, asyncapi_version):
            if before_docs.get(doc.id) != doc:
                found.add(f"asyncapi:{doc.id}")
    return frozenset(found)


# --- C4 -------------------------------------------------------------------------------------------
def _changed_c4(old_views: list[C4View], workspace: Any, changes: ModelChanges, channel_nodes: bool,
                indexes: tuple[Any, ...]) -> set[str]:
    before = {view.name: view for view in old_views}
    plan = c4_view_plan(workspace).keys()
    candidates = _c4_candidates(old_views, changes, indexes) | (plan - before.keys())
    changed = {view.name for view in c4_views_named(workspace, candidates, channel_nodes) if before.get(view.name) != view}
    # A view added or gone changes the boxes that drill down to it (C4-PlantUML's `$link`), not their views.
    drilled = {name.split("-", 1)[1] for name in plan ^ before.keys() if name.startswith(("container-", "component-"))}
    return changed | {v.name for v in old_views if v.name in plan and any(e.key in drilled for e in v.elements)}


def _c4_candidates(views: list[C4View], changes: ModelChanges, indexes: tuple[Any, ...]) -> set[str]:
    """Views that draw a changed element or channel, frame a changed element, or draw a changed edge.

    An edge shows in a view when its two ends land on two different nodes there; a new edge can also
    bring a neighbour into a view when one end lands on the view's focus (what the view is about).
    """
    nodes: dict[str, set[str]] = defaultdict(set)  # node or boundary key -> views showing it
    keys_of: dict[str, set[str]] = {}
    focus_of: dict[str, set[str]] = {}
    for view in views:
        keys = {e.key for e in view.elements} | {b.key for b in view.boundaries}
        keys_of[view.name] = keys
        focus_of[view.name] = _focus(view)
        for key in keys:
            nodes[key].add(view.name)
    found: set[str] = set()
    for element in changes.elements:
        found |= nodes.get(node_key(element), set()) | nodes.get(boundary_key(element), set())
    for element in changes.added_or_removed:  # drawn inside its parent's frame, or on the landscape
        if element.parent is None:
            found.add("landscape")
        else:
            found |= nodes.get(boundary_key(element.parent), set())
    edges = list(changes.edges)
    names: dict[str, set[str]] = defaultdict(set)
    for channel in changes.channels:
        found |= nodes.get(node_key(channel), set())  # drawn as its own node (--channel-nodes)
        names[channel.id].add(channel.name)
    for channel in changes.channels:  # its name is in the labels of its edges
        if len(names[channel.id]) > 1 or sum(c.id == channel.id for c in changes.channels) == 1:
            edges += _uses_of_channel(channel, indexes)
    for source, destination in _edge_ends(edges):
        a, b = _chain(source), _chain(destination)
        for name in set().union(*(nodes.get(k, set()) for k in (*a, *b))):
            end_a, end_b = _nearest(a, keys_of[name]), _nearest(b, keys_of[name])
            drawn = end_a is not None and end_b is not None and end_a != end_b
            brings_neighbour = (end_a is None) != (end_b is None) and (end_a or end_b) in focus_of[name]
            if drawn or brings_neighbour:
                found.add(name)
    return found


def _focus(view: C4View) -> set[str]:
    """The keys a view is about: every node of the landscape, the subject of a context view, what is
    drawn inside the frame of a container or component view."""
    if view.level == "landscape":
        return {e.key for e in view.elements}
    if view.level == "context":
        return {view.subject}
    return {e.key for e in view.elements if e.boundary is not None}


def _uses_of_channel(channel: Channel, indexes: tuple[Any, ...]) -> list[Any]:
    """Publications and subscriptions on the channel (by id), in the old model and the new."""
    uses: list[Any] = []
    for index in indexes:
        for by_channel in (index.publications_by_channel, index.subscriptions_by_channel):
            for other, found in by_channel.items():
                if other.id == channel.id:
                    uses += found
    return uses


def _chain(obj: Element | Channel) -> list[str]:
    """The keys `obj` may be drawn as, nearest first: itself, then each enclosing element."""
    if isinstance(obj, Channel):
        return [node_key(obj), *_chain(obj.broker)]
    return [obj.id, *(a.id for a in obj.ancestors)]


def _nearest(chain: list[str], keys: set[str]) -> str | None:
    return next((k for k in chain if k in keys), None)


def _edge_ends(edges: Iterable[Any]) -> list[tuple[Any, Any]]:
    ends = []
    for edge in edges:
        if isinstance(edge, Relationship):
            ends.append((edge.source, edge.destination))
        elif isinstance(edge, Publication):
            ends.append((edge.participant, edge.channel))
        else:
            ends.append((edge.channel, edge.participant))
    return ends


# --- flows ----------------------------------------------------------------------------------------
def _changed_flows(old_views: list[SequenceView], workspace: Any, changes: ModelChanges,
                   traces: tuple[str, ...]) -> set[str]:
    """Flows whose view differs. Candidates: the edited file's flows, new ones, and those that show a
    participant or an event the edit touched (a trace grows from an event's label)."""
    aliases, labels = _touched_participants(changes, workspace.index)
    candidates = set(changes.flows)
    for view in old_views:
        if aliases & {p.alias for p in view.participants} or labels & {m.label for m in view.messages()}:
            candidates.add(view.key)
    before = {view.key: view for view in old_views}
    candidates |= {flow.id for flow in workspace.flows.values() if flow.id not in before}
    return {v.key for v in sequence_views_named(workspace, candidates, traces) if before.get(v.key) != v}


def _touched_participants(changes: ModelChanges, index: Any) -> tuple[set[str], set[str]]:
    """Participant aliases and message labels a flow showing the edit's objects would contain."""
    things: list[Any] = [*changes.elements, *changes.channels]
    labels: set[str] = set()
    for element in changes.elements:
        things += getattr(element, "channels", [])  # a channel participant names its broker
    for edge in changes.edges:
        if isinstance(edge, Relationship):
            things += [edge.source, edge.destination]
        else:
            things += [edge.participant, edge.participant.container, edge.channel]
            labels.add(edge.info.label)
    for reaction in changes.reactions:
        things += [reaction.participant, reaction.participant.container]
        labels |= {event_info(e).label for e in (reaction.event, *reaction.publishes)}
    for name, version in changes.events:
        labels.add(name if version == 1 else f"{name} v{version}")
    return {make_participant(thing).alias for thing in things}, labels


# --- AsyncAPI -------------------------------------------------------------------------------------
def _asyncapi_candidates(old_index: Any, new_index: Any, changes: ModelChanges) -> set[str]:
    """Documents that may show what changed, in the old model or the new.

    A service's document shows its own description and operations and names the other producers and
    consumers of its channels; a broker's document shows every channel, message and participant on it.
    So a change on a channel (its fields, who sends or receives on it, the events it carries) reaches
    every document that shows the channel, while a description reaches only its own document.
    """
    renamed = _renamed(changes.elements)
    channels: set[str] = {c.id for c in changes.channels}
    found: set[str] = set()
    spreading: set[str] = set()  # containers whose every channel is touched (renamed, added, removed)
    for edge in changes.edges:
        if not isinstance(edge, Relationship):
            channels.add(edge.channel.id)
    for reaction in changes.reactions:
        found.add(reaction.participant.container.id)
    for element in changes.elements:
        if isinstance(element, SoftwareSystem):  # its name is in its services' descriptions
            found |= {c.id for c in element.containers}
        elif isinstance(element, (Container, Component)):
            found.add(element.container.id)
            if element.id in renamed and isinstance(element, Container):  # named by other documents
                spreading.add(element.container.id)
                channels |= {c.id for c in getattr(element, "channels", [])}
    for index in (old_index, new_index):
        uses = [*_flatten(index.publications_by_channel), *_flatten(index.subscriptions_by_channel)]
        events = {index.events[key] for key in changes.events if key in index.events}
        for use in uses:
            if use.container.id in spreading or use.event in events:
                channels.add(use.channel.id)
        for use in uses:
            if use.channel.id in channels:
                found |= {use.container.id, use.channel.broker.id}
        for broker in index.brokers:
            if any(channel.id in channels for channel in broker.channels):
                found.add(broker.id)
    return found


def _renamed(elements: list[Any]) -> set[str]:
    """Ids of elements added, removed, or whose name changed (the old and new versions differ in name)."""
    names: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for element in elements:
        names[element.id].add(element.name)
        count[element.id] += 1
    return {i for i in names if len(names[i]) > 1 or count[i] == 1}


def _flatten(by_key: dict[Any, list[Any]]) -> list[Any]:
    return [item for items in by_key.values() for item in items]
