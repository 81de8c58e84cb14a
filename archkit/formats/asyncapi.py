"""AsyncAPI 3.0 renderer: each document of `archkit.views.asyncapi` as YAML (`asyncapi`) or JSON (`asyncapi-json`).

The document is plain dicts, lists, strings, numbers and booleans, written by `yaml_text` (block
style, multi-line descriptions as `|` blocks, whatever could be misread quoted; no tags, no anchors).
Key order is the view's, which is already deterministic.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from archkit.asyncapi.objects import ASYNCAPI_VERSION
from archkit.formats import Format, RenderOptions, yaml_text
from archkit.formats.json_text import indented_bytes
from archkit.model.workspace import Workspace
from archkit.output import OutputFile
from archkit.views.asyncapi import DEFAULT_VERSION, asyncapi_documents, asyncapi_documents_named, asyncapi_prefixes

#: `RenderOptions.extra` key that sets `info.version` of every document.
VERSION_OPTION = "asyncapi-version"
#: `RenderOptions.extra` key of the AsyncAPI version the documents are written in (`render --asyncapi-version`).
SPEC_OPTION = "asyncapi-spec"


#: The entries of a document that recur unchanged from one watch-mode build to the next.
#: Whole sections first (an edit of one event leaves a broker's channels and operations as they were),
#: then their entries.
_ENTRIES: yaml_text.Paths = (("channels",), ("channels", "*"), ("operations",), ("operations", "*"),
                             ("components", "*"), ("components", "*", "*"))


#: What the documents of one render share by identity (views/asyncapi.py): servers, operations, channels,
#: messages and each event's schema.
_SHARED: yaml_text.Paths = (("servers", "*"), ("channels", "*"), ("operations", "*"), ("components", "*", "*"))


def _documents(workspace: Workspace, options: RenderOptions) -> list[Any]:
    version = options.extra.get(VERSION_OPTION, DEFAULT_VERSION)
    if options.only is not None:
        ids = {key for kind, _, key in (n.partition(":") for n in options.only) if kind == "asyncapi"}
        docs = [doc for doc in asyncapi_documents_named(workspace, ids, version) if options.wants(doc.id)]
    else:
        docs = [doc for doc in asyncapi_documents(workspace, version) if options.wants(doc.id)]
    spec = options.extra.get(SPEC_OPTION, ASYNCAPI_VERSION)
    # 3.1.0 only adds to 3.0.0, so the same content is valid in both; the shared documents stay unchanged
    return docs if spec == ASYNCAPI_VERSION else [replace(d, content={**d.content, "asyncapi": spec}) for d in docs]


def render_yaml(workspace: Workspace, options: RenderOptions) -> list[OutputFile]:
    """`asyncapi/<document id>.yaml` for every service and broker."""
    # The watch session's memo: entries it wrote in an earlier build are written again at once. Else one
    # for this render: the objects its documents share (views/asyncapi.py) are each written once.
    if options.memo is not None:
        memo, paths = options.memo, _ENTRIES
    else:
        memo, paths = yaml_text.SameObjects(asyncapi_prefixes(workspace)), _SHARED
    return [OutputFile.text(f"asyncapi/{doc.id}.yaml", yaml_text.dump(doc.content, memo, paths))
            for doc in _documents(workspace, options)]


def render_json(workspace: Workspace, options: RenderOptions) -> list[OutputFile]:
    """`asyncapi/<document id>.json` for every service and broker."""
    return [OutputFile(f"asyncapi/{doc.id}.json", indented_bytes(doc.content)) for doc in _documents(workspace, options)]


YAML = Format(
    name="asyncapi", draws="an AsyncAPI 3.0.0 document per service and per broker, as YAML",
    files="asyncapi/<service-or-broker>.yaml", extension=".yaml", order=70, render=render_yaml,
    preview="folded", aliases=("asyncapi-all",), family="asyncapi", weight=4, views="asyncapi",
    payloads=True,
)
JSON = Format(
    name="asyncapi-json", draws="the same AsyncAPI documents as JSON",
    files="asyncapi/<service-or-broker>.json", extension=".json", order=80, render=render_json,
    preview="folded", aliases=("asyncapi-all",), family="asyncapi", weight=2, views="asyncapi",
    payloads=True,
)
