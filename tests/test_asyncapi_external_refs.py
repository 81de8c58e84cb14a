"""Documents split over files ($refs to other local files) and payloads in other schema formats, through
`archkit diff` as a user runs it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from asyncapi_support import MULTI_FORMAT

DOC = """\
asyncapi: 3.1.0
info: {title: Split, version: '1'}
channels:
  nodes:
    address: nodes
    messages:
      changed:
        $ref: 'common/messages.yaml#/nodeChanged'
operations:
  publish:
    action: send
    channel: {$ref: '#/channels/nodes'}
"""
MESSAGES = """\
nodeChanged:
  payload:
    $ref: './schemas.yaml#/Node'
"""
SCHEMAS = """\
Node:
  type: object
  required: [id]
  properties:
    id: {type: string}
    parent: {$ref: '#/Node'}
    owner: {$ref: '../people/people.yaml#/Person'}
Team:
  type: object
  properties:
    lead: {$ref: '../people/people.yaml#/Person'}
"""
PEOPLE = """\
Person:
  type: object
  properties:
    name: {type: string}
    team: {$ref: '../common/schemas.yaml#/Team'}
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder / next(iter(files))


def split(folder: Path, **changes: str) -> Path:
    files = {"api/asyncapi.yaml": DOC, "api/common/messages.yaml": MESSAGES, "api/common/schemas.yaml": SCHEMAS,
             "api/people/people.yaml": PEOPLE}
    return write(folder, {**files, **changes})


def diff(cli, old: Path, new: Path, *options: str):
    result = cli("diff", old, new, "--format", "json", *options)
    return result.exit_code, (json.loads(result.stdout)["findings"] if result.exit_code in (0, 1) else result.output)


def test_files_referring_to_each_other_in_a_ring_are_read_once_each(cli, tmp_path):
    doc = split(tmp_path / "old")
    assert diff(cli, doc, doc, "--root", tmp_path) == (0, [])


def test_a_change_in_a_referenced_file_is_judged(cli, tmp_path):
    old = split(tmp_path / "old")
    new = split(tmp_path / "new", **{"api/people/people.yaml": PEOPLE.replace("{type: string}", "{type: integer}")})
    code, found = diff(cli, old, new, "--root", tmp_path)
    assert code == 1
    assert {(f["rule"], f["path"]) for f in found} == {("AK-C101", "$.properties.owner.properties.name"),
                                                       ("AK-C101", "$.properties.parent.properties.owner.properties.name")}


@pytest.mark.parametrize(("ref", "message"), [
    ("../../outside.yaml#/nodeChanged", "leaves the root folder"),
    ("common/missing.yaml#/nodeChanged", "no such file"),
    ("https://example.com/messages.yaml#/nodeChanged", "is a URL: archkit never fetches references"),
    ("file:///etc/passwd", "is a URL: archkit never fetches references"),
])
def test_a_reference_out_of_bounds_is_a_one_line_error_at_its_line(cli, tmp_path, ref, message):
    (tmp_path / "outside.yaml").write_text(MESSAGES, encoding="utf-8")
    doc = split(tmp_path / "old", **{"api/asyncapi.yaml": DOC.replace("common/messages.yaml#/nodeChanged", ref)})
    code, output = diff(cli, doc, doc, "--root", tmp_path / "old" / "api")
    assert code == 2
    assert output.startswith(f"{doc}:8: error: $ref {ref!r}"), output
    assert message in output and "Traceback" not in output and output.count("\n") == 1


def test_a_reference_cycle_across_files_is_an_error(cli, tmp_path):
    doc = split(tmp_path / "old", **{"api/common/messages.yaml": "nodeChanged: {$ref: '../asyncapi.yaml#/loop'}\n",
                                     "api/asyncapi.yaml": DOC + "loop: {$ref: 'common/messages.yaml#/nodeChanged'}\n"})
    code, output = diff(cli, doc, doc, "--root", tmp_path)
    assert code == 2 and "$ref cycle" in output, output


PROTOBUF = MULTI_FORMAT.replace("FORMAT", "application/vnd.google.protobuf;version=3").replace(
    "SCHEMA", "'message UserCreated { string id = 1; }'")


def test_another_schema_format_is_read_and_a_change_to_it_is_a_warning_not_a_rejection(cli, tmp_path):
    old = write(tmp_path / "old", {"proto.yaml": PROTOBUF})
    assert diff(cli, old, old) == (0, [])
    new = write(tmp_path / "new", {"proto.yaml": PROTOBUF.replace("string id = 1", "int64 id = 1")})
    code, found = diff(cli, old, new)
    assert code == 0
    assert [(f["rule"], f["severity"], f["event"]) for f in found] == [("AK-C113", "warning", "changed")]
    assert "application/vnd.google.protobuf;version=3" in found[0]["message"] and "not judged" in found[0]["message"]


RECORD = {"type": "record", "name": "UserCreated", "fields": [{"name": "id", "type": "string"}]}
WITH_EMAIL = {**RECORD, "fields": [*RECORD["fields"], {"name": "email", "type": "string"}]}


@pytest.mark.parametrize("fmt", ["application/vnd.apache.avro;version=1.9.0", "application/vnd.apache.avro+json",
                                 "application/vnd.apache.avro+yaml;version=1.9.0"])
def test_avro_payloads_in_documents_are_judged_by_avro_rules(cli, tmp_path, fmt):
    def doc(name: str, schema: dict) -> Path:
        return write(tmp_path / name, {"a.yaml": MULTI_FORMAT.replace("FORMAT", fmt).replace("SCHEMA", json.dumps(schema))})

    old, added = doc("old", RECORD), doc("added", WITH_EMAIL)
    assert diff(cli, old, old) == (0, [])
    code, found = diff(cli, old, added, "--compat", "BACKWARD")
    assert code == 1 and found[0]["rule"] == "AK-C101" and "reader field missing default value (email)" in found[0]["message"]
    assert diff(cli, old, added, "--compat", "FORWARD") == (0, [])  # old readers skip the new field
    defaulted = doc("defaulted", {**RECORD, "fields": [*RECORD["fields"],
                                                       {"name": "email", "type": "string", "default": ""}]})
    assert diff(cli, old, defaulted, "--compat", "FULL") == (0, [])


MODEL = '''
from archkit import Event, Workspace

ws = Workspace("Split")
app = ws.system("Platform")
split = app.container("Split", technology="Python")
kafka = app.broker("Kafka", kind="kafka", technology="Kafka")


class NodeChanged(Event, name="nodeChanged"):
    id: str
    parent: dict | None = None


topic = kafka.topic("nodes")
split.publishes(NodeChanged, on=topic)
'''


def test_lint_baseline_reads_a_split_document_inside_the_project(cli, tmp_path, monkeypatch):
    """The folder of the configuration bounds the references: api/asyncapi.yaml may refer to api/common/."""
    split(tmp_path)
    (tmp_path / "archkit.toml").write_text('models = ["model.py"]\n', encoding="utf-8")
    (tmp_path / "model.py").write_text(MODEL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("lint", "--baseline", "api/asyncapi.yaml", "--select", "AK-C", "--format", "json")
    assert result.exit_code == 1, result.output  # read: the model's payload differs from the document's
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} == {"AK-C101"}
    outside = tmp_path / "api" / "asyncapi.yaml"
    outside.write_text(DOC.replace("common/messages.yaml", "../../elsewhere.yaml"), encoding="utf-8")
    result = cli("lint", "--baseline", "api/asyncapi.yaml")
    assert result.exit_code == 2 and "leaves the root folder" in result.stderr, result.output
