"""A model package for the watch fast-path tests: brokers here, one module per domain."""
from archkit import Workspace

ws = Workspace("Shop", description="Orders and shipping")
customer = ws.person("Customer", "Buys things")
platform = ws.system("Platform", "Shared brokers")
kafka = platform.broker("Kafka", "Event log", kind="kafka", technology="Apache Kafka")
rabbit = platform.broker("RabbitMQ", "Work queues", kind="rabbitmq", technology="RabbitMQ")

from . import orders, shipping

shipping.connect(orders)

from . import deploy  # noqa: F401  (after the containers it deploys)
