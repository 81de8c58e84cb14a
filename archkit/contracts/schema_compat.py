"""Classify every difference between two JSON Schemas of one payload as BACKWARD and/or FORWARD safe.

BACKWARD: a reader on the new schema reads data written with the old one (consumers upgrade first).
FORWARD: a reader on the old schema reads data written with the new one (producers upgrade first).
A change that lets the schema accept more ("widen") keeps BACKWARD and breaks FORWARD; one that accepts
less ("narrow") keeps FORWARD and breaks BACKWARD. The walk is structural: `$ref`s are resolved on both
sides (so moving a definition into `$defs` is no change), pydantic's `Optional` (anyOf [X, null]) is
read as "X, nullable", and enums, `type` lists, `required` and union branches are compared as sets.

Keywords archkit cannot reason about (`not`, `if`/`then`/`else`, `patternProperties`, ...) are never
passed silently: a change to one is reported as breaking both ways, with `judged=False`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

import orjson

RULES = ("default", "confluent")

# (allowed under BACKWARD, allowed under FORWARD)
BOTH, WIDEN, NARROW, NEITHER = (True, True), (True, False), (False, True), (False, False)

ANNOTATIONS = frozenset({
    "title", "description", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly", "$schema",
    "$id", "$anchor", "$dynamicAnchor", "$vocabulary", "$defs", "definitions", "discriminator",
})
REPORTED_ANNOTATIONS = ("title", "description", "default", "examples", "deprecated")
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
UNJUDGED = frozenset({
    "not", "if", "then", "else", "patternProperties", "dependentSchemas", "dependentRequired", "dependencies",
    "propertyNames", "contains", "minContains", "maxContains", "unevaluatedProperties", "unevaluatedItems",
    "additionalItems", "contentEncoding", "contentMediaType", "contentSchema", "$dynamicRef", "$recursiveRef",
    "$recursiveAnchor", "$ref",
})
HANDLED = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "prefixItems", "enum", "const", "format",
    "pattern", "multipleOf", "uniqueItems", "anyOf", "oneOf", "allOf", *LOWER_BOUNDS, *UPPER_BOUNDS,
})
ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Change:
    """One difference: where (JSON path), what, and in which directions readers still cope."""

    path: str
    kind: str  # stable slug, e.g. "property-added-required", "enum-value-removed"
    description: str
    old: Any = None
    new: Any = None
    backward: bool = True  # allowed under BACKWARD: new readers read old data
    forward: bool = True  # allowed under FORWARD: old readers read new data
    judged: bool = True  # False: a keyword archkit does not reason about changed

    def allowed(self, direction: str) -> bool:
        return self.backward if direction == "BACKWARD" else self.forward

    @property
    def breaking(self) -> bool:
        return not (self.backward and self.forward)


def compare_schemas(old: Any, new: Any, *, rules: str = "default") -> list[Change]:
    """Every difference between the `old` and `new` payload schemas, classified (annotations included)."""
    if rules not in RULES:
        raise ValueError(f"unknown rules {rules!r} (one of: {', '.join(RULES)})")
    if identical(old, new):
        return []  # the usual case against a lock: every comparison of the walk would find them equal
    return _Walk(old, new, rules).run()


def identical(old: Any, new: Any) -> bool:
    """The same JSON document: equal, and equal as JSON text too (Python's `1 == 1.0 == True` is not)."""
    if old is new:
        return True
    if old != new:
        return False
    try:
        return orjson.dumps(old, option=orjson.OPT_SORT_KEYS) == orjson.dumps(new, option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONEncodeError, TypeError):  # e.g. an integer beyond 64 bits: let the walk decide
        return False


def canonical(schema: Any, root: Any = None) -> str:
    """A stable text of what `schema` accepts: refs inlined, annotations dropped, sets sorted."""
    return json.dumps(_Side(root if root is not None else schema).canonical(schema, ()), sort_keys=True)


def json_path(path: str, *parts: str | int) -> str:
    """'$' + ('properties', 'total') -> '$.properties.total'; odd names quoted, indexes bracketed."""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _IDENTIFIER.match(part):
            path += f".{part}"
        else:
            path += f"[{json.dumps(part)}]"
    return path


class _Side:
    """One schema document: resolves its local `$ref`s and normalizes nodes for comparison."""

    def __init__(self, root: Any) -> None:
        self.root = root

    def lookup(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None  # a remote reference: not resolvable offline
        node = self.root
        for token in [t for t in unquote(ref[1:]).split("/") if t]:
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def normalize(self, node: Any) -> tuple[dict[str, Any], str | None]:
        """Booleans as schemas, `$ref` chains and single-branch `allOf` inlined; returns (node, first ref)."""
        first_ref = None
        for _ in range(64):
            if node is True:
                node = {}
            elif node is False:
                node = {"not": {}}
            if not isinstance(node, dict):
                return {"const": node}, first_ref
            ref = node.get("$ref")
            if isinstance(ref, str):
                target = self.lookup(ref)
                if target is None:
                    return node, first_ref
                first_ref = first_ref or ref
                target, _ = self.normalize(target) if isinstance(target, bool) else (target, None)
                node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
                continue
            branches = node.get("allOf")
            if isinstance(branches, list) and len(branches) == 1:
                rest = {k: v for k, v in node.items() if k != "allOf"}
                inner, inner_ref = self.normalize(branches[0])
                first_ref = first_ref or inner_ref
                node = {**inner, **rest}
                continue
            return node, first_ref
        return node, first_ref

    def canonical(self, node: Any, stack: tuple[str, ...]) -> Any:
        node, ref = self.normalize(node)
        if ref is not None:
            if ref in stack:
                return {"$ref": ref}
            stack = (*stack, ref)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ANNOTATIONS or key.startswith("x-"):
                continue
            if key in ("properties", "patternProperties", "$defs", "dependentSchemas") and isinstance(value, dict):
                out[key] = {k: self.canonical(v, stack) for k, v in value.items()}
            elif key in ("anyOf", "oneOf", "allOf") and isinstance(value, list):
                out[key] = sorted((self.canonical(v, stack) for v in value), key=_dump)
            elif key in ("enum", "required", "type") and isinstance(value, list):
                out[key] = sorted(value, key=_dump)
            elif key == "prefixItems" and isinstance(value, list):
                out[key] = [self.canonical(v, stack) for v in value]
            elif isinstance(value, dict | bool) and key in ("items", "additionalProperties", "not", "if", "then",
                                                            "else", "contains", "propertyNames"):
                out[key] = self.canonical(value, stack)
            else:
                out[key] = value
        return out


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _split_nullable(node: dict[str, Any], side: _Side) -> tuple[dict[str, Any], bool]:
    """pydantic's Optional[X] (anyOf [X, null]) and type lists with "null" -> (X, True)."""
    for keyword in ("anyOf", "oneOf"):
        branches = node.get(keyword)
        if not isinstance(branches, list):
            continue
        normalized = [side.normalize(b)[0] for b in branches]
        rest = [b for b, n in zip(branches, normalized, strict=True) if n.get("type") != "null" or len(n) > 1]
        if len(rest) == len(branches) or not rest:
            continue
        outer = {k: v for k, v in node.items() if k != keyword}
        if len(rest) == 1:
            inner, _ = side.normalize(rest[0])
            return {**inner, **outer}, True
        return {**outer, keyword: rest}, True
    types = node.get("type")
    if isinstance(types, list) and "null" in types and len(types) > 1:
        remaining = [t for t in types if t != "null"]
        return {**node, "type": remaining[0] if len(remaining) == 1 else remaining}, True
    return node, False


def _types(node: dict[str, Any]) -> frozenset[str]:
    value = node.get("type")
    if value is None:
        return ALL_TYPES
    return frozenset([value] if isinstance(value, str) else value)


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """Every value of a `narrow` type is valid for `wide` (an integer is a number)."""
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class _Walk:
    """One comparison of two schema documents, collecting Changes in a stable order."""

    def __init__(self, old: Any, new: Any, rules: str) -> None:
        self.old_side, self.new_side = _Side(old), _Side(new)
        self.old_root, self.new_root = old, new
        self.rules = rules
        self.changes: list[Change] = []

    def run(self) -> list[Change]:
        self.node(self.old_root, self.new_root, "$", ())
        return self.changes

    def add(self, path: str, kind: str, description: str, verdict: tuple[bool, bool], old: Any = None,
            new: Any = None, judged: bool = True) -> None:
        self.changes.append(Change(path, kind, description, old, new, verdict[0], verdict[1], judged))

    def same(self, old: Any, new: Any) -> bool:
        return _dump(self.old_side.canonical(old, ())) == _dump(self.new_side.canonical(new, ()))

    # --- one node ---------------------------------------------------------------------------------
    def node(self, old: Any, new: Any, path: str, stack: tuple[tuple[str | None, str | None], ...]) -> None:
        o, o_ref = self.old_side.normalize(old)
        n, n_ref = self.new_side.normalize(new)
        if o_ref or n_ref:
            pair = (o_ref, n_ref)
            if pair in stack:
                return  # a recursive schema: this pair is already being compared further up
            stack = (*stack, pair)
        self.annotations(o, n, path)
        o, o_null = _split_nullable(o, self.old_side)
        n, n_null = _split_nullable(n, self.new_side)
        if o_null != n_null:
            if n_null:
                self.add(path, "nullable-added", "made nullable (null is now accepted)", WIDEN, False, True)
            else:
                self.add(path, "nullable-removed", "no longer nullable (null is rejected)", NARROW, True, False)
        if not self.unions(o, n, path, stack):
            self.body(o, n, path, stack)

    def body(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        """Everything but annotations, nullability and unions: those are settled by `node`."""
        if not self.types(o, n, path):
            return  # unrelated types: every other keyword difference would be noise
        self.values(o, n, path)
        self.bounds(o, n, path)
        self.objects(o, n, path, stack)
        self.arrays(o, n, path, stack)
        self.all_of(o, n, path, stack)
        self.unjudged(o, n, path)

    def annotations(self, o: dict[str, Any], n: dict[str, Any], path: str) -> None:
        for key in REPORTED_ANNOTATIONS:
            if (key in o or key in n) and _dump(o.get(key)) != _dump(n.get(key)):
                self.add(path, f"{key}-changed", f"{key} changed (documentation only)", BOTH, o.get(key), n.get(key))

    def types(self, o: dict[str, Any], n: dict[str, Any], path: str) -> bool:
        old_t, new_t = _types(o), _types(n)
        if old_t == new_t:
            return True
        shown_old, shown_new = o.get("type"), n.get("type")
        wider, narrower = _covers(new_t, old_t), _covers(old_t, new_t)
        if wider:
            what = "integer widened to number" if old_t == {"integer"} and "number" in new_t else "type widened"
            self.add(path, "type-widened", what, WIDEN, shown_old, shown_new)
        elif narrower:
            what = "number narrowed to integer" if old_t == {"number"} and new_t == {"integer"} else "type narrowed"
            self.add(path, "type-narrowed", what, NARROW, shown_old, shown_new)
        else:
            self.add(path, "type-changed", f"type changed from {shown_old} to {shown_new}", NEITHER, shown_old, shown_new)
            return False
        return True

    def values(self, o: dict[str, Any], n: dict[str, Any], path: str) -> None:
        if "const" in o and "const" in n:
            if _dump(o["const"]) != _dump(n["const"]):
                self.add(path, "const-changed", "const value changed", NEITHER, o["const"], n["const"])
        else:
            old_enum = [o["const"]] if "const" in o else o.get("enum")
            new_enum = [n["const"]] if "const" in n else n.get("enum")
            self.enums(old_enum, new_enum, path)
        for key in ("format", "pattern"):
            if key in o and key in n and o[key] != n[key]:
                self.add(path, f"{key}-changed", f"{key} changed", NEITHER, o[key], n[key])
            elif key in n and key not in o:
                self.add(path, f"{key}-added", f"{key} {n[key]!r} added (old data may not match it)", NARROW, None, n[key])
            elif key in o and key not in n:
                self.add(path, f"{key}-removed", f"{key} {o[key]!r} removed", WIDEN, o[key], None)

    def enums(self, old: list[Any] | None, new: list[Any] | None, path: str) -> None:
        if old is None and new is None:
            return
        if old is None:
            self.add(path, "enum-added", "values restricted to an enum", NARROW, None, new)
            return
        if new is None:
            self.add(path, "enum-removed", "enum restriction removed", WIDEN, old, None)
            return
        old_keys, new_keys = {_dump(v): v for v in old}, {_dump(v): v for v in new}
        added = [new_keys[k] for k in sorted(set(new_keys) - set(old_keys))]
        removed = [old_keys[k] for k in sorted(set(old_keys) - set(new_keys))]
        if added:
            self.add(path, "enum-value-added", f"enum value(s) {added} added (old readers do not know them)",
                     WIDEN, None, added)
        if removed:
            self.add(path, "enum-value-removed", f"enum value(s) {removed} removed (old data may carry them)",
                     NARROW, removed, None)

    def bounds(self, o: dict[str, Any], n: dict[str, Any], path: str) -> None:
        for key in (*LOWER_BOUNDS, *UPPER_BOUNDS):
            old, new = _number(o.get(key)), _number(n.get(key))
            if old == new:
                if o.get(key) != n.get(key):  # draft-4 boolean exclusiveMinimum/Maximum
                    self.add(path, f"{key}-changed", f"{key} changed", NARROW if n.get(key) else WIDEN, o.get(key), n.get(key))
                continue
            if old is None:
                self.add(path, f"{key}-added", f"{key} {n[key]} added", NARROW, None, n[key])
            elif new is None:
                self.add(path, f"{key}-removed", f"{key} {o[key]} removed", WIDEN, o[key], None)
            else:
                tighter = new > old if key in LOWER_BOUNDS else new < old
                verb = "tightened" if tighter else "loosened"
                self.add(path, f"{key}-{verb}", f"{key} {verb} from {o[key]} to {n[key]}",
                         NARROW if tighter else WIDEN, o[key], n[key])
        old_m, new_m = _number(o.get("multipleOf")), _number(n.get("multipleOf"))
        if old_m != new_m:
            if old_m is None or (new_m is not None and new_m % old_m == 0):
                verdict, what = NARROW, "tightened"
            elif new_m is None or old_m % new_m == 0:
                verdict, what = WIDEN, "loosened"
            else:
                verdict, what = NEITHER, "changed"
            self.add(path, f"multipleOf-{what}", f"multipleOf {what}", verdict, o.get("multipleOf"), n.get("multipleOf"))
        if bool(o.get("uniqueItems")) != bool(n.get("uniqueItems")):
            verdict = NARROW if n.get("uniqueItems") else WIDEN
            self.add(path, "uniqueItems-changed", "uniqueItems changed", verdict, o.get("uniqueItems"), n.get("uniqueItems"))

    # --- objects ----------------------------------------------------------------------------------
    def objects(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        o_props, n_props = o.get("properties") or {}, n.get("properties") or {}
        o_req, n_req = set(o.get("required") or ()), set(n.get("required") or ())
        o_extra, n_extra = o.get("additionalProperties", True), n.get("additionalProperties", True)
        for name in sorted(set(o_props) | set(n_props) | o_req | n_req):
            here = json_path(path, "properties", name)
            in_old, in_new = name in o_props or name in o_req, name in n_props or name in n_req
            if in_old and in_new:
                if name in o_req and name not in n_req:
                    self.add(here, "required-removed", f"property '{name}' became optional", WIDEN, "required", "optional")
                elif name in n_req and name not in o_req:
                    self.add(here, "required-added", f"property '{name}' became required", NARROW, "optional", "required")
                self.node(o_props.get(name, {}), n_props.get(name, {}), here, stack)
            elif in_new:
                self.property_added(name, here, name in n_req, o_extra, n_props.get(name, {}), stack)
            else:
                self.property_removed(name, here, name in o_req, n_extra)
        self.additional(o_extra, n_extra, json_path(path, "additionalProperties"), stack)

    def property_added(self, name: str, path: str, required: bool, old_extra: Any, schema: Any,
                       stack: tuple[Any, ...]) -> None:
        closed = old_extra is False
        if isinstance(old_extra, dict):  # partially open: old readers check it against additionalProperties
            self.node(old_extra, schema, path, stack)
        if required:
            verdict = NEITHER if closed else NARROW
            why = "old data lacks it (a default does not make it optional to a validator)"
            if closed:
                why += "; old readers reject it (additionalProperties: false)"
            self.add(path, "property-added-required", f"required property '{name}' added: {why}", verdict, None, name)
        elif closed:
            self.add(path, "property-added-optional-closed",
                     f"optional property '{name}' added to a closed schema: old readers reject it "
                     "(additionalProperties: false)", WIDEN, None, name)
        elif self.rules == "confluent" and not isinstance(old_extra, dict):
            self.add(path, "property-added-optional-open",
                     f"optional property '{name}' added to an open schema: old data may already carry '{name}' "
                     "with any type (Schema Registry: PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL)", NARROW, None, name)
        else:
            self.add(path, "property-added-optional", f"optional property '{name}' added", BOTH, None, name)

    def property_removed(self, name: str, path: str, required: bool, new_extra: Any) -> None:
        closed = new_extra is False
        if required:
            why = "old readers still require it"
            if closed:
                why += "; new readers reject old data carrying it (additionalProperties: false)"
            self.add(path, "property-removed-required", f"required property '{name}' removed: {why}",
                     NEITHER if closed else WIDEN, name, None)
        elif closed:
            self.add(path, "property-removed-optional-closed",
                     f"optional property '{name}' removed from a closed schema: new readers reject old data "
                     "carrying it (additionalProperties: false)", NARROW, name, None)
        elif self.rules == "confluent" and not isinstance(new_extra, dict):
            self.add(path, "property-removed-optional-open",
                     f"optional property '{name}' removed from an open schema: new data may carry '{name}' with any "
                     "type, which old readers check (Schema Registry: PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL)",
                     WIDEN, name, None)
        else:
            self.add(path, "property-removed-optional", f"optional property '{name}' removed", BOTH, name, None)

    def additional(self, old: Any, new: Any, path: str, stack: tuple[Any, ...]) -> None:
        """additionalProperties: open (true/absent), closed (false) or a schema (partially open)."""
        if isinstance(old, dict) and isinstance(new, dict):
            self.node(old, new, path, stack)
            return
        rank = {True: 2, False: 0}
        old_rank, new_rank = rank.get(old, 1), rank.get(new, 1)  # a schema sits between open and closed
        if old_rank == new_rank:
            return
        verdict = WIDEN if new_rank > old_rank else NARROW
        self.add(path, "additionalProperties-changed",
                 f"additionalProperties {_content_model(old)} -> {_content_model(new)}", verdict, old, new)

    # --- arrays -----------------------------------------------------------------------------------
    def arrays(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        old_items, new_items = o.get("items"), n.get("items")
        if isinstance(old_items, list) or isinstance(new_items, list):  # draft-4 tuples: positional
            self.tuple_items(old_items if isinstance(old_items, list) else [], new_items if isinstance(new_items, list) else [],
                             path, "items", stack)
        elif old_items is not None or new_items is not None:
            self.node({} if old_items is None else old_items, {} if new_items is None else new_items,
                      json_path(path, "items"), stack)
        if "prefixItems" in o or "prefixItems" in n:
            self.tuple_items(o.get("prefixItems") or [], n.get("prefixItems") or [], path, "prefixItems", stack)

    def tuple_items(self, old: list[Any], new: list[Any], path: str, key: str, stack: tuple[Any, ...]) -> None:
        for i in range(min(len(old), len(new))):
            self.node(old[i], new[i], json_path(path, key, i), stack)
        if len(old) != len(new):
            self.add(json_path(path, key), f"{key}-length-changed", f"tuple length changed from {len(old)} to {len(new)}",
                     NEITHER, len(old), len(new))

    # --- combinators ------------------------------------------------------------------------------
    def unions(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> bool:
        """anyOf/oneOf as sets of branches; a plain schema on one side is a union of one. True: handled."""
        o_kw = next((k for k in ("anyOf", "oneOf") if isinstance(o.get(k), list)), None)
        n_kw = next((k for k in ("anyOf", "oneOf") if isinstance(n.get(k), list)), None)
        if o_kw is None and n_kw is None:
            return False
        if o_kw and n_kw and o_kw != n_kw:
            verdict = NARROW if n_kw == "oneOf" else WIDEN
            self.add(path, "union-keyword-changed", f"{o_kw} became {n_kw}", verdict, o_kw, n_kw)
        keyword = n_kw or o_kw or "anyOf"
        old_branches = o[o_kw] if o_kw else [o]
        new_branches = n[n_kw] if n_kw else [n]
        if o_kw and n_kw:  # keywords beside the union apply to every branch: compare them as a node
            self.body({k: v for k, v in o.items() if k != o_kw}, {k: v for k, v in n.items() if k != n_kw}, path, stack)
        self.branch_sets(old_branches, new_branches, path, keyword, stack, added=WIDEN, removed=NARROW)
        return True

    def all_of(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        old, new = o.get("allOf") or [], n.get("allOf") or []
        if old or new:
            self.branch_sets(old, new, path, "allOf", stack, added=NARROW, removed=WIDEN)

    def branch_sets(self, old: list[Any], new: list[Any], path: str, keyword: str, stack: tuple[Any, ...], *,
                    added: tuple[bool, bool], removed: tuple[bool, bool]) -> None:
        """Match branches by what they accept; one unmatched branch on each side is the same branch, changed."""
        unmatched_new = list(range(len(new)))
        unmatched_old: list[int] = []
        for i, branch in enumerate(old):
            match = next((j for j in unmatched_new if self.same(branch, new[j])), None)
            if match is None:
                unmatched_old.append(i)
            else:
                unmatched_new.remove(match)
        if len(unmatched_old) == 1 and len(unmatched_new) == 1:
            self.node(old[unmatched_old[0]], new[unmatched_new[0]], json_path(path, keyword, unmatched_new[0]), stack)
            return
        for i in unmatched_old:
            self.add(json_path(path, keyword, i), f"{keyword}-branch-removed", f"{keyword} branch removed", removed,
                     old[i], None)
        for j in unmatched_new:
            self.add(json_path(path, keyword, j), f"{keyword}-branch-added", f"{keyword} branch added", added,
                     None, new[j])

    def unjudged(self, o: dict[str, Any], n: dict[str, Any], path: str) -> None:
        for key in sorted(set(o) | set(n)):
            if key in HANDLED or key in ANNOTATIONS or key.startswith("x-"):
                continue
            old_v = self.old_side.canonical(o[key], ()) if key in o and isinstance(o[key], dict) else o.get(key)
            new_v = self.new_side.canonical(n[key], ()) if key in n and isinstance(n[key], dict) else n.get(key)
            if _dump(old_v) != _dump(new_v):
                known = "a keyword archkit does not judge" if key in UNJUDGED else "a keyword archkit does not know"
                self.add(json_path(path, key), "unjudged-keyword-changed",
                         f"'{key}' changed: {known}; treated as breaking both ways, review it by hand",
                         NEITHER, o.get(key), n.get(key), judged=False)


def _content_model(value: Any) -> str:
    return {True: "true (open)", False: "false (closed)"}.get(value, "a schema (partially open)")
