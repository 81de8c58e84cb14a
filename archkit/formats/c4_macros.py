"""The C4 macro vocabulary (Person, Container_Ext, System_Boundary, Rel, ...) shared by C4-PlantUML and Mermaid.

Mermaid's C4 syntax copies C4-PlantUML's macros, so both renderers turn a view into the same list of
macro calls; a dialect only says how text is escaped, how identifiers are spelled and which extras
(tags, legend) it supports. Templates then give the calls their surrounding shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from archkit.formats import RenderOptions
from archkit.views.c4 import Boundary, C4View, Nested, ViewElement, c4_views, c4_views_named, drill_down_views, node_key
from archkit.views.deployment import times
from archkit.views.edges import ViewRelationship
from archkit.views.event_catalogue import channel_page

ELEMENT_MACROS = {
    "person": "Person", "system": "System", "container": "Container", "database": "ContainerDb",
    "queue": "ContainerQueue", "channel": "ContainerQueue", "component": "Component",
}
#: Each kind of channel in its own shape, in both formats (Mermaid has only these three): a topic is a
#: stored, replayable log (a cylinder), an exchange routes and stores nothing (a box; an octagon in
#: C4-PlantUML), a queue holds messages until one consumer takes them (a pipe), as does a dead-letter queue.
CHANNEL_MACROS = {"topic": "ContainerDb", "exchange": "Container", "queue": "ContainerQueue",
                  "dead-letter": "ContainerQueue", "": "ContainerQueue"}
BOUNDARY_MACROS = {"system": "System_Boundary", "container": "Container_Boundary", "broker": "Boundary"}
INCLUDES = {"landscape": "C4_Context", "context": "C4_Context", "container": "C4_Container", "component": "C4_Component"}
DIAGRAM_TYPES = {"landscape": "C4Context", "context": "C4Context", "container": "C4Container", "component": "C4Component"}

#: The tag that marks asynchronous (messaging) relationships, drawn dashed where the format can.
ASYNC_TAG = "async"
#: The tag of a dead-letter path (queue -> DLQ) and of a dead-letter queue: red, and dashed where it can.
DEAD_LETTER_TAG = "dead-letter"
#: The tag of an exchange, drawn as an octagon where the format has tag shapes.
EXCHANGE_TAG = "exchange"
#: The colour of the dead-letter path in every format.
DEAD_LETTER_COLOR = "#C62828"
#: The tag each kind of channel box carries, where the format has tags.
_CHANNEL_TAGS = {"dead-letter": DEAD_LETTER_TAG, "exchange": EXCHANGE_TAG}

_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class Call:
    """One macro call; `children` makes it a block (a boundary) written with braces."""

    macro: str
    args: tuple[str, ...]
    children: tuple[Call, ...] | None = None
    note: str = ""  # escaped text of a note on this relationship (the dense-view rule), where the format has notes

    @property
    def is_block(self) -> bool:
        return self.children is not None


def identifier(key: str) -> str:
    """An alias both formats accept: letters, digits and '_' (slugs never contain '_', so no clashes)."""
    safe = _NOT_IDENTIFIER.sub("_", key)
    return safe if safe[:1].isalpha() else f"n{safe}"


@dataclass(frozen=True)
class C4Dialect:
    """How one format spells C4 macro arguments. Capabilities are fields, not if-chains in renderers."""

    escape: Callable[[str], str]
    supports_tags: bool
    supports_links: bool = False  # `$link="..."` on an element makes the picture itself navigable
    supports_notes: bool = False  # `note on link` keeps a dense arrow's full list next to its short label

    def quoted(self, text: str) -> str:
        return f'"{self.escape(text)}"'

    def for_one_render(self) -> C4Dialect:
        """This dialect escaping each distinct text once: a render's views repeat the same names, labels
        and notes (at dense L 21,000 escapes of 9,600 texts). The memo lives as long as the render."""
        return replace(self, escape=cache(self.escape))

    def boxes(self, view: C4View, links: dict[str, str] | None = None) -> list[Call]:
        """The view's boxes and boundaries, nested as drawn; `links` maps an element's key to the address
        its box links to (its own view is never a link)."""
        links = (links or {}) if self.supports_links else {}
        return [self._node(n, links, f"{view.name}.svg") for n in view.tree()]

    def arrows(self, view: C4View, links: dict[str, str] | None = None) -> list[Call]:
        """The view's relationships, after its boxes: templates write them in a plain loop, a macro
        call per arrow was most of a large view's template time."""
        links = (links or {}) if self.supports_links else {}
        return [self.relationship(r, links) for r in view.relationships]

    def _node(self, node: ViewElement | Nested, links: dict[str, str], own: str) -> Call:
        if isinstance(node, Nested):
            return self.boundary(node.boundary, tuple(self._node(c, links, own) for c in node.children))
        link = links.get(node.key)
        return self.element(node, None if link == own else link)

    def element(self, element: ViewElement, link: str | None = None) -> Call:
        base = CHANNEL_MACROS[element.channel_kind] if element.kind == "channel" else ELEMENT_MACROS[element.kind]
        macro = base + ("_Ext" if element.external else "")
        name = times(element.name, element.replicas or 1)
        texts = [name, element.description] if element.kind in ("person", "system") else \
            [name, element.technology, element.description]
        tag = _CHANNEL_TAGS.get(element.channel_kind)
        extras = [*([f'$tags="{tag}"'] if tag and self.supports_tags else []), *([f'$link="{link}"'] if link else [])]
        return Call(macro, (identifier(element.key), *map(self.quoted, texts), *extras))

    def boundary(self, boundary: Boundary, children: tuple[Call, ...]) -> Call:
        args = [identifier(boundary.key), self.quoted(boundary.name)]
        if boundary.kind == "broker":
            args.append(self.quoted("broker"))
        return Call(BOUNDARY_MACROS[boundary.kind], tuple(args), children)

    def relationship(self, rel: ViewRelationship, links: dict[str, str]) -> Call:
        """An arrow; one whose messages all travel on one channel links to that channel's page."""
        args = [identifier(rel.source), identifier(rel.destination), self.quoted(rel.description),
                self.quoted(rel.technology)]
        if rel.asynchronous and self.supports_tags:
            args.append(f'$tags="{DEAD_LETTER_TAG if rel.dead_letter else ASYNC_TAG}"')
        if len(rel.channels) == 1 and (link := links.get(rel.channels[0])):
            args.append(f'$link="{link}"')
        return Call("Rel", tuple(args), note=self.escape(rel.note) if rel.note and self.supports_notes else "")


def drill_down_links(workspace: Any, options: RenderOptions) -> dict[str, str]:
    """Element key -> the picture one level down that it opens (only views the user asked for, so no
    link points at a file this render does not write)."""
    return {key: f"{name}.svg" for key, name in drill_down_views(workspace).items() if options.wants(name)}


#: The site's folder as seen from a picture (every picture sits one folder down in its workspace's folder:
#: c4/, flows/, deployment/), so the plain SVG files link to the catalogue; the site points it at its own
#: root when it shows a picture inline.
SITE_FROM_PICTURE = "../site/"


def catalogue_links(workspace: Any, options: RenderOptions) -> dict[str, str]:
    """Channel node key -> its catalogue page as seen from a picture; none unless the site is rendered."""
    if not options.catalogue:
        return {}
    return {node_key(c): SITE_FROM_PICTURE + channel_page(c) for c in workspace.channels.values()}


def selected_views(workspace: Any, options: RenderOptions) -> list[C4View]:
    """The C4 views the user asked for (`--view`), computed with the user's channel-node choice."""
    if options.only is not None:
        names = {key for kind, _, key in (n.partition(":") for n in options.only) if kind == "c4"}
        return [v for v in c4_views_named(workspace, names, options.channel_nodes) if options.wants(v.name)]
    return [v for v in c4_views(workspace, channel_nodes=options.channel_nodes) if options.wants(v.name)]


#: What `str.splitlines` breaks lines on (CR, LF, CRLF as one, VT, FF, FS, GS, RS, NEL, U+2028, U+2029).
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def normalize_lines(text: str) -> list[str]:
    """Split user text into lines on every line break a reader could meet (CRLF, U+2028, ...).

    `str.splitlines` knows exactly these breaks and is ~20x faster than a regular expression (this runs
    for every label of every view); unlike `re.split` it drops the empty line after a final break.
    """
    lines = text.splitlines()
    if not text or text[-1] in _LINE_BREAKS:
        lines.append("")
    return lines


def printable_lines(text: str) -> list[str]:
    """The text's lines (`normalize_lines`), each `printable`: what every format's escape starts from.

    A text with no line break and no control character (`str.isprintable`, true of nearly every name
    and label) is its own one line, found without splitting or substituting anything.
    """
    if text.isprintable():
        return [text]
    return [printable(line) for line in normalize_lines(text)]


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Control characters (tabs, NUL, ...) become a space: no format shows them, some break on them.

    One regular expression over the whole text, not a call per character: escaping was a tenth of
    rendering a large estate's C4 views.
    """
    return _CONTROL.sub(" ", text)
