"""The YAML writer of AsyncAPI documents: whatever plain data goes in, PyYAML reads the same data back."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from archkit.formats.yaml_text import Memo, SameObjects, dump

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


ENTRIES = (("channels", "*"), ("components", "*", "*"))
documents = st.fixed_dictionaries({
    "channels": st.dictionaries(text, st.dictionaries(text, data, max_size=4), max_size=4),
    "components": st.dictionaries(text, st.dictionaries(text, st.dictionaries(text, data, max_size=3), max_size=3),
                                  max_size=3),
    "other": data,
})


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(documents, min_size=1, max_size=4))
def test_a_memo_gives_the_same_text_as_writing_afresh(batch):
    memo = Memo()
    for document in batch + batch:  # the second round finds every entry in the memo
        assert dump(document, memo, ENTRIES) == dump(document)


def test_entries_that_are_equal_but_of_other_types_are_not_confused():
    memo = Memo()
    variants = [{"channels": {"a": {"x": value}}} for value in (1, True, 1.0, "1")]
    texts = [dump(document, memo, ENTRIES) for document in variants + variants]
    assert texts[:4] == [dump(document) for document in variants]
    assert texts[4:] == texts[:4]
    assert len({*texts[:4]}) == 4  # 1, true, 1.0 and '1' each keep their own text
    assert len(memo) == 4


def test_a_memo_stays_within_its_bound_and_keeps_writing_correctly():
    memo = Memo(limit=2_000)
    for n in range(200):  # every document differs: nothing is ever found again
        document = {"channels": {f"c{i}": {"n": n, "i": i, "text": "x" * 50} for i in range(3)}}
        assert dump(document, memo, ENTRIES) == dump(document)
    assert memo.stored_bytes <= 2 * 2_000 + 1_000  # two generations, the last entry may overshoot


def test_an_entry_of_the_old_generation_is_found_there_not_written_again():
    memo = Memo(limit=1_000)
    shared = {"channels": {"shared": {"address": "orders", "description": "y" * 100}}}
    dump(shared, memo, ENTRIES)
    n = 0
    while not memo._old:  # other entries until the generation that holds it is the old one
        dump({"channels": {f"c{n}": {"n": n, "text": "x" * 100}}}, memo, ENTRIES)
        n += 1
    before = memo.stored_bytes
    assert dump(shared, memo, ENTRIES) == dump(shared)
    assert memo.stored_bytes == before  # moved back to the new generation, not stored a second time


SHARED = (("channels", "*"), ("components", "*", "*"))


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.dictionaries(text, data, max_size=4), st.dictionaries(text, data, max_size=3)),
                min_size=1, max_size=4))
def test_shared_objects_and_prefixes_give_the_same_text_as_writing_afresh(pairs):
    """Documents that share entries by identity, some of them another entry with more after it."""
    prefixes = {}
    entries = []
    for base, extra in pairs:
        extended = {**base, **{k: v for k, v in extra.items() if k not in base}}
        if len(extended) > len(base):
            prefixes[id(extended)] = (extended, base)
        entries += [base, extended]
    batch = [{"channels": {f"c{i}": entry for i, entry in enumerate(entries[start:])},
              "components": {"messages": {f"m{i}": entry for i, entry in enumerate(reversed(entries))}}}
             for start in range(len(entries))]
    memo = SameObjects(prefixes)
    for document in batch:
        assert dump(document, memo, SHARED) == dump(document)


def test_an_entry_is_found_again_however_its_strings_are_shared_meanwhile():
    memo = Memo()
    document = {"channels": {"c": {"type": "".join(["num", "ber"]), "title": "".join(["Val", "ue"])}}}
    dump(document, memo, ENTRIES)
    held = list(document["channels"]["c"].values())  # its strings now referenced from elsewhere too
    assert dump(document, memo, ENTRIES) == dump(document)
    assert len(memo) == 1 and held
