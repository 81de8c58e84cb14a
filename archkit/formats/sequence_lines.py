"""The body of a sequence diagram as source lines: messages and notes, alt/par blocks indented.

Built in Python, not by a recursive Jinja macro: a dense estate's flows hold thousands of messages, and
a macro call, an `esc(...)` call and an attribute lookup per message made Jinja most of the sequence
formats' time. The templates still lay out everything around these lines (header, styles, participants).
"""

from __future__ import annotations

from collections.abc import Callable

from archkit.views.sequence import Group, Item, Message, NoteItem

#: What a messaging arrow's `detail` is, said before it: "key order.placed", "group payments".
DETAILS = {"publish": "key ", "route": "binding ", "deliver": "group "}


def body_lines(items: tuple[Item, ...], *, indent: str, depth: int, esc: Callable[[str], str],
               openers: dict[str, str], line: Callable[[Message | NoteItem], str]) -> list[str]:
    """One line per message or note (`line` writes it), a block per group: its kind and first branch's
    label, `openers[kind]` and the label for each further branch, then `end`."""
    lines: list[str] = []

    def walk(items: tuple[Item, ...], depth: int) -> None:
        pad = indent * depth
        for item in items:
            if isinstance(item, Group):
                for position, branch in enumerate(item.branches):
                    lines.append(f"{pad}{openers[item.kind] if position else item.kind} {esc(branch.label)}")
                    walk(branch.items, depth + 1)
                lines.append(f"{pad}end")
            else:
                lines.append(pad + line(item))

    walk(items, depth)
    return lines
