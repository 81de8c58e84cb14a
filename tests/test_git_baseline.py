"""The baseline at a git ref: a real repository, models loaded as committed, the work tree untouched."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from archkit.contracts.check import check_contracts
from archkit.contracts.from_model import snapshot_from_workspace
from archkit.engine.loader import load_model
from archkit.lint.git_baseline import BaselineError, snapshots_at_ref
from tests.conftest import line_of

EVENTS = """
from uuid import UUID
from archkit import Event


class OrderPlaced(Event, version=1, key="order_id"):  # <-- event
    order_id: UUID
"""
MODEL = """
from archkit import Workspace
from events import OrderPlaced

ws = Workspace("Shop")
app = ws.system("Shop")
orders = app.container("Orders")
billing = app.container("Billing")
kafka = app.broker("Kafka", kind="kafka")
topic = kafka.topic("shop.orders.v1", partitions=6, key="order_id")
orders.publishes(OrderPlaced, on=topic)
billing.consumes(OrderPlaced, on=topic, group="billing")
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                           *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    """Two commits: the model, then OrderPlaced with a new required field (the event lives in a local module)."""
    root = tmp_path / "repo"
    models = root / "models"
    models.mkdir(parents=True)
    git(root, "init", "-q")
    (models / "events.py").write_text(textwrap.dedent(EVENTS).lstrip())
    (models / "shop.py").write_text(textwrap.dedent(MODEL).lstrip())
    git(root, "add", ".")
    git(root, "commit", "-qm", "model")
    (models / "events.py").write_text(textwrap.dedent(EVENTS).lstrip() + "    customer_id: UUID\n")
    git(root, "commit", "-qam", "customer id")
    return root


def test_baseline_at_head_1_finds_the_new_required_field_at_its_line(repo):
    model = repo / "models" / "shop.py"
    events = repo / "models" / "events.py"
    before = {p: p.read_bytes() for p in (model, events)}
    [baseline] = snapshots_at_ref("HEAD~1", [model])
    assert {p: p.read_bytes() for p in before} == before  # the work tree is untouched
    assert git(repo, "status", "--porcelain") == ""
    assert "customer_id" not in baseline.messages["OrderPlaced"].schema["properties"]
    # locations point into the work tree, not the temporary export
    assert baseline.messages["OrderPlaced"].location.file == str(events.resolve())

    current = snapshot_from_workspace(load_model(model).workspaces[0])
    [finding] = check_contracts(current, baseline)
    assert (finding.rule, finding.path, finding.breaking) == ("AK-C101", "$.properties.customer_id", True)
    assert finding.affected == ("Billing",)
    assert finding.location.file == str(events.resolve())
    assert finding.location.line == line_of(events, "customer_id: UUID")


def test_unknown_ref_is_a_clear_error(repo):
    with pytest.raises(BaselineError, match="git ref 'origin/main' does not exist.*git fetch origin"):
        snapshots_at_ref("origin/main", [repo / "models" / "shop.py"])


def test_model_that_did_not_exist_at_the_ref(repo):
    (repo / "extra").mkdir()
    (repo / "extra" / "other.py").write_text(textwrap.dedent(MODEL).lstrip())
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "another model")
    with pytest.raises(BaselineError, match="did not exist at HEAD~1"):
        snapshots_at_ref("HEAD~1", [repo / "extra" / "other.py"])
    (repo / "models" / "new.py").write_text("")
    with pytest.raises(BaselineError, match="models/new.py did not exist at HEAD"):
        snapshots_at_ref("HEAD", [repo / "models" / "new.py"])


def test_outside_a_repository(tmp_path):
    model = tmp_path / "lonely.py"
    model.write_text(textwrap.dedent(MODEL).lstrip())
    with pytest.raises(BaselineError, match="not inside a git repository"):
        snapshots_at_ref("HEAD", [model])


def test_the_models_at_a_ref_keep_their_schemas_in_the_cache_from_run_to_run(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHKIT_CACHE_DIR", str(tmp_path / "cache"))
    schemas = tmp_path / "cache" / "schemas"
    model = repo / "models" / "shop.py"
    snapshots_at_ref("HEAD~1", [model])
    [file] = schemas.iterdir()  # one file, though each run exports into a new temporary folder
    data = json.loads(file.read_bytes())
    [entry] = data["schemas"].values()
    entry["schema"]["description"] = "read from the cache"  # a mark only a cache hit can carry
    file.write_bytes(json.dumps(data).encode())

    [again] = snapshots_at_ref("HEAD~1", [model])
    assert again.messages["OrderPlaced"].schema["description"] == "read from the cache"
    assert list(schemas.iterdir()) == [file]

    [head] = snapshots_at_ref("HEAD", [model])  # other files at that ref: the cached schemas do not apply
    assert "customer_id" in head.messages["OrderPlaced"].schema["properties"]
    assert "description" not in head.messages["OrderPlaced"].schema
