"""The format-free sequence view: participants, message order and the alt/par tree of the spec's flows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sequence_models import TWO_PUBLISHERS

from archkit.engine.loader import load_model
from archkit.formats import RenderOptions
from archkit.views.event_map import event_map_view
from archkit.views.sequence import Group, Message, NoteItem, SequenceView, flow_view, sequence_views, trace_view


@pytest.fixture(scope="module")
def spec_ws():
    from conftest import SPEC_MODEL

    return load_model(SPEC_MODEL).workspaces[0]


def view_of(ws, flow_id: str) -> SequenceView:
    return flow_view(ws.flows[flow_id], ws.index)


def names(view: SequenceView, alias: str) -> str:
    return next(p.name for p in view.participants if p.alias == alias)


def arrow(m: Message, view: SequenceView) -> tuple[str, str, str, str]:
    return (m.kind, names(view, m.source), names(view, m.target), m.label)


def test_checkout_participants_follow_the_flow_left_to_right(spec_ws):
    view = view_of(spec_ws, "checkout-with-a-saved-card")
    assert [(p.name, p.kind) for p in view.participants] == [
        ("Customer", "person"), ("Web app", "container"), ("API gateway", "container"),
        ("Order service", "container"), ("food.orders.v1", "topic"), ("Payment service", "container"),
        ("food.payments.v1", "topic"), ("Restaurant service", "container"), ("food.kitchen.v1", "topic"),
        ("Courier service", "container"), ("food.delivery.v1", "topic"), ("Notification service", "container"),
        ("notifications", "exchange"), ("notifications.sms", "queue"),
    ]


def test_checkout_starts_synchronously_with_technology_from_the_model(spec_ws):
    view = view_of(spec_ws, "checkout-with-a-saved-card")
    first = view.messages()[:8]
    assert [arrow(m, view) for m in first] == [
        ("call", "Customer", "Web app", "Press 'Place order'"),
        ("call", "Web app", "API gateway", "POST /orders"),
        ("call", "API gateway", "Order service", "Create order"),
        ("publish", "Order service", "food.orders.v1", "OrderPlaced"),
        ("reply", "Order service", "API gateway", "202 Accepted"),
        ("reply", "API gateway", "Web app", "Order accepted"),
        ("deliver", "food.orders.v1", "Payment service", "OrderPlaced"),
        ("action", "Payment service", "Payment service", "Charge the saved card"),
    ]
    assert first[1].technology == "HTTPS/JSON"  # taken from web.uses(gateway, technology=...)
    assert [m.number for m in view.messages()] == list(range(1, len(view.messages()) + 1))


def test_checkout_trace_alternates_on_payment_result_and_fans_out_in_parallel(spec_ws):
    view = view_of(spec_ws, "checkout-with-a-saved-card")
    alt = view.items[8]
    assert isinstance(alt, Group) and alt.kind == "alt"
    succeeded, failed = alt.branches
    assert (succeeded.label, failed.label) == ("PaymentSucceeded", "PaymentFailed")

    assert arrow(succeeded.items[0], view) == ("publish", "Payment service", "food.payments.v1", "PaymentSucceeded")
    fan_out = succeeded.items[1]
    assert isinstance(fan_out, Group) and fan_out.kind == "par"
    assert [b.label for b in fan_out.branches] == ["Order service", "Restaurant service", "Notification service"]

    orders, restaurant, notify = fan_out.branches
    assert [m.label for m in orders.items] == ["PaymentSucceeded", "Mark the order paid"]
    assert [m.label for m in restaurant.items[:3]] == [
        "PaymentSucceeded", "Check kitchen load and dish availability", "OrderConfirmed"]
    confirmed = restaurant.items[3]
    assert confirmed.kind == "par"
    assert [b.label for b in confirmed.branches] == ["Order service", "Courier service", "Notification service"]
    courier = confirmed.branches[1]
    assert [arrow(m, view)[1:] for m in courier.items] == [
        ("food.kitchen.v1", "Courier service", "OrderConfirmed"),
        ("Courier service", "Courier service", "Find a courier near the restaurant"),
        ("Courier service", "food.delivery.v1", "CourierAssigned"),
        ("food.delivery.v1", "Notification service", "CourierAssigned"),
        ("Notification service", "Notification service", "Tell the customer who delivers"),
    ]
    # A queue consumer sees the exchange route the message into its queue first.
    assert [arrow(m, view)[:3] for m in notify.items[2:]] == [
        ("publish", "Notification service", "notifications"),
        ("route", "notifications", "notifications.sms"),
        ("deliver", "notifications.sms", "Notification service"),
    ]
    assert notify.items[3].detail == "app.notification.sms.#"

    assert [arrow(m, view) for m in failed.items] == [
        ("publish", "Payment service", "food.payments.v1", "PaymentFailed"),
        ("deliver", "food.payments.v1", "Order service", "PaymentFailed"),
        ("action", "Order service", "Order service", "Cancel the order"),
    ]


def test_hand_written_flow_keeps_its_blocks_notes_and_database(spec_ws):
    view = view_of(spec_ws, "payment-timeout")
    kinds = [type(i).__name__ for i in view.items]
    assert kinds == ["Message", "Group", "Group"]
    alt, par = view.items[1], view.items[2]
    assert alt.kind == "alt" and [b.label for b in alt.branches] == ["paid within 15 minutes", "no result after 15 minutes"]
    timer = alt.branches[1].items
    assert isinstance(timer[0], NoteItem) and timer[0].text == "Timer fires"
    assert arrow(timer[1], view) == ("call", "Order service", "Orders DB", "Set status CANCELLED")
    assert next(p.kind for p in view.participants if p.name == "Orders DB") == "database"
    assert par.kind == "par" and [b.label for b in par.branches] == ["customer is told", "order is updated"]


def test_trace_of_an_event_starts_with_its_publisher(spec_ws):
    view = trace_view(next(e for e in spec_ws.index.event_classes if e.__name__ == "OrderPlaced"), spec_ws.index)
    assert view.key == "trace-orderplaced"
    assert [arrow(m, view) for m in view.messages()[:3]] == [
        ("publish", "Order service", "food.orders.v1", "OrderPlaced"),
        ("deliver", "food.orders.v1", "Payment service", "OrderPlaced"),
        ("action", "Payment service", "Payment service", "Charge the saved card"),
    ]


def test_trace_of_an_event_with_two_publishers_offers_each_as_an_alternative(write_model):
    ws = load_model(write_model(TWO_PUBLISHERS)).workspaces[0]
    [view] = sequence_views(ws, RenderOptions(traces=("done",)))
    start = view.items[0]
    assert start.kind == "alt" and [b.label for b in start.branches] == ["published by A", "published by B"]
    assert [m.label for m in view.items[1:]] == ["Done", "Archive"]


def test_view_filter_and_unknown_trace_names(spec_ws):
    views = sequence_views(spec_ws, RenderOptions(views=("timeout",), traces=("NoSuchEvent",)))
    assert [v.key for v in views] == ["payment-timeout"]


def test_event_map_links_publishers_channels_and_consumers(spec_ws):
    view = event_map_view(spec_ws.index)
    aliases = {p.alias: p.name for p in view.services}
    for b in view.brokers:
        aliases.update({c.alias: c.name for c in b.channels})
    edges = {(e.kind, aliases[e.source], aliases[e.target]): e.events for e in view.edges}
    assert edges[("publish", "Payment service", "food.payments.v1")] == ("PaymentSucceeded", "PaymentFailed")
    assert edges[("consume", "food.payments.v1", "Order service")] == ("PaymentSucceeded", "PaymentFailed")
    assert edges[("route", "notifications", "notifications.sms")] == ("NotificationRequested",)
    assert [b.name for b in view.brokers] == ["Kafka", "RabbitMQ"]
    assert "Orders DB" not in aliases.values()  # no messaging, so not on the map


def test_views_are_deterministic(spec_ws, spec_model):
    again = load_model(Path(spec_model)).workspaces[0]
    options = RenderOptions(traces=("OrderPlaced",))
    assert sequence_views(spec_ws, options) == sequence_views(again, options)
