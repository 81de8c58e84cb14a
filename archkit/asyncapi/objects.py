"""Builders of AsyncAPI 3.0.0 objects from plain values, shared by the model view and the snapshot writer.

Each builder fixes one object's key order, so every document archkit writes reads the same way and
diffs stay small. Nothing here knows about the model or about YAML.
"""

from __future__ import annotations

from typing import Any

from archkit.asyncapi import bindings as b
from archkit.asyncapi.refs import escape, pointer
from archkit.asyncapi.schemas import map_refs

ASYNCAPI_VERSION = "3.0.0"
CONTENT_TYPE = "application/json"


def document(doc_id: str, info: dict[str, Any], servers: dict[str, Any], channels: dict[str, Any],
             operations: dict[str, Any], messages: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """The whole document, in the order the specification lists its fields."""
    doc: dict[str, Any] = {"asyncapi": ASYNCAPI_VERSION, "id": doc_id, "info": info, "defaultContentType": CONTENT_TYPE}
    if servers:
        doc["servers"] = servers
    doc["channels"] = channels
    doc["operations"] = operations
    components: dict[str, Any] = {}
    if messages:
        components["messages"] = messages
    if schemas:
        components["schemas"] = dict(sorted(schemas.items()))
    if components:
        doc["components"] = components
    return doc


def info(title: str, version: str, description: str) -> dict[str, Any]:
    out: dict[str, Any] = {"title": title, "version": version}
    if description:
        out["description"] = description
    return out


def server(server_id: str, title: str, protocol: str, description: str = "") -> dict[str, Any]:
    """A broker whose host is a server variable `<id>_host`, so each environment fills in its own."""
    variable = server_id.replace("-", "_") + "_host"
    port = b.DEFAULT_PORTS.get(protocol)
    placeholder = f"{server_id}:{port}" if port else server_id
    out: dict[str, Any] = {"host": f"{{{variable}}}", "protocol": protocol, "title": title}
    if description:
        out["description"] = description
    out["variables"] = {variable: {"default": placeholder, "description": f"Host and port of {title} in your environment"}}
    return out


def channel(address: str, title: str, description: str, server_ids: list[str], message_keys: list[str],
            bindings: dict[str, Any], extensions: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"address": address, "title": title}
    if description:
        out["description"] = description
    if server_ids:
        out["servers"] = [{"$ref": pointer("servers", s)} for s in server_ids]
    out["messages"] = {key: {"$ref": pointer("components", "messages", key)} for key in message_keys}
    if bindings:
        out["bindings"] = bindings
    out.update(present(extensions))
    return out


def operation(action: str, channel_id: str, message_keys: list[str], service: str, summary: str = "",
              description: str = "", bindings: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"action": action, "channel": {"$ref": pointer("channels", channel_id)}}
    if summary:
        out["summary"] = summary
    if description:
        out["description"] = description
    out["messages"] = [{"$ref": pointer("channels", channel_id, "messages", key)} for key in message_keys]
    if bindings:
        out["bindings"] = bindings
    out[b.X_SERVICE] = service
    return out


def message(name: str, title: str, description: str, payload_ref: dict[str, str], *, version: int | None,
            kind: str = "event", key: str | None = None, key_schema: Any = None, correlation_id: str | None = None,
            extensions: dict[str, Any] | None = None, content_type: str = CONTENT_TYPE) -> dict[str, Any]:
    """A message: name, title, summary (first sentence) and description, payload, key and correlation id."""
    out: dict[str, Any] = {"name": name, "title": title}
    summary = first_sentence(description)
    if summary:
        out["summary"] = summary
    if description:
        out["description"] = description
    out["contentType"] = content_type
    out["payload"] = payload_ref
    if correlation_id:
        out["correlationId"] = {"location": f"$message.payload#/{escape(correlation_id)}"}
    if key_schema is not None:
        out["bindings"] = {"kafka": b.kafka_message(key_schema)}
    if version is not None:
        out[b.X_VERSION] = version
    if kind != "event":
        out[b.X_KIND] = kind
    if key:
        out[b.X_KEY] = key
    out.update(present(extensions or {}))
    return out


def present(extensions: dict[str, Any]) -> dict[str, Any]:
    """The extensions worth writing: those with a value (no null, empty list or empty string)."""
    return {k: v for k, v in extensions.items() if v not in (None, [], "")}


def key_schema(payload: dict[str, Any] | None, key: str | None) -> Any:
    """The schema of the key field of `payload` (the payload schema as stored in `components.schemas`;
    None if unknown)."""
    if not key or payload is None:
        return None
    properties = payload.get("properties")
    # a copy (map_refs with refs as they are), not shared with components.schemas
    return map_refs(properties.get(key), _unchanged) if isinstance(properties, dict) else None


def _unchanged(ref: str) -> str:
    return ref


def first_sentence(text: str) -> str:
    """A summary: the docstring's first line, cut at the first full stop."""
    line = text.strip().split("\n", 1)[0].strip() if text else ""
    head, dot, _ = line.partition(". ")
    return head + "." if dot else line
