"""Channel and broker rules: each change made to a real model file, checked against the model before it."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pytest

from archkit.contracts.check import check_contracts
from archkit.contracts.from_model import modes_from_workspace, snapshot_from_workspace
from archkit.engine.loader import load_model
from tests.conftest import line_of

TEMPLATE = """
from uuid import UUID
from archkit import Event, Workspace

ws = Workspace("Shop"{ws_args})
app = ws.system("Shop")
orders = app.container("Orders")
billing = app.container("Billing")
mailer = app.container("Mailer")
kafka = app.broker("Kafka", kind="kafka")
rabbit = app.broker("Rabbit", kind="rabbitmq")


class OrderPlaced(Event, version=1, key="{event_key}"{event_args}):
    order_id: UUID
    customer_id: UUID
{event_fields}

topic = kafka.topic("{address}", partitions={partitions}, key={topic_key})  # <-- topic
mail = rabbit.exchange("mail", type="{exchange_type}", durable={durable})  # <-- exchange
queue = rabbit.queue("mail.orders", bind=mail, routing_key="{binding}")  # <-- queue

{producer}.publishes(OrderPlaced, on=topic)
{consumer}.consumes(OrderPlaced, on=topic, group="g")
orders.publishes(OrderPlaced, on=mail, routing_key="{routing_key}")
mailer.consumes(OrderPlaced, on=queue)
"""

DEFAULTS = {"ws_args": "", "event_key": "order_id", "event_args": "", "event_fields": "", "address": "shop.orders.v1",
            "partitions": 6, "topic_key": "'order_id'", "exchange_type": "topic", "durable": True,
            "binding": "order.#", "routing_key": "order.placed", "producer": "orders", "consumer": "billing"}


def snapshot(tmp_path: Path, name: str, **changes: object):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(TEMPLATE.format(**{**DEFAULTS, **changes})).lstrip(), encoding="utf-8")
    ws = load_model(path).workspaces[0]
    return snapshot_from_workspace(ws), modes_from_workspace(ws), path


def findings(tmp_path: Path, base: dict[str, object], now: dict[str, object], **options: object):
    old, _, _ = snapshot(tmp_path, "before", **base)
    new, modes, path = snapshot(tmp_path, "after", **now)
    return check_contracts(new, old, modes_by=modes, **options), path


def only(found, rule):
    matching = [f for f in found if f.rule == rule]
    assert len(matching) == 1, [(f.rule, f.message) for f in found]
    return matching[0]


def test_an_unchanged_model_has_no_findings(tmp_path):
    found, _ = findings(tmp_path, {}, {})
    assert found == []


def test_channel_removed_or_renamed(tmp_path):
    found, _ = findings(tmp_path, {}, {"address": "shop.orders.v2"})
    finding = only(found, "AK-C103")
    assert finding.breaking and finding.severity == "error"
    assert "renamed to 'shop.orders.v2'" in finding.message
    assert finding.affected == ("Billing", "Orders")
    # the channel is gone from the current model: the finding points at the baseline's declaration
    assert finding.location.line == line_of(tmp_path / "before.py", "# <-- topic")


def test_partitions_reduced_is_an_error(tmp_path):
    found, path = findings(tmp_path, {}, {"partitions": 3})
    finding = only(found, "AK-C104")
    assert (finding.old, finding.new, finding.breaking) == (6, 3, True)
    assert finding.location.file == str(path) and finding.location.line == line_of(path, "# <-- topic")
    assert "shop.orders.v2" in finding.suggestion


def test_partitions_increased_on_a_keyed_topic_is_a_warning(tmp_path):
    finding = only(findings(tmp_path, {}, {"partitions": 12})[0], "AK-C105")
    assert finding.severity == "warning" and not finding.breaking
    assert "per-key order" in finding.message


def test_partitions_increased_on_an_unkeyed_topic_is_fine(tmp_path):
    found, _ = findings(tmp_path, {"topic_key": None, "event_key": "order_id"}, {"topic_key": None, "partitions": 12})
    # the event itself is keyed, so ordering per key still breaks
    assert only(found, "AK-C105")


def test_topic_key_and_message_key_changed(tmp_path):
    found, _ = findings(tmp_path, {}, {"topic_key": "'customer_id'", "event_key": "customer_id"})
    keyed = [f for f in found if f.rule == "AK-C106"]
    assert sorted(((f.event, f.channel) for f in keyed), key=str) == [
        ("OrderPlaced v1", "mail, mail.orders, shop.orders.v1"), (None, "shop.orders.v1"),
    ]
    assert all(f.breaking and f.old == "order_id" and f.new == "customer_id" for f in keyed)


@pytest.mark.parametrize(("change", "what"), [({"exchange_type": "direct", "binding": "order.placed"}, "exchange type"),
                                              ({"durable": False}, "durable")])
def test_exchange_type_or_durability_changed(tmp_path, change, what):
    found, path = findings(tmp_path, {}, change)
    finding = only(found, "AK-C107")
    assert what in finding.message and finding.channel == "mail"
    assert finding.location.line == line_of(path, "# <-- exchange")


CANCELLED = """

class OrderCancelled(Event, version=1):
    order_id: UUID

orders.publishes(OrderCancelled, on=mail, routing_key="order.cancelled")
mailer.consumes(OrderCancelled, on=queue)
"""


def test_binding_narrowed_so_a_still_published_routing_key_is_lost(tmp_path):
    old_path = tmp_path / "before.py"
    old_path.write_text(textwrap.dedent(TEMPLATE.format(**DEFAULTS)).lstrip() + CANCELLED)
    # the queue now binds only cancellations; OrderPlaced is still published with 'order.placed'
    new_path = tmp_path / "after.py"
    new_path.write_text(old_path.read_text().replace('routing_key="order.#"', 'routing_key="order.cancelled"')
                        .replace("mailer.consumes(OrderPlaced, on=queue)\n", ""))
    old = snapshot_from_workspace(load_model(old_path).workspaces[0])
    new = snapshot_from_workspace(load_model(new_path).workspaces[0])
    finding = only(check_contracts(new, old), "AK-C108")
    assert finding.channel == "mail.orders" and finding.path == "order.placed"
    assert (finding.old, finding.new, finding.affected) == ("order.#", "order.cancelled", ("Mailer",))
    assert finding.location.line == line_of(new_path, "# <-- queue")


def test_binding_changed_but_still_matching_is_fine(tmp_path):
    found, _ = findings(tmp_path, {}, {"binding": "*.placed"})
    assert [f for f in found if f.rule == "AK-C108"] == []


# A model where a consumer reads what nobody publishes does not even load (archkit validates it), so the
# next rules matter most for snapshots read from AsyncAPI documents: the tests edit a snapshot like one.
def test_routing_key_changed_so_the_queue_no_longer_receives_the_message(tmp_path):
    old, _, _ = snapshot(tmp_path, "before")
    new = copy.deepcopy(old)
    new.channels["mail"].routing_keys = ["invoice.sent"]
    new.channels["mail.orders"].messages = []
    finding = only(check_contracts(new, old), "AK-C108")
    assert "OrderPlaced" in finding.message and finding.affected == ("Mailer",)


def test_consumer_left_on_a_topic_nobody_publishes_to(tmp_path):
    old, _, _ = snapshot(tmp_path, "before")
    new = copy.deepcopy(old)
    moved = new.channels["shop.orders.v1"]
    moved.messages, moved.producers = [], []
    new.messages["OrderPlaced"].channels = ["mail", "mail.orders", "shop.other.v1"]
    found = [f for f in check_contracts(new, old) if f.rule == "AK-C109"]
    assert found and all(f.affected == ("Billing",) and f.breaking and f.channel == "shop.orders.v1" for f in found)
    assert any("now published on mail, mail.orders, shop.other.v1" in f.message for f in found)
    assert any("nobody publishes to it any more (before: Orders)" in f.message for f in found)


def test_operation_action_flipped(tmp_path):
    found, _ = findings(tmp_path, {}, {"producer": "billing", "consumer": "orders"})
    flips = [f for f in found if f.rule == "AK-C110"]
    assert {f.affected[0] for f in flips} == {"Orders", "Billing"}


def test_message_removed_names_its_consumers_and_a_successor(tmp_path):
    old, _, _ = snapshot(tmp_path, "before")
    _, _, path = snapshot(tmp_path, "after", event_args=", name='OrderPlaced'")
    path.write_text(path.read_text().replace("version=1", "version=2"))
    new = snapshot_from_workspace(load_model(path).workspaces[0])
    finding = only(check_contracts(new, old), "AK-C102")
    assert finding.event == "OrderPlaced v1" and finding.affected == ("Billing", "Mailer")
    assert "beside OrderPlaced v2" in finding.suggestion


def test_payload_finding_names_consumers_path_mode_and_field_line(tmp_path):
    found, path = findings(tmp_path, {}, {"event_fields": "    coupon: str"})
    finding = only(found, "AK-C101")
    assert finding.event == "OrderPlaced v1" and finding.path == "$.properties.coupon"
    assert finding.mode == "FULL" and finding.breaking
    assert finding.affected == ("Billing", "Mailer")
    assert finding.location.file == str(path) and finding.location.line == line_of(path, "coupon: str")
    assert "OrderPlaced v2 on shop.orders.v2" in finding.suggestion


def test_a_breaking_change_nobody_consumes_is_still_reported_saying_so(tmp_path):
    quiet = {"consumer": "billing"}
    old, _, path = snapshot(tmp_path, "before", **quiet)
    new_path = tmp_path / "after.py"
    new_path.write_text(path.read_text().replace("    customer_id: UUID\n", "    customer_id: UUID\n    coupon: str\n")
                        .replace('billing.consumes(OrderPlaced, on=topic, group="g")\n', "")
                        .replace("mailer.consumes(OrderPlaced, on=queue)\n", ""))
    new = snapshot_from_workspace(load_model(new_path).workspaces[0])
    finding = only(check_contracts(new, old), "AK-C101")
    assert finding.breaking and finding.affected == ()
    assert "no consumers in the model" in finding.message


@pytest.mark.parametrize(("where", "kwargs"), [
    ("event", {"event_args": ", compatibility='FORWARD'"}),
    ("workspace", {"ws_args": ", compatibility='FORWARD'"}),
])
def test_mode_set_in_the_model_decides_what_breaks(tmp_path, where, kwargs):
    # a new required property breaks BACKWARD only: allowed where the model says FORWARD
    found, _ = findings(tmp_path, kwargs, {**kwargs, "event_fields": "    coupon: str"})
    assert [f for f in found if f.rule == "AK-C101"] == []


def test_compat_on_the_command_line_beats_the_model(tmp_path):
    kwargs = {"event_args": ", compatibility='FORWARD'"}
    found, _ = findings(tmp_path, kwargs, {**kwargs, "event_fields": "    coupon: str"}, compat="BACKWARD")
    assert only(found, "AK-C101").mode == "BACKWARD"


def test_mode_none_on_a_broker_silences_its_channels(tmp_path):
    found, path = findings(tmp_path, {}, {"partitions": 3})
    assert only(found, "AK-C104")
    text = path.read_text().replace('kind="kafka")', 'kind="kafka", compatibility="NONE")')
    path.write_text(text)
    ws = load_model(path).workspaces[0]
    old, _, _ = snapshot(tmp_path, "before")
    assert [f for f in check_contracts(snapshot_from_workspace(ws), old, modes_by=modes_from_workspace(ws))
            if f.rule == "AK-C104"] == []
