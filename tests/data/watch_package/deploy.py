"""Where the shop runs: its own module, deploying containers the other modules declare."""
from . import kafka, orders, shipping, ws

production = ws.environment("Production")
cluster = production.node("eu-west-1", technology="AWS region").node("EKS", technology="Kubernetes")
cluster.runs(orders.api, instances=2)
cluster.runs(shipping.worker, instances=2)
production.node("RDS", technology="PostgreSQL").runs(orders.db)
production.node("Kafka cluster", technology="MSK", instances=3).runs(kafka)
