"""Internal `$ref`s of a document: JSON pointers (RFC 6901), followed without ever leaving the document.

References to other local files are bundled into the document first (`external_refs`); URLs are
refused rather than fetched: reading a document must never reach the network on the document's say-so.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

_MAX_HOPS = 64  # more nested references than any real document has: a cycle


class RefError(ValueError):
    """A `$ref` that is external, malformed, dangling or circular; the reader adds file and line."""


def escape(token: str) -> str:
    """One JSON pointer token: '~' -> '~0', '/' -> '~1'."""
    return token.replace("~", "~0").replace("/", "~1")


@lru_cache(maxsize=1 << 16)
def pointer(*tokens: str) -> str:
    """A document-local reference such as '#/components/schemas/Money' (remembered: a large model's
    documents ask for the same ones tens of thousands of times)."""
    return "#/" + "/".join(escape(t) for t in tokens)


def split_pointer(ref: str) -> list[str]:
    """The unescaped tokens of '#/a/b~1c' -> ['a', 'b/c']; RefError for anything not document-local."""
    if isinstance(ref, str) and len(urlsplit(ref).scheme) > 1:
        raise RefError(f"$ref {ref!r} is a URL: archkit never fetches references; copy the file beside the "
                       "document and refer to it by a relative path")
    if not isinstance(ref, str) or not ref.startswith("#"):
        raise RefError(f"$ref {ref!r} points outside the document; only internal references ('#/...') are read")
    fragment = unquote(ref[1:])
    if fragment == "":
        return []
    if not fragment.startswith("/"):
        raise RefError(f"$ref {ref!r} is not a JSON pointer")
    return [t.replace("~1", "/").replace("~0", "~") for t in fragment[1:].split("/")]


def lookup(document: Any, ref: str, _depth: int = 0) -> Any:
    """The node `ref` points at. A Reference Object met on the way is followed, as AsyncAPI tools do
    (`#/channels/a/messages/m` where channel `a` is itself a `$ref`); the final node is not chased. A node
    that has the next token itself (a JSON Schema with `$ref` beside its `definitions`) is descended into,
    not followed: its `$ref` may point into that very node."""
    if _depth > _MAX_HOPS:
        raise RefError(f"$ref cycle while resolving {ref!r}")
    node = document
    for token in split_pointer(ref):
        if is_ref(node) and token not in node:
            node = lookup(document, node["$ref"], _depth + 1)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise RefError(f"$ref {ref!r} points at nothing (no {token!r})")
    return node


def is_ref(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def deref(document: Any, node: Any) -> Any:
    """Follow a chain of Reference Objects to the object they name; RefError on a loop."""
    seen: list[str] = []
    while is_ref(node):
        ref = node["$ref"]
        if ref in seen:
            raise RefError(f"$ref cycle: {' -> '.join([*seen, ref])}")
        seen.append(ref)
        node = lookup(document, ref)
    return node


def ref_target(node: Any) -> str | None:
    """The `$ref` string of a Reference Object, else None."""
    return node["$ref"] if is_ref(node) else None
