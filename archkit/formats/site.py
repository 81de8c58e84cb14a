"""The `site` format: `<ws>/site/`, a static site to click through (works from `file://`, offline).

A sidebar of every view grouped by level, each view's SVG inline with pan and zoom (svg-pan-zoom), a
search box over elements, events, channels and flows (MiniSearch), a panel of what an element
does when its box is clicked, and the event catalogue: a page per
event and version and a page per channel. Made after the pictures, from the SVGs the render drew, so a
view appears here as soon as a format draws it. The browser libraries come from npm at build time
(`scripts/vendor_site_assets.sh`, pinned by `site-assets/package-lock.json`) and ship in the wheel;
this module and `templates/site/` are only the glue. Everything the model says is escaped (Jinja2
autoescaping; JSON for scripts with `<` as `\\u003c`), so a label like `<script>` is shown, never run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from archkit.errors import ArchkitError
from archkit.formats import Batch, Format
from archkit.formats.c4_macros import SITE_FROM_PICTURE, identifier
from archkit.formats.index import _environment, group_views, one_line
from archkit.formats.templating import builtin_templates_dir, template_errors
from archkit.output import OutputFile
from archkit.views.element_facts import element_facts
from archkit.views.event_catalogue import ChannelPage, EventPage, channel_pages, event_pages

ASSETS_DIR = Path(__file__).resolve().parent / "site_assets"
#: The vendored libraries (file in ASSETS_DIR -> the npm package it comes from), and archkit's own glue.
LIBRARIES = {"svg-pan-zoom.min.js": "svg-pan-zoom", "minisearch.js": "minisearch"}
LICENCES = ("svg-pan-zoom.LICENSE", "minisearch.LICENSE")
GLUE = ("site.js", "site.css")

_PROLOG = re.compile(rb"<\?.*?\?>|<!DOCTYPE[^>]*>", re.S)
_SVG_LINK = re.compile(r'((?:xlink:)?href=")([^"#:]+)\.svg(["#])')
#: What PlantUML writes that SVG inside HTML does not allow (the Nu Html Checker's errors), none of it
#: drawn: contentStyleType on <svg>, lengthAdjust on <g> (it belongs on text), a bare title on <a> (its
#: xlink:title, the tooltip, stays). Labels cannot match: in an SVG their `<` and `"` are entities.
_NOT_IN_HTML = re.compile(r'(<(?:svg|g|a)\b[^>]*?) (?:contentStyleType|lengthAdjust|title)="[^"]*"')
_CATALOGUE_LINK = re.compile(r'((?:xlink:)?href=")' + re.escape(SITE_FROM_PICTURE))


def inline_svg(content: bytes, folder: str = "", *, root: str) -> str:
    """An SVG file as an element inside HTML: no XML prolog or processing instructions, links to sibling
    SVG files (the drill-down `$link`s of the plain pictures) pointed at their site pages, and links to
    the catalogue (`../site/...` from the picture's folder) at the site's `root` as seen from the page;
    `folder` is the SVG's folder as seen from a page that is not beside it (the home page)."""
    text = _PROLOG.sub(b"", content).decode("utf-8").strip()
    while (cleaned := _NOT_IN_HTML.sub(r"\1", text)) != text:  # several in one tag: one per pass
        text = cleaned
    text = _CATALOGUE_LINK.sub(lambda m: f"{m[1]}{root}", text)
    return _SVG_LINK.sub(lambda m: f"{m[1]}{folder}{m[2]}.html{m[3]}", text)


def script_json(value: Any) -> str:
    """JSON safe inside a script: no `</script>` or `<!--` can end or confuse it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    # line and paragraph separators end a line for older JavaScript engines (and for splitlines)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


def site_files(ws: Any, files: Sequence[OutputFile], contracts: Any = None) -> list[OutputFile]:
    """Every page of one workspace's site (paths start `<ws.id>/site/`); `contracts`: lint's findings and
    the lock's histories for the event pages (`RenderOptions.contracts`)."""
    pictures = {f.path.split("/", 1)[1]: f.content for f in files
                if f.path.startswith(f"{ws.id}/") and f.path.endswith(".svg") and "/site/" not in f.path}
    groups = group_views(sorted(pictures))
    events, channels = event_pages(ws.index, contracts), channel_pages(ws.index)
    nav = [{"title": g.title, "links": [(e.name, str(PurePosixPath(e.pictures[0]).with_suffix(".html")))
                                        for e in g.entries]} for g in groups]
    nav.append({"title": "Events", "links": [(f"{e.name} v{e.version}", f"events/{e.slug}.html") for e in events]})
    nav.append({"title": "Channels", "links": [(c.name, f"channels/{c.id}.html") for c in channels]})
    nav = [n for n in nav if n["links"]]
    site = Site(ws, nav)
    out = [site.page("index.html", "home", one_line(ws.name), landscape=_first(pictures, "c4/landscape.svg"),
                     events=events, channels=channels)]
    for path, content in sorted(pictures.items()):
        page = str(PurePosixPath(path).with_suffix(".html"))
        out.append(site.page(page, "view", PurePosixPath(path).stem, svg=inline_svg(content, root=_root(page))))
    out += [site.page(f"events/{e.slug}.html", "event", f"{e.name} v{e.version}", event=e,
                      example=json.dumps(e.example, indent=2, ensure_ascii=False)) for e in events]
    out += [site.page(f"channels/{c.id}.html", "channel", c.name, channel=c) for c in channels]
    out.append(OutputFile.text(f"{ws.id}/site/assets/search-data.js",
                               f"window.ARCHKIT_SEARCH = {script_json(search_documents(ws, nav, events, channels))};\n"
                               f"window.ARCHKIT_ELEMENTS = {script_json(panel_facts(ws, files))};\n"))
    out += [OutputFile(f"{ws.id}/site/assets/{name}", _asset(name)) for name in (*LIBRARIES, *LICENCES, *GLUE)]
    return out


def _first(pictures: dict[str, bytes], path: str) -> str:
    return inline_svg(pictures[path], f"{PurePosixPath(path).parent}/", root=_root("index.html")) if path in pictures else ""


def _root(page: str) -> str:
    """The site's root as seen from `page` (a path relative to it): what its links start with."""
    return "../" * page.count("/")


class Site:
    """Renders the pages of one site with its sidebar; links are relative, so the site works anywhere."""

    def __init__(self, ws: Any, nav: list[dict[str, Any]]) -> None:
        self.ws, self.nav = ws, nav
        self.template = _environment(None).get_template("site/page.html.j2")

    def page(self, path: str, kind: str, title: str, **context: Any) -> OutputFile:
        root = _root(path)
        with template_errors("site/page.html.j2"):
            html = self.template.render(kind=kind, title=one_line(title), site_title=one_line(self.ws.name),
                                        description=self.ws.description, nav=self.nav, root=root, here=path,
                                        **{"landscape": "", "svg": "", **context})
        # A NUL in a label: HTML parsers read it as U+FFFD anyway; written so, the page stays text.
        return OutputFile.text(f"{self.ws.id}/site/{path}", html.replace("\x00", "\ufffd"))


def search_documents(ws: Any, nav: list[dict[str, Any]], events: list[EventPage],
                     channels: list[ChannelPage]) -> list[dict[str, str]]:
    """What the search box finds: views, events (by name, description and field names), channels, elements."""
    docs: list[dict[str, str]] = []
    for group in nav:
        if group["title"] in ("Events", "Channels"):
            continue
        docs += [{"title": name, "kind": "view", "url": url, "text": group["title"], "fields": ""}
                 for name, url in group["links"]]
    docs += [{"title": f"{e.name} v{e.version}", "kind": e.kind, "url": f"events/{e.slug}.html",
              "text": e.description, "fields": " ".join(r.path for r in e.fields)} for e in events]
    docs += [{"title": c.name, "kind": c.kind, "url": f"channels/{c.id}.html", "text": c.description, "fields": ""}
             for c in channels]
    for key, fact in element_facts(ws).items():  # a hit opens the element's panel on its first view
        url = f"c4/{fact['views'][0]}.html#element={identifier(key)}" if fact["views"] else "index.html"
        docs.append({"title": fact["name"], "kind": fact["kind"].lower(), "url": url,
                     "text": fact["description"], "fields": fact["technology"]})
    for i, doc in enumerate(docs):
        doc["id"] = str(i)
    return docs


def panel_facts(ws: Any, files: Sequence[OutputFile]) -> dict[str, dict[str, Any]]:
    """The element panel's facts keyed as the SVGs name their boxes (`data-qualified-name`'s last part),
    each with its AsyncAPI document when the render wrote one (a link relative to the site's root)."""
    written = {f.path for f in files}
    facts = {}
    for key, fact in element_facts(ws).items():
        document = f"asyncapi/{key}.yaml"
        facts[identifier(key)] = {**fact, "asyncapi": f"../{document}" if f"{ws.id}/{document}" in written else ""}
    return facts


def _asset(name: str) -> bytes:
    """A vendored library (package data), or archkit's own glue (beside the page template)."""
    source = builtin_templates_dir() / "site" / name if name in GLUE else ASSETS_DIR / name
    if not source.is_file():
        raise ArchkitError(f"error: the site's browser libraries are missing ({source}); "
                           "run scripts/vendor_site_assets.sh (scripts/setup.sh does) to copy them from npm")
    return source.read_bytes()


def draw(batch: Batch, names: Sequence[str]) -> None:
    """After the pictures: one site per workspace, from the SVGs drawn for it."""
    for ws in batch.workspaces:
        batch.files += site_files(ws, batch.files, batch.options.contracts)


FORMAT = Format(
    name="site", draws="a static site: every view's SVG with pan/zoom, search, a page per event and channel",
    files="site/index.html, site/<view>.html, site/events/<event>-v<n>.html, site/channels/<channel>.html",
    extension=".html", order=190, draw=draw, implies=("svg",), catalogue=True,
    payloads=True,  # every event page's field table and example come from its payload schema
)
