"""A small bank for the messaging-detail tests: a consumer group two containers share, a publisher of four
events on one topic (a dense arrow), an exchange with a routing key, a bound queue with a binding key and
an undeclared dead-letter queue, read by a component; one container runs three replicas."""

from archkit import Event, Workspace

ws = Workspace("Bank")
bank = ws.system("Bank", "Moves money")
api = bank.container("Payments API", "Takes payments", technology="Go")
ledger = bank.container("Ledger", "Books every payment", technology="Java", replicas=3)
audit = bank.container("Audit trail", "Keeps an audit copy", technology="Python")
mailer = bank.container("Mailer", "Sends receipts", technology="Node.js")
worker = mailer.component("Receipt worker", "Renders and sends one receipt", technology="Node.js")
kafka = bank.broker("Kafka", "Payment events", kind="kafka", technology="Kafka 3.7")
rabbit = bank.broker("RabbitMQ", "Receipts", kind="rabbitmq", technology="RabbitMQ 3.13")
payments = kafka.topic("bank.payments.v1", "Payment lifecycle", partitions=6, replicas=3)
receipts = rabbit.exchange("bank.receipts", "Receipts by channel", type="topic")
email = rabbit.queue("bank.receipts.email", bind=receipts, routing_key="receipt.email.#", dead_letter="bank.receipts.email.dlq")


class PaymentTaken(Event, version=1):
    id: str


class PaymentBooked(Event, version=1):
    id: str


class PaymentRefunded(Event, version=1):
    id: str


class PaymentDisputed(Event, version=1):
    id: str


class ReceiptRequested(Event, version=1):
    id: str


for event in (PaymentTaken, PaymentBooked, PaymentRefunded, PaymentDisputed):
    api.publishes(event, on=payments)
api.uses(ledger, "Reads balances", technology="gRPC")
ledger.consumes(PaymentTaken, on=payments, group="ledger")
audit.consumes(PaymentTaken, on=payments, group="ledger")  # the same group: the two share its messages
api.publishes(ReceiptRequested, on=receipts, routing_key="receipt.email.payment")
worker.consumes(ReceiptRequested, on=email)
