"""Each design rule on a small model that breaks it and one that does not, plus the spec model's findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from archkit.engine.loader import load_paths
from archkit.lint.rules import RULES
from archkit.model.index import WorkspaceIndex
from tests.conftest import line_of

HEADER = '''\
from archkit import Event, Workspace
ws = Workspace("Test")
shop = ws.system("Shop", "Sells things")
kafka = shop.broker("Kafka", "Events", kind="kafka", technology="Kafka")
rabbit = shop.broker("Rabbit", "Messages", kind="rabbitmq", technology="RabbitMQ")
a = shop.container("A", "Service A", technology="Python")
b = shop.container("B", "Service B", technology="Python")
c = shop.container("C", "Service C", technology="Python")
d = shop.container("D", "Service D", technology="Python")
e = shop.container("E", "Service E", technology="Python")
class Ping(Event, key="id"):
    """A ping."""
    id: str
class Pong(Event, key="id"):
    """A pong."""
    id: str
'''

TOPIC = 't = kafka.topic("shop.pings", "Pings", partitions=4, key="id")\n'
PING_AB = TOPIC + 'a.publishes(Ping, on=t)\nb.consumes(Ping, on=t, group="b", idempotent=True)\n'
PING_PONG = (TOPIC + 'u = kafka.topic("shop.pongs", "Pongs", partitions=4, key="id")\n'
             'a.publishes(Ping, on=t)\nb.consumes(Ping, on=t, group="b")\nb.publishes(Pong, on=u)\n'
             'a.consumes(Pong, on=u, group="a")\nb.reacts(Ping, "answer", publishes=[Pong])\n')
QUEUE = 'x = rabbit.exchange("shop", "Shop", type="fanout")\na.publishes(Ping, on=x)\n'
CHAIN = 'a.uses(b, "x")\nb.uses(c, "x")\nc.uses(d, "x")\n'
COMMAND = '''
class Charge(Event, kind="command"{cmd}):
    """Charge a card."""
    request_id: str
class Charged(Event{reply}):
    """The card was charged."""
    request_id: str
t = kafka.topic("shop.charges", "Charges", partitions=4)
u = kafka.topic("shop.charged", "Results", partitions=4)
a.publishes(Charge, on=t)
b.consumes(Charge, on=t, group="b")
b.publishes(Charged, on=u)
a.consumes(Charged, on=u, group="a")
b.reacts(Charge, "charge", publishes=[Charged])
'''

# (rule, severity, model body that triggers it with `# <--` on the reported line, a sound variant)
CASES: list[tuple[str, str, str, str]] = [
    ("AK-D101", "warning",
     TOPIC.replace("\n", "  # <--\n") + 'a.publishes(Ping, on=t)\n',
     PING_AB),
    ("AK-D101", "warning",
     QUEUE + 'b.consumes(Ping, on=rabbit.queue("shop.q", bind=x, dead_letter="shop.q.dlq"))\n'
     'rabbit.queue("shop.unbound", dead_letter="shop.dlq")  # <--\n',
     QUEUE + 'q = rabbit.queue("shop.q", bind=x, dead_letter="shop.q.dlq")\nb.consumes(Ping, on=q)\n'
     'dlq = rabbit.queue("shop.q.dlq")\n'),
    ("AK-D102", "info",
     TOPIC + 'class Lonely(Event):  # <--\n    """Nobody reads it."""\na.publishes(Lonely, on=t)\n'
     'b.consumes(Ping, on=t)\na.publishes(Ping, on=t)\n',
     PING_AB),
    ("AK-D103", "warning",
     TOPIC + 'a.publishes(Ping, on=t)\nf = shop.container("F", "Scaled", technology="Go", replicas=4)\n'
     'f.consumes(Ping, on=t, group="g")  # <--\nb.consumes(Ping, on=t, group="g")\n',
     TOPIC + 'a.publishes(Ping, on=t)\nf = shop.container("F", "Scaled", technology="Go", replicas=4)\n'
     'f.consumes(Ping, on=t, group="g")\nb.consumes(Ping, on=t, group="other")\n'),
    ("AK-D103", "warning",
     TOPIC + 'a.publishes(Ping, on=t)\nb.consumes(Ping, on=t, group="g")\nenv = ws.environment("Production")\n'
     'env.node("EKS", instances=2).node("pod").runs(b, instances=3)  # <--\n',
     TOPIC + 'a.publishes(Ping, on=t)\nb.consumes(Ping, on=t, group="g")\nenv = ws.environment("Production")\n'
     'env.node("EKS", instances=2).node("pod").runs(b, instances=2)\n'),
    ("AK-D104", "warning",
     QUEUE + 'q = rabbit.queue("shop.q", bind=x)  # <--\nb.consumes(Ping, on=q)\n',
     QUEUE + 'q = rabbit.queue("shop.q", bind=x, dead_letter="shop.q.dlq")\nb.consumes(Ping, on=q)\n'
     'dlq = rabbit.queue("shop.q.dlq")\ntmp = rabbit.queue("shop.replies", bind=x, exclusive=True)\n'),
    ("AK-D105", "warning",
     CHAIN + 'd.uses(e, "x")  # <--\n',
     CHAIN + 'ws.person("P", "Someone").uses(a, "x")\n'),
    ("AK-D106", "error",
     'a.uses(b, "x")\nb.uses(c, "x")\nc.uses(a, "x")  # <--\n',
     'a.uses(b, "x")\nb.uses(c, "x")\na.uses(c, "x")\n'),
    ("AK-D107", "error",
     ('t = kafka.topic("shop.pings", "Pings", partitions=4)\na.publishes(Ping, on=t)  # <--\n'
     'b.consumes(Ping, on=t, group="b")\n'),
     PING_AB),
    ("AK-D108", "warning",
     'db = shop.container("DB", "Rows", technology="PostgreSQL", kind="database")\n'
     'f = shop.container("F", "Writes and publishes", technology="Go")  # <--\n'
     'f.uses(db, "Writes")\n' + TOPIC + 'f.publishes(Ping, on=t)\nb.consumes(Ping, on=t)\n',
     'db = shop.container("DB", "Rows", technology="PostgreSQL", kind="database")\n'
     'f = shop.container("F", "Writes and publishes", technology="Go")\n'
     'relay = f.component("Outbox relay", "Publishes outbox rows")\n'
     'f.uses(db, "Writes")\n' + TOPIC + 'f.publishes(Ping, on=t)\nb.consumes(Ping, on=t)\n'),
    ("AK-D109", "warning",
     TOPIC + 'a.publishes(Ping, on=t)\nb.consumes(Ping, on=t, group="b")  # <--\n',
     PING_AB),
    ("AK-D110", "warning",
     't = kafka.topic("Shop_Pings", "Pings", partitions=4, key="id")  # <--\n',
     TOPIC),
    ("AK-D111", "warning",
     't = kafka.topic("shop.pings", "Pings", partitions=4, key="id", replicas=1)  # <--\n',
     't = kafka.topic("shop.pings", "Pings", partitions=4, key="id", replicas=3)\n'),
    ("AK-D112", "error",
     COMMAND.format(cmd="", reply="").replace('kind="command"):', 'kind="command"):  # <--'),
     COMMAND.format(cmd=', correlation_id="request_id"', reply=', correlation_id="request_id"')),
    ("AK-D113", "warning",
     ('big = shop.broker("Big", "Many topics", kind="kafka", technology="Kafka")  # <--\n'
     'for n in range(1001):\n    big.topic(f"shop.t{n}")\n'),
     ('big = shop.broker("Big", "Many topics", kind="kafka", technology="Kafka")\n'
     'for n in range(1000):\n    big.topic(f"shop.t{n}")\n')),
    ("AK-D114", "warning",
     PING_PONG + 'a.reacts(Pong, "finish")  # <--\n',
     PING_PONG + 'a.reacts(Pong, "finish", timeout="5m")\n'),
    ("AK-D114", "warning",
     PING_PONG + 'a.reacts(Pong, "finish")  # <--\n'
     'f = ws.flow("Both answer", "no timeout case")\nwith f.alt():\n'
     '    with f.case("pong"):\n        f.publish(b, Pong)\n    with f.case("pong again"):\n        f.consume(a, Pong)\n',
     PING_PONG + 'a.reacts(Pong, "finish")\n'
     'f = ws.flow("Timeout", "pong or give up")\nf.publish(a, Ping)\nwith f.alt():\n'
     '    with f.case("answered"):\n        f.publish(b, Pong)\n    with f.case("no answer in 5 minutes"):\n'
     '        f.note(a, "give up")\n'),
    ("AK-D116", "error",
     't = kafka.topic("shop.pings", "Pings", partitions=4, key="id", replicas=3)  # <--\n'
     'ws.environment("Production").node("MSK", instances=2).runs(kafka)\n',
     't = kafka.topic("shop.pings", "Pings", partitions=4, key="id", replicas=3)\n'
     'ws.environment("Production").node("AZs", instances=3).node("MSK").runs(kafka)\n'),
    ("AK-D117", "warning",
     'ws.environment("Production").node("MSK").runs(kafka)  # <--\n',
     'ws.environment("Production").node("MSK").runs(kafka, instances=3)\n'),
    ("AK-D115", "info",
     'f = shop.container("F", "")  # <--\n',
     'f = shop.container("F", "Does things", technology="Go")\n'),
]


def findings_of(path: Path, rule_id: str, options: dict[str, Any] | None = None) -> list[Any]:
    (model,) = load_paths([path])
    ws = model.workspaces[0]
    return RULES[rule_id].check(ws, ws.index, options)


@pytest.mark.parametrize(("rule_id", "severity", "bad", "good"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_the_unsound_model_at_its_line(write_model, rule_id, severity, bad, good):
    path = write_model(HEADER + bad, "bad.py")
    found = findings_of(path, rule_id)
    assert [(f.rule, f.severity, Path(f.location.file).name, f.location.line) for f in found] == [
        (rule_id, severity, "bad.py", line_of(path))
    ], [f.message for f in found]


@pytest.mark.parametrize(("rule_id", "severity", "bad", "good"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_is_quiet_on_the_sound_model(write_model, rule_id, severity, bad, good):
    path = write_model(HEADER + good, "good.py")
    assert [f.message for f in findings_of(path, rule_id)] == []


def test_every_rule_has_a_case():
    assert {c[0] for c in CASES} == set(RULES) == {f"AK-D{n}" for n in range(101, 118)}


def test_consumed_but_never_published_is_an_error():
    # A loaded model cannot consume an event nobody publishes (validation refuses it), so build the index raw.
    from archkit import Event, Workspace

    class Orphan(Event):
        """Nobody sends it."""

    ws = Workspace("Raw")
    kafka = ws.system("S", "s").broker("K", "k", kind="kafka")
    consumer = ws.elements["s"].container("C", "c")
    consumer.consumes(Orphan, on=kafka.topic("raw.orphans"))
    found = RULES["AK-D102"].check(ws, WorkspaceIndex(ws))
    assert [(f.severity, f.event, f.affected) for f in found] == [("error", "Orphan", ("C",))]


def test_chain_depth_and_naming_pattern_are_options(write_model):
    path = write_model(HEADER + CHAIN + 't = kafka.topic("Shop_Pings")\n')
    assert findings_of(path, "AK-D105") == []
    deep = findings_of(path, "AK-D105", {"max_depth": 2})
    assert [f.message for f in deep] == ["synchronous call chain of 3 hops (limit 2): A -> B -> C -> D"]
    assert findings_of(path, "AK-D110", {"pattern": "^[A-Z][A-Za-z_]+$"}) == []


def test_outbox_flag_and_tag_silence_dual_write(write_model):
    body = ('db = shop.container("DB", "Rows", technology="PostgreSQL", kind="database")\n'
            'f = shop.container("F", "W", technology="Go"{extra})\n{comp}f.uses(db, "Writes")\n'
            + TOPIC + 'f.publishes(Ping, on=t)\n')
    for extra, comp in ((", outbox=True", ""), ("", 'f.component("Relay", "r", tags=("outbox",))\n')):
        path = write_model(HEADER + body.format(extra=extra, comp=comp))
        assert findings_of(path, "AK-D108") == []


def test_non_idempotent_consumer_is_fine_on_exactly_once_channel(write_model):
    path = write_model(HEADER + 't = kafka.topic("shop.p", key="id", delivery="exactly-once")\n'
                       'a.publishes(Ping, on=t)\nb.consumes(Ping, on=t)\n')
    assert findings_of(path, "AK-D109") == []


def test_spec_model_findings_are_the_ones_a_reviewer_agrees_with(spec_model):
    (model,) = load_paths([spec_model])
    ws = model.workspaces[0]
    found = sorted((f.rule, f.location.line, f.channel or f.element) for r in RULES.values() for f in r.check(ws, ws.index))
    push = line_of(spec_model, 'push_queue = rabbit.queue(')
    consumes = [n for n, text in enumerate(spec_model.read_text().splitlines(), 1) if ".consumes(" in text]
    assert found == sorted([
        # The push queue's binding 'app.notification.push.#' matches no published routing key (only
        # 'app.notification.sms.order' is published) and nobody consumes it: a dead queue.
        ("AK-D101", push, "notifications.push"),
        # ...and unlike the SMS queue it has no dead-letter queue (the brief's own example of a reasoned ignore).
        ("AK-D104", push, "notifications.push"),
        # Every channel is at-least-once (the default) and no consumer says it deduplicates: a redelivered
        # OrderPlaced charges the card twice, a redelivered CourierAssigned texts the customer twice.
        *[("AK-D109", n, ch) for n, ch in zip(consumes, [
            "food.orders.v1", "food.payments.v1", "food.payments.v1", "food.kitchen.v1", "food.payments.v1",
            "food.kitchen.v1", "food.payments.v1", "food.kitchen.v1", "food.delivery.v1", "notifications.sms"])],
        # The order service waits for OrderConfirmed after OrderPlaced -> PaymentSucceeded; the "Payment timeout"
        # flow covers the payment wait (so PaymentSucceeded/PaymentFailed pass), but nothing times out a
        # restaurant that never answers: a paid order would stay unconfirmed forever.
        ("AK-D114", line_of(spec_model, 'orders.reacts(OrderConfirmed'), "Order service"),
    ])
    # Not reported, on purpose: AK-D108 (the Order service has an "Outbox relay" component writing the outbox
    # row in the order's transaction), AK-D105 (web -> gateway -> orders -> DB is 3 hops, the limit).
