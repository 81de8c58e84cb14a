"""The `index` format: `<ws>/index.md` and `<ws>/index.html`, every view with its picture and sources.

It lists whatever the render produced (grouped by the folder and extension each format writes), so a
new format shows up without touching this module. The HTML comes from a Jinja2 template with
autoescaping on: a name like `<script>` is shown, never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from archkit.formats import Batch, Format, RenderOptions, picture_extensions
from archkit.formats.c4_macros import normalize_lines, printable
from archkit.formats.templating import builtin_templates_dir, template_errors
from archkit.output import OutputFile

#: (group title, test on the path inside the workspace folder), first match wins; order of the page.
GROUPS: tuple[tuple[str, Any], ...] = (
    ("System landscape", lambda p: p.startswith("c4/landscape")),
    ("System context", lambda p: p.startswith("c4/context")),
    ("Containers", lambda p: p.startswith("c4/container") or p.startswith("diagrams/container")),
    ("Components", lambda p: p.startswith("c4/component")),
    ("Deployment", lambda p: p.startswith("deployment/")),
    ("Dynamic views", lambda p: "dynamic" in p),
    ("Flows (sequence diagrams)", lambda p: p.startswith(("flows/", "sequence/", "traces/"))),
    ("AsyncAPI documents", lambda p: "asyncapi" in p),
    ("Structurizr DSL", lambda p: p.endswith(".dsl")),
    ("C4 views", lambda p: p.startswith("c4/")),
    ("Other files", lambda p: True),
)


@dataclass
class Entry:
    """One view: its name, its pictures (relative links) and the text files it was drawn from."""

    name: str
    pictures: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class Group:
    title: str
    entries: list[Entry] = field(default_factory=list)


def index_files(ws: Any, files: Sequence[OutputFile], options: RenderOptions) -> list[OutputFile]:
    """index.md and index.html for one workspace, from the files rendered for it (paths start `<ws.id>/`)."""
    groups = group_views([f.path.split("/", 1)[1] for f in files if "/" in f.path])
    context = {"title": one_line(ws.name), "description": one_line(getattr(ws, "description", "")), "groups": groups}
    env = _environment(options.templates)
    pages = []
    for name in ("index.md", "index.html"):
        with template_errors(f"index/{name}.j2"):
            pages.append(OutputFile.text(f"{ws.id}/{name}", env.get_template(f"index/{name}.j2").render(**context)))
    return pages


def group_views(paths: Sequence[str]) -> list[Group]:
    """Files of one view (same path without extension) become one entry; entries go to their group."""
    entries: dict[str, Entry] = {}
    pictures = picture_extensions()
    # the site's pages are a view of all the rest (its own index.html is the way in), not views to list
    for path in sorted(p for p in paths if PurePosixPath(p).name not in ("index.md", "index.html")
                       and not p.startswith("site/")):
        stem = str(PurePosixPath(path).with_suffix(""))
        entry = entries.setdefault(stem, Entry(PurePosixPath(stem).name))
        (entry.pictures if path.endswith(pictures) else entry.sources).append(path)
    groups = [Group(title) for title, _ in GROUPS]
    for stem, entry in entries.items():
        entry.pictures.sort(key=lambda p: (pictures.index(PurePosixPath(p).suffix), p))  # SVG first: sharp at any zoom
        for group, (_, test) in zip(groups, GROUPS):
            if test(stem + PurePosixPath((entry.sources or entry.pictures)[0]).suffix):
                group.entries.append(entry)
                break
    return [g for g in groups if g.entries]


@lru_cache(maxsize=8)
def _environment(user_dir: Path | None) -> jinja2.Environment:
    """Autoescaping on for HTML (unlike the text formats' environment); Markdown escapes by filter."""
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates_dir())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders), autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    env.filters["md_link"] = lambda p: p.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return env


def one_line(text: str) -> str:
    """User text on one line without control characters (NUL, and CR or U+2028, which end a Markdown line)."""
    return " ".join("".join(map(printable, line)) for line in normalize_lines(str(text)))


def markdown_text(text: str) -> str:
    """Markdown-inert text: markup characters escaped, HTML angle brackets as entities."""
    out = []
    for ch in one_line(text):
        if ch in "\\`*_[]|":
            out.append("\\" + ch)
        elif ch in "<>&":
            out.append({"<": "&lt;", ">": "&gt;", "&": "&amp;"}[ch])
        else:
            out.append(ch)
    return "".join(out)


def draw(batch: Batch, names: Sequence[str]) -> None:
    """Last of all: one index per workspace, listing every file the render made for it so far."""
    for ws in batch.workspaces:
        batch.files += index_files(ws, [f for f in batch.files if f.path.startswith(f"{ws.id}/")], batch.options)


FORMAT = Format(
    name="index", draws="every view with its picture and links to its sources", files="index.md, index.html",
    extension=".md", order=200, draw=draw, templates="index", preview="folded",
)
