"""Events declared `format="avro"`: their AsyncAPI messages carry an Avro schema derived from the model, the
lock keeps it, and lint judges changes by Avro's resolution rules (through the commands a user runs)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import yaml
from asyncapi_support import asyncapi_errors
from avro.schema import parse

MODEL = '''
from datetime import datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID

from pydantic import BaseModel, Field

from archkit import Event, Workspace

ws = Workspace("Shop", description="Orders")
shop = ws.system("Shop", "Takes orders")
orders = shop.container("Order service", "Owns orders", technology="Python")
billing = shop.container("Billing", "Bills", technology="Go")
kafka = shop.broker("Kafka", "Event log", kind="kafka", technology="Kafka")


class Status(str, Enum):
    NEW = "NEW"
    PAID = "PAID"


class Line(BaseModel):
    sku: str
    quantity: int


class OrderPlaced(Event, version=1, key="order_id", format="avro"):
    """An order was accepted."""
    order_id: UUID
    placed_at: datetime
    total: Decimal = Field(max_digits=10, decimal_places=2)
    status: Status
    lines: list[Line]
    tags: dict[str, str]
    coupon: str | None = None


topic = kafka.topic("shop.orders.v1", "Orders", partitions=6, key="order_id", replicas=3)
orders.publishes(OrderPlaced, on=topic)
billing.consumes(OrderPlaced, on=topic, group="billing", idempotent=True)
'''


def avro_payload(doc: dict) -> dict:
    payload = doc["components"]["messages"]["OrderPlaced"]["payload"]
    assert payload["schemaFormat"] == "application/vnd.apache.avro+json;version=1.9.0"
    return payload["schema"]


@pytest.mark.parametrize("version", ["3.0.0", "3.1.0"])
def test_the_documents_carry_the_avro_schema_and_pass_the_official_schema(cli, write_model, tmp_path, version):
    model = write_model(MODEL)
    result = cli("render", model, "-f", "asyncapi", "-o", tmp_path / "out", "--asyncapi-version", version)
    assert result.exit_code == 0, result.output
    docs = {p.stem: yaml.safe_load(p.read_text()) for p in (tmp_path / "out" / "shop" / "asyncapi").glob("*.yaml")}
    assert set(docs) == {"order-service", "billing", "kafka"}
    for name, doc in docs.items():
        assert asyncapi_errors(doc) == [], name
        assert doc["components"]["messages"]["OrderPlaced"]["contentType"] == "avro/binary"
    schema = avro_payload(docs["kafka"])
    parse(json.dumps(schema))  # Avro itself accepts it
    fields = {f["name"]: f["type"] for f in schema["fields"]}
    assert (schema["type"], schema["name"], schema["doc"]) == ("record", "OrderPlaced", "An order was accepted.")
    assert fields["order_id"] == {"type": "string", "logicalType": "uuid"}
    assert fields["placed_at"] == {"type": "long", "logicalType": "timestamp-millis"}
    assert fields["total"] == {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}
    assert fields["status"] == {"name": "Status", "type": "enum", "symbols": ["NEW", "PAID"]}
    assert fields["lines"]["type"] == "array" and fields["lines"]["items"]["type"] == "record"
    assert fields["tags"] == {"type": "map", "values": "string"}
    assert fields["coupon"] == ["null", "string"]
    assert [f.get("default", "none") for f in schema["fields"] if f["name"] == "coupon"] == [None]


@pytest.fixture
def project(tmp_path, monkeypatch, write_model):
    """A folder with an archkit.toml naming the model; commands run there (the lock is written there)."""
    (tmp_path / "archkit.toml").write_text('models = ["model.py"]\n')
    monkeypatch.chdir(tmp_path)
    write_model(MODEL)
    return tmp_path


def edit(folder, old: str, new: str) -> None:
    path = folder / "model.py"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_lock_keeps_the_avro_schema(cli, project):
    assert cli("lock").exit_code == 0
    entry = json.loads((project / "archkit.lock.json").read_text())["workspaces"]["Shop"]["messages"]["OrderPlaced"]
    assert entry["schema_format"] == "avro"
    assert entry["schema"]["name"] == "OrderPlaced" and [f["name"] for f in entry["schema"]["fields"]][:2] == [
        "order_id", "placed_at"]
    assert cli("lock", "--check").exit_code == 0


def _git(folder, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.mark.parametrize("baseline", ["lock", "document", "git"])
def test_lint_baseline_catches_a_field_removed_without_a_default(cli, project, baseline):
    if baseline == "lock":
        assert cli("lock").exit_code == 0
        ref = "archkit.lock.json"
    elif baseline == "document":
        assert cli("render", "-f", "asyncapi", "-o", "before").exit_code == 0
        ref = "before/shop/asyncapi/kafka.yaml"
    else:
        _git(project, "init", "-q")
        _git(project, "add", "model.py", "archkit.toml")
        _git(project, "commit", "-qm", "v1")
        ref = "HEAD"
    edit(project, "    coupon: str | None = None\n", "")  # had a default: old readers fill it in
    result = cli("lint", "--baseline", ref, "--select", "AK-C", "--format", "json")
    assert result.exit_code == 0, result.output
    edit(project, "    status: Status\n", "")  # no default: old readers cannot decode new records
    result = cli("lint", "--baseline", ref, "--select", "AK-C", "--format", "json")
    assert result.exit_code == 1, result.output
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "AK-C101" and finding["mode"] == "FULL" and finding["affected"] == ["Billing"]
    assert "reader field missing default value (status)" in finding["message"]
    assert cli("lint", "--baseline", ref, "--select", "AK-C", "--compat", "BACKWARD").exit_code == 0


def test_transitive_modes_check_every_locked_avro_schema(cli, project):
    assert cli("lock").exit_code == 0
    edit(project, "    coupon: str | None = None\n", "    coupon: str | None = None\n    email: str = ''\n")
    assert cli("lock").exit_code == 0  # the first schema goes into the history
    edit(project, "    email: str = ''\n", "    email: str\n")  # its default dropped: the first schema's data breaks
    assert cli("lint", "--select", "AK-C", "--compat", "BACKWARD").exit_code == 0
    result = cli("lint", "--select", "AK-C", "--compat", "BACKWARD_TRANSITIVE", "--format", "json")
    assert result.exit_code == 1
    assert "schema 1 of 2 in the lock history" in json.loads(result.stdout)["findings"][0]["message"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('key="order_id", format="avro"', 'key="order_id", format="protobuf"',
     "event OrderPlaced: format='protobuf' is not a wire format"),
    ("Field(max_digits=10, decimal_places=2)", "Field(decimal_places=2)",
     "event OrderPlaced: a Decimal field needs max_digits"),
])
def test_what_avro_cannot_say_is_a_model_error_at_the_event(cli, project, old, new, message):
    edit(project, old, new)
    result = cli("render", "-f", "asyncapi", "-o", "out")
    assert result.exit_code == 2
    line = next(i for i, text in enumerate((project / "model.py").read_text().splitlines(), 1)
                if text.startswith("class OrderPlaced"))
    assert result.stderr.startswith(f"model.py:{line}: error: {message}"), result.stderr
    assert "Traceback" not in result.stderr and not (project / "out").exists()
