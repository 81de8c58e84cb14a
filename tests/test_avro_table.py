"""Avro payloads through `archkit diff`: each schema-resolution rule, both directions, under BACKWARD,
FORWARD and FULL. The expected verdicts are written out, and checked against the `avro` package's own
checker, so the table can disagree with neither Avro nor archkit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from asyncapi_support import MULTI_FORMAT
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
from avro.schema import parse

DOC = MULTI_FORMAT.replace("FORMAT", "application/vnd.apache.avro+json;version=1.9.0")


def rec(*fields: dict, name: str = "User", **extra) -> dict:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def f(name: str, type_, **extra) -> dict:
    return {"name": name, "type": type_, **extra}


def enum(*symbols: str, **extra) -> dict:
    return {"type": "enum", "name": "Status", "symbols": list(symbols), **extra}


ID = f("id", "string")
#: rule -> (old schema, new schema, BACKWARD holds (new reads old), FORWARD holds (old reads new))
TABLE = {
    "field added without a default": (rec(ID), rec(ID, f("email", "string")), False, True),
    "field added with a default": (rec(ID), rec(ID, f("email", "string", default="")), True, True),
    "field removed without a default": (rec(ID, f("email", "string")), rec(ID), True, False),
    "field removed that had a default": (rec(ID, f("email", "string", default="")), rec(ID), True, True),
    "int -> long": (rec(f("n", "int")), rec(f("n", "long")), True, False),
    "long -> int": (rec(f("n", "long")), rec(f("n", "int")), False, True),
    "long -> float": (rec(f("n", "long")), rec(f("n", "float")), True, False),
    "float -> double": (rec(f("n", "float")), rec(f("n", "double")), True, False),
    "double -> float": (rec(f("n", "double")), rec(f("n", "float")), False, True),
    "int -> string": (rec(f("n", "int")), rec(f("n", "string")), False, False),
    "string -> bytes": (rec(f("s", "string")), rec(f("s", "bytes")), True, True),
    "bytes -> string": (rec(f("s", "bytes")), rec(f("s", "string")), True, True),
    "enum symbol added": (rec(f("s", enum("A", "B"))), rec(f("s", enum("A", "B", "C"))), True, False),
    "enum symbol removed": (rec(f("s", enum("A", "B"))), rec(f("s", enum("A"))), False, True),
    "enum symbol added, the old enum has a default": (
        rec(f("s", enum("A", "B", default="A"))), rec(f("s", enum("A", "B", "C", default="A"))), True, True),
    "union: made optional (null added)": (rec(f("s", "string")), rec(f("s", ["null", "string"], default=None)),
                                          True, False),
    "union: made required (null removed)": (rec(f("s", ["null", "string"], default=None)), rec(f("s", "string")),
                                            False, True),
    "union: branch added": (rec(f("v", ["int", "string"])), rec(f("v", ["int", "string", "boolean"])), True, False),
    "field renamed with an alias": (rec(f("name", "string")), rec(f("full_name", "string", aliases=["name"])),
                                    True, False),
    "field renamed without an alias": (rec(f("name", "string")), rec(f("full_name", "string")), False, False),
    "record renamed with an alias": (rec(ID), rec(ID, name="Account", aliases=["User"]), True, False),
    "record renamed without an alias": (rec(ID), rec(ID, name="Account"), False, False),
    "nested record: field added without a default": (
        rec(f("address", rec(f("city", "string"), name="Address"))),
        rec(f("address", rec(f("city", "string"), f("zip", "string"), name="Address"))), False, True),
    "array items int -> long": (rec(f("xs", {"type": "array", "items": "int"})),
                                rec(f("xs", {"type": "array", "items": "long"})), True, False),
    "map values -> other type": (rec(f("m", {"type": "map", "values": "string"})),
                                 rec(f("m", {"type": "map", "values": "boolean"})), False, False),
    "fixed size changed": (rec(f("h", {"type": "fixed", "name": "Hash", "size": 16})),
                           rec(f("h", {"type": "fixed", "name": "Hash", "size": 32})), False, False),
    # Avro resolves logical types by their underlying type: timestamp-millis and -micros are both longs
    "logical type timestamp-millis -> timestamp-micros": (
        rec(f("at", {"type": "long", "logicalType": "timestamp-millis"})),
        rec(f("at", {"type": "long", "logicalType": "timestamp-micros"})), True, True),
    "logical type uuid -> int": (rec(f("id", {"type": "string", "logicalType": "uuid"})), rec(f("id", "int")),
                                 False, False),
}


def avro_reads(reader: dict, writer: dict) -> bool:
    checker = ReaderWriterCompatibilityChecker()
    result = checker.get_compatibility(parse(json.dumps(reader)), parse(json.dumps(writer)))
    return result.compatibility is SchemaCompatibilityType.compatible


def test_the_table_agrees_with_the_avro_package():
    verdicts = {rule: (avro_reads(new, old), avro_reads(old, new)) for rule, (old, new, _, _) in TABLE.items()}
    assert verdicts == {rule: (backward, forward) for rule, (_, _, backward, forward) in TABLE.items()}


def document(folder: Path, schema: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "users.yaml"
    path.write_text(DOC.replace("SCHEMA", json.dumps(schema)), encoding="utf-8")
    return path


@pytest.mark.parametrize("rule", list(TABLE))
@pytest.mark.parametrize("direction", ["forth", "back"])
def test_each_resolution_rule_both_ways(cli, tmp_path, rule, direction):
    old, new, backward, forward = TABLE[rule]
    if direction == "back":  # the reverse change swaps the roles of reader and writer
        old, new, backward, forward = new, old, forward, backward
    before, after = document(tmp_path / "old", old), document(tmp_path / "new", new)
    for mode, holds in (("BACKWARD", backward), ("FORWARD", forward), ("FULL", backward and forward)):
        result = cli("diff", before, after, "--compat", mode, "--format", "json")
        found = json.loads(result.stdout)["findings"]
        assert result.exit_code == (0 if holds else 1), (mode, found)
        assert {x["rule"] for x in found} <= {"AK-C101"}, found
        assert all(x["message"].startswith("changed: Avro: the ") for x in found), found
