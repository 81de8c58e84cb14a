"""Commands and events of the booking saga. Commands ask one service to act; events say what happened."""
from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, Field

from archkit import Event


class Money(BaseModel):
    amount: Decimal = Field(ge=0)
    currency: str = Field(pattern="^[A-Z]{3}$")


class TripRequested(Event, version=1, key="trip_id"):
    """A traveller asked for a trip: flight, hotel and payment still to be arranged."""

    trip_id: UUID
    traveller_id: UUID
    flight_offer: str
    hotel_offer: str
    check_in: date
    check_out: date
    price: Money


class TripBooked(Event, version=1, key="trip_id"):
    """Every step of the trip succeeded."""

    trip_id: UUID


class ReserveFlight(Event, kind="command", correlation_id="trip_id"):
    """Hold seats for the trip's flight offer."""

    trip_id: UUID
    flight_offer: str


class CancelFlight(Event, kind="command", correlation_id="trip_id"):
    """Compensation: release the seats held for the trip."""

    trip_id: UUID
    reservation_id: str


class BookHotel(Event, kind="command", correlation_id="trip_id"):
    """Book the trip's room."""

    trip_id: UUID
    hotel_offer: str
    check_in: date
    check_out: date


class ChargeTraveller(Event, kind="command", correlation_id="trip_id"):
    """Charge the traveller for the trip."""

    trip_id: UUID
    traveller_id: UUID
    price: Money


class FlightReserved(Event, correlation_id="trip_id"):
    """Seats are held until the trip is confirmed or cancelled."""

    trip_id: UUID
    reservation_id: str


class FlightCancelled(Event, correlation_id="trip_id"):
    """The held seats were released."""

    trip_id: UUID
    reservation_id: str


class HotelBooked(Event, correlation_id="trip_id"):
    """The room is booked."""

    trip_id: UUID
    booking_ref: str


class HotelUnavailable(Event, correlation_id="trip_id"):
    """No room could be booked for the dates."""

    trip_id: UUID
    reason: str


class TravellerCharged(Event, correlation_id="trip_id"):
    """The traveller paid."""

    trip_id: UUID
    payment_id: str
    charged: Money


class PaymentDeclined(Event, correlation_id="trip_id"):
    """The card was declined."""

    trip_id: UUID
    reason: str
