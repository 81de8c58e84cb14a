"""`archkit.lock.json`: the committed contract baseline, with every schema each message has had.

The file is written for code review: sorted keys, 2-space indent, a trailing newline, lists of names
sorted, and no source line numbers (an unrelated edit must never make the lock stale). Each message
keeps its current `schema` plus `history`: the earlier distinct schemas, oldest first, appended when the
schema changes and never rewritten, so the _TRANSITIVE modes can check against all of them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import orjson

from archkit.contracts.snapshot import ChannelContract, ContractSnapshot, MessageContract
from archkit.errors import ArchkitError

LOCK_NAME = "archkit.lock.json"
LOCK_FORMAT = 1
_FORMAT_KEY = "archkit_lock_format"
_SKIPPED = {"location", "schema", "source"}  # location: line numbers churn; schema: written with its hash and history


class LockError(ArchkitError):
    """The lock file is unreadable, malformed, or from a newer archkit."""


@dataclass(frozen=True)
class SchemaVersion:
    """One schema a message had: the archkit event version it carried and its content hash."""

    version: int | None
    hash: str
    schema: dict[str, Any]


@dataclass
class LockFile:
    """Snapshots by workspace name, and each message's earlier schemas (workspace -> key -> versions)."""

    snapshots: dict[str, ContractSnapshot] = field(default_factory=dict)
    history: dict[str, dict[str, list[SchemaVersion]]] = field(default_factory=dict)

    def schemas_of(self, workspace: str, key: str) -> list[dict[str, Any]]:
        """Every schema message `key` has had, oldest first, the current one last."""
        earlier = [v.schema for v in self.history.get(workspace, {}).get(key, [])]
        current = self.snapshots.get(workspace)
        message = current.messages.get(key) if current else None
        return [*earlier, message.schema] if message else earlier

    def histories(self, workspace: str) -> dict[str, list[dict[str, Any]]]:
        """For check_contracts(history=...): every message's schemas of one workspace."""
        snapshot = self.snapshots.get(workspace)
        keys = set(self.history.get(workspace, {})) | set(snapshot.messages if snapshot else ())
        return {key: self.schemas_of(workspace, key) for key in sorted(keys)}


def schema_hash(schema: Any) -> str:
    """sha256 of the schema's canonical JSON text (sorted keys, no whitespace)."""
    text = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_lock_path(config_root: Path) -> Path:
    """The lock lives next to the configuration file (or in the working directory without one)."""
    return config_root / LOCK_NAME


def build_lock(snapshots: list[ContractSnapshot], previous: LockFile | None = None) -> LockFile:
    """A lock of `snapshots`, carrying `previous`'s history forward; a changed schema's old one is appended."""
    lock = LockFile()
    for snapshot in snapshots:
        if snapshot.name in lock.snapshots:
            raise LockError(f"two models define a workspace named '{snapshot.name}'; the lock keys workspaces by name")
        lock.snapshots[snapshot.name] = snapshot
        before = previous.snapshots.get(snapshot.name) if previous else None
        old_history = previous.history.get(snapshot.name, {}) if previous else {}
        history: dict[str, list[SchemaVersion]] = {}
        for key, message in snapshot.messages.items():
            versions = list(old_history.get(key, []))
            locked = before.messages.get(key) if before else None
            if locked is not None and schema_hash(locked.schema) != schema_hash(message.schema):
                versions.append(SchemaVersion(locked.version, schema_hash(locked.schema), locked.schema))
            if versions:
                history[key] = versions
        lock.history[snapshot.name] = history
    return lock


def dumps_lock(lock: LockFile) -> str:
    """The lock file's exact text."""
    workspaces = {}
    for name, snapshot in lock.snapshots.items():
        history = lock.history.get(name, {})
        messages = {}
        for key, message in snapshot.messages.items():
            entry = _plain(message)
            entry["schema"] = message.schema
            entry["schema_hash"] = schema_hash(message.schema)
            entry["history"] = [{"version": v.version, "hash": v.hash, "schema": v.schema} for v in history.get(key, [])]
            messages[key] = entry
        channels = {address: _plain(channel) for address, channel in snapshot.channels.items()}
        workspaces[name] = {"messages": messages, "channels": channels}
    data = {_FORMAT_KEY: LOCK_FORMAT, "generated_by": "archkit lock", "workspaces": workspaces}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def parse_json(text: str | bytes) -> Any:
    """JSON through orjson (a lock file of a large estate is megabytes), else the standard library, which
    also reads what orjson refuses (NaN, integers beyond 64 bits) and raises the same ValueError."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def loads_lock(text: str | bytes, source: str = LOCK_NAME) -> LockFile:
    """Parse a lock file's text; LockError says what is wrong and where."""
    try:
        data = parse_json(text)
    except ValueError as exc:
        raise LockError(f"{source}: not valid JSON ({exc}); regenerate it with `archkit lock`") from None
    if not isinstance(data, dict) or _FORMAT_KEY not in data:
        raise LockError(f"{source}: not an archkit lock file (no '{_FORMAT_KEY}')")
    if not isinstance(data[_FORMAT_KEY], int) or data[_FORMAT_KEY] > LOCK_FORMAT:
        raise LockError(f"{source}: lock format {data[_FORMAT_KEY]!r} is newer than this archkit reads "
                        f"({LOCK_FORMAT}); upgrade archkit")
    lock = LockFile()
    try:
        for name, body in data["workspaces"].items():
            snapshot = ContractSnapshot(name=name)
            history: dict[str, list[SchemaVersion]] = {}
            for key, entry in body.get("messages", {}).items():
                snapshot.messages[key] = _build(MessageContract, entry, schema=entry["schema"])
                history[key] = [SchemaVersion(v.get("version"), v["hash"], v["schema"]) for v in entry.get("history", [])]
            for address, entry in body.get("channels", {}).items():
                snapshot.channels[address] = _build(ChannelContract, entry)
            lock.snapshots[name] = snapshot
            lock.history[name] = {k: v for k, v in history.items() if v}
    except (KeyError, TypeError, AttributeError) as exc:
        raise LockError(f"{source}: malformed lock file ({type(exc).__name__}: {exc}); regenerate it with "
                        "`archkit lock`") from None
    return lock


def read_lock(path: Path) -> LockFile:
    try:
        text = Path(path).read_bytes()  # orjson reads UTF-8 itself: no decoded copy of megabytes
    except OSError as exc:
        raise LockError(f"{path}: cannot read the lock file: {exc.strerror or exc}") from None
    return loads_lock(text, str(path))


def _plain(obj: Any) -> dict[str, Any]:
    """The fields to write; a JSON Schema payload's `schema_format` (None) is left out, as before it existed."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)
            if f.name not in _SKIPPED and not (f.name == "schema_format" and obj.schema_format is None)}


def _build(cls: Any, entry: dict[str, Any], **extra: Any) -> Any:
    """Construct from the fields this archkit knows; fields written by a newer minor version are ignored."""
    known = _known_fields(cls)
    return cls(**{k: v for k, v in entry.items() if k in known}, **extra)


@functools.cache
def _known_fields(cls: type) -> frozenset[str]:
    """Asked once per entry of a lock file (thousands for a large estate): worked out once per class."""
    return frozenset(f.name for f in fields(cls)) - _SKIPPED


def describe_changes(old: LockFile | None, new: LockFile) -> list[str]:
    """What regenerating the lock would change, one line each (for `archkit lock --check`)."""
    if old is None:
        return ["no lock file yet"]
    lines = []
    for name in sorted(set(old.snapshots) | set(new.snapshots)):
        before, after = old.snapshots.get(name), new.snapshots.get(name)
        if before is None or after is None:
            lines.append(f"workspace '{name}' {'added' if before is None else 'removed'}")
            continue
        for what, old_items, new_items in (("message", before.messages, after.messages),
                                           ("channel", before.channels, after.channels)):
            for key in sorted(set(old_items) | set(new_items)):
                if key not in old_items or key not in new_items:
                    lines.append(f"{name}: {what} {key} {'added' if key not in old_items else 'removed'}")
                elif _entry(old_items[key]) != _entry(new_items[key]):
                    changed = sorted(k for k, v in _entry(new_items[key]).items() if _entry(old_items[key]).get(k) != v)
                    lines.append(f"{name}: {what} {key} changed ({', '.join(changed)})")
    return lines


def _entry(obj: Any) -> dict[str, Any]:
    entry = _plain(obj)
    if isinstance(obj, MessageContract):
        entry["schema"] = schema_hash(obj.schema)
    return json.loads(json.dumps(entry, sort_keys=True))
