"""Loading a document's text safely (YAML or JSON, never executed) and finding the line of a path in it."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from archkit.asyncapi.errors import AsyncApiError

# libyaml's parser where PyYAML was built with it: it composes nodes with their marks (the lines findings
# point at) like the pure-Python one, 5-10x faster on large documents.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type, misc]
    """safe_load without YAML 1.1 timestamps: a date stays the string it was written as."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a node, a plain scalar's remembered by its text: libyaml's parser asks for every
        scalar (230,000 in a 1,000-channel document), most of them repeated keys and short values."""
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= _SHORT:
            tag = _plain_tags.get(value)
            if tag is None:
                if len(_plain_tags) >= _KEPT:
                    _plain_tags.clear()
                tag = _plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


_SHORT, _KEPT = 64, 100_000
_plain_tags: dict[str, str] = {}  # a plain scalar's text -> its tag (no path resolvers: the text alone decides)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_source(path_or_text: str | Path) -> tuple[str, str]:
    """(text, name for messages). A Path, or a string without a newline that is not JSON, is a file."""
    if isinstance(path_or_text, Path) or ("\n" not in path_or_text and not path_or_text.lstrip().startswith("{")):
        path = Path(path_or_text)
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise AsyncApiError(f"cannot read the AsyncAPI document: {getattr(exc, 'strerror', None) or exc}", str(path)) from None
    return path_or_text, "<document>"


def parse(text: str, source: str) -> Any:
    """The document's data; JSON when it looks like JSON, else YAML with the safe loader."""
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise AsyncApiError(f"not valid JSON: {exc.msg}", source, exc.lineno) from None
    try:
        root = _compose(text)
        if root is None:
            return None
        loader = _Loader("")
        try:
            try:
                return _Plain(loader).value(root)
            except _NotPlain:  # merge keys, explicit tags, recursive anchors, unhashable keys: PyYAML decides
                return loader.construct_document(root)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise AsyncApiError(f"not valid YAML: {problem}", source, mark.line + 1 if mark else None) from None


class _NotPlain(Exception):
    """A node `_Plain` leaves to PyYAML's constructor."""


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_SCALARS = {"tag:yaml.org,2002:int": "construct_yaml_int", "tag:yaml.org,2002:float": "construct_yaml_float",
            "tag:yaml.org,2002:bool": "construct_yaml_bool", "tag:yaml.org,2002:null": "construct_yaml_null"}


class _Plain:
    """The data of a node tree of plain mappings, lists and scalars, as `construct_document` makes it, in
    one recursive pass: PyYAML's generic constructor (a generator and a dispatch per node) was a fifth
    of reading a large document. Anything else raises `_NotPlain` and the whole tree goes to PyYAML."""

    def __init__(self, loader: _Loader) -> None:
        self.scalar = {tag: getattr(loader, name) for tag, name in _SCALARS.items()}
        self.made: dict[int, Any] = {}  # id(node) -> its value: an alias is the same object, as in PyYAML
        self.open: set[int] = set()  # nodes being made: an alias of one of them is a recursive anchor

    def value(self, node: yaml.Node) -> Any:
        found = self.made.get(id(node), self)
        if found is not self:
            return found
        tag, kind = node.tag, type(node)
        if kind is yaml.ScalarNode:
            if tag == _STR:
                made: Any = node.value
            elif tag in self.scalar:
                made = self.scalar[tag](node)
            else:
                raise _NotPlain
        elif id(node) in self.open:
            raise _NotPlain
        else:
            self.open.add(id(node))
            if kind is yaml.MappingNode and tag == _MAP:
                made = {}
                for key_node, value_node in node.value:
                    if key_node.tag != _STR and key_node.tag not in self.scalar:
                        raise _NotPlain  # '<<' (merge), '=' (value), a collection as a key
                    made[self.value(key_node)] = self.value(value_node)
            elif kind is yaml.SequenceNode and tag == _SEQ:
                made = [self.value(item) for item in node.value]
            else:
                raise _NotPlain
            self.open.discard(id(node))
        self.made[id(node)] = made
        return made


@functools.lru_cache(maxsize=4)
def _compose(text: str) -> yaml.Node | None:
    """The document's node tree, with the marks findings point at; composed once per text, because the
    data (`parse`) and the lines (`line_finder`) of a document are both read from it (a 1.8 MB document
    took 1.5 s to compose)."""
    return yaml.compose(text, Loader=_Loader)


def line_of(text: str, path: list[str]) -> int | None:
    """The 1-based line where the value at `path` starts (the deepest part of it that exists), if known."""
    return line_finder(text)(path)


def line_finder(text: str, *, key_lines: bool = False) -> Callable[[list[str]], int | None]:
    """`line_of` for many paths in one document, the text composed once.

    `key_lines`: the line of the key naming the value (`OrderPlaced:`), where a reviewer looks, rather
    than the value's first line.
    """
    try:
        root = _compose(text)
    except yaml.YAMLError:
        root = None

    children: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}  # id(mapping) -> key -> its first pair

    def child(mapping: yaml.MappingNode, token: str) -> tuple[yaml.Node, yaml.Node] | None:
        """The mapping's first pair under `token`, from an index built once per mapping: a scan of a
        1,000-channel mapping for each of 10,000 findings was most of a large `archkit diff`."""
        index = children.get(id(mapping))
        if index is None:
            index = children[id(mapping)] = {}
            for key, value in mapping.value:
                if isinstance(key, yaml.ScalarNode):
                    index.setdefault(key.value, (key, value))
        return index.get(token)

    def find(path: list[str]) -> int | None:
        node, line = root, None
        for token in path:
            if isinstance(node, yaml.MappingNode):
                match = child(node, token)
                if match is None:
                    break
                key, node = match
                line = (key if key_lines else node).start_mark.line + 1
                continue
            if isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
                node = node.value[int(token)]
            else:
                break
            line = node.start_mark.line + 1
        return line

    return find
