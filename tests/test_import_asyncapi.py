"""`archkit import asyncapi`: asyncapi/spec's examples become model packages that ruff accepts, and the
documents rendered from them still carry every contract of the original (`archkit diff` exits 0).

The round trip is judged on the generated document that holds the original's channels: the service
document of the original's title, else the broker's document; and no payload may have been dropped (an
event without the payload's fields). Examples whose payloads use what a pydantic model cannot say exactly
are listed in GAPS with the reason; they must still fail (strict), so the table moves when the importer
improves.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from asyncapi_support import DATA

from archkit.model.ids import slugify

EXAMPLES = DATA / "asyncapi-spec-examples"
DOCUMENTS = sorted(p for p in EXAMPLES.rglob("*.y*ml") if p.parent.name != "common")
REPO = Path(__file__).resolve().parent.parent

#: example -> why its round trip still reports a breaking change, or its events lack a payload's fields
GAPS = {
    "adeo-kafka-request-reply-asyncapi.yml": "its Avro payloads are only URLs, never fetched: the events have no fields",
}


def imported(cli, documents: list[Path], out: Path) -> Path:
    result = cli("import", "asyncapi", *documents, "-o", out, "--root", EXAMPLES)
    assert result.exit_code == 0, result.output
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--config", REPO / "pyproject.toml", out],
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    return out


def rendered(cli, package: Path, out: Path) -> dict[Path, dict]:
    result = cli("render", package, "-f", "asyncapi", "-o", out)
    assert result.exit_code == 0, result.output
    return {p: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("asyncapi/*.yaml"))}


def counterpart(original: Path, generated: dict[Path, dict]) -> Path:
    """The generated document for `original`: the service document of its title when that holds all its
    channels (dead-letter queues aside: a model names them as a queue's setting), else the one holding most."""
    doc = yaml.safe_load(original.read_text(encoding="utf-8"))
    channels = (doc.get("channels") or {}).items()
    wanted = {(c.get("address") if isinstance(c, dict) else None) or cid for cid, c in channels
              if not (isinstance(c, dict) and c.get("x-dead-letter-of"))}

    def rank(path: Path) -> tuple[bool, int]:
        held = wanted & {c["address"] for c in generated[path]["channels"].values()}
        return (not (held == wanted and path.stem == slugify(doc["info"]["title"])), -len(held))

    return min(sorted(generated), key=rank)


def round_trip(cli, original: Path, generated: dict[Path, dict]):
    result = cli("diff", original, counterpart(original, generated), "--root", EXAMPLES, "--format", "json")
    return result.exit_code, json.loads(result.stdout)["findings"] if result.exit_code in (0, 1) else result.output


@pytest.mark.parametrize("document", [
    pytest.param(d, marks=pytest.mark.xfail(strict=True, reason=GAPS[d.name]) if d.name in GAPS else ())
    for d in DOCUMENTS], ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_round_trips(cli, tmp_path, document):
    package = imported(cli, [document], tmp_path / "model")
    code, found = round_trip(cli, document, rendered(cli, package, tmp_path / "out"))
    assert code == 0, found
    assert [f for f in found if f["severity"] == "error"] == []
    assert "the event has no fields" not in (package / "__init__.py").read_text(encoding="utf-8")  # nothing dropped


def test_the_round_trip_table():
    assert len(DOCUMENTS) == 24 and len(DOCUMENTS) - len(GAPS) == 23


def test_several_documents_merge_their_shared_channels(cli, tmp_path):
    social = sorted((EXAMPLES / "social-media").glob("*/asyncapi.yaml"))
    package = imported(cli, social, tmp_path / "social")
    source = (package / "__init__.py").read_text(encoding="utf-8")
    assert source.count('.topic("comment/liked"') == 1  # declared in four of the documents, once in the model
    for title in ("Website Backend", "Comments Service", "Notifications Service", "Public API", "Website WebSocket Client"):
        assert f'system.container("{title}")' in source
    generated = rendered(cli, package, tmp_path / "out")
    for document in social:
        assert round_trip(cli, document, generated) == (0, []), document


def test_what_the_model_cannot_say_heads_the_file(cli, tmp_path):
    package = imported(cli, [EXAMPLES / "adeo-kafka-request-reply-asyncapi.yml"], tmp_path / "adeo")
    head = (package / "__init__.py").read_text(encoding="utf-8").split('"""', 1)[0]
    assert head.startswith("# Imported by `archkit import asyncapi` from: adeo-kafka-request-reply-asyncapi.yml.")
    assert "message CostingRequestV1: its Avro payload is only a URL, never fetched" in head
    assert 'format="avro"' in (package / "__init__.py").read_text(encoding="utf-8")


def test_the_payload_classes_come_from_the_generator(cli, tmp_path):
    package = imported(cli, [EXAMPLES / "streetlights-kafka-asyncapi.yml"], tmp_path / "lights")
    payloads = (package / "payloads.py").read_text(encoding="utf-8")
    assert "class LightMeasured(BaseModel):" in payloads and "MISSING" in payloads
    model = (package / "__init__.py").read_text(encoding="utf-8")
    assert 'class LightMeasured(payloads.LightMeasured, Event, name="lightMeasured"):' in model


def test_an_unreadable_document_writes_nothing(cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("asyncapi: 3.0.0\ninfo: {title: T\n", encoding="utf-8")
    result = cli("import", "asyncapi", broken, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{broken}:3: error: not valid YAML") and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_archkits_own_documents_round_trip_kafka_and_rabbitmq(cli, spec_model, tmp_path):
    """Every document of the contract model (Kafka topics with keys and partitions, RabbitMQ exchanges,
    bound queues, routing keys and dead-letter queues, x-service operations) comes back unchanged."""
    originals = rendered(cli, spec_model, tmp_path / "original")
    assert len(originals) == 7
    sources = {}
    for document in originals:
        package = imported(cli, [document], tmp_path / document.stem / "model")
        sources[document.stem] = (package / "__init__.py").read_text(encoding="utf-8")
        result = cli("diff", document, counterpart(document, rendered(cli, package, tmp_path / document.stem / "out")),
                     "--format", "json")
        assert (result.exit_code, json.loads(result.stdout)["findings"]) == (0, []), (document.name, result.stdout)
    rabbit = sources["rabbitmq"]
    assert 'kind="rabbitmq"' in rabbit and ".exchange(" in rabbit and "bind=" in rabbit and "routing_key=" in rabbit
    assert "partitions=" in sources["kafka"] and 'key="order_id"' in sources["kafka"]


def test_correlation_ids_requests_and_consumer_groups_are_carried(cli, tmp_path, spec_model):
    """What the model can say of how a message is used: `correlation_id=` (a payload field; one in a header
    is noted), `kind="command"` for the request of an operation with a reply, `group=` from a Kafka groupId."""
    kraken = (imported(cli, [EXAMPLES / "kraken-websocket-request-reply-message-filter-in-reply-asyncapi.yml"],
                       tmp_path / "kraken") / "__init__.py").read_text(encoding="utf-8")
    assert 'class Ping(payloads.Ping, Event, correlation_id="reqid", name="ping", kind="command"):' in kraken
    assert 'class Pong(payloads.Pong, Event, correlation_id="reqid", name="pong"):' in kraken  # the reply
    assert 'element' not in kraken  # a channel at '/' has no name of its own: its channel key names it
    seven = (imported(cli, [EXAMPLES / "kraken-websocket-request-reply-multiple-channels-asyncapi.yml"],
                      tmp_path / "kraken7") / "__init__.py").read_text(encoding="utf-8")
    # seven channels at address '/': each keeps its channel key as its id (lowercase, as ids are)
    assert 'ping = broker.topic("/", id="ping")' in seven and 'broker.topic("/", id="systemstatus")' in seven
    headers = (imported(cli, [EXAMPLES / "correlation-id-asyncapi.yml"], tmp_path / "light") / "__init__.py")
    source = headers.read_text(encoding="utf-8")
    assert 'correlation_id="sentAt"' in source
    assert "message lightMeasured: its correlation id ($message.header#/MQMD/CorrelId) is no field" in source
    kafka = rendered(cli, spec_model, tmp_path / "own")
    groups = (imported(cli, [next(p for p in kafka if p.stem == "kafka")], tmp_path / "own-model") / "__init__.py")
    assert ', group="' in groups.read_text(encoding="utf-8")
