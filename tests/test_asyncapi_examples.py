"""The 24 example documents of asyncapi/spec (tests/data/asyncapi-spec-examples, Apache-2.0): every one is
read, diffs against itself with no finding, and every scripted change to it is classified right.

Mutations are made on a copy of the example folder, following `$ref`s into the file that holds the
object (social-media's payloads live in common/schemas.yaml), as an author editing them would.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from asyncapi_support import DATA

EXAMPLES = DATA / "asyncapi-spec-examples"
DOCUMENTS = sorted(p for p in EXAMPLES.rglob("*.y*ml") if p.parent.name != "common")


def test_all_24_example_documents_are_vendored():
    assert len(DOCUMENTS) == 24
    assert (EXAMPLES / "NOTICE").is_file()


def findings(cli, old: Path, new: Path, root: Path = EXAMPLES) -> tuple[int, list[dict[str, Any]]]:
    result = cli("diff", old, new, "--format", "json", "--root", root)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_is_read_and_self_diffs_clean(cli, document):
    assert findings(cli, document, document) == (0, [])


class Tree:
    """A copy of the examples; objects found through `$ref`s (in any file) are edited in place, then saved."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "examples"
        shutil.copytree(EXAMPLES, self.root)
        self.files: dict[Path, Any] = {}

    def data(self, path: Path) -> Any:
        path = path.resolve()
        if path not in self.files:
            self.files[path] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return self.files[path]

    def resolve(self, file: Path, node: Any) -> tuple[Path, Any]:
        """The object a (chain of) Reference Object(s) names, and the file it is in."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            location, _, fragment = node["$ref"].partition("#")
            if location.startswith("http"):
                return file, None
            file = (file.parent / location).resolve() if location else file
            node = self.data(file)
            for token in [t.replace("~1", "/").replace("~0", "~") for t in fragment.split("/") if t]:
                node = node[int(token)] if isinstance(node, list) else node[token]
        return file, node

    def save(self) -> None:
        for path, data in self.files.items():
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _messages(tree: Tree, doc_path: Path):
    """(channel id, message id, message object, its file) of every channel's message, in document order."""
    doc = tree.data(doc_path)
    for cid, channel in (doc.get("channels") or {}).items():
        cfile, channel = tree.resolve(doc_path, channel)
        for mid, message in ((channel or {}).get("messages") or {}).items():
            mfile, message = tree.resolve(cfile, message)
            if message is not None:
                yield cid, mid, message, mfile


def _payload(tree: Tree, message: dict[str, Any], file: Path) -> dict[str, Any] | None:
    """The JSON Schema object payload of a message with properties (not a multi-format one), or None."""
    pfile, payload = tree.resolve(file, message.get("payload"))
    if isinstance(payload, dict) and "schemaFormat" in payload:
        return None
    return payload if isinstance(payload, dict) and isinstance(payload.get("properties"), dict) else None


def add_required_property(tree: Tree, doc: Path) -> bool:
    for _, _, message, file in _messages(tree, doc):
        payload = _payload(tree, message, file)
        if payload is not None:
            payload["properties"]["addedByTest"] = {"type": "string"}
            payload["required"] = [*payload.get("required", []), "addedByTest"]
            return True
    return False


def remove_required_property(tree: Tree, doc: Path) -> bool:
    for _, _, message, file in _messages(tree, doc):
        payload = _payload(tree, message, file)
        if payload is not None:
            name = (payload.get("required") or list(payload["properties"]))[0]
            if name not in payload["properties"]:
                continue
            payload["required"] = sorted({*payload.get("required", []), name})  # made required first (see test)
            return True
    return False


def change_a_type(tree: Tree, doc: Path) -> bool:
    for _, _, message, file in _messages(tree, doc):
        payload = _payload(tree, message, file)
        for prop in (payload or {}).get("properties", {}).values():
            if isinstance(prop, dict) and isinstance(prop.get("type"), str) and "enum" not in prop:
                prop["type"] = "boolean" if prop["type"] != "boolean" else "string"
                prop.pop("format", None)
                return True
    return False


def remove_a_message(tree: Tree, doc: Path) -> bool:
    data = tree.data(doc)
    for cid, raw in (data.get("channels") or {}).items():
        if "$ref" in raw or len(raw.get("messages") or {}) < 2:
            continue
        mid = list(raw["messages"])[-1]
        del raw["messages"][mid]
        gone = f"#/channels/{cid}/messages/{mid}"
        for op in (data.get("operations") or {}).values():
            for field in ("messages",):
                if isinstance(op.get(field), list):
                    op[field] = [m for m in op[field] if m.get("$ref") != gone]
            reply = op.get("reply")
            if isinstance(reply, dict) and isinstance(reply.get("messages"), list):
                reply["messages"] = [m for m in reply["messages"] if m.get("$ref") != gone]
        return True
    return False


def remove_a_channel(tree: Tree, doc: Path) -> bool:
    data = tree.data(doc)
    channels = data.get("channels") or {}
    if len(channels) < 2:
        return False
    cid = list(channels)[-1]
    del channels[cid]
    prefix = f"#/channels/{cid}"
    for oid, op in list((data.get("operations") or {}).items()):
        if json.dumps(op).count(f'"{prefix}') or json.dumps(op).count(f'"{prefix}/'):
            del data["operations"][oid]
    return True


def fewer_partitions(tree: Tree, doc: Path) -> bool:
    for raw in (tree.data(doc).get("channels") or {}).values():
        kafka = (raw.get("bindings") or {}).get("kafka") or {}
        if isinstance(kafka.get("partitions"), int) and kafka["partitions"] > 1:
            kafka["partitions"] -= 1
            return True
    return False


#: mutation -> (how to make it, the rule it must raise)
MUTATIONS = {
    "required property added": (add_required_property, "AK-C101"),
    "required property removed": (remove_required_property, "AK-C101"),
    "type changed": (change_a_type, "AK-C101"),
    "message removed": (remove_a_message, "AK-C102"),
    "channel removed": (remove_a_channel, "AK-C103"),
    "fewer partitions": (fewer_partitions, "AK-C104"),
}


def _cases() -> list[Any]:
    """Every (document, mutation) pair the mutation applies to (tried on a scratch copy at collection)."""
    import tempfile

    cases = []
    with tempfile.TemporaryDirectory() as scratch:
        for document in DOCUMENTS:
            for name, (mutate, _rule) in MUTATIONS.items():
                tree = Tree(Path(scratch) / f"{len(cases)}-{name}".replace(" ", "-"))
                if mutate(tree, tree.root / document.relative_to(EXAMPLES)):
                    cases.append(pytest.param(document, name, id=f"{document.relative_to(EXAMPLES)}: {name}"))
                shutil.rmtree(tree.root)
    return cases


CASES = _cases()


def test_the_mutation_table_covers_every_kind_of_change():
    kinds = {case.values[1] for case in CASES}
    assert kinds == set(MUTATIONS)
    assert len(CASES) >= 60, len(CASES)


@pytest.mark.parametrize(("document", "mutation"), CASES)
def test_scripted_changes_are_classified(cli, tmp_path, document, mutation):
    mutate, rule = MUTATIONS[mutation]
    tree = Tree(tmp_path)
    target = tree.root / document.relative_to(EXAMPLES)
    if mutation == "required property removed":
        # the baseline has the property required; the change drops it (old readers still demand it)
        assert mutate(tree, target)
        tree.save()
        baseline = tmp_path / "baseline"
        shutil.copytree(tree.root, baseline)
        for _, _, message, file in _messages(tree, target):
            payload = _payload(tree, message, file)
            if payload is not None and payload.get("required"):
                name = payload["required"][0]
                payload["required"].remove(name)
                del payload["properties"][name]
                break
        tree.save()
        old = baseline / document.relative_to(EXAMPLES)
    else:
        old = document
        assert mutate(tree, target)
        tree.save()
    code, found = findings(cli, old, target, tmp_path)
    assert code == 1, found
    assert rule in {f["rule"] for f in found if f["severity"] == "error"}, found
