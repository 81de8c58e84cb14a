"""Contract checks inside `archkit lint`: how the baseline is told apart, config keys, reasoned ignores."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

MODEL = '''
from archkit import Event, Workspace

class Ping(Event, version=1):
    """A ping."""
    id: str
    FIELD

ws = Workspace("Ping", "Pings")
s = ws.system("Ping", "Pings")
kafka = s.broker("Kafka", "Events", kind="kafka", technology="Kafka")
a = s.container("A", "Sends", technology="Python")
b = s.container("B", "Reads", technology="Python")
t = kafka.topic("ping.v1", "Pings", partitions=3, replicas=3)
a.publishes(Ping, on=t)
b.consumes(Ping, on=t, group="b", idempotent=True)
'''


@pytest.fixture
def locked(tmp_path, monkeypatch, write_model, cli):
    """A project locked with `seen: int`; returns a function that rewrites that field."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "archkit.toml").write_text('models = ["ping.py"]\n', encoding="utf-8")

    def field(line: str) -> None:
        write_model(MODEL.replace("FIELD", line), "ping.py")

    field("seen: int")
    assert cli("lock").exit_code == 0
    return field


def findings(result) -> list[tuple[str, str]]:
    return [(f["rule"], f["path"]) for f in json.loads(result.stdout)["findings"] if f["rule"].startswith("AK-C")]


def test_lock_json_and_asyncapi_json_are_told_apart_by_content(locked, cli, tmp_path):
    assert cli("render", "-f", "asyncapi", "-o", "docs").exit_code == 0
    [document] = (tmp_path / "docs").rglob("kafka.yaml")
    as_json = tmp_path / "kafka.json"
    as_json.write_text(json.dumps(yaml.safe_load(document.read_text())), encoding="utf-8")
    shutil.copy(tmp_path / "archkit.lock.json", tmp_path / "old.lock.json")
    locked("seen: str")
    for baseline in ("old.lock.json", "kafka.json", str(document)):
        result = cli("lint", "--baseline", baseline, "--format", "json")
        assert result.exit_code == 1, baseline
        assert findings(result) == [("AK-C101", "$.properties.seen")], baseline
    (tmp_path / "junk.json").write_text('{"hello": 1}', encoding="utf-8")
    junk = cli("lint", "--baseline", "junk.json")
    assert junk.exit_code == 2
    assert "neither an archkit lock file" in junk.stderr


def test_config_keys_set_baseline_mode_and_schema_rules(locked, cli, tmp_path):
    config = tmp_path / "archkit.toml"
    locked("seen: int\n    note: str | None = None")  # an optional field added to an open schema
    assert cli("lint").exit_code == 0
    config.write_text('models = ["ping.py"]\n[lint]\nschema-rules = "confluent"\n', encoding="utf-8")
    assert findings(cli("lint", "--format", "json")) == [("AK-C101", "$.properties.note")]
    config.write_text('models = ["ping.py"]\n[lint]\nschema-rules = "confluent"\ncompatibility = "FORWARD"\n')
    assert cli("lint").exit_code == 0
    assert cli("lint", "--rules", "default", "--compat", "FULL").exit_code == 0
    config.write_text('models = ["ping.py"]\n[lint]\nbaseline = "missing.yaml"\n')
    assert "baseline file missing.yaml does not exist" in cli("lint").stderr
    config.write_text('models = ["ping.py"]\n[lint]\ncompatibility = "SIDEWAYS"\n')
    result = cli("lint")
    assert result.exit_code == 2 and "unknown compatibility mode 'SIDEWAYS'" in result.stderr


def test_a_reasoned_ignore_hides_a_contract_finding(locked, cli, tmp_path):
    locked("seen: str")
    (tmp_path / "archkit.toml").write_text(
        'models = ["ping.py"]\n[lint]\nignore = [{rule = "AK-C101", event = "Ping", path = "$.properties.seen", '
        'reason = "no consumer reads seen yet"}]\n', encoding="utf-8")
    result = cli("lint")
    assert result.exit_code == 0
    assert "1 ignored with a reason" in result.stdout


def test_selecting_design_rules_only_skips_the_baseline_quietly(tmp_path, monkeypatch, write_model, cli):
    monkeypatch.chdir(tmp_path)
    model = write_model(MODEL.replace("FIELD", "seen: int"), "ping.py")
    result = cli("lint", model, "--select", "AK-D")
    assert result.exit_code == 0
    assert "no contract baseline" not in result.stderr
    assert "no contract baseline" in cli("lint", model).stderr
