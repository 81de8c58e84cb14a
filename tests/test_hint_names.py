"""Hints show code in the user's own names: the variables their model bound the elements to."""

from __future__ import annotations

import pytest
from conftest import line_of

HEAD = '''
from archkit import Event, Workspace

ws = Workspace("Shop")
shop = ws.system("Shop")
web = shop.container("Web shop")
payments = shop.container("Payment service")
kafka = shop.broker("Kafka", kind="kafka")
rabbit = shop.broker("RabbitMQ", kind="rabbitmq")
orders_exchange = rabbit.exchange("orders")
topic = kafka.topic("payments.v1")


class Paid(Event):
    id: int


class Refunded(Event):
    id: int


web.publishes(Paid, on=topic)
'''

CASES = {
    "reacts-without-consuming": ('payments.reacts(Paid, "Book it")  # <--\n',
                                 "declare payments.consumes(Paid, on=...) first"),
    "reacts-by-publishing-what-it-never-publishes": (
        'payments.consumes(Paid, on=topic)\npayments.reacts(Paid, "Refund", publishes=[Refunded])  # <--\n',
        "declare payments.publishes(Refunded, on=...)"),
    "call-without-relationship": ('flow = ws.flow("Pay")\nflow.call(web, payments, "pay")  # <--\n',
                                  "declare web.uses(payments, ...)"),
    "flow-publish-not-in-the-model": ('flow = ws.flow("Pay")\nflow.publish(payments, Paid)  # <--\n',
                                      "declare payments.publishes(Paid, on=...) for it"),
    "consumes-from-an-exchange": ("payments.consumes(Paid, on=orders_exchange)  # <--\n",
                                  "declare a queue bound to it: rabbit.queue('...', bind=orders_exchange, routing_key='...')"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hints_name_the_models_variables(cli, write_model, case):
    tail, hint = CASES[case]
    model = write_model(HEAD + tail)
    result = cli("check", model)
    assert result.exit_code == 2
    assert f"{model}:{line_of(model)}: error:" in result.stderr, result.stderr
    assert f"  hint: {hint}" in result.stderr, result.stderr


def test_an_element_made_in_a_loop_is_named_by_its_id(cli, write_model):
    model = write_model(HEAD + 'for name in ["Ledger"]:\n    ledger = shop.container(name)\n'
                        'ledger.reacts(Paid, "Book it")  # <--\n')
    result = cli("check", model)
    assert result.exit_code == 2 and "  hint: declare ledger.consumes(Paid, on=...) first" in result.stderr


def test_a_misspelt_name_keeps_pythons_suggestion(cli, write_model):
    model = write_model(HEAD + "paymnts.consumes(Paid, on=topic)  # <--\n")
    result = cli("check", model)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{model}:{line_of(model)}: error: NameError: name 'paymnts' is not defined. Did you mean: 'payments'?"), \
        result.stderr


def test_a_misspelt_method_keeps_pythons_suggestion(cli, write_model):
    model = write_model(HEAD + 'ledger = shop.contaner("Ledger")  # <--\n')
    result = cli("check", model)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{model}:{line_of(model)}: error: AttributeError: 'SoftwareSystem' object has no "
                                    "attribute 'contaner'. Did you mean: 'container'?"), result.stderr
