"""`archkit lint` in CI, end to end: a real git repository, real commits, archkit run as a process.

Each test builds a small project (pyproject.toml with [tool.archkit], one model file), commits it,
changes the event the way a pull request would, and runs the command a workflow runs.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.conftest import line_of

MODEL = '''
from uuid import UUID
from archkit import Event, Workspace


class OrderPlaced(Event, version=1, key="order_id"):  # <-- event
    """An order was placed."""
    order_id: UUID
FIELDS

ws = Workspace("Shop", "A small shop")
shop = ws.system("Shop", "Sells things")
orders = shop.container("Orders", "Takes orders", technology="Python")
billing = shop.container("Billing", "Charges cards", technology="Python")
kafka = shop.broker("Kafka", "Event streaming", kind="kafka", technology="Kafka")
topic = kafka.topic("shop.orders.v1", "Placed orders", partitions=6, key="order_id", replicas=3)  # <-- topic
orders.publishes(OrderPlaced, on=topic)
billing.consumes(OrderPlaced, on=topic, group="billing", idempotent=True)
'''
PYPROJECT = '[project]\nname = "shop"\nversion = "0"\n\n[tool.archkit]\nmodels = ["models/shop.py"]\n'


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


class Project:
    """A git repository holding one archkit project; `fields` rewrites the event's fields."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.model = root / "models" / "shop.py"

    def fields(self, *lines: str) -> None:
        body = "\n".join(f"    {line}" for line in lines)
        self.model.write_text(textwrap.dedent(MODEL).lstrip().replace("FIELDS", body), encoding="utf-8")

    def commit(self, message: str) -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-qm", message)


@pytest.fixture
def project(tmp_path) -> Project:
    root = tmp_path / "repo"
    (root / "models").mkdir(parents=True)
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "commit.gpgsign", "false")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    project = Project(root)
    project.fields("total: int")
    project.commit("shop model")
    return project


def contract_findings(result) -> list[dict]:
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"].startswith("AK-C")]


def test_a_breaking_change_against_head_1_fails_with_the_finding(project, cli_process):
    project.fields("total: str")
    project.commit("total becomes a string")

    result = cli_process("lint", "--baseline", "HEAD~1", "--format", "json", cwd=project.root)
    assert result.returncode == 1, result.stderr
    [finding] = contract_findings(result)
    assert finding["rule"] == "AK-C101"
    assert finding["event"] == "OrderPlaced v1"
    assert finding["channel"] == "shop.orders.v1"
    assert finding["path"] == "$.properties.total"
    assert finding["mode"] == "FULL"
    assert finding["affected"] == ["Billing"]
    assert "OrderPlaced v2" in finding["suggestion"]
    assert (finding["file"], finding["line"]) == ("models/shop.py", line_of(project.model, "total: str"))
    assert git(project.root, "status", "--porcelain") == ""  # the baseline never touched the work tree

    text = cli_process("lint", "--baseline", "HEAD~1", cwd=project.root)
    assert text.returncode == 1
    assert "AK-C101 OrderPlaced v1: " in text.stdout and "affects: Billing" in text.stdout
    assert "no contract baseline" not in text.stderr


def test_github_annotations_point_at_the_changed_field_relative_to_the_repository(project, cli_process):
    project.fields("total: str")  # uncommitted: what a developer runs before pushing
    line = line_of(project.model, "total: str")
    for cwd in (project.root, project.root / "models"):  # the config is found upwards; paths stay repo-relative
        result = cli_process("lint", "--baseline", "HEAD", "--format", "github", cwd=cwd)
        assert result.returncode == 1
        assert f"::error file=models/shop.py,line={line},title=AK-C101::OrderPlaced v1: " in result.stdout


TEN_FIELDS = [f"field_{i}: int" for i in range(10)]


def test_removing_one_of_ten_fields_annotates_the_line_where_it_was(project, cli_process):
    project.fields(*TEN_FIELDS)
    project.commit("ten fields")
    removed_at = line_of(project.model, "field_6: int")
    project.fields(*TEN_FIELDS[:6], *TEN_FIELDS[7:])
    project.commit("field_6 removed")
    assert line_of(project.model, "field_7: int") == removed_at  # the deletion point in the new file

    result = cli_process("lint", "--baseline", "HEAD~1", "--format", "github", cwd=project.root)
    assert result.returncode == 1, result.stderr
    annotations = [line for line in result.stdout.splitlines() if "title=AK-C101" in line]
    assert annotations and all(f"file=models/shop.py,line={removed_at},title=AK-C101::" in a for a in annotations)
    assert "required property 'field_6' removed" in annotations[0]


def test_a_changed_field_of_a_nested_model_and_a_new_enum_member_point_at_their_lines(project, cli_process):
    prelude = ("from enum import Enum\nfrom pydantic import BaseModel\n\n\nclass Money(BaseModel):\n"
               "    amount: int\n    currency: str\n\n\nclass Status(str, Enum):\n    NEW = \"new\"\n"
               "    PAID = \"paid\"\n\n\n")
    project.fields("total: Money", "status: Status")
    project.model.write_text(prelude + project.model.read_text(), encoding="utf-8")
    project.commit("nested model and enum")
    text = project.model.read_text().replace("    amount: int", "    amount: float")
    project.model.write_text(text.replace('    PAID = "paid"\n', '    PAID = "paid"\n    LOST = "lost"\n'))

    result = cli_process("lint", "--baseline", "HEAD", "--format", "sarif", cwd=project.root)
    assert result.returncode == 1, result.stderr
    sarif = json.loads(result.stdout)
    lines = {r["message"]["text"].split(" at ")[1].split(" ")[0]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
             for r in sarif["runs"][0]["results"] if r["ruleId"] == "AK-C101"}
    assert lines == {"$.properties.total.properties.amount": line_of(project.model, "amount: float"),
                     "$.properties.status": line_of(project.model, 'LOST = "lost"')}
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["AK-C101"]["helpUri"].endswith("docs/lint-rules.md#ak-c101-breaking-payload-change")


def test_a_channel_change_points_at_the_channel_declaration(project, cli_process):
    project.model.write_text(project.model.read_text().replace("partitions=6", "partitions=3"))
    result = cli_process("lint", "--baseline", "HEAD", "--format", "github", cwd=project.root)
    assert result.returncode == 1
    line = line_of(project.model, "# <-- topic")
    assert f"::error file=models/shop.py,line={line},title=AK-C104::" in result.stdout


def test_the_lock_file_is_the_default_baseline(project, cli_process):
    assert cli_process("lock", cwd=project.root).returncode == 0
    project.fields("total: int", "note: str | None = None")  # a compatible change: an optional field
    result = cli_process("lint", cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout or "0 errors" in result.stdout

    project.fields("note: str | None = None")  # total removed: old readers still require it
    result = cli_process("lint", "--format", "json", cwd=project.root)
    assert result.returncode == 1
    [finding] = contract_findings(result)
    assert (finding["rule"], finding["path"], finding["mode"]) == ("AK-C101", "$.properties.total", "FULL")
    assert cli_process("lint", "--compat", "BACKWARD", cwd=project.root).returncode == 0


def test_without_a_baseline_only_design_rules_run_and_it_says_so(project, cli_process):
    result = cli_process("lint", cwd=project.root)
    assert result.returncode == 0
    assert result.stderr.count("no contract baseline found") == 1
    assert "archkit lock" in result.stderr


def test_an_asyncapi_document_as_baseline_and_archkit_diff(project, cli_process):
    assert cli_process("render", "-f", "asyncapi", "-o", "old", cwd=project.root).returncode == 0
    old = project.root / "old" / "shop" / "asyncapi" / "kafka.yaml"
    assert old.is_file()
    project.fields("total: str")

    result = cli_process("lint", "--baseline", old, "--format", "json", cwd=project.root)
    assert result.returncode == 1, result.stderr
    assert [(f["rule"], f["path"]) for f in contract_findings(result)] == [("AK-C101", "$.properties.total")]

    assert cli_process("render", "-f", "asyncapi", "-o", "new", cwd=project.root).returncode == 0
    new = project.root / "new" / "shop" / "asyncapi" / "kafka.yaml"
    diff = cli_process("diff", old, new, "--format", "github", cwd=project.root)
    assert diff.returncode == 1
    assert "::error file=new/shop/asyncapi/kafka.yaml,line=" in diff.stdout
    assert "title=AK-C101::OrderPlaced v1: " in diff.stdout
    assert cli_process("diff", old, old, cwd=project.root).returncode == 0
    assert cli_process("diff", old, new, "--compat", "NONE", cwd=project.root).returncode == 0


def test_transitive_modes_check_every_schema_in_the_lock_history(project, cli_process):
    project.fields("total: int", "note: str | None = None")
    assert cli_process("lock", cwd=project.root).returncode == 0
    project.fields("total: int")  # optional note dropped: compatible both ways
    assert cli_process("lock", cwd=project.root).returncode == 0
    project.fields("total: int", "note: int | None = None")  # note is back, as an int

    assert cli_process("lint", "--compat", "FULL", cwd=project.root).returncode == 0
    result = cli_process("lint", "--compat", "FULL_TRANSITIVE", "--format", "json", cwd=project.root)
    assert result.returncode == 1
    [finding] = contract_findings(result)
    assert finding["mode"] == "FULL_TRANSITIVE"
    assert finding["path"].startswith("$.properties.note")
    assert "lock history" in finding["message"]


def test_baseline_errors_exit_2(project, cli_process):
    unknown = cli_process("lint", "--baseline", "origin/main", cwd=project.root)
    assert unknown.returncode == 2
    assert "git ref 'origin/main' does not exist" in unknown.stderr
    missing = cli_process("lint", "--baseline", "gone.asyncapi.yaml", cwd=project.root)
    assert missing.returncode == 2
    assert "baseline file gone.asyncapi.yaml does not exist" in missing.stderr
