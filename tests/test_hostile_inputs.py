"""Hostile names and descriptions, in every label position, rendered in every registered format.

Hypothesis writes the labels (quotes, newlines, backslashes, `!include`, `@enduml`, `%`, `$`, `{{ }}`,
`<script>`, `end`, `else`, very long text, bidi and combining characters, emoji, Cyrillic, control
characters and arbitrary Unicode). For each example the same model is also rendered with benign labels,
and the two renders must have the same files, no label may add a source line, and the directive lines
(`!...`, `@...`, `%%...`) must be exactly those the renderer writes itself.

Every output must also be accepted by the tool that reads it: all PlantUML files of all examples go to
the real jar in one batch (one JVM), all Mermaid files to real mermaid in one browser, YAML to
`yaml.safe_load` and JSON to `json.loads` (and, in the tool test, the official AsyncAPI 3.0.0 schema), HTML to `html.parser`, the Structurizr DSL to the structural
reader of tests/test_structurizr.py. A format whose files none of these reads brings its own checks in its
own test module (`check_hostile` and `check_with_tool`, see `format_check`), so adding a format touches
no test but its own.

Examples (derandomized, so CI sees the same ones every run): STRUCTURE_EXAMPLES for the structural and
in-process parser checks; TOOL_EXAMPLES of those also go through PlantUML and Mermaid (about 56 labels
each; mermaid costs about a second per file).
"""

from __future__ import annotations

import importlib
import json
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from asyncapi_support import asyncapi_errors
from hostile import benign, build_model, labels_strategy, render_all, write
from hypothesis import HealthCheck, given, settings
from test_structurizr import check_dsl

from archkit.formats import registry
from archkit.formats.sequence_mermaid import yaml_string
from archkit.formats.sequence_text import mermaid_text, plantuml_text

STRUCTURE_EXAMPLES = 200
TOOL_EXAMPLES = 12
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: same grammar, ten times faster
SETTINGS = {"derandomize": True, "deadline": None, "database": None,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags[tag] += 1


def html_tags(text: str) -> Counter[str]:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.tags


def directives(text: str, suffix: str) -> list[str]:
    """Lines a reader treats as instructions rather than content."""
    marks = {".puml": ("!", "@"), ".mmd": ("%%",)}.get(suffix, ())
    return [line.strip() for line in text.splitlines() if marks and line.lstrip().startswith(marks)]


def format_check(suffix: str, name: str) -> Callable[..., None] | None:
    """The check `name` that the test module of the format writing `suffix` files provides, if any:
    tests/test_<format module>.py with `check_hostile(path, text, benign_text)` (in-process, every example)
    and `check_with_tool(paths)` (the real tool, once for the files of every tool example)."""
    for record in registry().values():
        if record.extension == suffix and record.render is not None:
            try:
                module = importlib.import_module("test_" + record.render.__module__.rsplit(".", 1)[1])
            except ModuleNotFoundError:
                continue
            return getattr(module, name, None)
    return None


def check_parses(path: str, text: str, benign_text: str) -> None:
    """The in-process checks of one output file; PlantUML and Mermaid files are batched for the real tools."""
    suffix = Path(path).suffix
    assert "\x00" not in text, path
    if text == benign_text and suffix not in (".puml", ".mmd"):
        return  # no label in it (a library or licence the site ships): nothing a label could break
    if suffix in (".puml", ".mmd", ".dsl"):
        assert len(text.splitlines()) <= len(benign_text.splitlines()), f"{path}: a label added a source line"
        assert directives(text, suffix) == directives(benign_text, suffix), f"{path}: a label became a directive"
        if suffix == ".dsl":
            check_dsl(text)
    elif suffix in (".yaml", ".yml"):
        assert yaml.load(text, Loader=SafeLoader).keys() == yaml.load(benign_text, Loader=SafeLoader).keys()
    elif suffix == ".json":
        json.loads(text)
    elif suffix in (".html", ".htm"):
        assert not html_tags(text) - html_tags(benign_text), f"{path}: a label created an HTML element"
    elif suffix == ".js":  # the site's data scripts: `window.NAME = <JSON>;` lines, labels only inside the JSON
        assert len(text.splitlines()) == len(benign_text.splitlines()), f"{path}: a label added a line"
        for line, benign_line in zip(text.splitlines(), benign_text.splitlines()):
            name, _, value = line.partition(" = ")
            assert name == benign_line.partition(" = ")[0] and name.startswith("window."), path
            assert "</" not in value, f"{path}: a label can close the script"
            json.loads(value.removesuffix(";"))
    elif suffix == ".md":
        assert len(text.splitlines()) <= len(benign_text.splitlines()), f"{path}: a label added a line"
        assert not html_tags(text) - html_tags(benign_text), f"{path}: a label created an HTML element"
    else:
        own = format_check(suffix, "check_hostile")
        if own is None:
            raise AssertionError(f"{path}: no parser check for {suffix} files: add one here, or `check_hostile` "
                                 "to the format's own test module")
        own(path, text, benign_text)


def _render_pair(labels) -> tuple[dict[str, bytes], dict[str, bytes]]:
    hostile = {f.path.split("/", 1)[1]: f.content for f in render_all(build_model(labels))}
    plain = {f.path.split("/", 1)[1]: f.content for f in render_all(build_model(benign(labels)))}
    assert sorted(hostile) == sorted(plain), "labels changed which files are written"
    return hostile, plain


def test_every_format_parses_and_no_label_becomes_structure():
    seen_formats: set[str] = set()

    @settings(max_examples=STRUCTURE_EXAMPLES, **SETTINGS)
    @given(labels_strategy)
    def run(labels):
        hostile, plain = _render_pair(labels)
        for path, content in hostile.items():
            check_parses(path, content.decode("utf-8"), plain[path].decode("utf-8"))
            seen_formats.add(Path(path).suffix)

    run()
    assert {".puml", ".mmd", ".dsl"} <= seen_formats


def test_real_plantuml_and_mermaid_accept_every_hostile_render(tmp_path, assert_plantuml_renders,
                                                               assert_mermaid_renders):
    written: list[Path] = []
    count = iter(range(10_000))

    @settings(max_examples=TOOL_EXAMPLES, **SETTINGS)
    @given(labels_strategy)
    def run(labels):
        files = write(render_all(build_model(labels)), tmp_path / f"example-{next(count)}")
        written.extend(files.values())

    run()
    for path in written:
        if path.parent.name == "asyncapi":
            text = path.read_text(encoding="utf-8")
            document = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=SafeLoader)
            assert not asyncapi_errors(document), f"{path}: {asyncapi_errors(document)[:3]}"
    assert_plantuml_renders([p for p in written if p.suffix == ".puml"])  # one JVM for the whole batch
    assert_mermaid_renders([p for p in written if p.suffix == ".mmd"])  # one browser for the whole batch
    for suffix in sorted({p.suffix for p in written}):
        tool = format_check(suffix, "check_with_tool")
        if tool is not None:
            tool([p for p in written if p.suffix == suffix])


# Regressions the property tests found in the sequence renderers, pinned as examples.
@pytest.mark.parametrize("label, expected", [
    ("a\u2028b\x85c\u2029d", "a\\nb\\nc\\nd"),  # Java ends a source line at U+2028, U+0085 and U+2029
    ("- item", "&#45; item"),  # `else - item` reads as an arrow
    ("#red x", "&#35;red x"),  # `alt #red x` colours the group and hides the text
    ("\u200b", "&#8203;"),  # PlantUML trims it, leaving `caption` empty: a syntax error
])
def test_sequence_plantuml_escapes(label, expected):
    assert plantuml_text(label) == expected


@pytest.mark.parametrize("label, expected", [
    ("x C4Component y", "x #67;4Component y"),  # mermaid's C4 detector matches anywhere in the text
    ("a\n \nb", "a<br/><br/>b"),  # a blank line in a participant's label breaks mermaid's layout
])
def test_sequence_mermaid_escapes(label, expected):
    assert mermaid_text(label) == expected


def test_mermaid_front_matter_title_is_a_yaml_string():
    assert yaml.safe_load(f"title: {yaml_string('!include_many /etc/*: $x &a *b')}") == {
        "title": "!include_many /etc/*: $x &a *b"}
