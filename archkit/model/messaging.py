"""Who sends and receives which event on which channel, and how a container reacts to an event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from archkit.model.base import ModelObject
from archkit.model.events import EventInfo, event_info

if TYPE_CHECKING:
    from archkit.model.elements import Channel, Container, Element


class _EventUse(ModelObject):
    event: Any  # the Event subclass
    participant: Any = Field(repr=False, exclude=True)  # Container or Component

    @property
    def info(self) -> EventInfo:
        return event_info(self.event)

    @property
    def container(self) -> Container:
        """The container that sends or receives (a component's messages belong to its container)."""
        return self.participant.container


class Publication(_EventUse):
    """`participant.publishes(event, on=channel, routing_key=...)`."""

    channel: Any = Field(repr=False, exclude=True)
    routing_key: str | None = None


class Subscription(_EventUse):
    """`participant.consumes(event, on=channel, group=..., idempotent=...)`."""

    channel: Any = Field(repr=False, exclude=True)
    group: str | None = None
    idempotent: bool = False


class Reaction(_EventUse):
    """`participant.reacts(event, action, publishes=[...])`: one step of a choreography."""

    action: str
    publishes: tuple[Any, ...] = ()
    timeout: str | None = None


def describe(element: Element | Channel) -> str:
    kind = type(element).__name__.lower().replace("softwaresystem", "system")
    return f"{kind} '{element.name}'"
