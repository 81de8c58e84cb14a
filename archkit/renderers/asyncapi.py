"""AsyncAPI 3.0 renderer: each document of `archkit.views.asyncapi` as YAML (`asyncapi`) or JSON (`asyncapi-json`).

The document is plain dicts, lists, strings, numbers and booleans, so `yaml.safe_dump` can neither
emit a tag nor be tricked by a hostile description: it quotes whatever needs quoting. Key order is
the view's (`sort_keys=False`), which is already deterministic.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from archkit.model.workspace import Workspace
from archkit.output import OutputFile
from archkit.renderers import RenderOptions, register
from archkit.views.asyncapi import DEFAULT_VERSION, asyncapi_documents

#: `RenderOptions.extra` key that sets `info.version` of every document.
VERSION_OPTION = "asyncapi-version"


class _Dumper(yaml.SafeDumper):
    """safe_dump without anchors (`&id001`): AsyncAPI tools expect `$ref`, not YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Multi-line descriptions as `|` blocks; the emitter still quotes whatever a block cannot hold."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def to_yaml(content: Any) -> str:
    return yaml.dump(content, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)


def to_json(content: Any) -> str:
    return json.dumps(content, indent=2, ensure_ascii=False) + "\n"


def _documents(workspace: Workspace, options: RenderOptions) -> list[Any]:
    version = options.extra.get(VERSION_OPTION, DEFAULT_VERSION)
    return [doc for doc in asyncapi_documents(workspace, version) if options.wants(doc.id)]


@register("asyncapi")
def render_yaml(workspace: Workspace, options: RenderOptions) -> list[OutputFile]:
    """`asyncapi/<document id>.yaml` for every service and broker."""
    return [OutputFile.text(f"asyncapi/{doc.id}.yaml", to_yaml(doc.content)) for doc in _documents(workspace, options)]


@register("asyncapi-json")
def render_json(workspace: Workspace, options: RenderOptions) -> list[OutputFile]:
    """`asyncapi/<document id>.json` for every service and broker."""
    return [OutputFile.text(f"asyncapi/{doc.id}.json", to_json(doc.content)) for doc in _documents(workspace, options)]
