"""Every row of docs/bad-input.md, run: the bad input gives the exit code and the message the table shows.

The table is the source of the expectations (exit code and message), so the documentation cannot drift
from what a user sees; each row's id names a setup below, and a row without a setup (or a setup without
a row) fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, SPEC_MODEL
from test_model_errors import CASES as MODEL_CASES
from test_model_errors import HEADER

from archkit.model.ids import slugify

TABLE = REPO / "docs" / "bad-input.md"
ROW = re.compile(r"^\| `(?P<id>[a-z0-9-]+)` \|.*\| (?P<exit>\d) \| `(?P<message>[^`]+)` \|$")

Setup = Callable[[Path], list[str]]


def rows() -> dict[str, tuple[int, str]]:
    found = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            found[match["id"]] = (int(match["exit"]), match["message"])
    return found


def model(body: str, name: str = "model.py") -> Setup:
    def setup(tmp: Path) -> list[str]:
        (tmp / name).write_text(HEADER.lstrip("\n") + body, encoding="utf-8")
        return ["check", name]

    return setup


def files(command: list[str], **contents: str) -> Setup:
    """Write files (keys use '__' for '/', '_dot_' for '.'), then run `command`."""
    def setup(tmp: Path) -> list[str]:
        for key, text in contents.items():
            path = tmp / key.replace("__", "/").replace("_dot_", ".")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return command

    return setup


SPEC = str(SPEC_MODEL)
_SPLIT = "asyncapi: 3.1.0\ninfo: {title: T, version: '1'}\nchannels:\n  a:\n    messages:\n      m:\n        $ref: 'REF'\n"
SETUPS: dict[str, Setup] = {slugify(name): model(body) for name, (body, _) in MODEL_CASES.items()}
SETUPS.update({
    "syntax-error": model("orders.uses(billing, 'Charges'\n"),
    "misspelt-variable": model("orders.uses(biling, 'Charges')\n"),
    "event-field-type-never-imported": model("\n\nclass Paid(Event):\n    amount: Decimal\n\n\norders.publishes(Paid, on=topic)\n"),
    "event-field-of-a-plain-class": model("\n\nclass Money:\n    pass\n\n\nclass Paid(Event):\n    amount: Money\n\n\n"
                                          "orders.publishes(Paid, on=topic)\n"),
    "event-field-misspelt-forward-reference": model(
        "from pydantic import BaseModel\n\n\nclass OrderLine(BaseModel):\n    sku: str\n\n\nclass Placed(Event):\n"
        "    lines: list['OrderLines']\n\n\norders.publishes(Placed, on=topic)\n"),
    "exception-in-a-helper-module": files(
        ["check", "model.py"], helpers_dot_py="def p(name):\n    return {'a': 1}[name]\n",
        model_dot_py=HEADER + "from helpers import p\np('payments')\n"),
    "missing-model-path": lambda tmp: ["check", "nope.py"],
    "file-without-a-workspace": files(["check", "model.py"], model_dot_py="x = 1\n"),
    "folder-without-models": files(["check", "empty"], empty__notes_dot_txt="nothing here\n"),
    "model-file-not-utf-8": lambda tmp: (tmp / "model.py").write_bytes(b"\xff\xfe x") and ["check", "model.py"],
    "rabbitmq-name-too-long": model("rabbit.queue('q' * 300)\n"),
    "event-version-zero": model("class Bad(Event, version=0):\n    x: int\n"),
    "bad-retention": model("kafka.topic('shop.audit.v1', retention='a week')\n"),
    "id-not-a-slug": model("shop.container('Cache', id='My Cache')\n"),
    "uses-itself": model("orders.uses(orders, 'Calls itself')\n"),
    "uses-its-own-parent": model("orders.uses(shop, 'Belongs')\n"),
    "consumes-from-an-exchange": model("ex = rabbit.exchange('events', type='fanout')\n"
                                       "billing.consumes(OrderPlaced, on=ex)\n"),
    "topic-exchange-without-routing-key": model("ex = rabbit.exchange('events', type='topic')\n"
                                                "orders.publishes(OrderPlaced, on=ex)\n"),
    "publishes-something-not-an-event": model("orders.publishes('OrderPlaced', on=topic)\n"),
    "unknown-command": lambda tmp: ["rendr", SPEC],
    "unknown-format": lambda tmp: ["render", SPEC, "-o", "out", "-f", "pdf"],
    "unknown-check-format": lambda tmp: ["check", SPEC, "--format", "xml"],
    "no-model-and-no-config": lambda tmp: ["check"],
    "config-not-valid-toml": files(["check", SPEC], archkit_dot_toml="models = [\n"),
    "config-unknown-setting": files(["check", SPEC], archkit_dot_toml="colour = 'blue'\n"),
    "config-lint-not-a-table": files(["check", SPEC], archkit_dot_toml="lint = 3\n"),
    "templates-folder-missing": lambda tmp: ["render", SPEC, "-o", "out", "-f", "mermaid", "--templates", "nope"],
    "template-syntax-error": files(["render", SPEC, "-o", "out", "-f", "c4-plantuml", "--templates", "tpl"],
                                   tpl__c4_plantuml__view_dot_puml_dot_j2="{% if %}\n"),
    "template-undefined-variable": files(["render", SPEC, "-o", "out", "-f", "c4-plantuml", "--templates", "tpl"],
                                         tpl__c4_plantuml__view_dot_puml_dot_j2="{{ nope }}\n"),
    "trace-of-an-unknown-event": lambda tmp: ["render", SPEC, "-o", "out", "-f", "mermaid", "--trace", "Nope"],
    "lint-unknown-rule": lambda tmp: ["lint", SPEC, "--select", "AK-X999"],
    "lock-file-not-json": files(["lock", SPEC, "--check"], archkit_dot_lock_dot_json="{bad\n"),
    "lock-file-not-a-lock": files(["lock", SPEC, "--check"], archkit_dot_lock_dot_json='{"hello": 1}\n'),
    "baseline-asyncapi-not-yaml": files(["lint", SPEC, "--baseline", "old.yaml"],
                                        old_dot_yaml="asyncapi: 3.0.0\ninfo: [unclosed\n"),
    "baseline-yaml-with-a-python-tag": files(["lint", SPEC, "--baseline", "old.yaml"],
                                             old_dot_yaml='asyncapi: !!python/object/apply:os.system ["touch pwned"]\n'),
    "baseline-lock-not-json": files(["lint", SPEC, "--baseline", "old.lock.json"], old_dot_lock_dot_json='{"x":\n'),
    "baseline-git-ref-outside-a-repository": files(["lint", "food_delivery.py", "--baseline", "origin/main"],
                                                   food_delivery_dot_py=SPEC_MODEL.read_text(encoding="utf-8")),
    "ref-leaves-the-root-folder": files(["diff", "api/a.yaml", "api/a.yaml", "--root", "api"],
                                        api__a_dot_yaml=_SPLIT.replace("REF", "../outside.yaml#/m"),
                                        outside_dot_yaml="m: {payload: {type: string}}\n"),
    "ref-is-a-url": files(["diff", "a.yaml", "a.yaml"], a_dot_yaml=_SPLIT.replace("REF", "https://example.com/m.yaml")),
    "invalid-avro-payload": files(["diff", "a.yaml", "a.yaml"], a_dot_yaml=_SPLIT.replace(
        "$ref: 'REF'", "payload: {schemaFormat: application/vnd.apache.avro+yaml, schema: {type: record}}")),
    "output-is-a-file": files(["render", SPEC, "-o", "out", "-f", "mermaid"], out="a file\n"),
    "file-where-output-needs-a-folder": files(["render", SPEC, "-o", "out", "-f", "mermaid"],
                                              out__food_delivery__c4="a file\n"),
})


def test_every_row_has_a_test_and_every_test_a_row():
    assert len(rows()) >= 30
    assert sorted(rows()) == sorted(SETUPS)


@pytest.mark.parametrize("case", sorted(SETUPS))
def test_bad_input_gives_the_documented_exit_and_message(case, cli, tmp_path, monkeypatch):
    exit_code, message = rows()[case]
    message = message.removesuffix("...")  # a long list of known names, shortened in the table
    monkeypatch.chdir(tmp_path)
    args = SETUPS[case](tmp_path)
    for underscored in [*tmp_path.rglob("c4_plantuml"), *tmp_path.rglob("food_delivery")]:  # keyword-safe names
        underscored.rename(underscored.with_name(underscored.name.replace("_", "-")))
    result = cli(*args)
    assert result.exit_code == exit_code, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_python_tag_in_a_baseline_runs_nothing(cli, tmp_path, monkeypatch):
    """The trust model: archkit reads AsyncAPI and lock files with safe loaders only."""
    monkeypatch.chdir(tmp_path)
    SETUPS["baseline-yaml-with-a-python-tag"](tmp_path)
    assert cli("lint", SPEC, "--baseline", "old.yaml").exit_code == 2
    assert not (tmp_path / "pwned").exists()
