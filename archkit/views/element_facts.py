"""What the site's element panel shows about one element: its description, technology and replicas, what it
uses and who uses it, what it publishes and consumes (event, channel, group, routing key), and the C4 views
it appears in. Format-free data keyed by the element's view key (`views.c4.node_key`)."""

from __future__ import annotations

from typing import Any

from archkit.model.elements import Element
from archkit.model.events import event_info
from archkit.views.c4 import c4_views
from archkit.views.event_catalogue import channel_page, event_page


def element_facts(workspace: Any) -> dict[str, dict[str, Any]]:
    """View key -> the panel's facts, for every element of the workspace, in declaration order."""
    index = workspace.index
    used_by: dict[Element, list[str]] = {}
    for rel in workspace.relationships:
        used_by.setdefault(rel.destination, []).append(f"{rel.source.name}: {rel.description}".rstrip(": "))
    views: dict[str, list[str]] = {}
    for view in c4_views(workspace):
        for element in view.elements:
            views.setdefault(element.key, []).append(view.name)
    facts = {}
    for element in workspace.elements.values():
        facts[element.id] = {
            "name": element.name, "kind": type(element).__name__, "description": element.description,
            "technology": getattr(element, "technology", ""), "replicas": getattr(element, "replicas", None),
            "uses": [f"{r.destination.name}: {r.description}".rstrip(": ") for r in index.relationships_from[element]],
            "usedBy": used_by.get(element, []),
            "publishes": [_use(index, p.event, p.channel, routing_key=p.routing_key)
                          for p in _own(workspace.publications, element)],
            "consumes": [_use(index, s.event, s.channel, group=s.group) for s in _own(workspace.subscriptions, element)],
            "views": views.get(element.id, []),
        }
    return facts


def _own(uses: list[Any], element: Element) -> list[Any]:
    """The messages of an element: its own, and for a container those of its components."""
    return [u for u in uses if u.participant is element or getattr(u.participant, "parent", None) is element]


def _use(index: Any, event: Any, channel: Any, **detail: str | None) -> dict[str, str]:
    info = event_info(event)
    return {"event": f"{info.name} v{info.version}", "eventPage": event_page(index, event),
            "channel": channel.name, "channelPage": channel_page(channel),
            **{k: v for k, v in detail.items() if v}}
