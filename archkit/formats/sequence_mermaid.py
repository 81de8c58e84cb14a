"""`sequence-mermaid`: one Mermaid `sequenceDiagram` per flow and per `--trace EVENT`.

Files: `flows/<flow-id>.mmd`, `flows/trace-<event-id>.mmd`.
"""

from __future__ import annotations

import json

from archkit.formats import Format, RenderOptions
from archkit.formats.sequence_text import mermaid_text
from archkit.formats.templating import render_template
from archkit.model.workspace import Workspace
from archkit.output import OutputFile
from archkit.views.sequence import sequence_views


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar for the front matter: a title starting with `!`, `*` or `&`, or holding
    `: `, would otherwise be read as a YAML tag, alias, anchor or mapping and mermaid would reject the file."""
    return json.dumps(text, ensure_ascii=False)


FILTERS = {"esc": mermaid_text, "yaml_string": yaml_string}


def render(workspace: Workspace, options: RenderOptions) -> list[OutputFile]:
    return [
        OutputFile.text(
            f"flows/{view.key}.mmd",
            render_template("sequence-mermaid/flow.mmd.j2", options.templates, FILTERS, view=view),
        )
        for view in sequence_views(workspace, options)
    ]


FORMAT = Format(
    name="sequence-mermaid", draws="a Mermaid sequenceDiagram per flow",
    files="flows/<flow>.mmd", extension=".mmd", order=50, render=render, templates="sequence-mermaid",
    preview="open", aliases=("mermaid",), family="flows", weight=1, views="flow",
)
