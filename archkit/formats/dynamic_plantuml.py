"""`dynamic-plantuml`: each flow as a C4-PlantUML dynamic view (`flows/dynamic-<flow-id>.puml`).

The relationships carry the same numbers as the sequence diagram's autonumber, so a reader can move
between the two pictures of one flow. C4 has no alt/par blocks; the first message of each case or
branch is prefixed with its label instead. The element and relationship lines are written here, every
label escaped; the template lays out the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from archkit.formats import Format, RenderOptions
from archkit.formats.c4_macros import ELEMENT_MACROS
from archkit.formats.sequence_text import plantuml_text as esc
from archkit.formats.templating import render_template
from archkit.model.workspace import Workspace
from archkit.output import OutputFile
from archkit.views.sequence import Group, Item, Message, Participant, sequence_views

FILTERS = {"esc": esc}
#: The C4 views' macros, and a flow's topics and exchanges drawn as queues.
_MACROS = {**ELEMENT_MACROS, "topic": "ContainerQueue", "exchange": "ContainerQueue"}


@dataclass(frozen=True)
class DynamicRel:
    message: Message
    label: str  # the message label, with the alt case or par branch it opens, if any


def render(workspace: Workspace, options: RenderOptions) -> list[OutputFile]:
    files = []
    for view in sequence_views(workspace, options):
        rels = dynamic_rels(view.items)
        text = render_template("dynamic-plantuml/dynamic.puml.j2", options.templates, FILTERS, view=view, rels=rels,
                               elements=[_element(p) for p in view.participants], relationships=[_rel(r) for r in rels])
        files.append(OutputFile.text(f"flows/dynamic-{view.key}.puml", text))
    return files


def _element(p: Participant) -> str:
    texts = (p.name, p.description) if p.kind in ("person", "system") else (p.name, p.technology, p.description)
    quoted = ", ".join(f'"{esc(text)}"' for text in texts)
    return f"{_MACROS[p.kind]}{'_Ext' if p.external else ''}({p.alias}, {quoted})"


def _rel(rel: DynamicRel) -> str:
    m = rel.message
    technology = f', "{esc(m.technology)}"' if m.technology else ""
    return f'RelIndex("{m.number}", {m.source}, {m.target}, "{esc(rel.label)}"{technology})'


def dynamic_rels(items: tuple[Item, ...], opening: str = "") -> list[DynamicRel]:
    """Messages in reading order; notes are left out (C4 relationships have nowhere to hang them)."""
    rels: list[DynamicRel] = []
    for item in items:
        if isinstance(item, Message):
            rels.append(DynamicRel(item, f"[{opening}] {item.label}" if opening else item.label))
            opening = ""
        elif isinstance(item, Group):
            for position, branch in enumerate(item.branches):
                prefix = f"{item.kind}: {branch.label}"
                rels += dynamic_rels(branch.items, f"{opening} / {prefix}" if opening and position == 0 else prefix)
            opening = ""
    return rels


FORMAT = Format(
    name="dynamic-plantuml", draws="a C4 dynamic view per flow, numbered like the sequence diagram",
    files="flows/dynamic-<flow>.puml", extension=".puml", order=60, render=render, templates="dynamic-plantuml",
    preview="open", aliases=("plantuml",), family="flows", weight=1, views="flow",
)
