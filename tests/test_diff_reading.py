"""`archkit diff` reads a document's YAML as PyYAML's safe loader does, whatever shortcut it takes, and
reports the same errors however its two reads are spread over processes."""

from __future__ import annotations

from pathlib import Path

import yaml

HEAD = """\
asyncapi: 3.0.0
info: {title: Orders, version: '1'}
channels:
  placed:
    address: orders.placed.v1
    messages:
      Placed: {$ref: '#/components/messages/Placed'}
  paid:
    address: orders.paid.v1
    messages:
      Paid: {$ref: '#/components/messages/Paid'}
components:
  messages:
"""

EXPANDED = HEAD + """\
    Placed:
      payload:
        type: object
        required: [order_id, rush]
        properties:
          order_id: {type: string, maxLength: 31}
          rush: {type: boolean, default: true}
          note: {type: 'null'}
    Paid:
      payload:
        type: object
        required: [order_id, rush]
        properties:
          order_id: {type: string, maxLength: 31}
          rush: {type: boolean, default: true}
          amount: {type: number}
"""

#: The same document written with an anchor, aliases, a merge key and YAML 1.1 spellings (0x1f, yes, ~).
SHORTHAND = HEAD + """\
    Placed:
      payload:
        type: object
        required: &required [order_id, rush]
        properties:
          order_id: &order_id {type: string, maxLength: 0x1f}
          rush: &rush {type: boolean, default: yes}
          note: {type: 'null', description: ~}
    Paid:
      payload:
        type: object
        required: *required
        properties:
          <<: {order_id: *order_id, rush: *rush}
          amount: {type: number}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_anchors_merge_keys_and_yaml_1_1_spellings_read_as_their_expanded_form(cli, tmp_path: Path) -> None:
    shorthand = yaml.safe_load(SHORTHAND)
    assert shorthand["components"]["messages"]["Paid"]["payload"]["properties"]["order_id"]["maxLength"] == 31
    expanded, written = _write(tmp_path, "expanded.yaml", EXPANDED), _write(tmp_path, "shorthand.yaml", SHORTHAND)
    for old, new in ((expanded, written), (written, expanded)):
        result = cli("diff", old, new)
        assert result.exit_code == 0, result.output
    narrowed = _write(tmp_path, "narrowed.yaml", SHORTHAND.replace("maxLength: 0x1f", "maxLength: 0x0f"))
    result = cli("diff", written, narrowed)
    assert result.exit_code == 1, result.output
    line = next(n for n, text in enumerate(SHORTHAND.splitlines(), 1) if "  Placed:" in text and "$ref" not in text)
    assert f"narrowed.yaml:{line}:" in result.output  # the message Placed, whose order_id got shorter
    assert "maxLength" in result.output and "Paid" in result.output  # the alias changed with its anchor


def test_when_both_documents_are_broken_the_error_is_about_old(cli, tmp_path: Path) -> None:
    """OLD is read in another process, NEW in this one: the error shown is still OLD's, as when they are
    read one after the other, with its file and line."""
    old = _write(tmp_path, "old.yaml", EXPANDED.replace("  paid:\n", "  paid: [\n"))
    new = _write(tmp_path, "new.yaml", "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\n")
    result = cli("diff", old, new)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{old}:"), result.stderr
    assert "not valid YAML" in result.stderr and "Traceback" not in result.stderr
    result = cli("diff", new, _write(tmp_path, "fine.yaml", EXPANDED))
    assert result.exit_code == 2 and result.stderr.startswith(f"{new}:1:"), result.stderr
    result = cli("diff", _write(tmp_path, "fine.yaml", EXPANDED), new)
    assert result.exit_code == 2 and result.stderr.startswith(f"{new}:1:"), result.stderr
