"""Events whose payload is not an object of fields: `class E(RootModel[...], Event)` (a union, a string), with
`OneOf()` for an exclusive union. The documents rendered from them carry the payload as the root schema."""

from __future__ import annotations

import pytest
import yaml
from asyncapi_support import asyncapi_errors

MODEL = '''
from typing import Annotated, Literal

from pydantic import BaseModel, RootModel

from archkit import Event, OneOf, Workspace

ws = Workspace("Ticker")
app = ws.system("App")
feed = app.container("Feed")
screen = app.container("Screen")
bus = app.broker("Bus", kind="kafka")


class Heartbeat(BaseModel):
    type: Literal["heartbeat"]


class Trade(BaseModel):
    type: Literal["trade"]
    price: float


class Market(RootModel[Heartbeat | Trade], Event, version=2):
    """One of the feed's messages."""
    root: Annotated[Heartbeat | Trade, OneOf()]


class Either(RootModel[Heartbeat | Trade], Event):
    """A heartbeat or a trade (both may match)."""


class Chat(RootModel[str], Event, kind="command"):
    """A line of text."""


topic = bus.topic("market", partitions=3)
for event in (Market, Either, Chat):
    feed.publishes(event, on=topic)
    screen.consumes(event, on=topic, group="screens")
'''


def test_root_payloads_render_as_the_root_schema(cli, write_model, tmp_path):
    result = cli("render", write_model(MODEL), "-f", "asyncapi", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load((tmp_path / "out" / "ticker" / "asyncapi" / "bus.yaml").read_text(encoding="utf-8"))
    assert asyncapi_errors(doc) == []
    schemas = doc["components"]["schemas"]
    market, either, chat = (schemas[doc["components"]["messages"][n]["payload"]["$ref"].rsplit("/", 1)[1]]
                            for n in ("Market.v2", "Either", "Chat"))
    refs = [{"$ref": "#/components/schemas/Heartbeat"}, {"$ref": "#/components/schemas/Trade"}]
    assert market["oneOf"] == refs and "anyOf" not in market and market["description"] == "One of the feed's messages."
    assert either["anyOf"] == refs and "oneOf" not in either
    assert chat["type"] == "string" and "properties" not in chat
    assert schemas["Trade"]["required"] == ["type", "price"]


def test_a_union_turned_non_exclusive_is_breaking(cli, write_model, tmp_path, monkeypatch):
    """The lint of the model sees OneOf as part of the contract: losing it lets values match both branches."""
    monkeypatch.chdir(tmp_path)
    model = write_model(MODEL)
    assert cli("lock", model).exit_code == 0 and (tmp_path / "archkit.lock.json").is_file()
    model.write_text(model.read_text(encoding="utf-8").replace("root: Annotated[Heartbeat | Trade, OneOf()]",
                                                                 "root: Heartbeat | Trade"), encoding="utf-8")
    result = cli("lint", model, "--format", "json")
    assert result.exit_code == 1, result.output
    assert "oneOf became anyOf" in result.stdout


@pytest.mark.parametrize("argument", ['key="root"', 'correlation_id="root"', 'format="avro"'])
def test_what_needs_fields_is_refused_on_a_root_payload(cli, write_model, argument):
    """A key, a correlation id and an Avro record name fields; a root payload has none (never an empty record)."""
    model = write_model(MODEL.replace('class Chat(RootModel[str], Event, kind="command"):',
                                      f'class Chat(RootModel[str], Event, kind="command", {argument}):'))
    result = cli("check", model)
    line = next(n for n, text in enumerate(model.read_text(encoding="utf-8").splitlines(), 1) if "class Chat" in text)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{model}:{line}: error: event Chat: {argument.replace(chr(34), chr(39))} needs "
                                    "an event with fields") and "Traceback" not in result.stderr
