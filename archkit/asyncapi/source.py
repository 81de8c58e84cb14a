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
        loader = _Loader("")
        try:
            return loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise AsyncApiError(f"not valid YAML: {problem}", source, mark.line + 1 if mark else None) from None


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
