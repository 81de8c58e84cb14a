"""`queue(..., dead_letter=)` takes the dead-letter queue object, as `bind=` takes the exchange, or its name."""

from __future__ import annotations

import pytest
from asyncapi_support import asyncapi_errors, documents
from conftest import line_of

MODEL = '''
from archkit import Event, Workspace

ws = Workspace("Shop")
shop = ws.system("Shop")
rabbit = shop.broker("RabbitMQ", kind="rabbitmq")
other = shop.broker("Other RabbitMQ", kind="rabbitmq")
svc = shop.container("Svc")
exchange = rabbit.exchange("orders", type="topic")


class Ping(Event):
    id: int


parked_queue = {parked}
queue = rabbit.queue("orders.in", bind=exchange, routing_key="#", dead_letter={dead_letter})  # <--
svc.publishes(Ping, on=exchange, routing_key="ping")
svc.consumes(Ping, on=queue)
'''


@pytest.mark.parametrize("dead_letter", ["parked_queue", '"orders.parked"'], ids=["queue-object", "name"])
def test_the_dead_letter_queue_object_or_its_name(write_model, dead_letter):
    model = write_model(MODEL.format(parked='rabbit.queue("orders.parked")', dead_letter=dead_letter))
    doc = documents(model)["rabbitmq"]
    assert doc["channels"]["orders-in"]["x-dead-letter"] == "orders.parked"
    assert doc["channels"]["orders-parked"]["bindings"]["amqp"]["queue"]["name"] == "orders.parked"
    assert asyncapi_errors(doc) == []


def test_a_dead_letter_queue_of_another_broker_is_an_error(cli, write_model):
    model = write_model(MODEL.format(parked='other.queue("orders.parked")', dead_letter="parked_queue"))
    result = cli("check", model)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{model}:{line_of(model)}: error: queue 'orders.in' on broker 'RabbitMQ' "
                                    "dead-letters to queue 'orders.parked' of broker 'Other RabbitMQ'"), result.stderr


def test_a_dead_letter_that_is_no_queue_is_an_error(cli, write_model):
    model = write_model(MODEL.format(parked="exchange", dead_letter="parked_queue"))
    result = cli("check", model)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{model}:{line_of(model)}: error: queue 'orders.in': dead_letter= is exchange "
                                    "'orders', neither a queue nor a queue name"), result.stderr


def test_a_container_may_read_the_dead_letter_queue_but_no_flow_goes_through_it(cli, write_model, tmp_path):
    source = MODEL.format(parked='rabbit.queue("orders.parked")', dead_letter="parked_queue") + '''
ops = shop.container("Ops console")
ops.consumes(Ping, on=parked_queue)
flow = ws.flow("Ping")
flow.publish(svc, Ping)
flow.trace(Ping)
'''
    model = write_model(source)
    assert cli("check", model).exit_code == 0
    result = cli("render", model, "-o", tmp_path / "out", "-f", "sequence-plantuml,c4-plantuml", "--channel-nodes")
    assert result.exit_code == 0, result.output
    flow = (tmp_path / "out" / "shop" / "flows" / "ping.puml").read_text()
    assert "Ops console" not in flow  # only rejected messages reach it
    container = (tmp_path / "out" / "shop" / "c4" / "container-shop.puml").read_text()
    assert 'Rel(channel__orders_parked, ops_console, "delivers Ping", "AMQP", $tags="async")' in container


def test_reading_a_queue_nothing_dead_letters_to_is_still_an_error(cli, write_model):
    source = MODEL.format(parked='rabbit.queue("orders.parked")', dead_letter='"orders.elsewhere"') + '''
ops = shop.container("Ops console")
ops.consumes(Ping, on=parked_queue)  # <-- here
'''
    model = write_model(source)
    result = cli("check", model)
    assert result.exit_code == 2
    assert f"{model}:{line_of(model, '# <-- here')}: error: Ops console consumes Ping on 'orders.parked', but queue " \
           "'orders.parked' is bound to no exchange" in result.stderr
