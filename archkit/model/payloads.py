"""The payload JSON Schema and the fingerprint of each event class, worked out once per session.

pydantic builds an event's schema anew on every call (about a millisecond), and each event appears in
several AsyncAPI documents (its producers', its consumers', its broker's) and in the contract snapshot,
so the schema is generated once and shared (read-only: copy before changing it). The memo belongs to
the engine's Session, which gives it to every workspace it loads (`Workspace.payloads`) and fills it
from the schema cache on disk; a Workspace built without a session has one of its own. Weak keys:
the classes of an old load (watch mode) are forgotten with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from archkit.model.fingerprint import Describer, digest


class PayloadSchemas:
    """Schemas and fingerprints by event class."""

    def __init__(self) -> None:
        self._schemas: WeakKeyDictionary[type, dict[str, Any]] = WeakKeyDictionary()
        self._fingerprints: WeakKeyDictionary[type, str] = WeakKeyDictionary()
        self._derived: WeakKeyDictionary[type, dict[str, Any]] = WeakKeyDictionary()

    def of(self, event: type) -> dict[str, Any]:
        """The event's JSON Schema, generated once (read-only: copy before changing it)."""
        schema = self._schemas.get(event)
        if schema is None:
            try:
                if not getattr(event, "__pydantic_complete__", True):  # made during the load (engine/schema_jobs.py)
                    # built in the class's own module, as the load's check builds it (model/resolution.py),
                    # not by pydantic's fallback, which also reads the locals of its caller's frames
                    event.model_rebuild(_parent_namespace_depth=0)  # type: ignore[attr-defined]
                schema = self._schemas[event] = event.model_json_schema()  # type: ignore[attr-defined]
            except Exception as exc:  # e.g. a type with no JSON Schema: the field's line, not pydantic's frames
                from archkit.model.resolution import schema_error  # it builds on the events module

                raise schema_error(event, exc) from None
        return schema

    def derived(self, event: type, kind: str, make: Callable[[type], Any]) -> Any:
        """Another description of the event made once per class, e.g. its Avro schema (contracts/avro_schema.py):
        the stages above keep what they derive from an event class here, with its schema, not in a module memo."""
        made = self._derived.setdefault(event, {})
        if kind not in made:
            made[kind] = make(event)
        return made[kind]

    def known(self, event: type) -> dict[str, Any] | None:
        """The schema held for `event` already, if any (generates nothing)."""
        return self._schemas.get(event)

    def remember(self, event: type, schema: dict[str, Any]) -> None:
        """Hold `schema` for `event` (one kept from an earlier run, or made by a forked worker)."""
        self._schemas[event] = schema

    def fingerprint(self, event: type, describe: Describer | None = None) -> str:
        """What the event's schema is made of, hashed (model/fingerprint.py); worked out once per class."""
        found = self._fingerprints.get(event)
        if found is None:
            found = self._fingerprints[event] = digest((describe or Describer()).event(event).encode())  # type: ignore[arg-type]
        return found
