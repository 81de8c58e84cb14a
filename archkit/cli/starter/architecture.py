"""Shop: a starter model written by `archkit init`. Edit it, then run `archkit render` and `archkit lint`.

A model is plain Python: it describes people, software systems, containers, message brokers, topics,
event contracts and flows. archkit draws C4 and sequence diagrams and writes AsyncAPI documents from it.
Every call and parameter is described in archkit's docs/reference.md.
"""

from uuid import UUID

from archkit import Event, Workspace

# One workspace per estate. Its name becomes the output folder (output/shop/).
ws = Workspace("Shop", description="Customers order goods; the warehouse ships them.")

# --- People and software systems: the C4 context level -------------------------------------------
customer = ws.person("Customer", "Buys goods in the web shop")
shop = ws.system("Shop", "Takes orders and ships them")

# --- Containers: the C4 container level. kind= changes the shape (database, webapp, ...) -----------
# outbox=True: the service writes the event to an outbox table in the same transaction as the order,
# so no event is lost if it crashes after the commit (lint rule AK-D108 asks for it).
orders = shop.container("Order service", "Takes and tracks orders", technology="Python, FastAPI", outbox=True)
orders_db = shop.container("Orders DB", "Orders and their status", technology="PostgreSQL", kind="database")
warehouse = shop.container("Warehouse service", "Picks, packs and ships orders", technology="Go", replicas=2)
kafka = shop.broker("Kafka", "Event log of the order process", kind="kafka", technology="Apache Kafka")

# --- Synchronous relationships (drawn as solid arrows) --------------------------------------------
customer.uses(orders, "Places orders", technology="HTTPS/JSON")
orders.uses(orders_db, "Reads and writes orders", technology="SQL")


# --- Event contracts: pydantic models. The docstring is the description, `key` the message key ------
class OrderPlaced(Event, version=1, key="order_id"):
    """An order was placed and must be shipped."""

    order_id: UUID
    item_count: int


class OrderShipped(Event, version=1, key="order_id"):
    """The warehouse handed the order to the carrier."""

    order_id: UUID
    tracking_code: str


# --- Topics on the broker ---------------------------------------------------------------------------
orders_topic = kafka.topic("shop.orders.v1", "Order lifecycle", partitions=6, key="order_id", retention="7d",
                           replicas=3)
shipping_topic = kafka.topic("shop.shipping.v1", "Shipping results", partitions=6, key="order_id",
                             retention="7d", replicas=3)

# --- Who publishes and who consumes which event (drawn as dashed arrows through the broker) --------
orders.publishes(OrderPlaced, on=orders_topic)
warehouse.consumes(OrderPlaced, on=orders_topic, group="warehouse", idempotent=True)
warehouse.publishes(OrderShipped, on=shipping_topic)
orders.consumes(OrderShipped, on=shipping_topic, group="orders", idempotent=True)

# --- Reactions: "when E arrives, do this, then publish that" (archkit traces them into flows) ------
warehouse.reacts(OrderPlaced, "Pick, pack and ship the goods", publishes=[OrderShipped])
# timeout=: what the order service waits for at most; lint rule AK-D114 asks for one.
orders.reacts(OrderShipped, "Mark the order shipped", timeout="2d")

# --- A flow: one scenario, drawn as a sequence diagram and a C4 dynamic view -----------------------
checkout = ws.flow("Place an order", "The order is stored synchronously; shipping follows by events")
checkout.call(customer, orders, "POST /orders")
checkout.call(orders, orders_db, "Insert the order")
checkout.publish(orders, OrderPlaced)
checkout.reply(orders, customer, "201 Created")
checkout.trace(OrderPlaced)  # continues along the reactions above
