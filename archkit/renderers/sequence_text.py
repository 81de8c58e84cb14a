"""Label escaping for the sequence formats: any text a user writes stays text, in one source line.

PlantUML: the preprocessor expands `%func()` and `$variables` anywhere in a line, creole reads `<tag>`
and doubled markup (`**`, `//`, `--`), and `\\n` is a line break. Every such character becomes a numeric
entity (`&#37;`), which PlantUML draws as the character itself, and a real newline becomes `\\n`, so a label
can never start a new source line (no `@enduml` or `!include` injection).

Mermaid: `;` ends a statement, `#` starts an entity, `%%` a comment or directive, and the word `end`
closes a block. They become Mermaid entities (`#59;`) and newlines become `<br/>`.
"""

from __future__ import annotations

import re

_NEWLINES = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_PLANTUML_ENTITIES = {c: f"&#{ord(c)};" for c in '&"%$\\<>~'}
_PLANTUML_SPECIAL = re.compile("[" + re.escape("".join(_PLANTUML_ENTITIES)) + "]")
_CREOLE_PAIRS = re.compile(r"([*/_\-^=|#])(?=\1)")  # **bold** //italic// __under__ --strike-- ...


def plantuml_text(text: str) -> str:
    """A label for one PlantUML source line (a participant name, message, note, group or title)."""
    text = _CONTROL.sub(" ", str(text))
    text = _PLANTUML_SPECIAL.sub(lambda m: _PLANTUML_ENTITIES[m.group()], text)
    text = _CREOLE_PAIRS.sub(lambda m: f"&#{ord(m.group(1))};", text)
    return _NEWLINES.sub(r"\\n", text.strip())


_MERMAID_ENTITIES = {"#": "#35;", ";": "#59;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "%": "#37;",
                     "&": "#amp;", "{": "#123;", "}": "#125;", ":": "#58;"}
_MERMAID_SPECIAL = re.compile("[" + re.escape("".join(_MERMAID_ENTITIES)) + "]")
_MERMAID_KEYWORD = re.compile(r"\b(end)\b", re.IGNORECASE)


def mermaid_text(text: str) -> str:
    """A label for one Mermaid sequenceDiagram line (participant label, message, note, group)."""
    text = _CONTROL.sub(" ", str(text)).strip()
    text = _MERMAID_SPECIAL.sub(lambda m: _MERMAID_ENTITIES[m.group()], text)
    text = _MERMAID_KEYWORD.sub(lambda m: f"#{ord(m.group(1)[0])};{m.group(1)[1:]}", text)
    return _NEWLINES.sub("<br/>", text)
