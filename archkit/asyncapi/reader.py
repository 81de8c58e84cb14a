"""Reading any AsyncAPI 3.x document into the neutral ContractSnapshot the linter compares.

Channels come from `channels` (Kafka and AMQP bindings mapped to ChannelContract fields), messages
from the channels' messages (traits merged, payload made self-contained), producers and consumers
from `send` / `receive` operations (the application is the operation's `x-service`, else the
document's `info.title`) and from `x-producers` / `x-consumers`. `$ref`s to other local files are bundled
first (`external_refs`); URLs are never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.asyncapi import bindings as b
from archkit.asyncapi.errors import AsyncApiError
from archkit.asyncapi.external_refs import bundle
from archkit.asyncapi.refs import RefError, deref, is_ref, pointer, ref_target, split_pointer
from archkit.asyncapi.schemas import localize
from archkit.asyncapi.source import line_finder, line_of, parse, read_source
from archkit.contracts.avro_compat import AvroSchemaError, parse_avro
from archkit.contracts.schema_formats import AVRO, is_url, schema_format
from archkit.contracts.snapshot import ChannelContract, ContractSnapshot, MessageContract, message_key
from archkit.errors import SourceLocation
from archkit.model.ids import slugify


def read_asyncapi(path_or_text: str | Path, root: Path | None = None) -> ContractSnapshot:
    """A ContractSnapshot of an AsyncAPI 3.x document given as a path or as its YAML/JSON text.

    `$ref`s to other files are read relative to the referring file and may not leave `root` (default:
    the document's folder). Raises AsyncApiError (an ArchkitError) naming the file, and the line where
    known, for an unreadable file, a document that is not AsyncAPI 3.x or a bad `$ref`.
    """
    text, source = read_source(path_or_text)
    return _Reader(text, source, root).snapshot()


@dataclass
class _Message:
    id: str  # where the message object is defined (a JSON pointer), its identity across channels
    contract: MessageContract
    channel_ids: list[str] = field(default_factory=list)
    correlation: str | None = None  # `correlationId.location`, e.g. '$message.payload#/request_id'
    request: bool = False  # sent or received by an operation that expects a `reply`


class _Reader:
    def __init__(self, text: str, source: str, root: Path | None = None) -> None:
        self.text, self.source = text, source
        self.doc = parse(text, source)
        if source != "<document>":
            self.doc = bundle(self.doc, text, Path(source), root or Path(source).resolve().parent)
        version = self.doc.get("asyncapi") if isinstance(self.doc, dict) else None
        if not isinstance(version, str) or not version.startswith("3."):
            found = f"asyncapi: {version!r}" if version is not None else "no 'asyncapi' field"
            raise AsyncApiError(f"not an AsyncAPI 3.x document ({found})", source, line_of(text, ["asyncapi"]))
        info = self._object(self.doc.get("info"), ["info"])
        self.title = str(info.get("title") or Path(source).stem)
        self._key_line = line_finder(text, key_lines=True)
        self.groups: dict[tuple[str, str], str] = {}  # (consumer, channel id) -> its Kafka consumer group

    def _location(self, path: list[str]) -> SourceLocation | None:
        """Where a channel or message is written, so findings about it point there (line 0: unknown)."""
        if self.source == "<document>":
            return None
        return SourceLocation(self.source, self._key_line(path) or 0)

    # --- helpers ------------------------------------------------------------------------------------
    def _fail(self, message: str, path: list[str]) -> AsyncApiError:
        return AsyncApiError(message, self.source, line_of(self.text, path))

    def _object(self, node: Any, path: list[str]) -> dict[str, Any]:
        """`node` with its `$ref` chain followed; {} when absent."""
        try:
            found = deref(self.doc, node)
        except RefError as exc:
            raise self._fail(str(exc), path) from None
        if found is None:
            return {}
        if not isinstance(found, dict):
            raise self._fail(f"{'/'.join(path)} should be an object", path)
        return found

    # --- the walk ------------------------------------------------------------------------------------
    def snapshot(self) -> ContractSnapshot:
        servers = self._object(self.doc.get("servers"), ["servers"])
        channels: dict[str, ChannelContract] = {}
        by_object: dict[int, str] = {}  # id(channel object) -> channel id
        messages: dict[str, _Message] = {}
        channel_messages: dict[str, list[_Message]] = {}
        for cid, raw in self._object(self.doc.get("channels"), ["channels"]).items():
            path = ["channels", cid]
            obj = self._object(raw, path)
            by_object[id(obj)] = cid
            channels[cid] = self._channel(cid, obj, servers, path)
            channel_messages[cid] = [
                self._message(mid, mraw, messages, [*path, "messages", mid])
                for mid, mraw in self._object(obj.get("messages"), [*path, "messages"]).items()
            ]
            for msg in channel_messages[cid]:
                msg.channel_ids.append(cid)
        self._operations(channels, by_object, messages, channel_messages)
        return self._assemble(channels, messages, channel_messages)

    def _channel(self, cid: str, obj: dict[str, Any], servers: dict[str, Any], path: list[str]) -> ChannelContract:
        server_ids = []
        for i, ref in enumerate(obj.get("servers") or []):
            target = ref_target(ref)
            tokens = self._tokens(target, [*path, "servers", str(i)]) if target else []
            if len(tokens) == 2 and tokens[0] == "servers":
                server_ids.append(tokens[1])
        if not server_ids and len(servers) == 1:
            server_ids = list(servers)
        server = self._object(servers.get(server_ids[0]), ["servers", server_ids[0]]) if server_ids else {}
        protocols = {str(self._object(s, ["servers", k]).get("protocol")) for k, s in servers.items()}
        if not server_ids and len(protocols) == 1:  # no server named, but every one speaks the same protocol
            server = {"protocol": protocols.pop()}
        extensions = {k: v for k, v in obj.items() if k.startswith("x-")}
        fields = b.read_channel(self._object(obj.get("bindings"), [*path, "bindings"]), extensions)
        address = str(obj["address"]) if isinstance(obj.get("address"), str) else cid
        return ChannelContract(
            address=address, kind=fields.pop("kind", "topic"), protocol=fields.pop("protocol", str(server.get("protocol", "unknown"))),
            broker=str(server.get("title") or server_ids[0]) if server_ids else None,
            producers=_strings(extensions.get(b.X_PRODUCERS)), consumers=_strings(extensions.get(b.X_CONSUMERS)),
            location=self._location(path), **fields,
        )

    def _tokens(self, ref: str, path: list[str]) -> list[str]:
        try:
            return split_pointer(ref)
        except RefError as exc:
            raise self._fail(str(exc), path) from None

    def _message(self, mid: str, raw: Any, messages: dict[str, _Message], path: list[str]) -> _Message:
        target = ref_target(raw)
        identity = target or pointer(*path)
        obj = self._object(raw, path)
        if identity in messages:
            return messages[identity]
        if target:
            path = self._tokens(target, path)
            mid = path[-1]
        merged: dict[str, Any] = {}
        for i, trait in enumerate(obj.get("traits") or []):
            _merge_patch(merged, self._object(trait, [*path, "traits", str(i)]))
        _merge_patch(merged, {k: v for k, v in obj.items() if k != "traits"})
        name = str(merged["name"]) if isinstance(merged.get("name"), str) else str(mid)
        version = merged.get(b.X_VERSION)
        kind = merged.get(b.X_KIND)
        schema, fmt = self._payload(name, merged.get("payload"), [*path, "payload"])
        contract = MessageContract(
            name=name, version=version if isinstance(version, int) and not isinstance(version, bool) else None,
            schema=schema, schema_format=fmt,
            key=merged.get(b.X_KEY) if isinstance(merged.get(b.X_KEY), str) else None,
            description=str(merged.get("description") or merged.get("summary") or ""),
            kind=kind if kind in ("event", "command") else "event",
            producers=_strings(merged.get(b.X_PRODUCERS)), consumers=_strings(merged.get(b.X_CONSUMERS)),
            location=self._location(path),
        )
        correlation = merged.get("correlationId")
        location = self._object(correlation, [*path, "correlationId"]).get("location") if isinstance(correlation, dict) else None
        messages[identity] = _Message(identity, contract, correlation=location if isinstance(location, str) else None)
        return messages[identity]

    def _payload(self, name: str, payload: Any, path: list[str]) -> tuple[Any, str | None]:
        """(schema, format): JSON Schema made self-contained (format None); Avro and any other format as
        written (`schemaFormat`). A schema that is only a URL reference (a registry, a published `.avsc`)
        is kept as that reference, never fetched: unchanged, nothing to judge; changed, not judged."""
        if payload is None:
            return {}, None
        fmt = None
        try:
            node = deref(self.doc, payload) if _local_ref(payload) else payload
            if isinstance(node, dict) and "schemaFormat" in node:
                if not isinstance(node["schemaFormat"], str):
                    raise self._fail(f"message '{name}': schemaFormat should be a string", [*path, "schemaFormat"])
                fmt = schema_format(node["schemaFormat"])
                payload = node.get("schema", {})
            if is_ref(payload) and is_url(payload["$ref"]):
                return {"$ref": payload["$ref"]}, fmt
            if fmt is not None:
                schema = deref(self.doc, payload) if _local_ref(payload) else payload
                if fmt == AVRO:
                    try:
                        parse_avro(schema)
                    except AvroSchemaError as exc:
                        raise self._fail(f"message '{name}': not a valid Avro schema: {exc}", path) from None
                return schema, fmt
            schema = localize(self.doc, payload)
        except RefError as exc:
            raise self._fail(f"message '{name}': {exc}", path) from None
        if isinstance(schema, bool):
            return ({} if schema else {"not": {}}), None
        if not isinstance(schema, dict):
            raise self._fail(f"message '{name}': the payload is not a schema", path)
        return schema, None

    def _operations(self, channels: dict[str, ChannelContract], by_object: dict[int, str],
                    messages: dict[str, _Message], channel_messages: dict[str, list[_Message]]) -> None:
        message_by_object = {}
        for msg in messages.values():
            message_by_object[id(self._object({"$ref": msg.id}, split_pointer(msg.id)))] = msg
        for oid, raw in self._object(self.doc.get("operations"), ["operations"]).items():
            path = ["operations", oid]
            op = self._object(raw, path)
            action = op.get("action")
            cid = by_object.get(id(self._object(op.get("channel"), [*path, "channel"])))
            if action not in ("send", "receive") or cid is None:
                raise self._fail(f"operation '{oid}' needs action send or receive and a $ref to one of the channels", path)
            used = [message_by_object.get(id(self._object(ref, [*path, "messages", str(i)])))
                    for i, ref in enumerate(op.get("messages") or [])]
            if any(m is None for m in used):
                raise self._fail(f"operation '{oid}' names a message that is not one of its channel's messages", path)
            service = str(op.get(b.X_SERVICE) or self.title)
            role = "producers" if action == "send" else "consumers"
            for msg in [m for m in used if m is not None] or channel_messages[cid]:
                _add(getattr(msg.contract, role), service)
                msg.request = msg.request or bool(op.get("reply"))
            _add(getattr(channels[cid], role), service)
            group = b.read_group(self._object(op.get("bindings"), [*path, "bindings"])) if action == "receive" else None
            if group:
                self.groups[(service, cid)] = group
            if action == "send":
                for key in b.read_routing_keys(self._object(op.get("bindings"), [*path, "bindings"])):
                    _add(channels[cid].routing_keys, key)

    def _assemble(self, channels: dict[str, ChannelContract], messages: dict[str, _Message],
                  channel_messages: dict[str, list[_Message]]) -> ContractSnapshot:
        snapshot = ContractSnapshot(self.title)
        keys: dict[str, str] = {}  # message identity -> snapshot key
        for msg in messages.values():
            key = message_key(msg.contract.name, msg.contract.version)
            if key in snapshot.messages and snapshot.messages[key].schema != msg.contract.schema:
                key = msg.id.rsplit("/", 1)[-1] if msg.id.rsplit("/", 1)[-1] not in snapshot.messages else msg.id
            keys[msg.id] = key
            if msg.correlation:
                snapshot.usage.correlation_ids[key] = msg.correlation
            if msg.request:
                snapshot.usage.requests.add(key)
            msg.contract.channels = list(dict.fromkeys(channels[c].address for c in msg.channel_ids))
            msg.contract.producers.sort()
            msg.contract.consumers.sort()
            if key in snapshot.messages:  # the same message under two pointers: merge who uses it
                _merge_contract(snapshot.messages[key], msg.contract)
            else:
                snapshot.messages[key] = msg.contract
        for cid, channel in channels.items():
            channel.messages = list(dict.fromkeys(keys[m.id] for m in channel_messages[cid]))
            channel.producers.sort()
            channel.consumers.sort()
            # a second channel at one address is known by its id, as a slug: the lowercase id a model gives it
            address = channel.address if channel.address not in snapshot.channels else slugify(cid)
            address = address if address not in snapshot.channels else cid
            snapshot.channels[address] = channel
            snapshot.usage.channel_ids[address] = cid
            snapshot.usage.groups.update({(service, address): group for (service, gcid), group in self.groups.items()
                                          if gcid == cid})
        return snapshot


def _local_ref(node: Any) -> bool:
    return is_ref(node) and not is_url(node["$ref"])


def _merge_patch(target: dict[str, Any], patch: dict[str, Any]) -> None:
    """RFC 7386 JSON merge patch, in place (how AsyncAPI applies message traits)."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            merged = dict(target[key])
            _merge_patch(merged, value)
            target[key] = merged
        else:
            target[key] = value


def _merge_contract(into: MessageContract, other: MessageContract) -> None:
    for attr in ("channels", "producers", "consumers"):
        values = getattr(into, attr)
        for value in getattr(other, attr):
            _add(values, value)
        if attr != "channels":
            values.sort()


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _add(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
