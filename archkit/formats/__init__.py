"""Renderers: one module per output format, each turning computed views into text files.

A renderer is a function ``render(workspace, options) -> list[OutputFile]`` registered under a format
name in FORMATS. Adding a format means adding one module and one line here, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
    #: Watch mode renders the same model again after every save: renderers may keep text they wrote (the
    #: YAML of each AsyncAPI channel and message) to write it again at once while its content is the same.
    watching: bool = False

    def wants(self, view_name: str) -> bool:
        return not self.views or any(v in view_name for v in self.views)

    def selects(self, kind: str, key: str) -> bool:
        """Whether the view `key` of `kind` is rendered: the user's `--view` filter and watch's `only`."""
        return self.wants(key) and (self.only is None or f"{kind}:{key}" in self.only)


Renderer = Callable[[Workspace, RenderOptions], list[OutputFile]]

#: format name -> renderer. Text formats only; pictures are made from their output afterwards.
FORMATS: dict[str, Renderer] = {}

#: Short names users type that stand for several formats.
ALIASES: dict[str, tuple[str, ...]] = {
    "plantuml": ("c4-plantuml", "sequence-plantuml", "dynamic-plantuml"),
    "mermaid": ("c4-mermaid", "sequence-mermaid"),
    "asyncapi-all": ("asyncapi", "asyncapi-json"),
}


#: format name -> its family: formats drawing the same computed views (C4 views, AsyncAPI documents,
#: flows) are rendered in the same process when the work is spread over cores (archkit/parallel.py).
FAMILIES: dict[str, str] = {}

#: format name -> its rough share of the render time of a large estate (benchmarks/run.py's per-format
#: rows at L), so that the families can be dealt out to processes evenly.
WEIGHTS: dict[str, float] = {}


def register(name: str, *, family: str | None = None, weight: float = 1) -> Callable[[Renderer], Renderer]:
    def decorate(func: Renderer) -> Renderer:
        FORMATS[name] = func
        FAMILIES[name] = family or name
        WEIGHTS[name] = weight
        return func

    return decorate


def _load_builtin_renderers() -> None:
    """Import every renderer module so its @register runs (kept explicit: no plugin magic)."""
    import importlib

    for module in BUILTIN_MODULES:
        importlib.import_module(f"archkit.formats.{module}")


BUILTIN_MODULES: list[str] = [
    "c4_plantuml",
    "c4_mermaid",
    "structurizr",
    "sequence_plantuml",
    "sequence_mermaid",
    "dynamic_plantuml",
    "asyncapi",
]
