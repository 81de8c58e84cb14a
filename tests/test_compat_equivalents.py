"""Schemas that say the same thing in two ways are no change (`archkit diff`): what an importer or a
generator writes differently from a hand-written document must not be reported as breaking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DOC = """\
asyncapi: 3.0.0
info: {title: Equivalents, version: '1'}
channels:
  users:
    address: users
    messages:
      changed:
        payload: PAYLOAD
    bindings: {kafka: BINDING}
"""
ID = {"type": "string"}
A_REQUIRED = {"properties": {"a": ID}, "required": ["a"]}
B_OBJECT = {"type": "object", "properties": {"b": ID}, "required": ["b"]}
AB_OBJECT = {"type": "object", "properties": {"a": ID, "b": ID}, "required": ["a", "b"]}


@pytest.mark.parametrize(("old", "new", "breaking"), [
    # allOf of one schema and branches of annotations only is that schema
    ({"properties": {"id": {"allOf": [ID, {"description": "the id"}]}}},
     {"properties": {"id": {**ID, "description": "the id"}}}, False),
    ({"properties": {"id": {"allOf": [ID, {"minLength": 3}]}}}, {"properties": {"id": ID}}, True),
    # no empty string is a URI: pydantic's `minLength: 1` beside `format: uri` adds nothing
    ({"properties": {"u": {"type": "string", "format": "uri"}}},
     {"properties": {"u": {"type": "string", "format": "uri", "minLength": 1}}}, False),
    ({"properties": {"u": {"type": "string"}}}, {"properties": {"u": {"type": "string", "minLength": 1}}}, True),
    ({"properties": {"u": {"type": "string", "format": "uri"}}},
     {"properties": {"u": {"type": "string", "format": "uri", "minLength": 5}}}, True),
    # allOf of properties and required (a generator's subclass of a base) is the one object of them all
    ({"properties": {"p": {"allOf": [A_REQUIRED, B_OBJECT]}}}, {"properties": {"p": AB_OBJECT}}, False),
    ({"properties": {"p": {"allOf": [A_REQUIRED, B_OBJECT]}}},
     {"properties": {"p": {**AB_OBJECT, "required": ["a"]}}}, True),
    ({"properties": {"p": {"allOf": [{**A_REQUIRED, "additionalProperties": False}, B_OBJECT]}}},
     {"properties": {"p": AB_OBJECT}}, True),  # additionalProperties depends on the split: not merged
    # a union whose branches all are objects is an object, `type: object` beside it or not
    ({"properties": {"p": {"type": "object", "oneOf": [B_OBJECT, AB_OBJECT]}}},
     {"properties": {"p": {"oneOf": [B_OBJECT, AB_OBJECT]}}}, False),
    ({"properties": {"p": {"type": "object", "oneOf": [A_REQUIRED, AB_OBJECT]}}},
     {"properties": {"p": {"oneOf": [A_REQUIRED, AB_OBJECT]}}}, True),  # A_REQUIRED alone admits non-objects
])
def test_equivalent_payloads(cli, tmp_path, old, new, breaking):
    paths = []
    for name, payload in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(DOC.replace("PAYLOAD", json.dumps({"type": "object", **payload}))
                        .replace("BINDING", '{"partitions": 3}'), encoding="utf-8")
        paths.append(path)
    result = cli("diff", *paths, "--format", "json")
    assert result.exit_code == (1 if breaking else 0), result.output
    assert bool(json.loads(result.stdout)["findings"]) == breaking


def test_an_unset_cleanup_policy_is_kafkas_delete(cli, tmp_path):
    paths: list[Path] = []
    for name, binding in (("old", '{"partitions": 3}'),
                          ("new", '{"partitions": 3, "topicConfiguration": {"cleanup.policy": ["delete"]}}')):
        path = tmp_path / f"{name}.yaml"
        path.write_text(DOC.replace("PAYLOAD", "{}").replace("BINDING", binding), encoding="utf-8")
        paths.append(path)
    assert json.loads(cli("diff", *paths, "--format", "json").stdout)["findings"] == []
    assert json.loads(cli("diff", *reversed(paths), "--format", "json").stdout)["findings"] == []
