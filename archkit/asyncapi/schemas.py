"""Payload schemas between two homes: self-contained JSON Schemas and a document's `components.schemas`.

A self-contained schema (pydantic's `model_json_schema()`, a lock file's schema) keeps its named
sub-schemas in `$defs` and points at them with `#/$defs/X`. In an AsyncAPI document they live in
`components.schemas` and are shared by every message. `SchemaComponents` hoists them there (writing);
`localize` pulls them back out into `$defs` (reading), so a schema read from a document compares
like with like against one made from a model.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from archkit.asyncapi.external_refs import BUNDLE_KEY
from archkit.asyncapi.refs import RefError, lookup, pointer, split_pointer

_COMPONENT_NAME = re.compile(r"[^\w.\-]")


@lru_cache(maxsize=1 << 14)
def component_name(name: str) -> str:
    """A name `components.schemas` accepts (letters, digits, '.', '-', '_'); remembered, as every
    document asks again for each of its events."""
    return _COMPONENT_NAME.sub("_", name) or "_"


def map_refs(node: Any, rewrite: Callable[[str], str]) -> Any:
    """A deep copy of a schema with every `$ref` string passed through `rewrite`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            out[key] = rewrite(value) if key == "$ref" and isinstance(value, str) else map_refs(value, rewrite)
        return out
    if isinstance(node, list):
        return [map_refs(item, rewrite) for item in node]
    return node


def _asyncapi_copy(node: Any, rewrite: Callable[[str], str]) -> Any:
    """`node` for a document: `$ref`s passed through `rewrite`, as `map_refs` does, and the dialect changed.

    pydantic writes OpenAPI's `discriminator: {propertyName, mapping}`; AsyncAPI's is the property name.
    Only what changes is copied: a part without either is `node`'s own (documents read it, never change it).
    """
    if isinstance(node, dict):
        out = None
        for key, value in node.items():
            new = rewrite(value) if key == "$ref" and isinstance(value, str) else _asyncapi_copy(value, rewrite)
            if new is not value:
                if out is None:
                    out = dict(node)
                out[key] = new
        disc = node.get("discriminator")
        if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str):
            out = dict(node) if out is None else out
            out["discriminator"] = disc["propertyName"]
        return node if out is None else out
    if isinstance(node, list):
        items = [_asyncapi_copy(item, rewrite) for item in node]
        return node if all(new is old for new, old in zip(items, node)) else items
    return node


class SchemaComponents:
    """`components.schemas` of one document, filled one self-contained schema at a time.

    Equal sub-schemas under one name are shared; a different one under a taken name is stored as
    `<owner>.<name>` (and everything that refers to it follows), so two events that each define their
    own `Money` both survive, and the outcome depends only on the order schemas are added.
    """

    def __init__(self, reserved: list[str] | tuple[str, ...] = (), copies: dict[Any, Any] | None = None) -> None:
        """`copies`: rewritten schemas shared by the documents of one model (an event's schema appears in
        its producers', consumers' and broker's documents, and is rewritten the same way in each)."""
        self.schemas: dict[str, Any] = {}
        self._reserved = {component_name(n) for n in reserved}
        self._copies = copies if copies is not None else {}

    def add(self, owner: str, schema: dict[str, Any]) -> dict[str, str]:
        """Store `schema` as component `owner` (with its `$defs` hoisted); returns the `$ref` to it."""
        owner = component_name(owner)
        plain = self._copies.get(("plain", id(schema), owner))
        if plain is not None and plain[0] is schema and not any(
                self._clashes(name, owner, content) for name, content in plain[1]):
            self.schemas.update(plain[1])  # what `_assign_names` gives when no name clashes, as last time
            self.schemas[owner] = plain[2]
            return {"$ref": pointer("components", "schemas", owner)}
        defs: dict[str, Any] = dict(schema["$defs"]) if isinstance(schema.get("$defs"), dict) else {}
        names, rewritten = self._assign_names(owner, defs)
        for name in sorted(defs):
            self.schemas[names[name]] = rewritten[name]
        self.schemas[owner] = body = self._rewrite(schema, owner, names, body=True)
        if all(names[name] == component_name(name) for name in defs):  # no clash: kept for the next document
            self._copies[("plain", id(schema), owner)] = (schema, [(names[n], rewritten[n]) for n in sorted(defs)], body)
        return {"$ref": pointer("components", "schemas", owner)}

    def _assign_names(self, owner: str, defs: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
        """Plain names where free or equal; `<owner>.<name>` for clashes, until nothing else clashes.

        Also returns each definition rewritten for those names (what `add` stores).
        """
        renamed: set[str] = set()
        while True:
            names = {d: self._owned_name(owner, d) if d in renamed else component_name(d) for d in defs}
            rewritten = {d: self._rewrite(defs[d], owner, names) for d in defs}
            clashes = {d for d in defs if d not in renamed and self._clashes(names[d], owner, rewritten[d])}
            if not clashes:
                return names, rewritten
            renamed |= clashes

    def _clashes(self, name: str, owner: str, content: Any) -> bool:
        if name == owner:
            return True
        if name in self.schemas:
            return self.schemas[name] != content
        return name in self._reserved

    def _owned_name(self, owner: str, name: str) -> str:
        candidate, n = component_name(f"{owner}.{name}"), 2
        while candidate in self._reserved or candidate in self.schemas:
            candidate, n = component_name(f"{owner}.{name}_{n}"), n + 1
        return candidate

    def _rewrite(self, node: Any, owner: str, names: dict[str, str], body: bool = False) -> Any:
        """`node` for this document (read-only: documents of one model share it); `body`: the schema
        without its `$defs` (draft-07 `definitions` stay in the body).

        A copy that does not point at its owner (a `Money` many events define) is kept for every owner,
        and equal ones are one object: documents share it (and write it once, `yaml_text.SameObjects`).
        """
        key = (id(node), body, tuple(sorted(names.items())))
        for known in (self._copies.get(key), self._copies.get((*key, owner))):
            if known is not None and known[0] is node:  # the node is kept alive with it: its id is not reused
                return known[1]
        part = {k: v for k, v in node.items() if k != "$defs"} if body else node
        copied, owned = self._copy(part, owner, names)
        if not owned:  # equal copies of other events' equal definitions (each event has its own `Money`) are one
            try:  # marshal tells 1, 1.0 and True apart; format 2 writes equal data alike however it is shared
                copied = self._copies.setdefault(("equal", marshal.dumps(copied, 2)), copied)
            except ValueError:  # not plain data (a str subclass): kept as it is
                pass
        self._copies[(*key, owner) if owned else key] = (node, copied)
        return copied

    @staticmethod
    def _copy(node: Any, owner: str, names: dict[str, str]) -> tuple[Any, bool]:
        """The copy, and whether any `$ref` in it now names `owner`."""
        owned = False

        def rewrite(ref: str) -> str:
            nonlocal owned
            if not ref.startswith("#"):
                return ref
            tokens = split_pointer(ref)
            if tokens and tokens[0] == "$defs" and len(tokens) > 1 and tokens[1] in names:
                return pointer("components", "schemas", names[tokens[1]], *tokens[2:])
            owned = True
            return pointer("components", "schemas", owner, *tokens)

        return _asyncapi_copy(node, rewrite), owned


def localize(document: Any, schema: Any) -> Any:
    """A self-contained copy of `schema` from `document`: every internal `$ref` becomes `#/$defs/<name>`.

    `#/components/schemas/X/...` keeps the name X; any other pointer is named after its path. A
    payload that is itself only a reference is replaced by what it names. Raises RefError for a
    dangling or external reference. Cycles are fine: each definition is copied once.
    """
    defs: dict[str, Any] = {}
    names: dict[tuple[str, ...], str] = {}  # pointer tokens -> the name of its definition
    pending: list[tuple[str, list[str]]] = []

    def def_for(tokens: list[str]) -> tuple[str, list[str]]:
        if len(tokens) >= 3 and tokens[:2] == ["components", "schemas"]:
            return component_name(tokens[2]), tokens[3:]
        if len(tokens) >= 3 and tokens[0] == BUNDLE_KEY:  # a schema of another file: named as in that file
            return def_for(tokens[2:])
        return component_name(".".join(tokens)), []

    def rewrite(ref: str) -> str:
        tokens = split_pointer(ref)
        if not tokens:
            raise RefError(f"$ref {ref!r} points at the whole document, not a schema")
        base, rest = def_for(tokens)
        target = tuple(tokens[: len(tokens) - len(rest)])
        if target not in names:
            name, n = base, 2
            while name in defs:  # the same name from another file or place
                name, n = f"{base}_{n}", n + 1
            names[target] = name
            defs[name] = None  # claimed; filled below (cycle-safe)
            pending.append((name, list(target)))
        return pointer("$defs", names[target], *rest)

    top = schema
    seen: set[str] = set()
    while isinstance(top, dict) and set(top) == {"$ref"} and isinstance(top["$ref"], str):
        if top["$ref"] in seen:
            raise RefError(f"$ref cycle at {top['$ref']!r}")
        seen.add(top["$ref"])
        top = lookup(document, top["$ref"])
    result = map_refs(top, rewrite)  # a deep copy already: plain data has no other mutable part
    while pending:
        name, tokens = pending.pop(0)
        defs[name] = map_refs(lookup(document, pointer(*tokens)), rewrite)
    if defs and isinstance(result, dict):
        result["$defs"] = {k: defs[k] for k in sorted(defs)}
    return result
