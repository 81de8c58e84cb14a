"""The preview page: every diagram in the output folder, its picture where there is one, else its text.

The page is built from what is on disk, not from the model, so it shows exactly what `render` would
leave behind, and while the model is broken it still shows the last good diagrams under the error.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

import jinja2

from archkit.formats import picture_extensions, registry

MAX_TEXT = 200_000


@dataclass(frozen=True)
class Shown:
    """What the page shows, from the format records: picture extensions (preferred first), the text
    shown open when there is no picture (diagram sources), and the text kept folded (AsyncAPI, Markdown)."""

    pictures: tuple[str, ...]
    open_text: frozenset[str]
    folded_text: frozenset[str]

    @classmethod
    def from_formats(cls) -> Shown:
        records = registry().values()
        return cls(
            pictures=picture_extensions(),
            open_text=frozenset(f.extension for f in records if f.preview == "open"),
            folded_text=frozenset(f.extension for f in records if f.preview == "folded"),
        )


@dataclass
class Diagram:
    """One view: the files that share a stem in one folder (view.puml, view.svg, view.png ...)."""

    key: str  # folder/stem, POSIX
    picture: str | None = None
    sources: list[str] = field(default_factory=list)
    text: str | None = None  # shown when there is no picture
    open: bool = False


def list_diagrams(out_dir: Path, with_text: bool = True) -> list[Diagram]:
    """Every diagram under the output folder, sorted by path; hidden and temporary files left out."""
    groups: dict[str, Diagram] = {}
    if not out_dir.is_dir():
        return []
    shown = Shown.from_formats()
    pictures, sources = shown.pictures, shown.open_text | shown.folded_text
    for path in sorted(out_dir.rglob("*")):
        rel = PurePosixPath(path.relative_to(out_dir).as_posix())
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if rel.suffix not in pictures and rel.suffix not in sources:
            continue
        key = str(rel.with_suffix(""))
        diagram = groups.setdefault(key, Diagram(key))
        if rel.suffix in pictures:
            if diagram.picture is None or pictures.index(rel.suffix) < pictures.index(PurePosixPath(diagram.picture).suffix):
                diagram.picture = str(rel)
        else:
            diagram.sources.append(str(rel))
    for diagram in groups.values():
        if with_text and diagram.picture is None and diagram.sources:
            first = diagram.sources[0]
            diagram.open = PurePosixPath(first).suffix in shown.open_text
            diagram.text = _read_text(out_dir / first)
    return [groups[key] for key in sorted(groups)]


def listing_digest(diagrams: list[Diagram]) -> str:
    """Changes when a diagram appears, disappears or gains a picture: then the page reloads whole."""
    shape = "\n".join(f"{d.key}|{d.picture}|{','.join(d.sources)}" for d in diagrams)
    return hashlib.sha1(shape.encode()).hexdigest()[:12]


def _read_text(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "\n... (cut: open the file for the rest)"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    loader = jinja2.FileSystemLoader(str(Path(__file__).resolve().parent / "assets"))
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def render_page(out_dir: Path, title: str, error: str | None, generation: int) -> str:
    """The index page; every value is HTML-escaped by the template (model errors quote user text)."""
    diagrams = list_diagrams(out_dir)
    return _environment().get_template("preview.html.j2").render(
        title=title, diagrams=diagrams, error=error, generation=generation, listing=listing_digest(diagrams),
    )


def asset(name: str) -> bytes:
    """A static file the page loads (its script and style), shipped beside this module."""
    return (Path(__file__).resolve().parent / "assets" / name).read_bytes()
