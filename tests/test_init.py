"""`archkit init`: the first five minutes. The starter checks, renders (pictures included) and lints clean."""

from __future__ import annotations

import json


def test_starter_checks_renders_and_lints_clean(cli, tmp_path, monkeypatch):
    result = cli("init", tmp_path / "estate")
    assert result.exit_code == 0, result.stderr
    assert "next: cd " in result.stdout
    monkeypatch.chdir(tmp_path / "estate")  # a bare command finds archkit.toml here

    checked = cli("check", "--format", "json")
    assert checked.exit_code == 0, checked.stderr
    (summary,) = json.loads(checked.stdout)
    assert summary["counts"] | {"events": 2, "flows": 1, "brokers": 1} == summary["counts"]

    rendered = cli("render", "-f", "plantuml,mermaid,structurizr,asyncapi,svg,index")
    assert rendered.exit_code == 0, rendered.stderr
    out = tmp_path / "estate" / "output" / "shop"
    assert (out / "c4" / "container-shop.svg").is_file()
    assert (out / "flows" / "place-an-order.svg").is_file()
    assert (out / "asyncapi" / "order-service.yaml").is_file()

    linted = cli("lint")
    assert linted.exit_code == 0, linted.stdout
    assert "No findings" in linted.stdout


def test_init_refuses_to_overwrite_unless_forced(cli, tmp_path):
    (tmp_path / "archkit.toml").write_text("models = ['mine.py']\n")
    refused = cli("init", tmp_path)
    assert refused.exit_code == 2
    assert "archkit.toml already exist(s); nothing was written" in refused.stderr and "--force" in refused.stderr
    assert (tmp_path / "archkit.toml").read_text() == "models = ['mine.py']\n"
    assert not (tmp_path / "architecture.py").exists()

    forced = cli("init", tmp_path, "--force")
    assert forced.exit_code == 0
    assert 'models = ["architecture.py"]' in (tmp_path / "archkit.toml").read_text()


def test_quiet_init_prints_nothing(cli, tmp_path):
    result = cli("--quiet", "init", tmp_path)
    assert result.exit_code == 0 and result.stdout == ""
    assert (tmp_path / "architecture.py").is_file()
