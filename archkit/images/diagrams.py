"""`diagrams` format: a container picture per internal system, drawn by mingrammer's `diagrams` (Graphviz).

For people who would rather look than read: technology icons (Kafka, PostgreSQL, Spring, ...), the
system as a cluster, external systems as grey boxes, labelled edges. It draws a computed container view
(elements, boundaries, relationships), never the raw model. Rendering happens in a temporary folder and
returns bytes, so the picture goes through the same atomic write as every other output.
Node ids come from the view's keys (not `diagrams`' random ids), so the same model gives the same PNG.
"""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from archkit.images.icons import icon_class, icon_path
from archkit.output import OutputFile
from archkit.renderers import RenderOptions

EXTERNAL_GREY = "#8C8C8C"
INTERNAL_BLUE = "#1168BD"

GRAPH = {"fontname": "Helvetica", "fontsize": "20", "pad": "0.4", "nodesep": "0.9", "ranksep": "1.3",
         "splines": "spline", "labelloc": "t"}
NODE = {"fontname": "Helvetica", "fontsize": "12"}
EDGE = {"fontname": "Helvetica", "fontsize": "10", "color": "#555555", "fontcolor": "#333333"}
BOX = {"shape": "box", "style": "rounded,filled", "fixedsize": "false", "width": "2.2", "height": "1.1",
       "labelloc": "c", "fontcolor": "white", "margin": "0.2,0.1"}


@dataclass
class DiagramsOutcome:
    files: list[OutputFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def workspace_diagrams(workspaces: Sequence[Any], options: RenderOptions) -> DiagramsOutcome:
    """`<ws>/diagrams/container-<system>.png` for every internal system, or one note without Graphviz."""
    outcome = DiagramsOutcome()
    views = [(ws, view) for ws in workspaces for view in container_views(ws) if options.wants(view.name)]
    if not views:
        return outcome
    if shutil.which("dot") is None:
        outcome.notes.append(f"images skipped: Graphviz `dot` not found, so {len(views)} `diagrams` picture(s)"
                             " were not drawn (install the graphviz package)")
        return outcome
    for ws, view in views:
        outcome.files.append(OutputFile(f"{ws.id}/diagrams/{view.name}.png", draw_container_view(view)))
    return outcome


def draw_container_view(view: Any) -> bytes:
    """The PNG of one container view (an object shaped like archkit.views.c4.C4View)."""
    from diagrams import Cluster, Diagram, Edge

    with tempfile.TemporaryDirectory(prefix="archkit-diagrams-") as tmp:
        target = Path(tmp) / "picture"
        with Diagram(_label(view.title, 80), filename=str(target), outformat="png", show=False, direction="TB",
                     graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
            nodes: dict[str, Any] = {}
            inside: dict[str | None, list[Any]] = {}
            for element in view.elements:
                inside.setdefault(element.boundary, []).append(element)
            for element in inside.get(None, []):
                nodes[element.key] = _node(element)
            for boundary in view.boundaries:
                with Cluster(_label(boundary.name, 60), graph_attr=_cluster_style(boundary)):
                    for element in inside.get(boundary.key, []):
                        nodes[element.key] = _node(element)
            for rel in view.relationships:
                if rel.source in nodes and rel.destination in nodes:
                    label = _label(rel.description + (f"\n[{rel.technology}]" if rel.technology else ""), 34)
                    style = "dashed" if getattr(rel, "asynchronous", False) else "solid"
                    nodes[rel.source] >> Edge(label=label, style=style) >> nodes[rel.destination]
        return target.with_suffix(".png").read_bytes()


def _node(element: Any) -> Any:
    """An icon node for an internal element that names a technology; a coloured box otherwise."""
    from diagrams import Node

    title = _label(element.name, 22)
    tech = f"\n[{_label(element.technology, 26)}]" if element.technology else ""
    if element.kind == "person" and not element.external:
        return icon_class("onprem.client.User")(title, nodeid=_id(element.key))
    if element.external or element.kind in ("system", "person"):
        colour = EXTERNAL_GREY if element.external else INTERNAL_BLUE
        kind = "external person" if element.kind == "person" else ("external system" if element.external else "system")
        return Node(f"{title}\n[{kind}]", nodeid=_id(element.key), fillcolor=colour, color=colour, **BOX)
    icon = icon_path(f"{element.technology} {element.name}", element.kind)
    cls = icon_class(icon) if icon else Node
    return cls(title + tech, nodeid=_id(element.key))


def _cluster_style(boundary: Any) -> dict[str, str]:
    colour = EXTERNAL_GREY if boundary.external else INTERNAL_BLUE
    return {"bgcolor": "#F4F7FB" if not boundary.external else "#F2F2F2", "pencolor": colour, "style": "dashed",
            "fontcolor": colour, "fontsize": "16", "margin": "24"}


def _id(key: str) -> str:
    return "n_" + "".join(ch if ch.isalnum() else "_" for ch in key)


def _label(text: str, width: int) -> str:
    """Wrapped for a picture; backslashes doubled so Graphviz escapes (`\\N`, `\\G`) cannot fire."""
    lines = [textwrap.fill(part, width) or part for part in text.replace("\\", "\\\\").splitlines() or [""]]
    return "\n".join(lines)


# --- The view this picture draws ---------------------------------------------------------------------
# STAND-IN, to be replaced by archkit.views.c4 container views (the C4 engineer's work) once they land on
# main: only this function and its two small shapes go; the drawing above already reads the C4View shape.


@dataclass(frozen=True)
class _Element:
    key: str
    name: str
    description: str
    kind: str
    technology: str = ""
    external: bool = False
    boundary: str | None = None


@dataclass(frozen=True)
class _Relationship:
    source: str
    destination: str
    description: str
    technology: str = ""
    asynchronous: bool = False


@dataclass(frozen=True)
class _Boundary:
    key: str
    name: str
    external: bool = False


@dataclass(frozen=True)
class _View:
    name: str
    title: str
    elements: tuple[_Element, ...]
    boundaries: tuple[_Boundary, ...]
    relationships: tuple[_Relationship, ...]


def container_views(ws: Any) -> list[Any]:
    """STAND-IN: one container view per internal system (its containers, and the people and systems around)."""
    from archkit.model.elements import Broker, Person

    views = []
    for system in ws.index.internal_systems:
        frame = f"{system.id}--boundary"

        def shown(element: Any) -> Any:
            while element.parent is not None and element.system is not system:
                element = element.parent
            while element.parent is not None and element.parent is not system and element.system is system:
                element = element.parent
            return element

        edges: dict[tuple[str, str], list[str]] = {}
        techs: dict[tuple[str, str], str] = {}
        asynchronous: set[tuple[str, str]] = set()
        for rel in ws.relationships:
            a, b = shown(rel.source), shown(rel.destination)
            if a is not b and system in (a.system, b.system) and a is not system and b is not system:
                edges.setdefault((a.id, b.id), []).append(rel.description)
                techs.setdefault((a.id, b.id), rel.technology)
        for pub in ws.publications:
            pair = (shown(pub.participant).id, pub.channel.broker.id)
            edges.setdefault(pair, []).append(f"publishes {pub.event.__name__} to {pub.channel.name}")
            asynchronous.add(pair)
        for sub in ws.subscriptions:
            pair = (sub.channel.broker.id, shown(sub.participant).id)
            edges.setdefault(pair, []).append(f"{sub.event.__name__} from {sub.channel.name}")
            asynchronous.add(pair)
        keys = {k for pair in edges for k in pair} | {c.id for c in system.containers}
        elements = []
        for element in ws.elements.values():
            if element.id not in keys:
                continue
            inner = element.system is system
            kind = ("queue" if isinstance(element, Broker) else "database" if getattr(element, "kind", "") == "database"
                    else "person" if isinstance(element, Person) else "container" if inner else "system")
            elements.append(_Element(element.id, element.name, element.description, kind,
                                     getattr(element, "technology", ""), element.external, frame if inner else None))
        relationships = tuple(
            _Relationship(a, b, "; ".join(dict.fromkeys(labels)), techs.get((a, b), ""), (a, b) in asynchronous)
            for (a, b), labels in edges.items() if a in keys and b in keys
        )
        views.append(_View(f"container-{system.id}", f"Containers: {system.name}", tuple(elements),
                           (_Boundary(frame, system.name),), relationships))
    return views
