"""The Avro schema of an event declared with `format="avro"`, derived from its pydantic model.

The conversion is pydantic-avro's (records, enums, arrays, maps, `Optional` as a union with null,
UUID as `uuid`); archkit only feeds it two hints its JSON Schema lacks: a `datetime` is written as
`timestamp-millis` (what Kafka Connect and most registries expect), and a `Decimal` as Avro's `decimal`
with the field's `max_digits` and `decimal_places` as precision and scale, which Avro requires.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from archkit.errors import ModelError
from archkit.model.events import Event, event_info
from archkit.model.payloads import PayloadSchemas


class _AvroHints(GenerateJsonSchema):
    """pydantic's JSON Schema with the Avro types of datetimes and decimals marked (pydantic-avro's `avro_type`)."""

    def datetime_schema(self, schema: Any) -> dict[str, Any]:
        return {"type": "string", "format": "date-time", "avro_type": "timestamp-millis"}

    def decimal_schema(self, schema: Any) -> dict[str, Any]:
        return {"type": "number", "avro_type": "decimal", "x-precision": schema.get("max_digits"),
                "x-scale": schema.get("decimal_places")}


def avro_schema(event: type[Event], payloads: PayloadSchemas) -> Any:
    """The event's Avro schema (a record named after the event), made once per class and kept in the
    session's `payloads`; ModelError when the model has something Avro cannot say (a Decimal without
    max_digits, an enum value that is no Avro name)."""
    return payloads.derived(event, "avro", _derive)


def _derive(event: type[Event]) -> Any:
    from pydantic_avro.to_avro.types import AvroTypeConverter  # imported by models with Avro events only

    from archkit.contracts.avro_compat import AvroSchemaError, parse_avro

    info = event_info(event)

    class Converter(AvroTypeConverter):  # type: ignore[misc]
        def _get_avro_type(self, field_props: dict[str, Any], avro_type_dict: dict[str, Any]) -> dict[str, Any]:
            if field_props.get("avro_type") != "decimal":
                return super()._get_avro_type(field_props, avro_type_dict)  # type: ignore[no-any-return]
            precision, scale = field_props.get("x-precision"), field_props.get("x-scale")
            if precision is None:
                raise ModelError(f"event {info.name}: a Decimal field needs max_digits (and decimal_places) to be "
                                 "written as Avro's decimal (precision and scale)", info.origin,
                                 hint="e.g. amount: Decimal = Field(max_digits=10, decimal_places=2)")
            avro_type_dict["type"] = {"type": "bytes", "logicalType": "decimal", "precision": precision,
                                      "scale": scale or 0}
            return avro_type_dict

    try:
        json_schema = event.model_json_schema(schema_generator=_AvroHints)
        schema: dict[str, Any] = {"type": "record", "name": info.name}
        if info.description:
            schema["doc"] = info.description
        schema["fields"] = Converter(json_schema).fields_to_avro_dicts(json_schema)
        schema = _named_first(schema)
        parse_avro(schema)
    except (AvroSchemaError, ValueError, NotImplementedError, KeyError) as exc:
        raise ModelError(f"event {info.name}: cannot be written as Avro: {exc}", info.origin,
                         hint="use types Avro has: str, int, float, bool, bytes, UUID, datetime, date, Decimal, "
                              "Enum, list, dict[str, X], nested models, X | None") from None
    return schema


def _named_first(node: Any) -> Any:
    """Every object with its `name` first, as people write Avro schemas (pydantic-avro puts `type` first)."""
    if isinstance(node, dict):
        ordered = {"name": node["name"]} if isinstance(node.get("name"), str) else {}
        return {**ordered, **{k: _named_first(v) for k, v in node.items() if k not in ordered}}
    if isinstance(node, list):
        return [_named_first(item) for item in node]
    return node
