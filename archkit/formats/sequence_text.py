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
from functools import lru_cache

from archkit.formats.c4_macros import printable_lines

#: Labels repeat thousands of times in a large estate (one event on every flow that sends it, one
#: service in every flow it takes part in), so each escaper remembers the texts it has escaped.
_MEMO_SIZE = 1 << 16


def _one_line(text: str) -> list[str]:
    """Lines of `text` split on every line break a reader may honour (Java also breaks on U+0085,
    U+2028 and U+2029), with control characters shown as spaces."""
    return printable_lines(text.strip())


#: What `_one_line` changes: a line break or control character, or white space at either end. Each
#: escaper searches once for this or its own specials, and returns a label with neither as it is (most are).
_UNPRINTABLE = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]|^\s|\s\Z"


#: `#` also starts a colour (`alt #red label`), and format characters (zero-width space, BOM, bidi
#: controls) are trimmed by PlantUML, which leaves a `caption` or `title` empty: a syntax error.
_PLANTUML_SPECIAL = re.compile(r'[&"%$\\<>~#\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]')
_LEADING_DASH = re.compile(r"^-")  # `else - x` reads as an arrow
_CREOLE_PAIRS = re.compile(r"([*/_\-^=|#])(?=\1)")  # **bold** //italic// __under__ --strike-- ...
_PLANTUML_WORK = re.compile("|".join((_PLANTUML_SPECIAL.pattern, _CREOLE_PAIRS.pattern, _LEADING_DASH.pattern,
                                      _UNPRINTABLE)))


def plantuml_text(text: object) -> str:
    """A label for one PlantUML source line (a participant name, message, note, group or title)."""
    return _plantuml_text(str(text))


@lru_cache(maxsize=_MEMO_SIZE)
def _plantuml_text(text: str) -> str:
    if _PLANTUML_WORK.search(text) is None:
        return text
    lines = []
    for line in _one_line(text):
        line = _PLANTUML_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", line)
        line = _CREOLE_PAIRS.sub(lambda m: f"&#{ord(m.group(1))};", line)
        lines.append(_LEADING_DASH.sub("&#45;", line))
    return "\\n".join(lines)


_MERMAID_ENTITIES = {"#": "#35;", ";": "#59;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "%": "#37;",
                     "&": "#amp;", "{": "#123;", "}": "#125;", ":": "#58;"}
_MERMAID_SPECIAL = re.compile("[" + re.escape("".join(_MERMAID_ENTITIES)) + "]")
_MERMAID_KEYWORD = re.compile(r"\b(end)\b", re.IGNORECASE)
#: Mermaid picks the diagram type with a C4 detector that matches these words anywhere in the text.
_MERMAID_C4_WORD = re.compile(r"C4(?=Context|Container|Component|Dynamic|Deployment)", re.IGNORECASE)
_MERMAID_WORK = re.compile("|".join((_MERMAID_SPECIAL.pattern, _MERMAID_C4_WORD.pattern, _MERMAID_KEYWORD.pattern,
                                     _UNPRINTABLE)), re.IGNORECASE)


def mermaid_text(text: object) -> str:
    """A label for one Mermaid sequenceDiagram line (participant label, message, note, group)."""
    return _mermaid_text(str(text))


@lru_cache(maxsize=_MEMO_SIZE)
def _mermaid_text(text: str) -> str:
    if _MERMAID_WORK.search(text) is None:
        return text
    lines = []
    for line in _one_line(text):
        line = _MERMAID_SPECIAL.sub(lambda m: _MERMAID_ENTITIES[m.group()], line.strip())  # a blank line breaks layout
        line = _MERMAID_C4_WORD.sub(lambda m: f"#{ord(m.group()[0])};4", line)
        lines.append(_MERMAID_KEYWORD.sub(lambda m: f"#{ord(m.group(1)[0])};{m.group(1)[1:]}", line))
    return "<br/>".join(lines)
