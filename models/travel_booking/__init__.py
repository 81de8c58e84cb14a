"""Travel booking: an orchestrated saga. A process manager sends commands and compensates on failure.

The model is a package: events live in `events.py`, imported with a model-local import.
Render it with:  archkit render models/travel_booking -o output/
"""
from archkit import Workspace

from .events import (
    BookHotel,
    CancelFlight,
    ChargeTraveller,
    FlightCancelled,
    FlightReserved,
    HotelBooked,
    HotelUnavailable,
    PaymentDeclined,
    ReserveFlight,
    TravellerCharged,
    TripBooked,
    TripRequested,
)

ws = Workspace("Travel booking", description="A trip is a flight, a hotel and a payment: all or nothing.")

traveller = ws.person("Traveller", "Books trips on the web")
airline = ws.system("Airline GDS", "Seat inventory of airlines", external=True)
hotels = ws.system("Hotel channel manager", "Room inventory of hotels", external=True)
psp = ws.system("Payment provider", "Charges and refunds cards", external=True)
travel = ws.system("Travel platform", "Sells trips made of a flight, a hotel and a payment")

web = travel.container("Web shop", "Where travellers search and book", technology="TypeScript, Next.js", kind="webapp")
trips = travel.container("Trip service", "Accepts trip requests and shows their state", technology="Java, Spring Boot", replicas=2, outbox=True)
trips_db = travel.container("Trips DB", "Trips, saga state and the outbox", technology="PostgreSQL", kind="database")
saga = travel.container("Booking saga", "Process manager: sends each step's command, compensates on failure", technology="Java, Axon", replicas=2, outbox=True)
flights = travel.container("Flight service", "Reserves and cancels seats", technology="Java, Spring Boot", replicas=2)
stays = travel.container("Hotel service", "Books rooms", technology="Python", replicas=2)
payments = travel.container("Payment service", "Charges travellers", technology="Go", replicas=2)
bus = travel.broker("RabbitMQ", "Commands and replies of the booking saga", kind="rabbitmq", technology="RabbitMQ 3.13")
kafka = travel.broker("Kafka", "Trip lifecycle events for the rest of the company", kind="kafka", technology="Apache Kafka 3.7")

traveller.uses(web, "Books a trip")
web.uses(trips, "Requests trips", technology="HTTPS/JSON")
trips.uses(trips_db, "Stores trips and outbox rows", technology="JDBC")
saga.uses(trips_db, "Keeps saga state", technology="JDBC")
flights.uses(airline, "Reserves seats", technology="EDIFACT over HTTPS")
stays.uses(hotels, "Books rooms", technology="HTTPS/JSON")
payments.uses(psp, "Charges cards", technology="HTTPS/JSON")

# Commands go to one direct exchange, one queue per handler; replies come back on another.
commands = bus.exchange("travel.commands", "Saga commands, routed to their handler", type="direct")
replies = bus.exchange("travel.replies", "Replies to the saga", type="direct")
flight_q = bus.queue("travel.commands.flight", bind=commands, routing_key="flight", dead_letter="travel.commands.flight.dlq")
hotel_q = bus.queue("travel.commands.hotel", bind=commands, routing_key="hotel", dead_letter="travel.commands.hotel.dlq")
payment_q = bus.queue("travel.commands.payment", bind=commands, routing_key="payment", dead_letter="travel.commands.payment.dlq")
saga_q = bus.queue("travel.replies.saga", bind=replies, routing_key="saga", dead_letter="travel.replies.saga.dlq")
lifecycle = kafka.topic("travel.trips.v1", "Trip lifecycle", partitions=6, key="trip_id", retention="30d", replicas=3)

trips.publishes(TripRequested, on=lifecycle)
saga.consumes(TripRequested, on=lifecycle, group="booking-saga", idempotent=True)
saga.publishes(TripBooked, on=lifecycle)
trips.consumes(TripBooked, on=lifecycle, group="trips", idempotent=True)

for command, key, handler, queue in (
    (ReserveFlight, "flight", flights, flight_q),
    (CancelFlight, "flight", flights, flight_q),
    (BookHotel, "hotel", stays, hotel_q),
    (ChargeTraveller, "payment", payments, payment_q),
):
    saga.publishes(command, on=commands, routing_key=key)
    handler.consumes(command, on=queue, idempotent=True)

for reply, handler in (
    (FlightReserved, flights), (FlightCancelled, flights), (HotelBooked, stays), (HotelUnavailable, stays),
    (TravellerCharged, payments), (PaymentDeclined, payments),
):
    handler.publishes(reply, on=replies, routing_key="saga")
    saga.consumes(reply, on=saga_q, idempotent=True)

flights.reacts(ReserveFlight, "Hold the seats", publishes=[FlightReserved])
flights.reacts(CancelFlight, "Release the seats", publishes=[FlightCancelled])
stays.reacts(BookHotel, "Book the room", publishes=[HotelBooked, HotelUnavailable])
payments.reacts(ChargeTraveller, "Charge the card", publishes=[TravellerCharged, PaymentDeclined])
trips.reacts(TripBooked, "Mark the trip booked")

happy = ws.flow("Book a trip", "The saga books flight, hotel and payment in turn and compensates what failed")
happy.call(traveller, web, "Book trip")
happy.call(web, trips, "POST /trips")
happy.call(trips, trips_db, "INSERT trip + outbox row")
happy.reply(trips, web, "202 Accepted")
happy.publish(trips, TripRequested)
happy.consume(saga, TripRequested)
happy.publish(saga, ReserveFlight)
happy.consume(flights, ReserveFlight)
happy.call(flights, airline, "Hold seats")
happy.publish(flights, FlightReserved)
happy.consume(saga, FlightReserved)
happy.publish(saga, BookHotel)
happy.consume(stays, BookHotel)
with happy.alt():
    with happy.case("room available"):
        happy.publish(stays, HotelBooked)
        happy.consume(saga, HotelBooked)
        happy.publish(saga, ChargeTraveller)
        happy.consume(payments, ChargeTraveller)
        with happy.alt():
            with happy.case("card charged"):
                happy.publish(payments, TravellerCharged)
                happy.consume(saga, TravellerCharged)
                happy.publish(saga, TripBooked)
                happy.consume(trips, TripBooked)
            with happy.case("card declined: compensate"):
                happy.publish(payments, PaymentDeclined)
                happy.consume(saga, PaymentDeclined)
                happy.publish(saga, CancelFlight)
                happy.consume(flights, CancelFlight)
                happy.publish(flights, FlightCancelled)
    with happy.case("no room: compensate"):
        happy.publish(stays, HotelUnavailable)
        happy.consume(saga, HotelUnavailable)
        happy.publish(saga, CancelFlight)
        happy.consume(flights, CancelFlight)
        happy.publish(flights, FlightCancelled)
        happy.consume(saga, FlightCancelled)
        happy.note(saga, "Trip failed: tell the traveller")
