"""Mermaid C4: one `c4/<view>.mmd` per C4 view (C4Context / C4Container / C4Component), for GitHub and GitLab.

Mermaid cannot style relationships by tag, so asynchronous relationships are not dashed here; their
technology (Kafka, AMQP, ...) and their "publishes"/"delivers" labels still say they are messaging.
"""

from __future__ import annotations

import re
from typing import Any

from archkit.formats import Format, RenderOptions
from archkit.formats.c4_macros import DIAGRAM_TYPES, C4Dialect, normalize_lines, printable, selected_views
from archkit.formats.templating import render_template
from archkit.output import OutputFile

#: Characters with a meaning to Mermaid inside a quoted argument or a title: the quote ends it, `#..;`
#: is Mermaid's entity syntax, `%%` starts directives and comments, `;` ends statements, backticks open
#: markdown strings, angle brackets and braces are markup. Each becomes a Mermaid entity (`#34;`).
_ENCODE = re.compile('["#;%{}<>`$\\\\&]')


def _entity(match: re.Match[str]) -> str:
    return f"#{ord(match.group())};"


def mermaid_text(text: str) -> str:
    """Text safe inside a double-quoted Mermaid C4 argument or title; line breaks become spaces."""
    return " ".join(_ENCODE.sub(_entity, printable(line)) for line in normalize_lines(text))


DIALECT = C4Dialect(escape=mermaid_text, supports_tags=False)


def render(workspace: Any, options: RenderOptions) -> list[OutputFile]:
    files = []
    for view in selected_views(workspace, options):
        text = render_template(
            "c4-mermaid/view.mmd.j2", options.templates,
            diagram_type=DIAGRAM_TYPES[view.level], title=mermaid_text(view.title), calls=DIALECT.calls(view),
        )
        files.append(OutputFile.text(f"c4/{view.name}.mmd", text))
    return files


FORMAT = Format(
    name="c4-mermaid", draws="the C4 views in Mermaid C4, for GitHub/GitLab Markdown",
    files="c4/<view>.mmd", extension=".mmd", order=20, render=render, templates="c4-mermaid",
    preview="open", aliases=("mermaid",), family="c4", weight=2, views="c4",
)
