"""C4 views computed from a model: membership, implied relationships, messaging labels, channel nodes."""

from __future__ import annotations

from pathlib import Path

import pytest

from archkit.engine.loader import load_model
from archkit.views.c4 import C4View, c4_views


def _workspace(path: Path):
    return load_model(path).workspaces[0]


@pytest.fixture(scope="module")
def spec_views() -> dict[str, C4View]:
    from conftest import SPEC_MODEL

    return {v.name: v for v in c4_views(_workspace(SPEC_MODEL))}


def _rel(view: C4View, source: str, destination: str):
    found = [r for r in view.relationships if (r.source, r.destination) == (source, destination)]
    assert len(found) <= 2, f"duplicate relationships {source} -> {destination}"
    assert found, f"no relationship {source} -> {destination} in {view.name}"
    return found[0]


def test_the_spec_has_one_view_of_each_kind_named_for_files(spec_views):
    assert list(spec_views) == [
        "landscape", "context-food-delivery-platform", "container-food-delivery-platform", "component-order-service",
    ]


def test_landscape_shows_people_and_systems_with_implied_relationships(spec_views):
    view = spec_views["landscape"]
    assert [e.key for e in view.elements] == ["customer", "courier", "payment-gateway", "sms-provider",
                                              "food-delivery-platform"]
    assert _rel(view, "food-delivery-platform", "payment-gateway").description == "Charges the card"
    assert _rel(view, "customer", "food-delivery-platform").description == "Places orders"
    # Kafka is inside the platform: its messaging implies no system-to-system relationship.
    assert not any(r.asynchronous for r in view.relationships)


def test_container_view_frames_the_system_and_draws_brokers_as_queues(spec_views):
    view = spec_views["container-food-delivery-platform"]
    kinds = {e.key: (e.kind, e.external, e.boundary) for e in view.elements}
    frame = "food-delivery-platform--boundary"
    assert kinds["kafka"] == ("queue", False, frame)
    assert kinds["orders-db"] == ("database", False, frame)
    assert kinds["payment-gateway"] == ("system", True, None)
    assert kinds["courier"] == ("person", True, None)
    assert "food-delivery-platform" not in kinds  # the system is the frame, not a box


def test_implied_relationships_merge_and_a_direct_one_keeps_its_label(spec_views):
    view = spec_views["container-food-delivery-platform"]
    to_db = [r for r in view.relationships if (r.source, r.destination) == ("order-service", "orders-db")]
    assert len(to_db) == 1  # three model relationships (two from components) become one arrow
    assert to_db[0].description == "Reads and writes orders"
    assert to_db[0].technology == "SQL"


def test_messaging_becomes_labelled_relationships_through_the_broker(spec_views):
    view = spec_views["container-food-delivery-platform"]
    assert _rel(view, "order-service", "kafka").description == "publishes OrderPlaced to food.orders.v1"
    assert _rel(view, "payment-service", "kafka").description == \
        "publishes PaymentSucceeded, PaymentFailed to food.payments.v1"
    delivered = _rel(view, "kafka", "notification-service")
    assert delivered.description == ("delivers PaymentSucceeded from food.payments.v1; OrderConfirmed from "
                                     "food.kitchen.v1; CourierAssigned from food.delivery.v1 (group notifications)")
    assert delivered.asynchronous and delivered.technology == "Kafka"
    assert _rel(view, "rabbitmq", "notification-service").description == \
        "delivers NotificationRequested from notifications.sms (binding app.notification.sms.#)"


def test_component_view_frames_the_container_and_shows_its_neighbours(spec_views):
    view = spec_views["component-order-service"]
    inside = [e.key for e in view.elements if e.boundary == "order-service--boundary"]
    assert inside == ["orders-api", "order-workflow", "outbox-relay"]
    assert {e.key for e in view.elements} - set(inside) == {"orders-db"}
    assert _rel(view, "outbox-relay", "orders-db").description == "Polls unsent outbox rows"
    assert _rel(view, "orders-api", "order-workflow").description == "Creates and updates orders"


def test_channel_nodes_draw_topics_exchanges_and_queues_inside_the_broker():
    from conftest import SPEC_MODEL

    view = next(v for v in c4_views(_workspace(SPEC_MODEL), channel_nodes=True) if v.level == "container")
    channels = {e.key: e.boundary for e in view.elements if e.kind == "channel"}
    assert channels["channel--food-orders-v1"] == "kafka--boundary"
    assert channels["channel--notifications-sms"] == "rabbitmq--boundary"
    assert "kafka" not in {e.key for e in view.elements}  # nothing uses the broker itself
    assert {b.key: b.parent for b in view.boundaries}["kafka--boundary"] == "food-delivery-platform--boundary"
    assert _rel(view, "order-service", "channel--food-orders-v1").description == "publishes OrderPlaced"
    assert _rel(view, "channel--notifications", "channel--notifications-sms").description == \
        "routes app.notification.sms.#"
    assert _rel(view, "channel--food-kitchen-v1", "courier-service").description == "delivers OrderConfirmed (group couriers)"


def test_a_broker_in_another_system_implies_system_relationships(write_model):
    path = write_model('''
        from archkit import Event, Workspace

        class Tick(Event, version=1):
            n: int

        ws = Workspace("Two")
        shop = ws.system("Shop")
        bus_system = ws.system("Event bus")
        app = shop.container("App")
        kafka = bus_system.broker("Kafka", kind="kafka")
        topic = kafka.topic("ticks")
        worker = shop.container("Worker")
        app.publishes(Tick, on=topic)
        worker.consumes(Tick, on=topic, group="w")
    ''')
    views = {v.name: v for v in c4_views(_workspace(path))}
    landscape = views["landscape"]
    assert _rel(landscape, "shop", "event-bus").description == "publishes Tick to ticks"
    assert _rel(landscape, "event-bus", "shop").description == "delivers Tick from ticks (group w)"
    container = views["container-shop"]
    assert _rel(container, "app", "event-bus").asynchronous
    assert {e.key: e.kind for e in container.elements}["event-bus"] == "system"


def test_views_are_deterministic(spec_model):
    assert c4_views(_workspace(spec_model)) == c4_views(_workspace(spec_model))
