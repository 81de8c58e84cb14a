"""Helpers shared by the AsyncAPI tests: the official 3.0.0 and 3.1.0 JSON Schemas and rendering a model's documents."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from archkit.engine.loader import load_model
from archkit.formats import RenderOptions
from archkit.formats.asyncapi import render_json, render_yaml

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO / ".tools" / "asyncapi" / "node_modules" / "@asyncapi" / "specs"
SCHEMA_300 = SPECS / "schemas" / "3.0.0.json"
SCHEMA_310 = SPECS / "schemas" / "3.1.0.json"
DATA = Path(__file__).resolve().parent / "data"

#: One channel, one message whose payload is a Multi Format Schema Object (FORMAT and SCHEMA to replace).
MULTI_FORMAT = """\
asyncapi: 3.1.0
info: {title: Formats, version: '1'}
channels:
  users:
    address: users
    messages:
      changed:
        payload:
          schemaFormat: FORMAT
          schema: SCHEMA
"""


@lru_cache(maxsize=2)
def _validator(schema_file: Path) -> jsonschema.Draft7Validator:
    """The official schema bundles every definition (bindings too) under its own `$id`, so a Draft-07
    validator resolves all of its `$ref`s from the one file, without the network."""
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def asyncapi_errors(document: Any) -> list[str]:
    """Every violation of the official schema of the document's AsyncAPI version, 3.0.0 or 3.1.0
    (deepest cause first), or []."""
    schema_file = SCHEMA_310 if isinstance(document, dict) and document.get("asyncapi") == "3.1.0" else SCHEMA_300
    if not schema_file.is_file():
        pytest.fail(f"the official AsyncAPI schema is missing ({schema_file}): run scripts/setup.sh --test")
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
            for error in _validator(schema_file).iter_errors(document) for e in _deepest(error)]


def _deepest(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """The causes that reach furthest into the document (oneOf/anyOf/if-then nest the real reason)."""
    leaves, stack = [], [error]
    while stack:
        current = stack.pop()
        (stack.extend(current.context) if current.context else leaves.append(current))
    depth = max(len(e.absolute_path) for e in leaves)
    return [e for e in leaves if len(e.absolute_path) == depth]


@lru_cache(maxsize=8)
def _workspace(path: Path) -> Any:
    return load_model(path).workspaces[0]


def render_documents(model: Path, fmt: str = "asyncapi") -> dict[str, str]:
    """{file path: text} of the model's AsyncAPI documents (the model is loaded once per test run)."""
    renderer = render_yaml if fmt == "asyncapi" else render_json
    return {f.path: f.content.decode("utf-8") for f in renderer(_workspace(Path(model).resolve()), RenderOptions())}


def documents(model: Path) -> dict[str, dict[str, Any]]:
    """{document id: parsed document} of the model's YAML documents."""
    return {Path(p).stem: yaml.safe_load(text) for p, text in render_documents(model).items()}
