"""The Python source of an imported model: a workspace, brokers, channels, events and who sends what where.

Built from the contract snapshots of the documents (what `archkit diff` compares), so what the import
keeps is exactly what the contract checks judge: channels with their Kafka and AMQP settings, messages
with their payloads, producers and consumers. Several documents merge: a channel or message they share
is declared once. Whatever the model cannot say is collected in `notes`, which head the file.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from archkit.contracts.schema_formats import AVRO
from archkit.contracts.snapshot import ChannelContract, ContractSnapshot, MessageContract, Usage
from archkit.model.ids import slugify

#: AsyncAPI server protocol -> broker kind of the model.
BROKER_KINDS = {"kafka": "kafka", "kafka-secure": "kafka", "amqp": "rabbitmq", "amqps": "rabbitmq", "nats": "nats",
                "redis": "redis", "sqs": "sqs", "jms": "activemq"}
OUTSIDE = "Outside the imported documents"
UNKNOWN_PRODUCER = "Unknown producer"


@dataclass
class ImportedModel:
    """The model's source, the payload schemas its events subclass (class name -> JSON Schema), and notes."""

    source: str
    payloads: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def model_source(name: str, documents: list[tuple[str, ContractSnapshot]]) -> ImportedModel:
    """The model of `documents` (file label, snapshot), one workspace called `name`."""
    return _Builder(name, documents).build()


def identifier(text: str, *, upper: bool) -> str:
    """A Python name from any text: 'user/signedup' -> 'user_signedup' or 'UserSignedup'."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", text) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words) if upper else "_".join(w.lower() for w in words)
    name = name or ("Message" if upper else "element")
    if name[0].isdigit():
        name = ("M" if upper else "n") + ("" if upper else "_") + name
    return name + "_" if keyword.iskeyword(name) else name


class _Names:
    """Distinct Python names: the second 'orders' is 'orders_2' (or distinct ids, `sep="-"`: 'orders-2')."""

    def __init__(self, taken: Iterable[str] = (), sep: str = "_") -> None:
        self.taken, self.sep = set(taken), sep

    def __call__(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}{self.sep}{n}", n + 1
        self.taken.add(candidate)
        return candidate


class _Builder:
    def __init__(self, name: str, documents: list[tuple[str, ContractSnapshot]]) -> None:
        self.name, self.documents = name, documents
        self.notes: list[str] = []
        self.vars = _Names({"ws", "system", "outside", "payloads", "Event", "Workspace"})
        self.classes = _Names({"Event", "Workspace"})
        self.lines: list[str] = []
        self.queue_feeds: dict[str, tuple[str | None, str | None]] = {}  # queue -> (exchange variable, routing key)
        self.broker_kinds: dict[str, str] = {}  # broker variable -> its kind
        self.container_names: set[str] = set()
        self.broker_titles: list[str] = []
        self.usage = Usage()  # consumer groups, correlation ids and requests of all the documents

    # --- merging the documents ----------------------------------------------------------------------
    def merged(self) -> tuple[dict[str, ChannelContract], dict[str, MessageContract], dict[str, str]]:
        channels: dict[str, ChannelContract] = {}
        messages: dict[str, MessageContract] = {}
        declared_by: dict[str, str] = {}  # message key -> title of the first document declaring it
        for label, snapshot in self.documents:
            for address, channel in snapshot.channels.items():
                if address not in channels:
                    channels[address] = ChannelContract(**{**vars(channel), "producers": list(channel.producers),
                                                           "consumers": list(channel.consumers),
                                                           "messages": list(channel.messages)})
                    continue
                known = channels[address]
                for attr in ("producers", "consumers", "messages"):
                    values = getattr(known, attr)
                    values.extend(v for v in getattr(channel, attr) if v not in values)
                for attr in ("kind", "partitions", "key", "retention_ms", "replicas", "exchange_type", "bind"):
                    if getattr(channel, attr) != getattr(known, attr):
                        self.notes.append(f"channel '{address}': {attr} is {getattr(known, attr)!r} in one document and "
                                          f"{getattr(channel, attr)!r} in {label}; the model keeps the first")
            for key, message in snapshot.messages.items():
                if key not in messages:
                    messages[key] = MessageContract(**{**vars(message), "producers": list(message.producers),
                                                       "consumers": list(message.consumers),
                                                       "channels": list(message.channels)})
                    declared_by[key] = snapshot.name
                    continue
                known_message = messages[key]
                if known_message.schema != message.schema or known_message.schema_format != message.schema_format:
                    self.notes.append(f"message {key}: {label} gives it another payload schema; the model keeps the "
                                      "first document's")
                for attr in ("producers", "consumers", "channels"):
                    values = getattr(known_message, attr)
                    values.extend(v for v in getattr(message, attr) if v not in values)
        for _, snapshot in self.documents:  # the first document saying it wins, like the channels' settings
            usage = snapshot.usage
            self.usage.groups = {**usage.groups, **self.usage.groups}
            self.usage.correlation_ids = {**usage.correlation_ids, **self.usage.correlation_ids}
            self.usage.requests |= usage.requests
            self.usage.channel_ids = {**usage.channel_ids, **self.usage.channel_ids}
        implied = {c.dead_letter for c in channels.values() if c.dead_letter}  # a queue's setting in the model
        channels = {k: c for k, c in channels.items() if k not in implied or c.producers or c.consumers}
        return channels, messages, declared_by

    # --- the source ---------------------------------------------------------------------------------
    def build(self) -> ImportedModel:
        channels, messages, declared_by = self.merged()
        unsent = {declared_by[m] for c in channels.values() for m in c.messages  # stand-in senders, see messaging
                  if not set(messages[m].producers + messages[m].consumers) & set(c.producers + c.consumers)}
        containers = list(dict.fromkeys(
            [s.name for _, s in self.documents if s.name in unsent]
            + [n for m in messages.values() for n in (*m.producers, *m.consumers)]
            + [n for c in channels.values() for n in (*c.producers, *c.consumers)]))
        self.container_names = set(containers)
        out = self.lines
        out.append(f"ws = Workspace({_lit(self.name)}, description={_lit(_description(self.documents))})")
        out.append("system = ws.system(\"Applications\", \"The applications the imported documents describe\")")
        container_vars = {c: self.vars(identifier(c, upper=False)) for c in containers}
        for container, var in container_vars.items():
            out.append(f"{var} = system.container({_lit(container)})")
        broker_vars = self.brokers(channels.values())
        channel_vars = self.channels(channels, broker_vars)
        out += ["", ""]
        payloads: dict[str, Any] = {}
        event_classes = {key: self.event(key, message, payloads) for key, message in messages.items()}
        messaging = self.messaging(channels, messages, declared_by, event_classes, channel_vars, container_vars)
        head = ["from archkit import Event, Workspace"]
        if payloads:
            head += ["", "from . import payloads"]
        source = "\n".join([*self.header(), *head, "", *out, *messaging]).rstrip("\n") + "\n"
        return ImportedModel(source, payloads, self.notes)

    def header(self) -> list[str]:
        titles = ", ".join(label for label, _ in self.documents)
        lines = ["# Imported by `archkit import asyncapi` from: " + titles + "."]
        lines.append("# Not expressed in this model (the AsyncAPI documents say it, archkit's model has no place for "
                     "it):")
        lines += [f"# - {note}" for note in dict.fromkeys(self.notes)]
        lines.append("# - always: server hosts and security, channel parameters and descriptions, message headers, "
                     "examples and tags, operation replies (their requests are commands), a consumer group a "
                     "`groupId` schema names no single value of, and bindings other than Kafka's and AMQP's")
        return [*_wrapped(lines), f'"""{self.name}: the estate the imported AsyncAPI documents describe."""', ""]

    def brokers(self, channels: Iterable[ChannelContract]) -> dict[tuple[str | None, str], str]:
        found: dict[tuple[str | None, str], list[ChannelContract]] = {}
        for channel in channels:
            found.setdefault((channel.broker, channel.protocol), []).append(channel)
        out = {}
        for (name, protocol), on_it in found.items():
            kind = BROKER_KINDS.get(protocol, "generic")
            if kind == "rabbitmq" and any(c.kind == "topic" for c in on_it):
                kind = "generic"  # an AMQP channel without `is: routingKey|queue` is neither exchange nor queue
            if kind == "generic" and protocol not in ("generic", "unknown"):
                self.notes.append(f"server protocol {protocol!r}: modelled as a generic broker")
            title = name or (f"{protocol} broker" if protocol != "unknown" else "Broker")
            if title in self.container_names:  # a broker's own document names its container after it
                title = f"{title} broker"
            var = self.vars(identifier(title, upper=False))
            self.lines.append(f"{var} = system.broker({_lit(title)}, kind={_lit(kind)}, technology={_lit(protocol)})")
            self.broker_titles.append(title)
            out[(name, protocol)] = var
            self.broker_kinds[var] = kind
        return out

    def channels(self, channels: dict[str, ChannelContract],
                 broker_vars: dict[tuple[str | None, str], str]) -> dict[str, str]:
        """A variable per channel key. A queue bound to no exchange is fed by AMQP's default exchange
        (`amq.default`, routing key = the queue's name), which is how such a queue receives at all."""
        out: dict[str, str] = {}
        ids = self.channel_ids(channels)
        addresses = {c.address: key for key, c in channels.items() if c.kind == "exchange"}
        default_exchanges: dict[str, str] = {}  # broker variable -> its amq.default exchange variable
        for key, channel in sorted(channels.items(), key=lambda kc: kc[1].kind != "exchange"):  # exchanges first
            broker = broker_vars[(channel.broker, channel.protocol)]
            var = self.vars(identifier(ids[key], upper=False) if key in ids else _channel_name(channel.address))
            args = [_lit(channel.address)]
            if channel.kind == "exchange":
                args += _keywords(type=channel.exchange_type or ("fanout" if not channel.routing_keys else None),
                                  durable=channel.durable)
                call = "exchange"
            elif channel.kind == "queue":
                bind: str | None = out.get(addresses.get(channel.bind or "", ""))
                routing_key = channel.binding_key
                if bind is None and self.broker_kinds[broker] != "rabbitmq":
                    self.notes.append(f"queue '{channel.address}' on a {self.broker_kinds[broker]} broker is fed by no "
                                      "exchange; its senders and receivers are left out")
                elif bind is None:
                    if broker not in default_exchanges:
                        default_exchanges[broker] = self.vars(f"{broker}_default")
                        self.lines.append(f'{default_exchanges[broker]} = {broker}.exchange("amq.default", type="direct")')
                    bind, routing_key = default_exchanges[broker], channel.address
                    self.notes.append(f"queue '{channel.address}': bound to no exchange in the documents; modelled as "
                                      "fed by AMQP's default exchange (amq.default) with its own name as routing key")
                args += [f"bind={bind}"] if bind else []
                args += _keywords(routing_key=routing_key if bind else None, dead_letter=channel.dead_letter,
                                  durable=channel.durable)
                call = "queue"
            else:
                retention = f"{channel.retention_ms}ms" if channel.retention_ms not in (None, -1) else (
                    "forever" if channel.retention_ms == -1 else None)
                args += _keywords(partitions=channel.partitions, key=channel.key, retention=retention,
                                  replicas=channel.replicas)
                if channel.cleanup_policy in ("compact", "compact,delete"):
                    args.append(f"cleanup_policy={_lit(channel.cleanup_policy)}")
                call = "topic"
            if key in ids:
                args.append(f"id={_lit(ids[key])}")
            self.lines.append(f"{var} = {broker}.{call}({', '.join(args)})")
            out[key] = var
            if channel.kind == "queue":
                self.queue_feeds[key] = (bind, routing_key)
        return out

    def channel_ids(self, channels: dict[str, ChannelContract]) -> dict[str, str]:
        """An explicit id for each channel sharing its address with another (kraken's seven channels at '/')
        or whose address has no letter to make a slug of: the document's channel id as a slug, made distinct
        from every other id of the model."""
        counts: dict[str, int] = {}
        for channel in channels.values():
            counts[channel.address] = counts.get(channel.address, 0) + 1
        taken = _Names((slugify(n) for n in [*self.container_names, *self.broker_titles, "Applications", OUTSIDE]),
                       sep="-")
        taken.taken |= {slugify(c.address) for c in channels.values() if counts[c.address] == 1 and _named(c.address)}
        return {key: taken(slugify(self.usage.channel_ids.get(key, key))) for key, c in channels.items()
                if counts[c.address] > 1 or not _named(c.address)}

    def event(self, key: str, message: MessageContract, payloads: dict[str, Any]) -> str:
        cls = self.classes(identifier(message.name, upper=True))
        arguments = ["Event"]
        schema = message.schema
        fmt = message.schema_format
        if fmt is None and isinstance(schema, dict):  # an object's properties, else the payload as the event's root
            payloads[cls] = schema
            arguments.insert(0, f"payloads.{cls}")
        else:
            self.notes.append(f"message {message.key_name}: its {('Avro' if fmt == AVRO else fmt)} payload "
                              + ("is only a URL, never fetched" if _url_only(schema) else "is not converted")
                              + "; the event has no fields, fill them in")
        if message.version not in (None, 1):
            arguments.append(f"version={message.version}")
        if message.key and cls in payloads and message.key.isidentifier() and message.key in schema.get("properties", {}):
            arguments.append(f"key={_lit(message.key)}")
        elif message.key:
            self.notes.append(f"message {message.key_name}: its key {message.key!r} is not a field of its payload")
        correlation = self.usage.correlation_ids.get(key)
        if correlation is not None:
            field_ = correlation.removeprefix("$message.payload#/")
            if cls in payloads and field_.isidentifier() and field_ in schema.get("properties", {}):
                arguments.append(f"correlation_id={_lit(field_)}")
            else:
                self.notes.append(f"message {message.key_name}: its correlation id ({correlation}) is no field of "
                                  "its payload")
        if message.name != cls:
            arguments.append(f"name={_lit(message.name)}")
        if message.kind == "command" or key in self.usage.requests:  # a request expecting a reply
            arguments.append('kind="command"')
        if fmt == AVRO:
            arguments.append('format="avro"')
        body = f'    """{_docstring(message.description)}"""' if message.description else "    pass"
        self.lines += [f"class {cls}({', '.join(arguments)}):", body, "", ""]
        return cls

    def messaging(self, channels: dict[str, ChannelContract], messages: dict[str, MessageContract],
                  declared_by: dict[str, str], classes: dict[str, str], channel_vars: dict[str, str],
                  container_vars: dict[str, str]) -> list[str]:
        """publishes / consumes per channel and message; a message nobody sends gets a stand-in sender."""
        out: list[str] = []
        for key, channel in channels.items():
            for mkey in channel.messages:
                message = messages[mkey]
                producers = [p for p in message.producers if p in channel.producers]
                consumers = [c for c in message.consumers if c in channel.consumers]
                if not producers and not consumers:
                    producers = [declared_by[mkey]]
                    self.notes.append(f"{mkey} on '{channel.address}': no operation sends or receives it; modelled "
                                      f"as sent by {declared_by[mkey]}")
                elif not producers:
                    producers = [self.unknown_producer(out, container_vars)]
                    self.notes.append(f"{mkey} on '{channel.address}': received, but no document sends it; modelled "
                                      f"as sent by '{UNKNOWN_PRODUCER}' of an external system")
                target: str | None = channel_vars[key]
                routings: list[str | None] = list(channel.routing_keys) or [None]
                if channel.kind == "queue":  # producers publish to the exchange feeding the queue
                    target, routing = self.queue_feeds[key]
                    routings = [routing]
                    if channel.bind in {c.address for c in channels.values() if c.kind == "exchange"}:
                        producers = []  # they publish on that exchange, declared with it
                if target is None:
                    continue
                for producer in producers:
                    for routing in routings:
                        suffix = f", routing_key={_lit(routing)}" if routing else ""
                        out.append(f"{container_vars[producer]}.publishes({classes[mkey]}, on={target}{suffix})")
                for consumer in consumers:
                    group = self.usage.groups.get((consumer, key))
                    suffix = f", group={_lit(group)}" if group else ""
                    out.append(f"{container_vars[consumer]}.consumes({classes[mkey]}, on={channel_vars[key]}{suffix})")
        return list(dict.fromkeys(out))

    def unknown_producer(self, out: list[str], container_vars: dict[str, str]) -> str:
        """The stand-in container (in an external system) sending what the documents only receive."""
        if UNKNOWN_PRODUCER not in container_vars:
            container_vars[UNKNOWN_PRODUCER] = var = self.vars("unknown_producer")
            out[:0] = [f"outside = ws.system({_lit(OUTSIDE)}, external=True)",
                       f"{var} = outside.container({_lit(UNKNOWN_PRODUCER)})"]
        return UNKNOWN_PRODUCER


def _keywords(**values: Any) -> list[str]:
    return [f"{k}={_lit(v)}" for k, v in values.items() if v is not None]


def _lit(value: Any) -> str:
    """A Python literal, strings in double quotes like the rest of the file."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _channel_name(address: str) -> str:
    """A variable for a channel: the last two words of its address, parameters left out
    ('smartylighting.streetlights.1.0.event.{streetlightId}.lighting.measured' -> 'lighting_measured')."""
    words = [w for w in re.split(r"[^0-9A-Za-z{}]+", address) if w and not w.startswith("{")]
    return identifier("_".join(words[-2:]) or address, upper=False)


def _named(address: str) -> bool:
    """Whether an address has a letter or digit to make its channel's id of ('/' has none)."""
    return re.search("[0-9A-Za-z]", address) is not None


def _url_only(schema: Any) -> bool:
    return isinstance(schema, dict) and set(schema) == {"$ref"}


def _docstring(text: str) -> str:
    return text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _description(documents: list[tuple[str, ContractSnapshot]]) -> str:
    return "Imported from " + ", ".join(s.name for _, s in documents)


def _wrapped(lines: list[str], width: int = 118) -> list[str]:
    """Comment lines cut at word boundaries to fit ruff's line length (continuations indented)."""
    out = []
    for line in lines:
        while len(line) > width:
            cut = line.rfind(" ", 0, width)
            out.append(line[:cut])
            line = "#   " + line[cut + 1:]
        out.append(line)
    return out

