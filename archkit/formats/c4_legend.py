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
_GREY, _LINE = "#444444", "#666666"
_BOUNDARY, _SOLID, _DASHED = "\u250c\u254c\u254c\u2510", "\u2500\u2500\u2500", "\u254c\u254c\u254c"
#: What arrow labels may carry (the marker archkit writes) and what it means.
_NOTATION = (("(group ", "(group g): consumer group; \u201cshared with\u201d names its other members"),
             ("(key ", "(key k): routing key of a publication"),
             ("(binding ", "(binding b): the key a queue is bound with"))


@dataclass(frozen=True)
class LegendRow:
    """One line of the legend, already in PlantUML creole (fixed text only: nothing from the model)."""

    text: str

    @classmethod
    def of(cls, text: str, color: str = _GREY, background: str = "") -> LegendRow:
        return cls(f"|{f'<{background}>' if background else ''}<color:{color}> {text} </color>|")


def legend(view: C4View) -> list[LegendRow]:
    """The rows for what `view` draws, in a fixed order: boxes, shapes, arrows, the words on arrows."""
    return [*_boxes(view), *_shapes(view), *_arrows(view), *_notation(view)]


def _boxes(view: C4View) -> list[LegendRow]:
    """A row per kind of box in its C4-PlantUML colours, internal before external."""
    seen = {("container" if e.kind in ("database", "queue", "channel") else e.kind, e.external) for e in view.elements}
    rows = []
    for kind, external in sorted(seen, key=lambda k: (list(_BOXES).index(k[0]), k[1])):
        background, color = _BOXES[kind][external]
        rows.append(LegendRow.of(("external " if external else "") + kind, color, background))
    return rows


def _shapes(view: C4View) -> list[LegendRow]:
    kinds = {e.kind for e in view.elements}
    channels = {e.channel_kind for e in view.elements if e.kind == "channel"}
    shapes = [("database" in kinds, "database (cylinder)"), ("queue" in kinds, "broker (pipe)"),
              ("topic" in channels, "topic: a stored log (cylinder)"),
              ("exchange" in channels, "exchange: routes by key (octagon)"), ("queue" in channels, "queue (pipe)")]
    rows = [LegendRow.of(text) for present, text in shapes if present]
    if "dead-letter" in channels:
        rows.append(LegendRow.of("dead-letter queue (pipe)", "#FFFFFF", DEAD_LETTER_COLOR))
    if view.boundaries:
        rows.append(LegendRow.of(f"{_BOUNDARY} boundary: a system, container or broker"))
    return rows


def _arrows(view: C4View) -> list[LegendRow]:
    rels = view.relationships
    arrows = [(any(not r.asynchronous for r in rels), f"{_SOLID} synchronous call", _LINE),
              (any(r.asynchronous and not r.dead_letter for r in rels),
               f"{_DASHED} asynchronous message (publishes, delivers)", _LINE),
              (any(r.dead_letter for r in rels), f"{_DASHED} dead-letter path (rejected messages)", DEAD_LETTER_COLOR)]
    return [LegendRow.of(text, color) for present, text, color in arrows if present]


def _notation(view: C4View) -> list[LegendRow]:
    labels = " ".join(r.description for r in view.relationships)
    rows = [LegendRow.of(meaning) for marker, meaning in _NOTATION if marker in labels]
    if any((e.replicas or 1) > 1 for e in view.elements):
        rows.append(LegendRow.of("xN: N replicas running"))
    if any(r.note for r in view.relationships):
        rows.append(LegendRow.of("N events: the list is in the note on the arrow"))
    return rows


def deployment_legend(view: DeploymentView) -> list[LegendRow]:
    """The deployment view's legend: container instances, nodes as frames, the kinds of arrow it draws."""
    def boxes(nodes: tuple[DeploymentBox, ...]) -> list[DeploymentBox]:
        return [b for n in nodes for b in (n, *boxes(n.children))]

    background, color = _BOXES["container"][0]
    rows = [LegendRow.of("container instance (xN: N copies run)", color, background),
            LegendRow.of("\u250c\u2500\u2500\u2510 deployment node (xN: N copies of it)")]
    if any(b.kind == "infrastructure" for b in boxes(view.roots)):
        rows.append(LegendRow.of("\u25a1 infrastructure node (load balancer, DNS, ...)"))
    if any(not r.asynchronous for r in view.relationships):
        rows.append(LegendRow.of(f"{_SOLID} synchronous call", _LINE))
    if any(r.asynchronous for r in view.relationships):
        rows.append(LegendRow.of(f"{_DASHED} asynchronous message; (group g): consumer group", _LINE))
    return rows
