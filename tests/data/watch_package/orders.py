"""The orders domain."""
from . import customer, kafka, ws
from .contracts import OrderPlaced

system = ws.system("Orders", "Takes orders")
api = system.container("Order API", "Accepts orders", technology="Python")
db = system.container("Order DB", "Orders", technology="PostgreSQL", kind="database")
api.component("Checkout", "Checkout endpoints", technology="FastAPI")
api.component("Admin", "Back office endpoints", technology="FastAPI")
customer.uses(api, "Places orders", technology="HTTPS")
api.uses(db, "Reads and writes", technology="SQL")
placed = kafka.topic("orders.placed.v1", "Placed orders", partitions=6, key="order_id", retention="7d", replicas=3)
api.publishes(OrderPlaced, on=placed)

flow = ws.flow("Place an order", "From checkout to shipping")
flow.call(customer, api, "POST /orders")
flow.publish(api, OrderPlaced)
flow.trace(OrderPlaced)
