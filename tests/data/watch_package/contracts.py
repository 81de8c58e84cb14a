"""Event contracts shared by the domains."""
from uuid import UUID

from pydantic import BaseModel

from archkit import Event


class Money(BaseModel):
    amount: int
    currency: str


class OrderPlaced(Event, version=1, key="order_id"):
    """A customer placed an order."""

    order_id: UUID
    total: Money


class OrderShipped(Event, version=1, key="order_id"):
    """The parcel left the warehouse."""

    order_id: UUID
