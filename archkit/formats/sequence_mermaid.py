"""`sequence-mermaid`: one Mermaid `sequenceDiagram` per flow and per `--trace EVENT`.

Files: `flows/<flow-id>.mmd`, `flows/trace-<event-id>.mmd`. The participant and message lines are written
here, every label escaped; the template lays out the rest (see `sequence_lines`).
"""

from __future__ import annotations

import json

from archkit.formats import Format, RenderOptions
from archkit.formats.sequence_lines import DETAILS, body_lines
from archkit.formats.sequence_text import mermaid_text as esc
from archkit.formats.templating import render_template
from archkit.model.workspace import Workspace
from archkit.output import OutputFile
from archkit.views.sequence import Message, NoteItem, Participant, SequenceView, sequence_views

_ARROWS = {"call": "->>", "reply": "-->>", "publish": "-)", "route": "-)", "deliver": "-)", "action": "->>"}


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar for the front matter: a title starting with `!`, `*` or `&`, or holding
    `: `, would otherwise be read as a YAML tag, alias, anchor or mapping and mermaid would reject the file."""
    return json.dumps(text, ensure_ascii=False)


FILTERS = {"esc": esc, "yaml_string": yaml_string}


def render(workspace: Workspace, options: RenderOptions) -> list[OutputFile]:
    return [OutputFile.text(f"flows/{view.key}.mmd", render_flow(view, options))
            for view in sequence_views(workspace, options)]


def render_flow(view: SequenceView, options: RenderOptions) -> str:
    body = body_lines(view.items, indent="    ", depth=1, esc=esc, openers={"alt": "else", "par": "and"},
                      line=_line)
    return render_template("sequence-mermaid/flow.mmd.j2", options.templates, FILTERS, view=view,
                           participants=[_participant(p) for p in view.participants], body=body)


def _participant(p: Participant) -> str:
    technology = f"<br/>[{esc(p.technology)}]" if p.technology else ""
    return f"{'actor' if p.kind == 'person' else 'participant'} {p.alias} as {esc(p.name)}{technology}"


def _line(item: Message | NoteItem) -> str:
    if isinstance(item, NoteItem):
        return f"Note over {item.participant}: {esc(item.text)}"
    technology = f" [{esc(item.technology)}]" if item.technology else ""
    detail = f"<br/>{DETAILS[item.kind]}{esc(item.detail)}" if item.detail else ""
    return f"{item.source}{_ARROWS[item.kind]}{item.target}: {esc(item.label)}{technology}{detail}"


FORMAT = Format(
    name="sequence-mermaid", draws="a Mermaid sequenceDiagram per flow",
    files="flows/<flow>.mmd", extension=".mmd", order=50, render=render, templates="sequence-mermaid",
    preview="open", aliases=("mermaid",), family="flows", weight=1, views="flow",
)
