"""A shop deployed to Production (a region, Kubernetes, a three-broker Kafka cluster) and to Staging (one host)."""

from archkit import Event, Workspace

ws = Workspace("Shop")
shop = ws.system("Shop", "Sells things")
web = shop.container("Web <b>\"app\"", "Storefront", technology="React", kind="webapp")
orders = shop.container("Orders", "Takes orders", technology="Python")
ledger = shop.container("Ledger", "Books payments", technology="Java", replicas=3)
db = shop.container("Orders DB", "Rows", technology="PostgreSQL", kind="database")
kafka = shop.broker("Kafka", "Event log", kind="kafka", technology="Kafka")
topic = kafka.topic("shop.orders.v1", "Orders", partitions=6, replicas=3, key="order_id")


class OrderPlaced(Event, version=1, key="order_id"):
    order_id: str


web.uses(orders, "Places orders", "HTTPS")
orders.uses(db, "Writes", "SQL")
orders.publishes(OrderPlaced, on=topic)
ledger.consumes(OrderPlaced, on=topic, group="ledger", idempotent=True)

prod = ws.environment("Production")
region = prod.node("eu-west-1", technology="AWS region")
region.infrastructure("Load balancer", "Routes HTTPS", technology="AWS ALB")
eks = region.node("EKS", technology="Kubernetes")
eks.node("Orders pod", instances=2).runs(orders, instances=2)
eks.runs(ledger, instances=3)
eks.runs(web)
region.node("RDS", technology="PostgreSQL 16").runs(db)
region.node("Kafka cluster", technology="MSK", instances=3).runs(kafka)

staging = ws.environment("Staging")
box = staging.node("staging-1", technology="Docker host")
box.runs(orders)
box.runs(ledger)
box.runs(web)
box.runs(db)
box.runs(kafka)
