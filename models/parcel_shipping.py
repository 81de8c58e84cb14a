"""Parcel shipping: a choreography over Kafka, with customer notifications fanned out over RabbitMQ.

No service directs the others: each reacts to the events it consumes and publishes its own. Consumer
groups, routing and binding keys and a dead-letter queue show on the pictures; the Production
deployment puts each container and broker on its nodes (a three-broker Kafka cluster, replicated topics).
Render it with:  archkit render models/parcel_shipping.py -o output/
"""
from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from archkit import Event, Workspace

ws = Workspace("Parcel shipping", description="Senders book parcels; depots sort them; drivers deliver them.")

# --- People and systems ---------------------------------------------------------------------
sender = ws.person("Sender", "Books parcel pick-ups online")
driver = ws.person("Driver", "Collects and delivers parcels", external=True)
maps = ws.system("Maps API", "Geocoding and route planning", external=True)
email = ws.system("E-mail provider", "Sends transactional e-mail", external=True)
shipping = ws.system("Shipping platform", "Books, routes and tracks parcels")

# --- Containers -----------------------------------------------------------------------------
portal = shipping.container("Booking portal", "Web app where senders book pick-ups", technology="TypeScript, Vue", kind="webapp")
bookings = shipping.container("Booking service", "Owns parcel bookings", technology="Python, FastAPI", replicas=3, outbox=True)
bookings_db = shipping.container("Bookings DB", "Bookings and the outbox table", technology="PostgreSQL", kind="database")
routing = shipping.container("Routing service", "Plans pick-up and delivery routes", technology="Go", replicas=2)
tracking = shipping.container("Tracking service", "Keeps each parcel's status and history", technology="Kotlin, Ktor", replicas=2, outbox=True)
tracking_db = shipping.container("Tracking DB", "Parcel status history", technology="Cassandra", kind="database")
notifier = shipping.container("Notifier", "Tells senders what happens to their parcel", technology="Node.js", replicas=2)
support = shipping.container("Support console", "Shows the support team the notices that could not be sent", technology="Python, Django")
kafka = shipping.broker("Kafka", "Event log of parcel lifecycle", kind="kafka", technology="Apache Kafka 3.7")
rabbit = shipping.broker("RabbitMQ", "Fan-out of customer notifications", kind="rabbitmq", technology="RabbitMQ 3.13")

relay = bookings.component("Outbox relay", "Publishes outbox rows to Kafka", technology="Background worker", tags=("outbox",))
api = bookings.component("Bookings API", "HTTP endpoints for bookings", technology="FastAPI router")
api.uses(bookings_db, "Writes bookings and outbox rows in one transaction", technology="SQL")
relay.uses(bookings_db, "Reads unsent outbox rows", technology="SQL")

sender.uses(portal, "Books a pick-up")
portal.uses(bookings, "Creates bookings", technology="HTTPS/JSON")
bookings.uses(bookings_db, "Reads and writes bookings", technology="SQL")
routing.uses(maps, "Plans routes", technology="HTTPS")
routing.uses(driver, "Sends the day's route", technology="Mobile push")
tracking.uses(tracking_db, "Appends status changes", technology="CQL")
notifier.uses(email, "Sends e-mail", technology="SMTP")


# --- Event contracts --------------------------------------------------------------------------
class Address(BaseModel):
    street: str
    city: str
    postcode: str
    country: str = Field(pattern="^[A-Z]{2}$")


class ParcelBooked(Event, version=1, key="parcel_id"):
    """A sender booked a pick-up; the parcel is not collected yet."""

    parcel_id: UUID
    sender_id: UUID
    pickup: Address
    delivery: Address
    weight_kg: Decimal = Field(gt=0, le=30)


class RoutePlanned(Event, version=1, key="parcel_id"):
    """The parcel was put on a driver's route for a day."""

    parcel_id: UUID
    route_id: UUID
    pickup_window_start: datetime
    pickup_window_end: datetime


class ParcelDelivered(Event, version=1, key="parcel_id"):
    """The driver handed the parcel over."""

    parcel_id: UUID
    delivered_at: datetime
    signed_by: str | None = None


class SenderNotified(Event, version=1):
    """A message to a sender, routed by channel."""

    sender_id: UUID
    channel: Literal["email", "sms"]
    subject: str
    text: str


# --- Channels ---------------------------------------------------------------------------------
parcels = kafka.topic("shipping.parcels.v1", "Parcel bookings", partitions=12, key="parcel_id", retention="14d", replicas=3)
routes = kafka.topic("shipping.routes.v1", "Planned routes", partitions=6, key="parcel_id", retention="7d", replicas=3)
deliveries = kafka.topic("shipping.deliveries.v1", "Proofs of delivery", partitions=6, key="parcel_id", retention="30d", replicas=3)
notices = rabbit.exchange("shipping.notices", "Sender notifications by channel", type="topic")
email_dlq = rabbit.queue("shipping.notices.email.dlq", "Notices rejected three times")
email_queue = rabbit.queue("shipping.notices.email", bind=notices, routing_key="notice.email.#", dead_letter=email_dlq)

# --- Messaging --------------------------------------------------------------------------------
relay.publishes(ParcelBooked, on=parcels)
routing.publishes(RoutePlanned, on=routes)
tracking.publishes(ParcelDelivered, on=deliveries)
notifier.publishes(SenderNotified, on=notices, routing_key="notice.email.parcel")

routing.consumes(ParcelBooked, on=parcels, group="routing", idempotent=True)
tracking.consumes(ParcelBooked, on=parcels, group="tracking", idempotent=True)
tracking.consumes(RoutePlanned, on=routes, group="tracking", idempotent=True)
notifier.consumes(RoutePlanned, on=routes, group="notifier", idempotent=True)
notifier.consumes(ParcelDelivered, on=deliveries, group="notifier", idempotent=True)
notifier.consumes(SenderNotified, on=email_queue, idempotent=True)
support.consumes(SenderNotified, on=email_dlq, idempotent=True)

routing.reacts(ParcelBooked, "Plan the pick-up on a driver's route", publishes=[RoutePlanned])
tracking.reacts(ParcelBooked, "Open the parcel's history")
tracking.reacts(RoutePlanned, "Record the pick-up window")
notifier.reacts(RoutePlanned, "Tell the sender when the driver comes", publishes=[SenderNotified])
notifier.reacts(ParcelDelivered, "Tell the sender the parcel arrived", publishes=[SenderNotified])
notifier.reacts(SenderNotified, "Send the e-mail")

# --- Flows ------------------------------------------------------------------------------------
booking = ws.flow("Book a pick-up", "The booking is stored with its event in one transaction; the rest follows by choreography")
booking.call(sender, portal, "Book pick-up")
booking.call(portal, bookings, "POST /bookings")
booking.call(bookings, bookings_db, "INSERT booking + outbox row")
booking.reply(bookings, portal, "201 Created")
booking.publish(relay, ParcelBooked)
booking.trace(ParcelBooked)

# --- Deployment -------------------------------------------------------------------------------
production = ws.environment("Production")
region = production.node("eu-central-1", technology="AWS region")
region.infrastructure("DNS", "shipping.example.com", technology="Route 53")
region.infrastructure("Load balancer", "Routes HTTPS to the portal and the booking API", technology="AWS ALB")
eks = region.node("EKS", "Services, spread over three zones", technology="Kubernetes 1.30")
eks.runs(portal, instances=2)
eks.runs(bookings, instances=3)
eks.runs(routing, instances=2)
eks.runs(tracking, instances=2)
eks.runs(notifier, instances=2)
eks.runs(support)
region.node("RDS", technology="PostgreSQL 16").runs(bookings_db)
region.node("Keyspaces", technology="Amazon Keyspaces").runs(tracking_db)
region.node("Kafka cluster", "One broker per zone", technology="Amazon MSK", instances=3).runs(kafka)
region.node("RabbitMQ cluster", "Quorum queues", technology="Amazon MQ", instances=3).runs(rabbit)
