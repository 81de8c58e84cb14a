"""The event catalogue as data: every event with its payload's fields, an example payload, its producers,
consumers and flows, and every channel with what it carries. Format-free; the `site` format draws it.

The field table and the example are read from the payload's JSON Schema (the one the AsyncAPI documents
and the lock carry), so what a reader sees is what the contract checks.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from typing import Any

import rstr

from archkit.contracts.findings import Finding
from archkit.contracts.history import ContractFacts, SchemaStep
from archkit.contracts.snapshot import message_key
from archkit.model.elements import Channel, Exchange, Queue, Topic
from archkit.model.events import event_info
from archkit.model.ids import slugify
from archkit.model.index import WorkspaceIndex


@dataclass(frozen=True)
class FieldRow:
    """One field of a payload, nested fields named by their dotted path (`items[].sku`)."""

    path: str
    type: str
    required: bool
    constraints: str
    description: str


@dataclass(frozen=True)
class Use:
    """A producer or consumer of an event: who, on which channel, with which group or routing key."""

    participant: str
    participant_key: str
    channel: str
    channel_id: str
    group: str = ""
    routing_key: str = ""


@dataclass
class EventPage:
    name: str
    version: int
    kind: str
    key: str
    description: str
    slug: str  # the page's file name without extension
    fields: list[FieldRow]
    schema: dict[str, Any]
    example: Any
    producers: list[Use] = field(default_factory=list)
    consumers: list[Use] = field(default_factory=list)
    flows: list[tuple[str, str]] = field(default_factory=list)  # (flow name, flow id)
    findings: list[Finding] = field(default_factory=list)  # what `archkit lint` reports about it
    history: list[SchemaStep] = field(default_factory=list)  # its locked schemas, step by step
    linted: bool = False  # lint ran for this render (else the page says nothing about findings)
    lint_error: str = ""  # why lint could not run
    locked: bool = False  # a lock file was found


@dataclass
class ChannelPage:
    id: str
    name: str
    kind: str  # topic, exchange, queue, channel
    broker: str
    description: str
    properties: list[tuple[str, str]]
    events: list[tuple[str, str]]  # (event label, event page slug)
    producers: list[str]
    consumers: list[str]


_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}")


def event_slug(index: WorkspaceIndex, event: Any) -> str:
    """The file name (without extension) of an event's page: its class name and version (the class name,
    not the event's `name=`, which is free text: a label must not decide which files are written); unique
    in the workspace, also on a case-insensitive file system."""
    return index.memo("event-slugs", lambda: _event_slugs(index))[event]


def event_page(index: WorkspaceIndex, event: Any) -> str:
    """An event's catalogue page, relative to the site's root."""
    return f"events/{event_slug(index, event)}.html"


def channel_page(channel: Channel) -> str:
    """A channel's catalogue page, relative to the site's root (ids are slugs: safe in any link)."""
    return f"channels/{channel.id}.html"


def _event_slugs(index: WorkspaceIndex) -> dict[Any, str]:
    slugs: dict[Any, str] = {}
    taken: set[str] = set()
    for event in index.event_classes:
        info = event_info(event)
        name = event.__name__ if _SAFE_NAME.fullmatch(event.__name__) else slugify(event.__name__)
        slug, n = f"{name}-v{info.version}", 1
        while slug.lower() in taken:
            n += 1
            slug = f"{name}-v{info.version}-{n}"
        taken.add(slug.lower())
        slugs[event] = slug
    return slugs


def event_pages(index: WorkspaceIndex, contracts: ContractFacts | None = None) -> list[EventPage]:
    """One page per event and version, in declaration order; with `contracts` (lint's findings and the
    lock's histories) each page also has the findings about its event and its judged history."""
    ws = index.workspace
    pages = []
    history = contracts.history.get(ws.name, {}) if contracts else {}
    findings: dict[str | None, list[Finding]] = {}  # by event label, once: an estate has thousands
    for finding in contracts.findings if contracts else ():
        findings.setdefault(finding.event, []).append(finding)
    for event in index.event_classes:
        info = event_info(event)
        schema = ws.payloads.of(event)
        label = f"{info.name} v{info.version}"
        pages.append(EventPage(
            name=info.name, version=info.version, kind=info.kind, key=info.key or "", description=info.description,
            slug=event_slug(index, event), fields=field_rows(schema), schema=schema, example=example_payload(schema),
            producers=[Use(p.participant.name, p.participant.id, p.channel.name, p.channel.id,
                           routing_key=p.routing_key or "") for p in index.producers_of(event)],
            consumers=[Use(s.participant.name, s.participant.id, s.channel.name, s.channel.id,
                           group=s.group or "") for s in index.consumers_of(event)],
            flows=[(f.name, f.id) for f in ws.flows.values() if _mentions(f.steps, event)],
            findings=sorted([*findings.get(label, ()), *(findings.get(info.label, ()) if info.label != label else ())],
                            key=Finding.sort_key),
            history=list(history.get(message_key(info.name, info.version), ())),
            linted=contracts is not None and not contracts.error, locked=bool(contracts and contracts.locked),
            lint_error=contracts.error if contracts else "",
        ))
    return pages


def channel_pages(index: WorkspaceIndex) -> list[ChannelPage]:
    """One page per topic, exchange and queue, in declaration order."""
    pages = []
    for channel in index.workspace.channels.values():
        pages.append(ChannelPage(
            id=channel.id, name=channel.name, kind=_channel_kind(channel), broker=channel.broker.name,
            description=channel.description, properties=_channel_properties(channel, index),
            events=[(f"{event_info(e).name} v{event_info(e).version}", event_slug(index, e))
                    for e in index.carried_events(channel)],
            producers=list(dict.fromkeys(p.participant.name for p in index.publications_reaching(channel))),
            consumers=list(dict.fromkeys(s.participant.name for s in index.subscriptions_by_channel[channel])),
        ))
    return pages


def _channel_kind(channel: Channel) -> str:
    for kind, cls in (("topic", Topic), ("exchange", Exchange), ("queue", Queue)):
        if isinstance(channel, cls):
            return kind
    return "channel"


def _channel_properties(channel: Channel, index: WorkspaceIndex) -> list[tuple[str, str]]:
    props: list[tuple[str, Any]] = [("delivery", channel.delivery), ("compatibility", channel.compatibility)]
    if isinstance(channel, Topic):
        props += [("partitions", channel.partitions), ("key", channel.key), ("retention", channel.retention),
                  ("replicas", channel.replicas), ("cleanup policy", channel.cleanup_policy)]
    elif isinstance(channel, Exchange):
        props += [("type", channel.type), ("durable", channel.durable), ("vhost", channel.vhost),
                  ("bound queues", ", ".join(q.name for q in index.queues_by_exchange[channel]))]
    elif isinstance(channel, Queue):
        props += [("bound to", channel.bind.name if channel.bind is not None else None),
                  ("routing key", channel.routing_key), ("dead-letter queue", channel.dead_letter),
                  ("durable", channel.durable)]
    return [(name, str(value)) for name, value in props if value not in (None, "")]


def _mentions(steps: Any, event: Any) -> bool:
    """Whether a flow's steps (nested alt/parallel cases included) publish, consume or trace `event`."""
    for step in steps:
        if getattr(step, "event", None) is event:
            return True
        if any(_mentions(case.steps, event) for case in getattr(step, "cases", ())):
            return True
    return False


# --- JSON Schema reading ------------------------------------------------------------------------


def _resolve(schema: Any, root: dict[str, Any]) -> Any:
    """Follow a local `$ref` (`#/$defs/...`), as pydantic writes them; other refs are shown as they are."""
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        schema, seen = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}, seen + 1
        if seen > 32:
            break
    return schema


def _options(schema: dict[str, Any]) -> list[Any]:
    return [s for key in ("anyOf", "oneOf") for s in schema.get(key, [])]


def _type_name(schema: Any, root: dict[str, Any]) -> str:
    schema = _resolve(schema, root)
    if not isinstance(schema, dict):
        return "any"
    if "const" in schema:
        return f"const {schema['const']!r}"
    if "enum" in schema:
        return "enum"
    if options := _options(schema):
        return " | ".join(_type_name(s, root) for s in options)
    kind = schema.get("type", "object" if "properties" in schema else "any")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if kind == "array":
        return f"array of {_type_name(schema.get('items', {}), root)}"
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern",
                "minItems", "maxItems", "multipleOf", "default")


def _constraints(schema: dict[str, Any]) -> str:
    parts = [f"{k} {json.dumps(schema[k], ensure_ascii=False)}" if k == "default"  # JSON: null, not None
             else f"{k} {schema[k]!r}" if isinstance(schema[k], str) else f"{k} {schema[k]}"
             for k in _CONSTRAINTS if k in schema]
    if "enum" in schema:
        parts.insert(0, "one of " + ", ".join(map(repr, schema["enum"])))
    return "; ".join(parts)


def field_rows(schema: dict[str, Any]) -> list[FieldRow]:
    """Every field of a payload, depth first, nested objects and arrays of objects by dotted path."""
    rows: list[FieldRow] = []
    _walk(schema, schema, "", rows, 0)
    return rows


def _object_of(schema: Any, root: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema a field holds (directly, as the items of an array, or as the one non-null option)."""
    schema = _resolve(schema, root)
    if not isinstance(schema, dict):
        return None
    if "properties" in schema:
        return schema
    if schema.get("type") == "array":
        return _object_of(schema.get("items", {}), root)
    options = [s for s in _options(schema) if _resolve(s, root).get("type") != "null"]
    return _object_of(options[0], root) if len(options) == 1 else None


def _walk(schema: Any, root: dict[str, Any], prefix: str, rows: list[FieldRow], depth: int) -> None:
    obj = _object_of(schema, root)
    if obj is None or depth > 8:
        return
    required = set(obj.get("required", []))
    for name, sub in obj.get("properties", {}).items():
        resolved = _resolve(sub, root)
        path = f"{prefix}{name}"
        rows.append(FieldRow(path, _type_name(sub, root), name in required,
                             _constraints(resolved) if isinstance(resolved, dict) else "",
                             resolved.get("description", "") if isinstance(resolved, dict) else ""))
        is_array = isinstance(resolved, dict) and resolved.get("type") == "array"
        _walk(sub, root, f"{path}[]." if is_array else f"{path}.", rows, depth + 1)


def example_payload(schema: dict[str, Any]) -> Any:
    """A deterministic payload that satisfies the schema: examples and defaults first, else the smallest
    value each type and constraint allows (the same schema gives the same example, run after run)."""
    return _example(schema, schema, 0)


_FORMAT_EXAMPLES = {
    "date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "time": "00:00:00Z", "duration": "PT1M",
    "email": "user@example.com", "uuid": "00000000-0000-4000-8000-000000000000", "uri": "https://example.com/",
    "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "hostname": "example.com",
}


def _example(schema: Any, root: dict[str, Any], depth: int) -> Any:
    schema = _resolve(schema, root)
    if not isinstance(schema, dict) or depth > 16:
        return None
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    if options := _options(schema):
        chosen = next((s for s in options if _resolve(s, root).get("type") != "null"), options[0])
        return _example(chosen, root, depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(_resolve(part, root))
        return _example(merged, root, depth + 1)
    kind = schema.get("type", "object" if "properties" in schema else None)
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: _example(sub, root, depth + 1) for name, sub in props.items()}
    if kind == "array":
        count = max(schema.get("minItems", 1), 1)
        return [_example(schema.get("items", {}), root, depth + 1) for _ in range(count)]
    if kind == "string":
        return _string_example(schema)
    if kind in ("integer", "number"):
        return _number_example(schema, kind)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return "example"


def _string_example(schema: dict[str, Any]) -> str:
    if schema.get("format") in _FORMAT_EXAMPLES:
        return _FORMAT_EXAMPLES[schema["format"]]
    if "pattern" in schema:  # a seeded generator: the same pattern gives the same string every run
        return str(rstr.Rstr(random.Random(0)).xeger(schema["pattern"]))
    text = "example"
    lo, hi = schema.get("minLength", 0), schema.get("maxLength")
    text = text.ljust(lo, "x")
    return text[:hi] if hi is not None else text


def _number_example(schema: dict[str, Any], kind: str) -> int | float:
    value: float = 1
    if "minimum" in schema:
        value = max(value, schema["minimum"])
    if "exclusiveMinimum" in schema:
        value = max(value, schema["exclusiveMinimum"] + 1)
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    if "exclusiveMaximum" in schema:
        value = min(value, schema["exclusiveMaximum"] - 1)
    if "multipleOf" in schema:
        step = schema["multipleOf"]
        value = step * max(1, -(-value // step))
    return int(value) if kind == "integer" and float(value).is_integer() else value
