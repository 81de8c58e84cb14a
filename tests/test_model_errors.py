"""Bad input: every mistake a user can make in a model gets `file:line: error: ...` and exit code 2.

Each model is written for the test; the offending line is marked `# <--` so the expected line number
comes from the file itself, not from a number tuned to the implementation.
"""

from __future__ import annotations

import pytest
from conftest import line_of

HEADER = """
from archkit import Event, Workspace

ws = Workspace("Shop")
shop = ws.system("Shop", "Sells things")
orders = shop.container("Orders", "Takes orders", technology="Python")
billing = shop.container("Billing", "Charges cards", technology="Java")
kafka = shop.broker("Kafka", "Event log", kind="kafka")
rabbit = shop.broker("RabbitMQ", "Notifications", kind="rabbitmq")
topic = kafka.topic("shop.orders.v1", "Orders", partitions=3)


class OrderPlaced(Event, version=1):
    order_id: str


class OrderShipped(Event, version=1):
    order_id: str
"""

CASES = {
    "unknown reference": (
        "orders.uses(shipping, 'Books a courier')  # <--\n",
        "NameError: name 'shipping' is not defined",
    ),
    "reference to something that is not an element": (
        "orders.uses('Billing', 'Charges')  # <--\n",
        "which is not a person, system, container or component",
    ),
    "duplicate id": (
        "shop.container('Orders', 'A second one')  # <--\n",
        "duplicate id 'orders'",
    ),
    "publishes on a queue": (
        "ex = rabbit.exchange('events', type='fanout')\n"
        "q = rabbit.queue('billing.events', bind=ex)\n"
        "orders.publishes(OrderPlaced, on=q)  # <--\n",
        "publishes OrderPlaced on queue 'billing.events'",
    ),
    "consumes an event the channel never carries": (
        "orders.publishes(OrderPlaced, on=topic)\n"
        "billing.consumes(OrderShipped, on=topic, group='billing')  # <--\n",
        "Billing consumes OrderShipped on 'shop.orders.v1', but nobody publishes OrderShipped on 'shop.orders.v1'",
    ),
    "consumes from a queue whose binding never matches": (
        "ex = rabbit.exchange('events', type='topic')\n"
        "q = rabbit.queue('billing.events', bind=ex, routing_key='order.paid.#')\n"
        "orders.publishes(OrderPlaced, on=ex, routing_key='order.placed')\n"
        "billing.consumes(OrderPlaced, on=q)  # <--\n",
        "no publication of OrderPlaced reaches queue 'billing.events'",
    ),
    "reacts to an event it does not consume": (
        "orders.publishes(OrderPlaced, on=topic)\n"
        "billing.reacts(OrderPlaced, 'Charge the card')  # <--\n",
        "Billing reacts to OrderPlaced, but does not consume it",
    ),
    "key names a field the event lacks": (
        "class PaymentTaken(Event, version=1, key='payment_id'):  # <--\n"
        "    order_id: str\n",
        "key='payment_id' names a field the event does not have",
    ),
    "queue bound to an exchange of another broker": (
        "other = shop.broker('Other RabbitMQ', kind='rabbitmq')\n"
        "ex = other.exchange('events', type='fanout')\n"
        "rabbit.queue('billing.events', bind=ex)  # <--\n",
        "is bound to exchange 'events' of broker 'Other RabbitMQ'",
    ),
    "flow step between elements with no relationship": (
        "f = ws.flow('Checkout')\n"
        "f.call(orders, billing, 'Charge')  # <--\n",
        "call from 'Orders' to 'Billing', but no relationship connects them",
    ),
    "flow publish of an event the container never publishes": (
        "f = ws.flow('Checkout')\n"
        "f.publish(billing, OrderPlaced)  # <--\n",
        "'Billing' publishes OrderPlaced in the flow, but not in the model",
    ),
    "trace that loops forever": (
        "orders.publishes(OrderPlaced, on=topic)\n"
        "billing.publishes(OrderShipped, on=topic)\n"
        "billing.consumes(OrderPlaced, on=topic, group='billing')\n"
        "orders.consumes(OrderShipped, on=topic, group='orders')\n"
        "billing.reacts(OrderPlaced, 'Ship', publishes=[OrderShipped])\n"
        "orders.reacts(OrderShipped, 'Order again', publishes=[OrderPlaced])\n"
        "f = ws.flow('Loop')\n"
        "f.trace(OrderPlaced)  # <--\n",
        "trace(OrderPlaced) loops forever: OrderPlaced -> Billing -> OrderShipped -> Orders -> OrderPlaced -> Billing",
    ),
    "exception inside the model": (
        "partitions = {'orders': 3}\n"
        "kafka.topic('shop.payments.v1', partitions=partitions['payments'])  # <--\n",
        "KeyError: 'payments'",
    ),
    "invalid container kind": (
        "shop.container('Cache', kind='cache')  # <--\n",
        "container 'Cache': kind",
    ),
    "exchange on a kafka broker": (
        "kafka.exchange('events')  # <--\n",
        "broker 'Kafka' is a kafka broker, which has no exchanges",
    ),
    "a case outside an alt": (
        "f = ws.flow('Checkout')\n"
        "with f.case('paid'):  # <--\n"
        "    pass\n",
        "case('paid') outside `with flow.alt():`",
    ),
    "container deployed twice in one node path": (
        "prod = ws.environment('Production')\n"
        "region = prod.node('eu-west-1', technology='AWS region')\n"
        "region.runs(orders)\n"
        "region.node('EKS', instances=2).runs(orders, instances=3)  # <--\n",
        "container 'Orders' is deployed twice in one node path: on 'eu-west-1' at",
    ),
    "deployment instances below one": (
        "prod = ws.environment('Production')\n"
        "prod.node('eu-west-1').runs(orders, instances=0)  # <--\n",
        "'Orders' on deployment node 'eu-west-1': instances must be a whole number of at least 1, got 0",
    ),
    "deployment node instances below one": (
        "prod = ws.environment('Production')\n"
        "prod.node('Kafka cluster', instances=0)  # <--\n",
        "deployment node 'Kafka cluster': instances must be a whole number of at least 1, got 0",
    ),
    "deployment node in two environments": (
        "ws.environment('Production').node('Kafka cluster', id='kafka-cluster')\n"
        "ws.environment('Staging').node('Kafka cluster', id='kafka-cluster')  # <--\n",
        "deployment node 'kafka-cluster' is in environment 'Production' (declared at",
    ),
    "runs something that is not a container": (
        "ws.environment('Production').node('eu-west-1').runs(shop)  # <--\n",
        "deployment node 'eu-west-1' runs softwaresystem 'Shop', which is not a container",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_model_mistakes_are_reported_at_their_line(case, cli, write_model):
    body, message = CASES[case]
    model = write_model(HEADER + body)
    result = cli("check", model)
    assert result.exit_code == 2, result.stdout
    assert f"{model}:{line_of(model)}: error: " in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_syntax_error_names_the_line_and_shows_it(cli, write_model):
    model = write_model(HEADER + "orders.uses(billing, 'Charges'  # <--\n")
    result = cli("check", model)
    assert result.exit_code == 2
    assert f"{model}:{line_of(model)}: error: syntax error" in result.stderr
    assert "orders.uses(billing, 'Charges'" in result.stderr


def test_exception_in_a_model_module_shows_the_models_own_traceback(cli, write_model):
    write_model("def partitions_for(name):\n    return {'orders': 3}[name]  # <--\n", name="helpers.py")
    model = write_model(HEADER + "from helpers import partitions_for\n"
                        "kafka.topic('shop.payments.v1', partitions=partitions_for('payments'))\n")
    result = cli("check", model)
    assert result.exit_code == 2
    helpers = model.parent / "helpers.py"
    assert f"{helpers}:{line_of(helpers)}: error: KeyError: 'payments'" in result.stderr
    assert f"{model}:{len(model.read_text().splitlines())} in <module>" in result.stderr
    assert "archkit/engine/loader.py" not in result.stderr


def test_missing_path(cli, tmp_path):
    result = cli("check", tmp_path / "nope.py")
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.py'}: no such file or folder" in result.stderr


def test_file_without_a_workspace(cli, write_model):
    model = write_model("from archkit import Event\n\nclass E(Event):\n    x: int\n")
    result = cli("check", model)
    assert result.exit_code == 2
    assert "the model defines no Workspace" in result.stderr
    assert str(model) in result.stderr


def test_several_problems_are_reported_together(cli, write_model):
    model = write_model(HEADER + "billing.reacts(OrderPlaced, 'Charge')\norders.reacts(OrderShipped, 'Ship')\n")
    result = cli("check", model)
    assert result.exit_code == 2
    assert result.stderr.count(": error: ") == 2


def test_nothing_is_written_when_the_model_is_wrong(cli, write_model, tmp_path):
    model = write_model(HEADER + "billing.reacts(OrderPlaced, 'Charge')\n")
    out = tmp_path / "out"
    result = cli("render", model, "-o", out)
    assert result.exit_code == 2
    assert not out.exists()
