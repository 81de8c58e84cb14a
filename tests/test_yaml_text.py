"""The YAML writer of AsyncAPI documents: whatever plain data goes in, PyYAML reads the same data back."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from archkit.renderers.yaml_text import dump

HOSTILE = ["yes", "No", "null", "~", "1.0.0", "0x1F", "1e3", ".inf", "- item", "#comment", "a: b", "key #x",
           "!include /etc/passwd", "&anchor", "*alias", "|", ">", "@enduml", "%TAG", "'single'", '"double"',
           "line\nbreak", "trailing \n", "\ttab", " lead", "\u2028sep", "\x85nel", "\ufeffbom", "Привет 🍕",
           "", "\n", "a\n\n", "<script>alert(1)</script>", "{{ x }}", "$ref", "x" * 300]

text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), text,
                    st.floats(allow_nan=False, allow_infinity=False))
data = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(text, inner, max_size=4)), max_leaves=25)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.dictionaries(text, data, max_size=6))
def test_pyyaml_reads_back_exactly_what_was_written(document):
    assert yaml.safe_load(dump(document)) == document


def test_multi_line_text_is_a_readable_block():
    out = dump({"description": "An order was accepted.\nNo money was charged yet."})
    assert out == "description: |-\n  An order was accepted.\n  No money was charged yet.\n"


def test_no_string_becomes_a_tag_anchor_or_directive():
    out = dump({s: s for s in HOSTILE})
    for line in out.splitlines():
        assert not line.lstrip().startswith(("!", "&", "*", "%", "@", "'", "|", ">")) or line.strip() in ("|", "|-")
