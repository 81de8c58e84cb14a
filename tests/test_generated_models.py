"""The rule behind `check`: whatever it accepts, `render`, `lock` and `lint` accept too.

Hypothesis writes model files, as a user would: containers, Kafka topics, RabbitMQ exchanges with bound
queues, events whose fields get random types (most resolvable, some not: a name never imported, a
plain class, a misspelt forward reference, a type with no JSON Schema), every event published and
consumed. For each: `check` exits 0 and then `render` (every text format), `lock` and `lint` against
that lock exit 0; or the model holds a type that cannot be drawn and `check` exits 2 at one of those
fields' lines, with no traceback. Derandomized: the same 300 models on every run.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archkit.cli import main

TEXT_FORMATS = "c4-plantuml,c4-mermaid,structurizr,sequence-plantuml,sequence-mermaid,dynamic-plantuml,asyncapi,asyncapi-json"
MODELS = 300

#: Field types pydantic resolves and describes: annotation -> what the file must import for it.
GOOD_TYPES = {
    "int": "", "str": "", "float": "", "bool": "", "bytes": "",
    "Decimal": "from decimal import Decimal", "UUID": "from uuid import UUID",
    "datetime": "from datetime import datetime", "list[int]": "", "dict[str, float]": "", "int | None": "",
    "Optional[str]": "from typing import Optional", 'Literal["a", "b"]': "from typing import Literal",
    "Line": "", '"Line"': "", 'list["Line"]': "", "Colour": "", '"Later"': "", "list[Line] | None": "",
}
#: Types `render` cannot draw: a name never imported, a plain class, a misspelt forward reference, no JSON Schema.
BAD_TYPES = {
    "Money": "", "Plain": "", '"Lines"': "", 'list["Colours"]': "",
    "Callable[[], int]": "from collections.abc import Callable",
}
WORDS = ["Order", "Payment", "Kitchen", "Courier", "Billing", "Stock", "Näme", "Web shop", "API-gateway", "ledger"]


@dataclass
class Field:
    name: str
    annotation: str


@dataclass
class EventSpec:
    name: str
    fields: list[Field]
    producer: int
    consumer: int
    channel: int


@dataclass
class ModelSpec:
    future: bool
    containers: list[str]
    channels: list[tuple[str, str]]  # (kind, exchange type)
    events: list[EventSpec]

    @property
    def bad(self) -> bool:
        return any(f.annotation in BAD_TYPES for e in self.events for f in e.fields)


annotations = st.one_of(st.sampled_from(sorted(GOOD_TYPES)), st.sampled_from(sorted(BAD_TYPES)))


@st.composite
def model_specs(draw: st.DrawFn) -> ModelSpec:
    containers = [f"{draw(st.sampled_from(WORDS))} {i}" for i in range(draw(st.integers(2, 5)))]
    channels = draw(st.lists(st.tuples(st.sampled_from(["topic", "exchange"]),
                                       st.sampled_from(["direct", "fanout", "topic"])), min_size=1, max_size=4))
    events = []
    for i in range(draw(st.integers(1, 4))):
        names = draw(st.lists(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), min_size=1, max_size=4, unique=True))
        fields = [Field(f"{n}_{j}", draw(annotations)) for j, n in enumerate(names)]
        producer, consumer = draw(st.integers(0, len(containers) - 1)), draw(st.integers(0, len(containers) - 1))
        events.append(EventSpec(f"Event{i}", fields, producer, consumer, draw(st.integers(0, len(channels) - 1))))
    return ModelSpec(draw(st.booleans()), containers, channels, events)


def source(spec: ModelSpec) -> tuple[str, set[int]]:
    """The model file of `spec` and the lines of its fields of a bad type."""
    imports = sorted({GOOD_TYPES.get(f.annotation) or BAD_TYPES.get(f.annotation, "")
                      for e in spec.events for f in e.fields} - {""})
    lines = ["from __future__ import annotations"] if spec.future else []
    lines += [*imports, "from enum import Enum", "", "from pydantic import BaseModel", "",
              "from archkit import Event, Workspace", "",
              'ws = Workspace("Generated")', 'system = ws.system("System")',
              'kafka = system.broker("Kafka", kind="kafka")', 'rabbit = system.broker("RabbitMQ", kind="rabbitmq")']
    lines += [f"c{i} = system.container({name!r})" for i, name in enumerate(spec.containers)]
    for i, (kind, exchange_type) in enumerate(spec.channels):
        if kind == "topic":
            lines.append(f'ch{i} = kafka.topic("topic.{i}")')
        else:
            lines += [f'ch{i} = rabbit.exchange("exchange.{i}", type="{exchange_type}")',
                      f'q{i} = rabbit.queue("queue.{i}", bind=ch{i}, routing_key="key.{i}", dead_letter="queue.{i}.dlq")']
    lines += ["", "", "class Plain:", '    """Not a pydantic model."""', "", "",
              "class Colour(str, Enum):", '    RED = "red"', '    BLUE = "blue"', "", "",
              "class Line(BaseModel):", "    sku: str", "    quantity: int = 1"]
    bad: set[int] = set()
    for event in spec.events:
        lines += ["", "", f"class {event.name}(Event):", f'    """{event.name} happened."""']
        for field in event.fields:
            if field.annotation in BAD_TYPES:
                bad.add(len(lines) + 1)
            lines.append(f"    {field.name}: {field.annotation}")
    lines += ["", "", "class Later(BaseModel):", "    note: str", ""]
    for event in spec.events:
        kind, _ = spec.channels[event.channel]
        key = f', routing_key="key.{event.channel}"' if kind == "exchange" else ""
        on = f"ch{event.channel}" if kind == "topic" else f"q{event.channel}"
        group = f', group="g{event.consumer}"' if kind == "topic" else ""
        lines += [f"c{event.producer}.publishes({event.name}, on=ch{event.channel}{key})",
                  f"c{event.consumer}.consumes({event.name}, on={on}{group})"]
    return "\n".join(lines) + "\n", bad


def test_what_check_accepts_render_lock_and_lint_accept() -> None:
    runner = CliRunner()
    seen: Counter[str] = Counter()

    def archkit(*args: str | Path):  # type: ignore[no-untyped-def]
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    @settings(max_examples=MODELS, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(model_specs())
    def property(spec: ModelSpec) -> None:
        text, bad_lines = source(spec)
        with tempfile.TemporaryDirectory() as folder:
            model = Path(folder) / "model.py"
            model.write_text(text, encoding="utf-8")
            checked = archkit("check", model)
            seen["models"] += 1
            if checked.exit_code == 0:
                seen["accepted"] += 1
                assert not spec.bad, f"check accepted a type render cannot draw:\n{text}"
                for args in (["render", model, "-o", Path(folder) / "out", "-f", TEXT_FORMATS],
                             ["lock", model, "-o", Path(folder) / "lock.json"],
                             ["lint", model, "--baseline", Path(folder) / "lock.json"]):
                    result = archkit(*args)
                    assert result.exit_code == 0, f"check accepted, {args[0]} did not:\n{result.output}\n{text}"
                return
            seen["refused"] += 1
            assert checked.exit_code == 2 and spec.bad, f"{checked.output}\n{text}"
            line = re.match(rf"{re.escape(str(model))}:(\d+): error: ", checked.stderr)
            assert line and int(line.group(1)) in bad_lines, f"{checked.stderr}\n{text}"
            assert "Traceback" not in checked.stderr and "site-packages" not in checked.stderr

    property()
    assert seen["models"] >= MODELS, seen
    assert seen["accepted"] >= MODELS // 5 and seen["refused"] >= MODELS // 5, seen
