"""The shipping domain; it reacts to orders."""
from . import kafka, ws
from .contracts import OrderPlaced, OrderShipped

system = ws.system("Shipping", "Ships parcels")
worker = system.container("Shipping worker", "Books couriers", technology="Go", replicas=2)
shipped = kafka.topic("orders.shipped.v1", "Shipped orders", partitions=6, key="order_id", retention="7d", replicas=3)
worker.publishes(OrderShipped, on=shipped)


def connect(orders):
    """Wire shipping to the orders domain (called by the package after both are imported)."""
    worker.consumes(OrderPlaced, on=orders.placed, group="shipping", idempotent=True)
    worker.reacts(OrderPlaced, "Book a courier", publishes=[OrderShipped])
    worker.uses(orders.api, "Reads order details", technology="HTTPS")
