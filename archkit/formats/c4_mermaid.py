"""Mermaid C4: one `c4/<view>.mmd` per C4 view (C4Context / C4Container / C4Component), for GitHub and GitLab.

Mermaid cannot style relationships by tag, so asynchronous relationships are not dashed here; their
technology (Kafka, AMQP, ...) and their "publishes"/"delivers" labels still say they are messaging. The
dead-letter path is drawn red one arrow and box at a time (`UpdateRelStyle`, `UpdateElementStyle`).
"""

from __future__ import annotations

import re
from typing import Any

from archkit.formats import Format, RenderOptions
from archkit.formats.c4_macros import (
    DEAD_LETTER_COLOR,
    DIAGRAM_TYPES,
    C4Dialect,
    identifier,
    printable_lines,
    selected_views,
)
from archkit.formats.templating import render_template
from archkit.output import OutputFile
from archkit.views.c4 import C4View

#: Characters with a meaning to Mermaid inside a quoted argument or a title: the quote ends it, `#..;`
#: is Mermaid's entity syntax, `%%` starts directives and comments, `;` ends statements, backticks open
#: markdown strings, angle brackets and braces are markup. Each becomes a Mermaid entity (`#34;`).
_ENCODE = re.compile('["#;%{}<>`$\\\\&]')


def _entity(match: re.Match[str]) -> str:
    return f"#{ord(match.group())};"


def mermaid_text(text: str) -> str:
    """Text safe inside a double-quoted Mermaid C4 argument or title; line breaks become spaces."""
    return " ".join(_ENCODE.sub(_entity, line) for line in printable_lines(text))


DIALECT = C4Dialect(escape=mermaid_text, supports_tags=False)


def render(workspace: Any, options: RenderOptions) -> list[OutputFile]:
    files = []
    dialect = DIALECT.for_one_render()
    for view in selected_views(workspace, options):
        boxes, arrows = dialect.boxes(view), dialect.arrows(view)  # `calls`: both, for older --templates
        text = render_template(
            "c4-mermaid/view.mmd.j2", options.templates,
            diagram_type=DIAGRAM_TYPES[view.level], title=dialect.escape(view.title), boxes=boxes, relationships=arrows,
            calls=boxes + arrows,
            styles=_dead_letter_styles(view),
        )
        files.append(OutputFile.text(f"c4/{view.name}.mmd", text))
    return files


def _dead_letter_styles(view: C4View) -> list[str]:
    """Red for each dead-letter queue and each dead-letter arrow: Mermaid styles them one by one."""
    color = f'"{DEAD_LETTER_COLOR}"'
    boxes = [f"UpdateElementStyle({identifier(e.key)}, $bgColor={color}, $borderColor={color})"
             for e in view.elements if e.channel_kind == "dead-letter"]
    arrows = [f"UpdateRelStyle({identifier(r.source)}, {identifier(r.destination)}, $textColor={color}, $lineColor={color})"
              for r in view.relationships if r.dead_letter]
    return boxes + arrows


FORMAT = Format(
    name="c4-mermaid", draws="the C4 views in Mermaid C4, for GitHub/GitLab Markdown",
    files="c4/<view>.mmd", extension=".mmd", order=20, render=render, templates="c4-mermaid",
    preview="open", aliases=("mermaid",), family="c4", weight=2, views="c4",
)
