"""Hostile text and a model that puts it in every label position, built with the public API.

Shared by the property tests (random hostile text) and the PlantUML sandbox test (file-reading payloads).
Every element gets an explicit, position-derived `id=`, so the same structure rendered with benign
labels yields the same file names and the two renders can be compared file by file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from archkit import Event, Workspace
from archkit.engine.pipeline import render_files
from archkit.formats import RenderOptions, expand_formats, registry
from archkit.output import OutputFile

#: Fragments that mean something to one of the languages archkit writes (PlantUML, its preprocessor and
#: creole, Mermaid, Structurizr DSL, YAML, JSON, HTML, Jinja2) or to a terminal/text layout engine.
FRAGMENTS = [
    '"', "'", "`", "\\", "\\n", "\n", "\r\n", "\t", "\x00", "\x1b[31m",
    "!include /etc/passwd", "!include ../../../../etc/passwd", "!includeurl http://127.0.0.1/x",
    "!include_many /etc/*", '%load_json("/etc/passwd")', '%getenv("HOME")', "!define X", "!theme spacelab",
    "@startuml", "@enduml", "@startmindmap", "%", "%%", "%%{init: {'theme':'dark'}}%%", "$", "${HOME}", "$x",
    "{{ 7*7 }}", "{% raw %}", "{#", "<script>alert(1)</script>", "<b>", "</text>", "<![CDATA[", "]]>", "&amp;",
    "&#36;", "#quot;", "end", "else", "end note", "alt", "}", "{", "->", "-->", ";", ":", "#", "//", "/*",
    "**bold**", "--strike--", "__u__", "[[http://x]]", "~~", "- item", "? key", "*anchor", "&anchor", "!!python/object",
    "null", "true", "0x1F", "1e999", "---", "...", "\u202eevil\u202c", "\u05e9\u05dc\u05d5\u05dd", "e\u0301\u0301\u0301",
    "\u200b", "\ufeff", "🍕", "👩‍👩‍👧", "Привет", "日本語", "x" * 300,
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), min_size=1, max_size=6,
).map("".join)


def named(text: str) -> str:
    """A hostile name the model accepts: names must contain something other than whitespace."""
    return text if text.strip() else text + "n"


@dataclass(frozen=True)
class Labels:
    """One text per label position of the model."""

    texts: tuple[str, ...]

    def __getitem__(self, i: int) -> str:
        return self.texts[i % len(self.texts)]


#: About one distinct text per label position of `build_model` (56 positions).
labels_strategy = st.lists(hostile_text, min_size=40, max_size=56).map(lambda t: Labels(tuple(t)))


def benign(labels: Labels) -> Labels:
    return Labels(tuple(f"Label {i}" for i in range(len(labels.texts))))


def build_model(labels: Labels) -> Workspace:
    """People, systems, containers, a component, Kafka and RabbitMQ channels, events, reactions and a flow."""
    n = iter(range(10_000))

    def t() -> str:
        return labels[next(n)]

    def name() -> str:
        return named(t())

    ws = Workspace(name(), description=t())
    person = ws.person(name(), t(), id="person")
    bank = ws.system(name(), t(), external=True, id="bank")
    core = ws.system(name(), t(), id="core")
    api = core.container(name(), t(), technology=t(), kind="webapp", id="api")
    orders = core.container(name(), t(), technology=t(), id="orders")
    db = core.container(name(), t(), technology=t(), kind="database", id="db")
    kafka = core.broker(name(), t(), kind="kafka", technology=t(), id="kafka")
    rabbit = core.broker(name(), t(), kind="rabbitmq", technology=t(), id="rabbit")
    handler = orders.component(name(), t(), technology=t(), id="handler")
    topic = kafka.topic(name(), t(), partitions=3, key="order_id", retention="7d", id="topic")
    exchange = rabbit.exchange(amqp(name()), t(), type="topic", id="exchange")
    queue = rabbit.queue(amqp(name()), t(), bind=exchange, routing_key="#", dead_letter=t(), id="queue")

    placed = _event("Placed", name() + " #1", t(), key="order_id")
    told = _event("Told", name() + " #2", t())

    person.uses(api, t(), technology=t())
    api.uses(orders, t(), technology=t())
    orders.uses(db, t(), technology=t())
    orders.uses(bank, t(), technology=t())
    handler.uses(db, t())
    orders.publishes(placed, on=topic)
    api.consumes(placed, on=topic, group=t())
    api.publishes(told, on=exchange, routing_key=t())
    orders.consumes(told, on=queue)
    api.reacts(placed, t(), publishes=[told])
    orders.reacts(told, t())

    flow = ws.flow(name(), t(), id="flow")
    flow.call(person, api, t())
    flow.call(api, orders, t(), technology=t())
    flow.note(orders, t())
    flow.publish(orders, placed)
    flow.reply(orders, api, t())
    with flow.alt():
        with flow.case(t()):
            flow.consume(api, placed)
        with flow.case(t()):
            flow.call(orders, db, t())
    with flow.parallel():
        with flow.branch(t()):
            flow.note(api, t())
        with flow.branch(t()):
            flow.call(orders, bank, t())
    flow.trace(placed)
    ws.resolve()
    return ws


def amqp(name: str) -> str:
    """RabbitMQ names are at most 255 bytes (the model refuses longer ones)."""
    return named(name.encode("utf-8")[:255].decode("utf-8", "ignore"))


def _event(cls_name: str, name: str, doc: str, **kwargs: Any) -> type[Event]:
    namespace = {"__doc__": doc, "__annotations__": {"order_id": str, "note": str}, "__module__": __name__}
    return type(cls_name, (Event,), namespace, version=1, name=name, **kwargs)  # type: ignore[call-arg]


def text_formats() -> list[str]:
    """Every registered format except pictures (PlantUML pictures are checked in one batch by the tests)."""
    return [f for f in expand_formats(None) if registry()[f].preview != "picture"]


def drawn_without_pictures() -> list[str]:
    """`text_formats()` less those made from pictures (the site inlines the SVGs): what `archkit render -f`
    can write without drawing, so a test of the writer does not wait for PlantUML."""
    return [f for f in text_formats() if not registry()[f].implies]


def render_all(ws: Workspace, options: RenderOptions | None = None,
               formats: list[str] | None = None) -> list[OutputFile]:
    """Every text format registered at the time (or `formats`), and the index pages that link them."""
    return render_files(Path("/nonexistent"), [ws], formats or text_formats(), options or RenderOptions()).files


def write(files: list[OutputFile], root: Path) -> dict[str, Path]:
    written = {}
    for file in files:
        target = root / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)
        written[file.path.split("/", 1)[1]] = target  # drop the workspace folder: it follows the hostile name
    return written
