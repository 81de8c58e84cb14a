"""Loading a document's text safely (YAML or JSON, never executed) and finding the line of a path in it."""

from __future__ import annotations

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
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise AsyncApiError(f"not valid YAML: {problem}", source, mark.line + 1 if mark else None) from None


def line_of(text: str, path: list[str]) -> int | None:
    """The 1-based line where the value at `path` starts (the deepest part of it that exists), if known."""
    return line_finder(text)(path)


def line_finder(text: str, *, key_lines: bool = False) -> Callable[[list[str]], int | None]:
    """`line_of` for many paths in one document, the text composed once.

    `key_lines`: the line of the key naming the value (`OrderPlaced:`), where a reviewer looks, rather
    than the value's first line.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        root = None

    def find(path: list[str]) -> int | None:
        node, line = root, None
        for token in path:
            if isinstance(node, yaml.MappingNode):
                match = [(key, value) for key, value in node.value if isinstance(key, yaml.ScalarNode) and key.value == token]
                if not match:
                    break
                key, node = match[0]
                line = (key if key_lines else node).start_mark.line + 1
                continue
            if isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
                node = node.value[int(token)]
            else:
                break
            line = node.start_mark.line + 1
        return line

    return find
