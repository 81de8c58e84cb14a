"""Contract checks: compare the current snapshot with a baseline and say what would break whom.

Payload changes go through the schema classifier under each message's compatibility mode; channel and
broker changes (removed topics, fewer partitions, a new key, an exchange redeclared, lost routing) are
breaking whenever a producer or consumer depends on them. Every finding names the consumers (or
producers) in the current model it would break and how to evolve instead.

Rule ids are public (docs/contracts.md); never renumber them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from archkit.contracts.findings import Finding, Severity
from archkit.contracts.internal import comparing
from archkit.contracts.modes import BACKWARD, DEFAULT_MODE, Mode, ModeMap, parse_mode
from archkit.contracts.payload_compat import NOT_JUDGED, payload_changes
from archkit.contracts.schema_compat import Change, canonical
from archkit.contracts.snapshot import ChannelContract, ContractSnapshot, MessageContract
from archkit.contracts.source_lines import locate
from archkit.model.routing import binding_receives

PAYLOAD_BREAKING = "AK-C101"
MESSAGE_REMOVED = "AK-C102"
CHANNEL_REMOVED = "AK-C103"
PARTITIONS_REDUCED = "AK-C104"
PARTITIONS_INCREASED_KEYED = "AK-C105"
KEY_CHANGED = "AK-C106"
DECLARATION_CHANGED = "AK-C107"
ROUTING_LOST = "AK-C108"
CONSUMER_ORPHANED = "AK-C109"
ACTION_FLIPPED = "AK-C110"
UNJUDGED_KEYWORD = "AK-C111"
CHANNEL_SETTING_CHANGED = "AK-C112"
PAYLOAD_NOT_JUDGED = "AK-C113"

#: Every rule id with a one-line summary (the docs and `archkit lint --help` list these).
RULES: dict[str, str] = {
    PAYLOAD_BREAKING: "payload schema change that breaks the message's compatibility mode",
    MESSAGE_REMOVED: "message (event version) removed while consumers depended on it",
    CHANNEL_REMOVED: "topic, exchange or queue removed or its address renamed",
    PARTITIONS_REDUCED: "Kafka topic partitions reduced (impossible without recreating the topic)",
    PARTITIONS_INCREASED_KEYED: "partitions increased on a keyed topic (per-key ordering breaks during the switch)",
    KEY_CHANGED: "message or topic key changed (per-key ordering and partitioning change)",
    DECLARATION_CHANGED: "exchange type, durability or channel kind changed (RabbitMQ refuses the redeclaration)",
    ROUTING_LOST: "a queue no longer receives a routing key or message that is still published",
    CONSUMER_ORPHANED: "a consumer left on a channel nobody publishes its event to any more",
    ACTION_FLIPPED: "a container that published on a channel now consumes from it, or the reverse",
    UNJUDGED_KEYWORD: "a schema keyword archkit does not judge changed (breaking until reviewed)",
    CHANNEL_SETTING_CHANGED: "retention, replicas, cleanup policy or dead-letter queue changed (informational)",
    PAYLOAD_NOT_JUDGED: "a payload in a format archkit does not judge (or only a URL) changed: review it (warning)",
}

_EXPLAIN = {
    BACKWARD: "BACKWARD: consumers on the new schema cannot read data written with the old one",
    "FORWARD": "FORWARD: consumers still on the old schema cannot read data written with the new one",
}
_ADVICE = {
    "property-added-required": "add the property as optional first (consumers treat it as absent), make it "
                               "required only in a new event version",
    "property-removed-required": "make the property optional first, remove it once no consumer reads it",
    "required-added": "keep it optional; a required field belongs in a new event version",
    "required-removed": "old consumers still expect it: keep sending it until they have upgraded",
    "enum-value-added": "upgrade consumers to tolerate the new value before producers send it",
    "enum-value-removed": "keep accepting the value until no data carrying it is left on the channel",
    "type-changed": "add a new property with the new type beside the old one, migrate, then drop the old one",
}


def check_contracts(
    current: ContractSnapshot,
    baseline: ContractSnapshot,
    *,
    mode: str = DEFAULT_MODE,
    rules: str = "default",
    history: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    modes_by: ModeMap | None = None,
    compat: str | None = None,
) -> list[Finding]:
    """Findings for every change from `baseline` to `current` that breaks someone, plus warnings.

    `mode` is the default compatibility mode, `modes_by` what the model sets per message and channel
    (see `modes_from_workspace`), `compat` the command line's `--compat`, which beats both.
    `history` maps a message key to every schema it has had, oldest first (from the lock file); the
    _TRANSITIVE modes check the current schema against each of them.
    """
    checker = _Checker(current, baseline, parse_mode(mode), rules, history or {}, modes_by or ModeMap(),
                       parse_mode(compat) if compat else None)
    return sorted(checker.run(), key=Finding.sort_key)


class _Checker:
    def __init__(self, current: ContractSnapshot, baseline: ContractSnapshot, default: Mode, rules: str,
                 history: Mapping[str, Sequence[Mapping[str, Any]]], modes_by: ModeMap, forced: Mode | None) -> None:
        self.cur, self.base = current, baseline
        self.default, self.rules, self.history, self.modes_by, self.forced = default, rules, history, modes_by, forced
        self.findings: list[Finding] = []
        self.explained_queues: set[str] = set()  # queues whose lost messages AK-C108 already explains

    def run(self) -> list[Finding]:
        for key, old in self.base.messages.items():
            new = self.cur.messages.get(key)
            with comparing(f"message {_label(old)}" + (f" on {', '.join(old.channels)}" if old.channels else "")):
                if new is None:
                    self.message_removed(key, old)
                else:
                    self.payload(key, old, new)
                    self.message_key(key, old, new)
        for address, old_channel in self.base.channels.items():
            new_channel = self.cur.channels.get(address)
            if self.channel_mode(address).directions == frozenset():
                continue
            with comparing(f"{old_channel.kind} '{address}'"):
                if new_channel is None:
                    self.channel_removed(old_channel)
                else:
                    self.channel_changed(old_channel, new_channel)
        return self.findings

    # --- modes ------------------------------------------------------------------------------------
    def message_mode(self, key: str, channels: Sequence[str] = ()) -> Mode:
        if self.forced:
            return self.forced
        if key in self.modes_by.messages:
            return parse_mode(self.modes_by.messages[key])
        for address in channels:
            if address in self.modes_by.channels:
                return parse_mode(self.modes_by.channels[address])
        return self.default

    def channel_mode(self, address: str) -> Mode:
        if self.forced:
            return self.forced
        return parse_mode(self.modes_by.channels[address]) if address in self.modes_by.channels else self.default

    # --- payloads ---------------------------------------------------------------------------------
    def payload(self, key: str, old: MessageContract, new: MessageContract) -> None:
        mode = self.message_mode(key, new.channels)
        if not mode.directions:
            return
        targets = self.targets(key, old, mode)
        seen: set[tuple[Any, ...]] = set()
        for position, target in enumerate(targets):
            against = None if position == len(targets) - 1 else f"schema {position + 1} of {len(targets)} in the lock history"
            for change in payload_changes(target, new.schema, old.schema_format, new.schema_format, rules=self.rules):
                broken = sorted(d for d in mode.directions if not change.allowed(d))
                ident = (change.path, change.kind, repr(change.old), repr(change.new))
                if broken and ident not in seen:
                    seen.add(ident)
                    self.payload_finding(new, change, broken, mode, against, target)

    def targets(self, key: str, old: MessageContract, mode: Mode) -> list[Any]:
        """The schemas to check against: the baseline's, or for _TRANSITIVE every locked one (distinct)."""
        if not mode.transitive:
            return [old.schema]
        out, texts = [], set()
        for schema in [*self.history.get(key, ()), old.schema]:
            # JSON Schema by what it accepts; Avro and others as written (an Avro `default` matters)
            text = canonical(schema) if old.schema_format is None else json.dumps(schema, sort_keys=True)
            if text not in texts:
                texts.add(text)
                out.append(schema)
        return out

    def payload_finding(self, msg: MessageContract, change: Change, broken: list[str], mode: Mode,
                        against: str | None, old_schema: Any = None) -> None:
        label = _label(msg)
        whom, affected = _who(msg.consumers, "consumers", label)
        why = "; ".join(_EXPLAIN[d] for d in broken)
        where = f" (against {against})" if against else ""
        advice = _ADVICE.get(change.kind, "")
        version = _version_advice(msg)
        unknown = change.kind == NOT_JUDGED
        self.findings.append(Finding(
            rule=PAYLOAD_NOT_JUDGED if unknown else PAYLOAD_BREAKING if change.judged else UNJUDGED_KEYWORD,
            severity="warning" if unknown else "error",
            message=f"{label}: {change.description}{where}; review it against {mode.name} by hand; {whom}" if unknown
            else f"{label}: {change.description} at {change.path}{where} breaks {mode.name} ({why}); {whom}",
            breaking=not unknown,
            event=label,
            channel=", ".join(msg.channels) or None,
            path=change.path,
            old=change.old,
            new=change.new,
            mode=mode.name,
            affected=affected,
            suggestion=f"{advice}; or {version}" if advice else version,
            location=(locate(msg.source, msg.location, change.path, change.kind, change.new, old_schema)
                      if msg.source is not None else None) or msg.location,
        ))

    def message_key(self, key: str, old: MessageContract, new: MessageContract) -> None:
        if old.key is None or old.key == new.key or not self.message_mode(key, new.channels).directions:
            return
        label = _label(new)
        whom, affected = _who(new.consumers, "consumers", label)
        self.findings.append(Finding(
            rule=KEY_CHANGED, severity="error", breaking=True, event=label, channel=", ".join(new.channels) or None,
            message=f"{label}: message key changed from '{old.key}' to '{new.key}': messages of one entity now land "
                    f"on other partitions, so their order is lost; {whom}",
            old=old.key, new=new.key, mode=self.message_mode(key, new.channels).name, affected=affected,
            suggestion=_version_advice(new), location=new.location,
        ))

    def message_removed(self, key: str, old: MessageContract) -> None:
        mode = self.message_mode(key, old.channels)
        if not mode.directions:
            return
        label = _label(old)
        successors = [m for m in self.cur.messages.values() if m.name == old.name]
        if successors:
            newest = max(successors, key=lambda m: m.version or 1)
            suggestion = (f"keep publishing {label} beside {_label(newest)} until its consumers have moved, "
                          f"then retire it")
        else:
            suggestion = "keep publishing it until every consumer has stopped reading it, then remove it"
        whom, affected = _who(old.consumers, "consumers", label, "in the baseline")
        self.findings.append(Finding(
            rule=MESSAGE_REMOVED, severity="error", breaking=True, event=label, channel=", ".join(old.channels) or None,
            message=f"{label} was removed; {whom}", mode=mode.name, affected=affected, old=key,
            suggestion=suggestion, location=old.location or (successors[0].location if successors else None),
        ))

    # --- channels ---------------------------------------------------------------------------------
    def channel_removed(self, old: ChannelContract) -> None:
        renamed = next((c for c in self.cur.channels.values() if c.address not in self.base.channels
                        and c.kind == old.kind and set(c.messages) & set(old.messages)), None)
        users = sorted(set(old.producers) | set(old.consumers))
        whom, affected = _who(users, "producers and consumers", f"{old.kind} '{old.address}'", "in the baseline")
        what = f"renamed to '{renamed.address}'" if renamed else "removed"
        self.channel_finding(
            CHANNEL_REMOVED, old, f"{old.kind} '{old.address}' {what}; {whom}", affected,
            "keep the old address until every producer and consumer has moved (for a rename: publish to both, "
            "migrate consumers, then retire the old one)",
            old=old.address, new=renamed.address if renamed else None,
            location=old.location or (renamed.location if renamed else None),
        )

    def channel_changed(self, old: ChannelContract, new: ChannelContract) -> None:
        users = sorted(set(new.producers) | set(new.consumers))
        name = f"{new.kind} '{new.address}'"
        if old.kind != new.kind:
            self.declaration(new, users, "kind", old.kind, new.kind)
        if old.partitions is not None and new.partitions is not None and new.partitions != old.partitions:
            self.partitions(old, new, users)
        if old.key is not None and new.key != old.key:
            whom, affected = _who(users, "producers and consumers", name)
            self.channel_finding(
                KEY_CHANGED, new, f"{name}: key changed from '{old.key}' to '{new.key}': records of one entity now "
                f"land on other partitions, so per-key order is lost; {whom}", affected,
                f"create {_next_address(new.address)} keyed by '{new.key}' beside the old topic, move producers, then "
                "consumers, then retire the old one", old=old.key, new=new.key)
        for field in ("exchange_type", "durable"):
            before, after = getattr(old, field), getattr(new, field)
            if before is not None and after is not None and before != after:
                self.declaration(new, users, field.replace("_", " "), before, after)
        self.routing(old, new)
        self.orphans(old, new)
        self.flipped(old, new)
        self.settings(old, new)

    def partitions(self, old: ChannelContract, new: ChannelContract, users: list[str]) -> None:
        name = f"{new.kind} '{new.address}'"
        whom, affected = _who(users, "producers and consumers", name)
        if new.partitions < old.partitions:  # type: ignore[operator]
            self.channel_finding(
                PARTITIONS_REDUCED, new, f"{name}: partitions reduced from {old.partitions} to {new.partitions}: "
                f"Kafka cannot remove partitions without recreating the topic and losing its data; {whom}", affected,
                f"create {_next_address(new.address)} with {new.partitions} partitions, move producers, drain and move "
                "consumers, then retire the old topic", old=old.partitions, new=new.partitions)
        elif new.key is not None or any(self.cur.messages.get(m) and self.cur.messages[m].key for m in new.messages):
            self.channel_finding(
                PARTITIONS_INCREASED_KEYED, new, f"{name}: partitions increased from {old.partitions} to "
                f"{new.partitions} on a keyed topic: a key maps to another partition afterwards, so per-key order "
                f"breaks while old records are still being consumed; {whom}", affected,
                "pause producers and let consumers drain before adding partitions, or create a new topic with more "
                "partitions and migrate", old=old.partitions, new=new.partitions, severity="warning", breaking=False)

    def declaration(self, new: ChannelContract, users: list[str], what: str, before: Any, after: Any) -> None:
        name = f"{new.kind} '{new.address}'"
        whom, affected = _who(users, "producers and consumers", name)
        self.channel_finding(
            DECLARATION_CHANGED, new, f"{name}: {what} changed from {before} to {after}: the broker refuses to "
            f"redeclare an existing {new.kind} differently (RabbitMQ: PRECONDITION_FAILED); {whom}", affected,
            f"declare a new {new.kind} under a new name (e.g. '{_next_address(new.address)}'), bind queues to both, "
            "move producers, then delete the old one", old=before, new=after)

    def routing(self, old: ChannelContract, new: ChannelContract) -> None:
        """A queue that stops receiving a routing key (or message) its exchange still gets."""
        if new.kind != "queue" or not new.consumers:
            return
        old_ex = self.base.channels.get(old.bind or "")
        new_ex = self.cur.channels.get(new.bind or "")
        if old_ex is None or new_ex is None:
            return
        received = {rk for rk in old_ex.routing_keys if binding_receives(old_ex.exchange_type or "direct", old.binding_key, rk)}
        lost = sorted(rk for rk in received & set(new_ex.routing_keys)
                      if not binding_receives(new_ex.exchange_type or "direct", new.binding_key, rk))
        gone = sorted(m for m in set(old.messages) - set(new.messages) if m in new_ex.messages)
        if not lost and not gone:
            return
        whom, affected = _who(new.consumers, "consumers", f"queue '{new.address}'")
        detail = f"routing key(s) {', '.join(lost)}" if lost else f"message(s) {', '.join(gone)}"
        self.channel_finding(
            ROUTING_LOST, new, f"queue '{new.address}' no longer receives {detail}, still published to "
            f"{new_ex.kind} '{new_ex.address}' (binding '{old.binding_key}' -> '{new.binding_key}'); {whom}",
            affected, "add a second binding for the old key (a queue may have several), or publish with a key the "
            "binding matches", old=old.binding_key, new=new.binding_key, path=lost[0] if lost else None)
        self.explained_queues.add(new.address)

    def orphans(self, old: ChannelContract, new: ChannelContract) -> None:
        if not new.consumers or new.address in self.explained_queues:
            return
        for key in sorted(set(old.messages) - set(new.messages)):
            msg = self.cur.messages.get(key)
            readers = sorted(set(new.consumers) & set(msg.consumers)) if msg else []
            if not readers:
                continue
            where = f"; it is now published on {', '.join(msg.channels)}" if msg and msg.channels else ""
            self.channel_finding(
                CONSUMER_ORPHANED, new, f"{new.kind} '{new.address}': nobody publishes {key} here any more{where}; "
                f"consumers {', '.join(readers)} still read it from here", tuple(readers),
                "keep publishing it here until the consumers have moved, or move them in the same change",
                old=key, event=_label(msg) if msg else key)
        if old.producers and not new.producers and not new.messages:
            whom, affected = _who(new.consumers, "consumers", f"{new.kind} '{new.address}'")
            self.channel_finding(
                CONSUMER_ORPHANED, new, f"{new.kind} '{new.address}': nobody publishes to it any more "
                f"(before: {', '.join(old.producers)}); {whom}", affected,
                "restore a producer, or move the consumers to where the events are now published",
                old=old.producers, new=[])

    def flipped(self, old: ChannelContract, new: ChannelContract) -> None:
        for container in sorted((set(old.producers) - set(new.producers)) & (set(new.consumers) - set(old.consumers))):
            self.flip_finding(new, container, "published on", "now consumes from", new.consumers)
        for container in sorted((set(old.consumers) - set(new.consumers)) & (set(new.producers) - set(old.producers))):
            self.flip_finding(new, container, "consumed from", "now publishes on", new.producers)

    def flip_finding(self, new: ChannelContract, container: str, before: str, after: str, others: list[str]) -> None:
        peers = sorted(set(others) - {container})
        self.channel_finding(
            ACTION_FLIPPED, new, f"{new.kind} '{new.address}': {container} {before} it and {after} it; "
            f"the other side ({', '.join(peers) or 'nobody in the model'}) is left without a counterpart",
            (container, *peers), "keep the old operation until its counterparts have changed, or use a separate channel "
            "for the new direction", old=before, new=after)

    def settings(self, old: ChannelContract, new: ChannelContract) -> None:
        for field in ("retention_ms", "replicas", "cleanup_policy", "dead_letter"):
            before, after = getattr(old, field), getattr(new, field)
            if field == "cleanup_policy" and {before, after} <= {None, "delete"}:
                continue  # unset is Kafka's default, delete
            if before != after:
                self.channel_finding(
                    CHANNEL_SETTING_CHANGED, new, f"{new.kind} '{new.address}': {field.replace('_', ' ')} changed "
                    f"from {before} to {after}", tuple(sorted(set(new.producers) | set(new.consumers))),
                    "check that consumers replaying or retrying do not rely on the old setting",
                    old=before, new=after, severity="info", breaking=False)

    def channel_finding(self, rule: str, channel: ChannelContract, message: str, affected: tuple[str, ...],
                        suggestion: str, *, old: Any = None, new: Any = None, severity: Severity = "error",
                        breaking: bool = True, location: Any = None, path: str | None = None,
                        event: str | None = None) -> None:
        self.findings.append(Finding(
            rule=rule, severity=severity, message=message, breaking=breaking, event=event, channel=channel.address,
            path=path, old=old, new=new, mode=self.channel_mode(channel.address).name, affected=tuple(affected),
            suggestion=suggestion, location=location or channel.location,  # type: ignore[arg-type]
        ))


def _label(msg: MessageContract) -> str:
    return f"{msg.name} v{msg.version}" if msg.version is not None else msg.name


def _who(names: Sequence[str], role: str, what: str, when: str = "in the model") -> tuple[str, tuple[str, ...]]:
    """The sentence naming who breaks, and the names; says so when nobody in the model depends on it."""
    if names:
        return f"{role} {when}: {', '.join(names)}", tuple(names)
    return (f"no {role.split(' and ')[0]} {when} depend on {what}, but any outside it would break", ())


_VERSIONED = re.compile(r"^(.*?[._-]v)(\d+)$")


def _next_address(address: str) -> str:
    """food.orders.v1 -> food.orders.v2; an unversioned address gets '.v2'."""
    match = _VERSIONED.match(address)
    return f"{match.group(1)}{int(match.group(2)) + 1}" if match else f"{address}.v2"


def _version_advice(msg: MessageContract) -> str:
    version = msg.version or 1
    versioned = [a for a in msg.channels if _VERSIONED.match(a)] or msg.channels
    target = f" on {_next_address(versioned[0])}" if versioned else ""
    return (f"publish {msg.name} v{version + 1}{target} beside v{version}, migrate consumers, "
            f"then retire v{version}")
