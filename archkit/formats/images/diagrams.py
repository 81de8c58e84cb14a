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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.formats import RenderOptions
from archkit.formats.c4_macros import DEAD_LETTER_COLOR
from archkit.formats.images.icons import icon_class, icon_path
from archkit.output import OutputFile
from archkit.views.deployment import times

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
    views = [(ws, view) for ws in workspaces for view in container_views(ws, options) if options.wants(view.name)]
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
                    red = {"color": DEAD_LETTER_COLOR, "fontcolor": DEAD_LETTER_COLOR} if getattr(rel, "dead_letter", False) else {}
                    nodes[rel.source] >> Edge(label=label, style=style, **red) >> nodes[rel.destination]
        return target.with_suffix(".png").read_bytes()


def _node(element: Any) -> Any:
    """An icon node for an internal element that names a technology; a coloured box otherwise."""
    from diagrams import Node

    title = _label(times(element.name, getattr(element, "replicas", None) or 1), 22)
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


def container_views(ws: Any, options: RenderOptions | None = None) -> list[Any]:
    """The C4 container views (one per internal system), as the C4 renderers see them."""
    from archkit.views.c4 import c4_views

    channel_nodes = bool(options and options.channel_nodes)
    return [view for view in c4_views(ws, channel_nodes) if view.level == "container"]
