"""C4-PlantUML: one `c4/<view>.puml` per C4 view, using PlantUML's standard library `<C4/...>` includes."""

from __future__ import annotations

from typing import Any

from archkit.output import OutputFile
from archkit.renderers import RenderOptions, register
from archkit.renderers.c4_macros import ASYNC_TAG, INCLUDES, C4Dialect, normalize_lines, printable, selected_views
from archkit.templating import render_template

#: Characters PlantUML gives a meaning inside a quoted macro argument: the quote ends it, `$` and `%`
#: call preprocessor variables and functions, `!` starts directives, `\` escapes, `&#..;` is an entity,
#: and the rest is creole markup (`**bold**`, `[[link]]`, `<b>`, `~escape`, `<color>`...).
_ALWAYS = frozenset('"$%\\!<>&[]{}~*^|#`@=+')
#: Creole markup made of a doubled character (`--strike--`, `//italic//`, `__underline__`).
_DOUBLED = frozenset("-/_'.")
_ZWNJ = "\u200c"  # keeps '&' '#' from reading as an entity after PlantUML's first decoding pass


def plantuml_text(text: str) -> str:
    """Text safe inside a double-quoted C4-PlantUML macro argument or a title, showing as written.

    Special characters become numeric entities (`&#34;`), which PlantUML's preprocessor leaves alone and
    its text renderer shows as the character; line breaks become PlantUML's `\\n`.
    """
    lines = []
    for line in normalize_lines(text):
        out: list[str] = []
        previous = ""
        for position, raw in enumerate(line):
            ch = printable(raw)
            if ch in _ALWAYS or (ch in _DOUBLED and previous == ch):
                out.append(f"&#{ord(ch)};")
                if ch == "&" and line[position + 1:position + 2] == "#":
                    out.append(_ZWNJ)
            else:
                out.append(ch)
            previous = ch
        lines.append("".join(out))
    return "\\n".join(lines)


DIALECT = C4Dialect(escape=plantuml_text, supports_tags=True)


@register("c4-plantuml")
def render(workspace: Any, options: RenderOptions) -> list[OutputFile]:
    files = []
    for view in selected_views(workspace, options):
        text = render_template(
            "c4-plantuml/view.puml.j2", options.templates,
            view_name=view.name, include=INCLUDES[view.level], title=plantuml_text(view.title),
            calls=DIALECT.calls(view), async_tag=ASYNC_TAG,
            has_async=any(r.asynchronous for r in view.relationships),
        )
        files.append(OutputFile.text(f"c4/{view.name}.puml", text))
    return files
