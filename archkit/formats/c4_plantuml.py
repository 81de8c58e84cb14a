"""C4-PlantUML: one `c4/<view>.puml` per C4 view, using PlantUML's standard library `<C4/...>` includes."""

from __future__ import annotations

import re
from typing import Any

from archkit.formats import Format, RenderOptions
from archkit.formats.c4_legend import legend
from archkit.formats.c4_macros import (
    ASYNC_TAG,
    DEAD_LETTER_COLOR,
    DEAD_LETTER_TAG,
    EXCHANGE_TAG,
    INCLUDES,
    C4Dialect,
    catalogue_links,
    drill_down_links,
    printable_lines,
    selected_views,
)
from archkit.formats.templating import render_template
from archkit.output import OutputFile

#: Characters PlantUML gives a meaning inside a quoted macro argument: the quote ends it, `$` and `%`
#: call preprocessor variables and functions, `!` starts directives, `\` escapes, `&#..;` is an entity,
#: and the rest is creole markup (`**bold**`, `[[link]]`, `<b>`, `~escape`, `<color>`...).
_SPECIAL = re.compile(r"[\"$%\\!<>&\[\]{}~*^|#`@=+]")
#: Runs of a character whose doubling makes creole markup (`--strike--`, `//italic//`, `__underline__`):
#: every one after the first is written as an entity. A second pass, after `_SPECIAL` (whose entities
#: hold none of these characters): one pattern with look-behinds for both was ~7x slower on long labels.
_DOUBLED = re.compile(r"--+|//+|__+|''+|\.\.+")
_ZWNJ = "\u200c"


def _entity(match: re.Match[str]) -> str:
    """An `&` before `#` also gains a zero-width non-joiner, so `&#` never reads as an entity after
    PlantUML's first decoding pass."""
    char = match.group()
    return f"&#{ord(char)};" + (_ZWNJ if char == "&" and match.string.startswith("#", match.end()) else "")


def _doubled(match: re.Match[str]) -> str:
    run = match.group()
    return run[0] + f"&#{ord(run[0])};" * (len(run) - 1)


def plantuml_text(text: str) -> str:
    """Text safe inside a double-quoted C4-PlantUML macro argument or a title, showing as written.

    Special characters become numeric entities (`&#34;`), which PlantUML's preprocessor leaves alone and
    its text renderer shows as the character; line breaks become PlantUML's `\\n`.
    """
    return "\\n".join(_DOUBLED.sub(_doubled, _SPECIAL.sub(_entity, line)) for line in printable_lines(text))


DIALECT = C4Dialect(escape=plantuml_text, supports_tags=True, supports_links=True, supports_notes=True)


def render(workspace: Any, options: RenderOptions) -> list[OutputFile]:
    files = []
    views = selected_views(workspace, options)
    links = drill_down_links(workspace, options) | catalogue_links(workspace, options)
    dialect = DIALECT.for_one_render()
    for view in views:
        boxes, arrows = dialect.boxes(view, links), dialect.arrows(view, links)  # `calls`: both, for older --templates
        text = render_template(
            "c4-plantuml/view.puml.j2", options.templates,
            view_name=view.name, include=INCLUDES[view.level], title=dialect.escape(view.title),
            boxes=boxes, relationships=arrows, calls=boxes + arrows, async_tag=ASYNC_TAG, dead_letter_tag=DEAD_LETTER_TAG,
            dead_letter_color=DEAD_LETTER_COLOR, exchange_tag=EXCHANGE_TAG, legend=legend(view),
            has_async=any(r.asynchronous for r in view.relationships),  # for --templates written before the legend
        )
        files.append(OutputFile.text(f"c4/{view.name}.puml", text))
    return files


FORMAT = Format(
    name="c4-plantuml", draws="C4 views (landscape, context, container, component) in C4-PlantUML",
    files="c4/<view>.puml", extension=".puml", order=10, render=render, templates="c4-plantuml",
    preview="open", aliases=("plantuml",), family="c4", weight=3, views="c4",
)
