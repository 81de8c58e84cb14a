"""The legend of a C4-PlantUML view, written by archkit rather than by `SHOW_LEGEND()`.

C4-PlantUML's own legend shows a boundary as the glyph U+25AF, an empty box that reads as "nothing",
and it cannot explain archkit's notation. This one lists only what the view draws: its kinds of box, a
boundary as a dashed frame, synchronous and asynchronous arrows, the dead-letter path, and the words
on the arrows (consumer group, routing and binding keys, replicas, a dense arrow's note). Deployment
views get one too (C4-PlantUML draws a node there as the same empty box).
"""

from __future__ import annotations

from dataclasses import dataclass

from archkit.formats.c4_macros import DEAD_LETTER_COLOR
from archkit.views.c4 import C4View
from archkit.views.deployment import DeploymentBox, DeploymentView

#: C4-PlantUML's default colours (background, text) of each kind of box, external ones second.
_BOXES = {
    "person": (("#08427B", "#FFFFFF"), ("#686868", "#FFFFFF")),
    "system": (("#1168BD", "#FFFFFF"), ("#999999", "#FFFFFF")),
    "container": (("#438DD5", "#FFFFFF"), ("#B3B3B3", "#FFFFFF")),
    "component": (("#85BBF0", "#000000"), ("#CCCCCC", "#000000")),
}
_SHAPES = {
    "database": "database (cylinder)",
    "queue": "broker (pipe)",
    "topic": "topic: a stored log (cylinder)",
    "exchange": "exchange: routes by key (octagon)",
    "queue-channel": "queue (pipe)",
}
_GREY, _LINE = "#444444", "#666666"


@dataclass(frozen=True)
class LegendRow:
    """One line of the legend, already in PlantUML creole (fixed text only: nothing from the model)."""

    text: str


def legend(view: C4View) -> list[LegendRow]:
    rows: list[LegendRow] = []
    seen: list[str] = []
    for element in view.elements:
        box = "container" if element.kind in ("database", "queue", "channel") else element.kind
        name = ("external " if element.external else "") + box
        if name not in seen:
            seen.append(name)
    for name in sorted(seen, key=lambda n: (list(_BOXES).index(n.removeprefix("external ")), n.startswith("external "))):
        background, color = _BOXES[name.removeprefix("external ")][name.startswith("external ")]
        rows.append(LegendRow(f"|<{background}><color:{color}> {name} </color>|"))
    kinds = {e.kind for e in view.elements}
    channels = {e.channel_kind for e in view.elements if e.kind == "channel"}
    for shape, present in (("database", kinds), ("queue", kinds), ("topic", channels), ("exchange", channels),
                           ("queue-channel", {f"{c}-channel" for c in channels})):
        if shape in present:
            rows.append(LegendRow(f"|<color:{_GREY}> {_SHAPES[shape]} </color>|"))
    if "dead-letter" in channels:
        rows.append(LegendRow(f"|<{DEAD_LETTER_COLOR}><color:#FFFFFF> dead-letter queue (pipe) </color>|"))
    if view.boundaries:
        rows.append(LegendRow(f"|<color:{_GREY}> \u250c\u254c\u254c\u2510 boundary: a system, container or broker </color>|"))
    rels = view.relationships
    if any(not r.asynchronous for r in rels):
        rows.append(LegendRow(f"|<color:{_LINE}> \u2500\u2500\u2500 synchronous call </color>|"))
    if any(r.asynchronous and not r.dead_letter for r in rels):
        rows.append(LegendRow(f"|<color:{_LINE}> \u254c\u254c\u254c asynchronous message (publishes, delivers) </color>|"))
    if any(r.dead_letter for r in rels):
        rows.append(LegendRow(f"|<color:{DEAD_LETTER_COLOR}> \u254c\u254c\u254c dead-letter path (rejected messages) </color>|"))
    labels = " ".join(r.description for r in rels)
    for marker, meaning in (("(group ", "(group g): consumer group; \u201cshared with\u201d names its other members"),
                            ("(key ", "(key k): routing key of a publication"),
                            ("(binding ", "(binding b): the key a queue is bound with")):
        if marker in labels:
            rows.append(LegendRow(f"|<color:{_GREY}> {meaning} </color>|"))
    if any((e.replicas or 1) > 1 for e in view.elements):
        rows.append(LegendRow(f"|<color:{_GREY}> xN: N replicas running </color>|"))
    if any(r.note for r in rels):
        rows.append(LegendRow(f"|<color:{_GREY}> N events: the list is in the note on the arrow </color>|"))
    return rows


def deployment_legend(view: DeploymentView) -> list[LegendRow]:
    """The deployment view's legend: container instances, nodes as frames, the kinds of arrow it draws."""
    def boxes(nodes: tuple[DeploymentBox, ...]) -> list[DeploymentBox]:
        return [b for n in nodes for b in (n, *boxes(n.children))]

    kinds = {b.kind for b in boxes(view.roots)}
    background, color = _BOXES["container"][0]
    rows = [LegendRow(f"|<{background}><color:{color}> container instance (xN: N copies run) </color>|"),
            LegendRow(f"|<color:{_GREY}> \u250c\u2500\u2500\u2510 deployment node (xN: N copies of it) </color>|")]
    if "infrastructure" in kinds:
        rows.append(LegendRow(f"|<color:{_GREY}> \u25a1 infrastructure node (load balancer, DNS, ...) </color>|"))
    if any(not r.asynchronous for r in view.relationships):
        rows.append(LegendRow(f"|<color:{_LINE}> \u2500\u2500\u2500 synchronous call </color>|"))
    if any(r.asynchronous for r in view.relationships):
        rows.append(LegendRow(f"|<color:{_LINE}> \u254c\u254c\u254c asynchronous message; (group g): consumer group </color>|"))
    return rows
