"""Event contracts: pydantic models declared with ``class E(Event, version=1, key="id")``.

The class arguments are kept in an `EventInfo` on the class (never as fields), so a user's event may
have fields named ``version`` or ``key`` without clashing with archkit's own metadata.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from archkit.errors import ModelError, SourceLocation, call_site
from archkit.model.ids import slugify

CompatibilityMode = Literal[
    "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE", "NONE"
]
#: Wire formats an event may declare (`format=`): its payload schema is JSON Schema or Avro.
FORMATS = ("json", "avro")
#: Schema Registry's compatibility modes, settable on a workspace, broker, channel or event.
COMPATIBILITY_MODES: tuple[str, ...] = CompatibilityMode.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class EventInfo:
    """What archkit knows of an event class besides its payload schema."""

    name: str
    version: int
    key: str | None
    description: str
    kind: str  # "event" or "command"
    correlation_id: str | None
    origin: SourceLocation | None
    compatibility: str | None = None  # overrides the channel's, broker's and workspace's mode
    format: str = "json"  # the wire format: "json" (JSON Schema) or "avro" (an Avro schema derived from the model)

    @property
    def id(self) -> str:
        return slugify(self.name) + (f"-v{self.version}" if self.version != 1 else "")

    @property
    def label(self) -> str:
        """How diagrams name the event: 'OrderPlaced', or 'OrderPlaced v2' beyond the first version."""
        return self.name if self.version == 1 else f"{self.name} v{self.version}"


#: While set (watch mode re-running one model file), every event class declared is added to it.
_declared_events: ContextVar[list[type[Event]] | None] = ContextVar("declared_events", default=None)


@contextmanager
def collecting_events() -> Iterator[list[type[Event]]]:
    """Collect the event classes declared while the block runs, in declaration order."""
    declared: list[type[Event]] = []
    token = _declared_events.set(declared)
    try:
        yield declared
    finally:
        _declared_events.reset(token)


class Event(BaseModel):
    """Base class of every event contract. The docstring is the event's description.

    Class arguments: ``version`` (int, default 1), ``key`` (the field used as partition/message key),
    ``name`` (defaults to the class name; give two versions of one event the same name),
    ``kind`` ("event" or "command"), ``correlation_id`` (the field that correlates request and reply),
    ``compatibility`` (a mode such as "BACKWARD" for this event's contract checks; default: its channel's) and
    ``format`` ("json", the default, or "avro": the AsyncAPI message and the lock carry an Avro schema
    derived from the model, and lint judges changes by Avro's schema-resolution rules).
    """

    # Building pydantic's validator is deferred until the model has run: then the loader builds each event
    # whose payload schema the schema cache does not hold (archkit/model/resolution.py), so a type that
    # cannot be resolved is reported at load; an unchanged large estate (thousands of events) builds none.
    model_config = ConfigDict(defer_build=True)

    if TYPE_CHECKING:
        # Declared for type checkers only: at run time this module's annotations are strings (`from
        # __future__ import annotations`), and pydantic would evaluate this one anew for every subclass.
        __archkit_event__: ClassVar[EventInfo]

    def __init_subclass__(
        cls,
        version: int = 1,
        key: str | None = None,
        name: str | None = None,
        kind: str = "event",
        correlation_id: str | None = None,
        compatibility: str | None = None,
        format: str = "json",
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        origin = call_site()
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ModelError(f"event {cls.__name__}: version must be a positive integer, got {version!r}", origin)
        if kind not in ("event", "command"):
            raise ModelError(f"event {cls.__name__}: kind must be 'event' or 'command', got {kind!r}", origin)
        if compatibility is not None and compatibility not in COMPATIBILITY_MODES:
            raise ModelError(
                f"event {cls.__name__}: compatibility={compatibility!r} is not a mode",
                origin, hint=f"one of: {', '.join(COMPATIBILITY_MODES)}",
            )
        if format not in FORMATS:
            raise ModelError(f"event {cls.__name__}: format={format!r} is not a wire format", origin,
                             hint=f"one of: {', '.join(FORMATS)}")
        cls.__archkit_event__ = EventInfo(
            name=name or cls.__name__,
            version=version,
            key=key,
            description=inspect.cleandoc(cls.__doc__) if cls.__doc__ else "",
            kind=kind,
            correlation_id=correlation_id,
            origin=origin,
            compatibility=compatibility,
            format=format,
        )
        declared = _declared_events.get()
        if declared is not None:
            declared.append(cls)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Checks that need the finished fields: the key and correlation id must name real fields."""
        super().__pydantic_init_subclass__(**kwargs)
        info = cls.__archkit_event__
        if getattr(cls, "__pydantic_root_model__", False):  # the payload is the root: no field to name
            said = [f"{what}={value!r}" for what, value in (("key", info.key), ("correlation_id", info.correlation_id),
                                                             ("format", "avro" if info.format == "avro" else None))
                    if value is not None]
            if said:
                raise ModelError(
                    f"event {cls.__name__}: {', '.join(said)} needs an event with fields, and its payload is a "
                    "RootModel's root", info.origin,
                    hint="declare the payload as fields (an Avro record, a key field), or drop the argument")
            return
        for what, field in (("key", info.key), ("correlation_id", info.correlation_id)):
            if field is not None and field not in cls.model_fields:
                known = ", ".join(cls.model_fields) or "none"
                raise ModelError(
                    f"event {cls.__name__}: {what}={field!r} names a field the event does not have",
                    info.origin,
                    hint=f"fields of {cls.__name__}: {known}",
                )


def event_info(event: type[Event]) -> EventInfo:
    """The metadata of an event class (raises TypeError for anything that is not an Event subclass)."""
    if not (isinstance(event, type) and issubclass(event, Event) and event is not Event):
        raise TypeError(f"{event!r} is not an archkit Event class")
    return event.__archkit_event__


def is_event(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, Event) and value is not Event
