"""`archkit lint` as a user runs it: exit codes, select/ignore, reasoned ignores, config errors, formats."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import line_of

MODEL = '''
from archkit import Event, Workspace
ws = Workspace("Shop")
shop = ws.system("Shop", "Sells things")
rabbit = shop.broker("Rabbit", "Messages", kind="rabbitmq", technology="RabbitMQ")
a = shop.container("A", "Service A", technology="Python")
b = shop.container("B", "Service B", technology="Python")
class Ping(Event):
    """A ping."""
    id: str
x = rabbit.exchange("shop", "Shop", type="fanout")
q = rabbit.queue("shop.pings", "Pings", bind=x)  # <-- queue
a.publishes(Ping, on=x)
b.consumes(Ping, on=q, idempotent=True)
a.uses(b, "Calls")
b.uses(a, "Calls back")  # <-- cycle
'''


@pytest.fixture
def shop(write_model, tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no configuration found above the test's folder
    return write_model(MODEL, "shop.py")


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "archkit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def rules_in(result) -> list[str]:
    return [f["rule"] for f in json.loads(result.stdout)["findings"]]


def test_error_finding_exits_1_and_names_file_and_line(cli, shop):
    result = cli("lint", shop)
    assert result.exit_code == 1
    assert f"shop.py:{line_of(shop, '# <-- cycle')}: error AK-D106 synchronous call cycle: A -> B -> A" in result.stdout
    assert f"shop.py:{line_of(shop, '# <-- queue')}: warning AK-D104" in result.stdout


def test_warnings_alone_exit_0(cli, shop):
    result = cli("lint", shop, "--ignore", "AK-D106", "--format", "json")
    assert result.exit_code == 0
    assert rules_in(result) == ["AK-D104"]


def test_select_and_ignore_by_prefix_as_ruff_does(cli, shop):
    assert rules_in(cli("lint", shop, "--select", "AK-D104", "--format", "json")) == ["AK-D104"]
    assert rules_in(cli("lint", shop, "--select", "AK-D1", "--ignore", "AK-D10", "--format", "json")) == []
    # the more specific selector wins over a shorter ignore
    assert rules_in(cli("lint", shop, "--select", "AK-D104,AK-D", "--ignore", "AK-D1", "--format", "json")) == ["AK-D104"]


def test_unknown_selector_is_a_usage_error(cli, shop):
    result = cli("lint", shop, "--select", "AK-X9")
    assert result.exit_code == 2
    assert "unknown rule selector 'AK-X9'" in result.stderr


def test_config_select_severity_and_rule_options(cli, shop, tmp_path):
    config(tmp_path, '[lint]\nselect = ["AK-D104", "AK-D106"]\nseverity = { "AK-D104" = "error", "AK-D106" = "info" }\n')
    result = cli("lint", shop, "--format", "json")
    assert [(f["rule"], f["severity"]) for f in json.loads(result.stdout)["findings"]] == [
        ("AK-D104", "error"), ("AK-D106", "info")]
    assert result.exit_code == 1


def test_reasoned_ignore_hides_the_matching_finding_only(cli, shop, tmp_path):
    config(tmp_path, '[lint]\nignore = [{ rule = "AK-D104", channel = "shop.pings", reason = "pings are best effort" },\n'
                     '          { rule = "AK-D106", element = "Nobody", reason = "stale" }]\n')
    result = cli("lint", shop, "--format", "json")
    doc = json.loads(result.stdout)
    assert [f["rule"] for f in doc["findings"]] == ["AK-D106"] and doc["summary"]["ignored"] == 1
    assert "ignore #2 (rule=AK-D106 element=Nobody) matched no finding" in result.stderr


def test_reasoned_ignore_without_reason_is_a_config_error(cli, shop, tmp_path):
    config(tmp_path, '[lint]\nignore = [{ rule = "AK-D104", channel = "shop.pings" }]\n')
    result = cli("lint", shop)
    assert result.exit_code == 2
    assert "ignore #1: ignoring AK-D104 needs a reason" in result.stderr


@pytest.mark.parametrize("bad", [
    '[lint]\nsurprise = 1\n',
    '[lint]\nseverity = { "AK-D104" = "fatal" }\n',
    '[lint.rules.AK-D105]\nmax_depth = "deep"\n',
    '[lint.rules.AK-D110]\npattern = "("\n',
    '[lint.rules.AK-D105]\nmax_dept = 4\n',
])
def test_config_mistakes_exit_2(cli, shop, tmp_path, bad):
    config(tmp_path, bad)
    result = cli("lint", shop)
    assert result.exit_code == 2 and "error:" in result.stderr


def test_model_error_exits_2(cli, write_model):
    result = cli("lint", write_model("from archkit import Workspace\nws = Workspace('x')\nws.person(None)\n"))
    assert result.exit_code == 2


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "junit", "text"])
def test_output_file_in_every_format(cli, shop, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = cli("lint", shop, "--format", fmt, "-o", out)
    assert result.exit_code == 1
    text = out.read_text(encoding="utf-8")
    if fmt in ("json", "sarif"):
        json.loads(text)
    elif fmt == "junit":
        ET.fromstring(text)
    elif fmt == "github":
        assert text.startswith("::")
    assert f"written to {out}" in result.stdout


def test_spec_model_lints_with_warnings_only(cli, spec_model):
    result = cli("lint", spec_model, "--format", "github")
    assert result.exit_code == 0
    assert result.stdout.count("::warning ") == 13
    assert "title=AK-D114::Order service publishes OrderPlaced and waits for OrderConfirmed" in result.stdout


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    import sys

    from archkit.cli.lint import use_color

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(None) is True
    assert use_color(Path("report.txt")) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(None) is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert use_color(None) is False
