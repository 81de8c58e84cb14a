"""Event fields pydantic cannot resolve or describe: refused by `check`, `render`, `lock` and watch's page
alike, at the field's line, naming the type, with Python's own suggestion, exit 2 and no traceback."""

from __future__ import annotations

import json
import re
import signal
import urllib.request
from pathlib import Path

import pytest
from watching import WatchProcess, save, wait_until

HEAD = '''\
{future}from pydantic import BaseModel

from archkit import Event, Workspace

ws = Workspace("Shop")
shop = ws.system("Shop", "Sells things")
payments = shop.container("Payment service", "Takes money")
kafka = shop.broker("Kafka", "Event log", kind="kafka")


class OrderLine(BaseModel):
    sku: str


class Money:
    """A plain class: pydantic has no schema for it."""


class Paid(Event):
    """Paid."""
    order_id: str
{field}


topic = kafka.topic("pay.v1", "Payments")
payments.publishes(Paid, on=topic)
'''

#: name -> (the field line, the name the message must show, text it must also hold)
MISTAKES = {
    "forgotten-import": ("    amount: Decimal  # <--", "'Decimal' is not defined", "NameError"),
    "plain-class": ("    amount: Money  # <--", "Money, a plain class", "BaseModel"),
    "misspelt-forward-reference": ('    lines: list["OrderLines"]  # <--', "'OrderLines' is not defined",
                                   "Did you mean: 'OrderLine'?"),
}
COMMANDS = {"check": ["check"], "render": ["render", "-o", "out", "-f", "asyncapi,c4-plantuml"], "lock": ["lock"]}


def model_source(mistake: str | None, future: bool = False) -> str:
    field = MISTAKES[mistake][0] if mistake else "    lines: list[OrderLine]"
    return HEAD.format(future="from __future__ import annotations\n" if future else "", field=field)


@pytest.mark.parametrize("future", [False, True], ids=["plain-annotations", "future-annotations"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_command_refuses_the_field_at_its_line(cli, write_model, tmp_path, monkeypatch, mistake, command,
                                                    future) -> None:
    model = write_model(model_source(mistake, future))
    monkeypatch.chdir(tmp_path)
    result = cli(*COMMANDS[command], model)
    line = next(n for n, text in enumerate(model.read_text().splitlines(), 1) if "# <--" in text)
    _, name, also = MISTAKES[mistake]
    assert result.exit_code == 2, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"model.py:{line}: error:"), result.stderr
    assert name in first and also in result.stderr, result.stderr
    assert not re.search(r"Traceback|File \"|site-packages|archkit/", result.stderr), result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "archkit.lock.json").exists()


def test_the_corrected_model_passes_every_command(cli, write_model, tmp_path, monkeypatch) -> None:
    model = write_model(model_source(None))
    monkeypatch.chdir(tmp_path)
    for args in COMMANDS.values():
        assert cli(*args, model).exit_code == 0


def test_a_type_with_no_json_schema_is_refused_by_check(cli, write_model) -> None:
    """pydantic validates a Callable but cannot describe it: `check` finds that before `render` does."""
    model = write_model(model_source(None).replace("from pydantic", "from collections.abc import Callable\nfrom pydantic")
                        .replace("    lines: list[OrderLine]", "    notify: Callable[[], None]  # <--"))
    result = cli("check", model)
    line = next(n for n, text in enumerate(model.read_text().splitlines(), 1) if "# <--" in text)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{model}:{line}: error: event Paid, field notify: no payload schema"), result.stderr


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_watch_page_shows_the_field_and_its_line(tmp_path: Path, mistake: str) -> None:
    model = tmp_path / "model.py"
    model.write_text(model_source(None))
    process = WatchProcess([model, "-o", tmp_path / "out", "-f", "asyncapi", "--serve", "--port", "0"], cwd=tmp_path)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", process.wait_output(r"^serving http://127\.0\.0\.1:\d+/"))
        assert url, process.output()
        process.wait_renders(1)
        save(model, model_source(mistake))
        line = next(n for n, text in enumerate(model.read_text().splitlines(), 1) if "# <--" in text)
        wait_until(lambda: page_error(url.group(0)), what=f"an error on the page\n{process.output()}")
        error = page_error(url.group(0)) or ""
        _, name, also = MISTAKES[mistake]
        assert error.startswith(f"model.py:{line}: error: "), error
        assert name in error.splitlines()[0] and also in error and "Traceback" not in error, error
    finally:
        assert process.stop(signal.SIGINT) == 0, process.output()


def page_error(url: str) -> str | None:
    """The error the preview page's event stream holds now (its first state, sent on connect)."""
    with urllib.request.urlopen(url + "__archkit__/events", timeout=5) as stream:
        for raw in stream:
            line = raw.decode()
            if line.startswith("data: "):
                return json.loads(line[6:])["error"]
    return None
