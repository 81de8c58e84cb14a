"""Output formats: one `Format` record per format, declared in the format's own module in this package.

Every module of `archkit.formats` is read once for its `Format` records (`registry()`), so a new format is
one module (its record and its renderer), its templates and its test: the pipeline, the parallel
renderer, watch's fast path and preview page, the index, the aliases and `--help` all read the records.
Text formats draw each workspace from the model (`render`); the formats made after them (pictures from
the `.puml` text, the `diagrams` picture, the index of everything) `draw` a whole batch at once.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from archkit.errors import ArchkitError
from archkit.model.workspace import Workspace
from archkit.output import OutputFile


@dataclass(frozen=True)
class RenderOptions:
    """Choices a user makes on the command line or in the configuration."""

    templates: Path | None = None
    channel_nodes: bool = False  # draw each topic/queue as its own node instead of labelled broker edges
    views: tuple[str, ...] = ()  # only views whose name contains one of these (empty: all)
    traces: tuple[str, ...] = ()  # event names to trace into their own diagrams
    extra: dict[str, str] = field(default_factory=dict)
    #: Watch mode's fast path: only these views, as "c4:<name>", "flow:<key>", "event-map:event-map" or
    #: "asyncapi:<document id>" (None: every view).
    only: frozenset[str] | None = None
    #: Watch mode renders the same model again after every save: its session's YAML memo, in which the
    #: AsyncAPI format keeps the YAML of each channel and message to write it again at once while its
    #: content is the same (engine/session.py). None: a one-off render, which would not gain from it.
    memo: Any = None
    #: The site (`-f site`) is rendered too: pictures link a topic, queue, exchange or event to its page in
    #: the site's catalogue (set by the pipeline, so no picture links to a page that was not written).
    catalogue: bool = False
    #: Lint's findings and the lock's judged histories, for the site's event pages (the command that
    #: renders the site runs lint: `lint/facts.py`); None: the pages say lint was not run.
    contracts: Any = None  # a contracts.history.ContractFacts

    def wants(self, view_name: str) -> bool:
        return not self.views or any(v in view_name for v in self.views)

    def selects(self, kind: str, key: str) -> bool:
        """Whether the view `key` of `kind` is rendered: the user's `--view` filter and watch's `only`."""
        return self.wants(key) and (self.only is None or f"{kind}:{key}" in self.only)


Renderer = Callable[[Workspace, RenderOptions], list[OutputFile]]


@dataclass
class Batch:
    """One render in memory, handed to the formats made after the text: each adds files and notes."""

    out_dir: Path  # only read: pictures of unchanged sources are reused from it
    workspaces: list[Workspace]
    options: RenderOptions
    files: list[OutputFile]
    notes: list[str] = field(default_factory=list)
    plantuml: Any = None  # a warm PlantUML kept by the caller (watch), else None: one batch JVM
    progress: Any = None
    #: Run once the files are written (pictures remember what they drew).
    on_written: list[Callable[[], None]] = field(default_factory=list)


#: Draws the formats `names` (all of the same `draw`, e.g. svg and png in one PlantUML batch) into a batch.
Drawer = Callable[[Batch, Sequence[str]], None]

#: How the watch preview page shows a format's files: as a picture, as text shown open, as text folded.
Preview = Literal["picture", "open", "folded"]


@dataclass(frozen=True)
class Format:
    """Everything archkit needs to know about one output format, declared beside its renderer."""

    name: str  # what `-f` takes
    draws: str  # what it draws, for --help and docs
    files: str  # the files it writes, e.g. "c4/<view>.puml"
    extension: str  # of those files
    order: int  # its place in the pipeline and in `-f all`: text formats < 100 <= pictures < index
    render: Renderer | None = None  # a text format: one workspace's files from the model
    draw: Drawer | None = None  # a format made after the text, from the whole batch
    templates: str | None = None  # its folder under templates/ (overridable with --templates)
    preview: Preview | None = None  # how the watch preview shows its files; None: not listed
    aliases: tuple[str, ...] = ()  # short names standing for several formats ("plantuml")
    implies: tuple[str, ...] = ()  # formats or aliases it is made from (svg: the PlantUML text)
    family: str | None = None  # formats drawing the same computed views share a process (engine/parallel.py)
    weight: float = 1  # its rough share of a large estate's render time, to deal families out evenly
    views: str | None = None  # the kind of view watch's fast path redraws ("c4", "flow", "asyncapi", "deployment")
    from_text: bool = False  # made from the text files alone: the fast path draws it for the files it changed
    catalogue: bool = False  # writes the catalogue pages pictures link to (RenderOptions.catalogue)
    payloads: bool = False  # reads every event's payload schema: a render makes the missing ones first, on every core

    def __post_init__(self) -> None:
        if (self.render is None) == (self.draw is None):
            raise TypeError(f"format {self.name!r}: give exactly one of render= (text) or draw= (made after)")

    @property
    def is_text(self) -> bool:
        return self.render is not None


class FormatError(ArchkitError):
    """An unknown format name on the command line or in the configuration."""


@cache
def _discovered() -> tuple[Format, ...]:
    """Every `Format` declared by a module of this package, in pipeline order (subpackages such as
    `images/` hold machinery, not records, and are imported only by the formats that use them)."""
    found: dict[str, Format] = {}
    for module in pkgutil.iter_modules(__path__, f"{__name__}."):
        if module.ispkg:
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Format):
                if value.name in found and found[value.name] is not value:
                    raise TypeError(f"two formats named {value.name!r}")
                found[value.name] = value
    return tuple(sorted(found.values(), key=lambda f: (f.order, f.name)))


#: Formats added at run time (`register`): a test's probe, a plugin. Empty in a normal run.
_extra: dict[str, Format] = {}


def registry() -> dict[str, Format]:
    """Format name -> record, in pipeline order."""
    records = [*_discovered(), *_extra.values()]
    return {f.name: f for f in sorted(records, key=lambda f: (f.order, f.name))}


def writes_catalogue(formats: Sequence[str]) -> bool:
    """Whether these formats include one that writes the catalogue pages pictures link to (the site)."""
    return _any_format(formats, "catalogue")


def reads_payloads(formats: Sequence[str]) -> bool:
    """Whether one of these formats reads every event's payload schema (the AsyncAPI formats, the site)."""
    return _any_format(formats, "payloads")


def _any_format(formats: Sequence[str], flag: str) -> bool:
    records = registry()
    return any(getattr(records[name], flag) for name in formats)


def register(record: Format) -> Format:
    """Add a format that lives outside this package (until `unregister`)."""
    _extra[record.name] = record
    return record


def unregister(name: str) -> None:
    _extra.pop(name, None)


def text_formats() -> dict[str, Format]:
    return {name: f for name, f in registry().items() if f.is_text}


def aliases() -> dict[str, tuple[str, ...]]:
    """Alias -> the formats that name it, in pipeline order ("all" is every format)."""
    found: dict[str, list[str]] = {}
    for record in registry().values():
        for alias in record.aliases:
            found.setdefault(alias, []).append(record.name)
    return {alias: tuple(names) for alias, names in found.items()}


def picture_extensions() -> tuple[str, ...]:
    """The extensions of pictures, in order of preference (a view drawn twice shows its SVG)."""
    return tuple(dict.fromkeys(f.extension for f in registry().values() if f.preview == "picture"))


def available_formats() -> list[str]:
    return sorted(registry())


def expand_formats(names: list[str] | None) -> list[str]:
    """Resolve aliases ('plantuml', 'mermaid', 'all') to format names, in pipeline order.

    A format made from others brings them along: `svg` means the `.puml` files and their SVGs.
    """
    records, short = registry(), aliases()
    if not names or names == ["all"]:
        return list(records)
    chosen: list[str] = []

    def choose(name: str) -> None:
        for target in short.get(name, (name,)):
            if target not in records:
                known = ", ".join(sorted([*records, *short]))
                raise FormatError(f"error: unknown format '{target}' (known: {known})")
            for implied in records[target].implies:
                choose(implied)
            if target not in chosen:
                chosen.append(target)

    for name in names:
        choose(name)
    order = list(records)
    return sorted(chosen, key=order.index)


def formats_help(default: str = "all, pictures included") -> str:
    """The `-f` option's help, from the records: the aliases, the pictures and what else follows the text."""
    records = registry()
    pictures = [f for f in records.values() if not f.is_text and f.preview == "picture"]
    groups: dict[tuple[str, ...], list[str]] = {}
    for record in pictures:
        groups.setdefault(record.implies, []).append(record.name)
    described = []
    for implies, names in groups.items():
        sources = sorted({records[n].extension for i in implies for n in aliases().get(i, (i,))})
        described.append(", ".join(names) + (f" (imply their {'/'.join(sources)} sources)" if implies else ""))
    others = [f.name for f in records.values() if not f.is_text and f not in pictures]
    return (f"Formats, comma-separated or repeated (default: {default}). Aliases: {', '.join([*aliases(), 'all'])}. "
            f"Pictures: {', '.join(described)}" + (f"; and {', '.join(others)}." if others else "."))
