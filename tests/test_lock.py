"""`archkit lock`: a deterministic file, history appended and never rewritten, and --check for CI."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from archkit.contracts.from_model import snapshot_from_workspace
from archkit.contracts.lockfile import LockError, read_lock
from archkit.engine.loader import load_model

MODEL = """
from archkit import Event, Workspace

ws = Workspace("Shop")
app = ws.system("Shop")
orders = app.container("Orders")
billing = app.container("Billing")
mailer = app.container("Mailer")
kafka = app.broker("Kafka", kind="kafka")


class OrderPlaced(Event, version=1, key="order_id"):
    order_id: str
{fields}

topic = kafka.topic("shop.orders.v1", partitions=6, key="order_id", retention="7d")
orders.publishes(OrderPlaced, on=topic)
{consumers}
"""
CONSUMERS = 'billing.consumes(OrderPlaced, on=topic, group="b")\nmailer.consumes(OrderPlaced, on=topic, group="m")'


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder with an archkit.toml naming one model; the command runs from a subfolder."""
    (tmp_path / "archkit.toml").write_text('models = ["shop.py"]\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")

    def write(fields: str = "", consumers: str = CONSUMERS) -> Path:
        path = tmp_path / "shop.py"
        path.write_text(textwrap.dedent(MODEL.format(fields=fields, consumers=consumers)).lstrip())
        return path

    return tmp_path, write


def test_lock_is_written_next_to_the_config_and_is_deterministic(cli, project):
    root, write = project
    write()
    first = cli("lock")
    assert first.exit_code == 0, first.output
    lock = root / "archkit.lock.json"
    text = lock.read_text()
    assert text.endswith("}\n") and text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"
    data = json.loads(text)
    assert data["archkit_lock_format"] == 1
    channel = data["workspaces"]["Shop"]["channels"]["shop.orders.v1"]
    assert (channel["partitions"], channel["key"], channel["retention_ms"]) == (6, "order_id", 604_800_000)
    message = data["workspaces"]["Shop"]["messages"]["OrderPlaced"]
    assert message["consumers"] == ["Billing", "Mailer"] and message["history"] == []
    assert message["schema"]["required"] == ["order_id"]
    # the same model, consumers declared in another order, gives the same bytes
    write(consumers="\n".join(reversed(CONSUMERS.splitlines())))
    assert cli("lock").exit_code == 0
    assert lock.read_text() == text


def test_lock_reads_back_to_the_snapshot(cli, project):
    root, write = project
    path = write()
    cli("lock")
    expected = snapshot_from_workspace(load_model(path).workspaces[0])
    read = read_lock(root / "archkit.lock.json").snapshots["Shop"]
    assert read.messages["OrderPlaced"].schema == expected.messages["OrderPlaced"].schema
    assert read.channels["shop.orders.v1"].consumers == expected.channels["shop.orders.v1"].consumers


def test_history_appends_and_is_never_rewritten(cli, project):
    root, write = project
    lock = root / "archkit.lock.json"

    def history() -> list[dict]:
        return json.loads(lock.read_text())["workspaces"]["Shop"]["messages"]["OrderPlaced"]["history"]

    write()
    cli("lock")
    write(fields="    note: str = ''")
    cli("lock")
    [first] = history()
    assert "note" not in first["schema"]["properties"] and first["version"] == 1
    assert first["hash"].startswith("sha256:")
    write(fields="    note: str = ''\n    total: int = 0")
    cli("lock")
    assert history()[0] == first and len(history()) == 2
    assert "note" in history()[1]["schema"]["properties"]
    assert cli("lock").exit_code == 0 and len(history()) == 2  # unchanged schema: nothing appended


def test_check_exit_codes(cli, project):
    root, write = project
    write()
    missing = cli("lock", "--check")
    assert missing.exit_code == 1 and "out of date" in missing.stdout
    assert not (root / "archkit.lock.json").exists()
    cli("lock")
    fresh = cli("lock", "--check")
    assert fresh.exit_code == 0, fresh.output
    before = (root / "archkit.lock.json").read_text()
    write(fields="    note: str = ''")
    stale = cli("lock", "--check")
    assert stale.exit_code == 1
    assert "message OrderPlaced changed (schema)" in stale.stdout
    assert (root / "archkit.lock.json").read_text() == before  # --check writes nothing


def test_output_option_and_a_broken_lock(cli, project, tmp_path):
    _, write = project
    write()
    target = tmp_path / "elsewhere" / "contracts.lock.json"
    assert cli("lock", "--output", target).exit_code == 0 and target.is_file()
    target.write_text("{not json")
    result = cli("lock", "--output", target)
    assert result.exit_code == 2 and "not valid JSON" in result.stderr
    with pytest.raises(LockError, match="not valid JSON"):
        read_lock(target)
    target.write_bytes(b'{"archkit_lock_format": 1, "workspaces": {"\xff": {}}}')  # not UTF-8
    result = cli("lock", "--output", target)
    assert result.exit_code == 2 and "not valid JSON" in result.stderr
