"""Content models: what a schema says about a property or tuple position it does not declare.

A schema is *open* for a member (any value may be there), *closed* (the member must be absent) or
*partially open* (the member is checked against a schema: a matching `patternProperties` entry,
`additionalProperties`, the tuple's tail, or `unevaluated*` when the former is absent). Whether adding
or removing a member is safe depends on it, which is how Confluent Schema Registry judges JSON Schema
and how archkit does too (docs/contracts.md).
"""

from __future__ import annotations

import re
from typing import Any

OPEN, CLOSED = "open", "closed"


def tail_kind(value: Any) -> str | dict[str, Any]:
    """additionalProperties/additionalItems/unevaluated* value -> OPEN, CLOSED or the schema it names."""
    if value is None or value is True:
        return OPEN
    if value is False:
        return CLOSED
    return value if isinstance(value, dict) else OPEN


def rank(value: Any) -> int:
    """open 2, a schema 1 (between the two), closed 0."""
    kind = tail_kind(value)
    return 2 if kind == OPEN else 0 if kind == CLOSED else 1


def combine(tail: Any, unevaluated: Any) -> str | dict[str, Any]:
    """A tail keyword decides when it constrains; an absent or `true` one leaves it to `unevaluated*`."""
    kind = tail_kind(tail)
    return tail_kind(unevaluated) if kind == OPEN else kind


def for_undeclared(node: dict[str, Any]) -> str | dict[str, Any]:
    """What an object schema says about properties neither `properties` nor `patternProperties` name."""
    return combine(node.get("additionalProperties"), node.get("unevaluatedProperties"))


def for_property(node: dict[str, Any], name: str) -> str | dict[str, Any]:
    """What an object schema says about an undeclared property `name`."""
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, schema in patterns.items():
            try:
                if re.search(pattern, name):
                    return schema if isinstance(schema, dict) else tail_kind(schema)
            except re.error:
                continue  # a pattern Python cannot read (ECMA-only syntax): it covers nothing we can tell
    return for_undeclared(node)


def tuple_of(node: dict[str, Any]) -> tuple[list[Any], str, Any]:
    """(positional schemas, the tail keyword, its value) for drafts 4-2019 (`items` list +
    `additionalItems`) and 2020-12 (`prefixItems` + `items`); a plain `items` is the tail of an empty tuple."""
    if isinstance(node.get("prefixItems"), list):
        return node["prefixItems"], "items", node.get("items")
    items = node.get("items")
    if isinstance(items, list):
        return items, "additionalItems", node.get("additionalItems")
    return [], "items", items


def for_item(node: dict[str, Any]) -> str | dict[str, Any]:
    """What an array schema says about a position beyond its tuple."""
    _, _, tail = tuple_of(node)
    return combine(tail, node.get("unevaluatedItems"))
