"""Avro payloads judged by Avro's own schema-resolution rules: the `avro` package's compatibility checker.

Avro decides whether a reader schema can decode data written with a writer schema (fields added or
removed with or without defaults, int -> long -> float -> double, string <-> bytes, enum symbols and
defaults, unions, aliases, named types); archkit only asks it twice: BACKWARD is the new schema reading
old data, FORWARD the old schema reading new data. Every incompatibility it names becomes a `Change`.
"""

from __future__ import annotations

import json
from typing import Any

from archkit.contracts.schema_compat import Change, identical, json_path


class AvroSchemaError(ValueError):
    """Not an Avro schema the `avro` package can parse (the message says why)."""


def parse_avro(schema: Any) -> Any:
    """The parsed schema (an `avro.schema.Schema`); AvroSchemaError for anything Avro refuses."""
    import avro.errors  # ~40 ms: only documents and models with Avro payloads pay for it
    import avro.schema

    try:
        return avro.schema.parse(schema if isinstance(schema, str) and schema.lstrip()[:1] in "{[\"" else
                                 json.dumps(schema))
    except (avro.errors.AvroException, json.JSONDecodeError, TypeError, ValueError) as exc:
        raise AvroSchemaError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None


def avro_changes(old: Any, new: Any) -> list[Change]:
    """The incompatibilities between two Avro schemas, each with the direction it breaks."""
    if identical(old, new):
        return []
    from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

    old_schema, new_schema = parse_avro(old), parse_avro(new)
    changes: list[Change] = []
    for direction, reader, writer in (("BACKWARD", new_schema, old_schema), ("FORWARD", old_schema, new_schema)):
        result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
        if result.compatibility is SchemaCompatibilityType.compatible:
            continue
        who = "the new schema cannot read data written with the old one" if direction == "BACKWARD" else \
            "the old schema cannot read data written with the new one"
        kinds = list(dict.fromkeys(i.value for i in result.incompatibilities)) or ["incompatible"]
        detail = ", ".join(sorted(result.messages))
        changes.append(Change(
            path=_path(sorted(result.locations)[0]), kind="avro-" + kinds[0].replace("_", "-"),
            description=f"Avro: {who}: {'; '.join(k.replace('_', ' ') for k in kinds)}" + (f" ({detail})" if detail else ""),
            backward=direction != "BACKWARD", forward=direction != "FORWARD",
        ))
    return changes


def _path(location: str) -> str:
    """The checker's location ('/fields/1/type') as a JSON path ('$.fields[1].type')."""
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in location.split("/") if p]
    return json_path("$", *parts)
