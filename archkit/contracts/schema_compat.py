"""Classify every difference between two JSON Schemas of one payload as BACKWARD and/or FORWARD safe.

BACKWARD: a reader on the new schema reads data written with the old one (consumers upgrade first).
FORWARD: a reader on the old schema reads data written with the new one (producers upgrade first).
A change that lets the schema accept more ("widen") keeps BACKWARD and breaks FORWARD; one that accepts
less ("narrow") keeps FORWARD and breaks BACKWARD. The walk is structural: `$ref`s are resolved on both
sides (so moving a definition into `$defs` is no change), pydantic's `Optional` (anyOf [X, null]) is
read as "X, nullable", and enums, `type` lists, `required` and union branches are compared as sets.

Combinations (`anyOf`/`oneOf`/`allOf`) are matched branch by branch like Confluent Schema Registry does
(a bipartite matching of compatible branch pairs); properties and tuple positions added or removed are
judged by the content model (content_model.py); `not` compares its schemas the other way round.
Keywords archkit cannot reason about (`if`/`then`/`else`, remote `$ref`s, unknown ones) are never passed
silently: a change to one is reported as breaking both ways, with `judged=False`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

import orjson

from archkit.contracts.combinations import holds, matching
from archkit.contracts.content_model import CLOSED, OPEN, for_item, for_property, for_undeclared, rank, tuple_of

RULES = ("default", "confluent")

# (allowed under BACKWARD, allowed under FORWARD)
BOTH, WIDEN, NARROW, NEITHER = (True, True), (True, False), (False, True), (False, False)

ANNOTATIONS = frozenset({
    "title", "description", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly", "$schema",
    "$id", "$anchor", "$dynamicAnchor", "$vocabulary", "$defs", "definitions", "discriminator",
})
_MERGEABLE = ANNOTATIONS | {"type", "properties", "required"}  # what an allOf branch may say to be merged
REPORTED_ANNOTATIONS = ("title", "description", "default", "examples", "deprecated")
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")
UNJUDGED = frozenset({
    "if", "then", "else", "contentEncoding", "contentMediaType", "contentSchema", "$dynamicRef", "$recursiveRef",
    "$recursiveAnchor", "$ref",
})
HANDLED = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "prefixItems", "enum", "const", "format",
    "pattern", "multipleOf", "uniqueItems", "anyOf", "oneOf", "allOf", "not", "patternProperties", "dependentSchemas",
    "dependentRequired", "dependencies", "propertyNames", "contains", "unevaluatedProperties", "unevaluatedItems",
    "additionalItems", *LOWER_BOUNDS, *UPPER_BOUNDS,
})
_MAX_DEPTH = 200  # nested schemas (not recursion, which the ref stack stops): far beyond any real payload
COMBINATORS = ("anyOf", "oneOf", "allOf")
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


class SchemaCompareError(Exception):
    """An unexpected exception while two schemas were compared, with the JSON path being compared (a bug:
    the caller reports it as an internal error, archkit/contracts/internal.py)."""

    def __init__(self, path: str, cause: BaseException) -> None:
        super().__init__(f"{path}: {describe(cause)}")
        self.path, self.cause = path, cause


def describe(exc: BaseException) -> str:
    """`TypeError: unhashable type: 'dict'`, on one line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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
        self.merging = 0  # depth of `merged_objects` calls, bounding a self-referring allOf

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
        """Booleans as schemas, `$ref` chains and single-branch combinations inlined (`allOf` branches of
        annotations only, such as `allOf: [{$ref: Id}, {description: ...}]`, do not count); returns (node, first ref)."""
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
            allof = node.get("allOf")
            if isinstance(allof, list) and len(allof) > 1:  # branches of annotations only constrain nothing
                kept = [b for b in allof if not (isinstance(b, dict) and b and set(b) <= ANNOTATIONS)] or [{}]
                if len(kept) != len(allof):
                    node = {**node, "allOf": kept}
                merged = self.merged_objects(node)
                if merged is not None:
                    node = merged
                    continue
            if "type" not in node and self.merging <= 16:
                node = self.typed_union(node)
            keyword = next((k for k in COMBINATORS if isinstance(node.get(k), list) and len(node[k]) == 1), None)
            if keyword is not None:  # a combination of one schema is that schema
                inner = node[keyword][0]
                inner = ({} if inner else {"not": {}}) if isinstance(inner, bool) else inner
                if not isinstance(inner, dict):
                    return node, first_ref
                node = {**inner, **{k: v for k, v in node.items() if k != keyword}}
                continue  # the loop's bound also ends a schema that is only a reference to itself
            return node, first_ref
        return node, first_ref

    def merged_objects(self, node: dict[str, Any]) -> dict[str, Any] | None:
        """`allOf` branches that only declare `type`, `properties` and `required` (and the node's own such
        keywords) as the one object schema they mean together: the types agree, the properties of all
        (one named twice must satisfy both: an `allOf` of the two), every required name. That is how a
        generator writes `allOf: [{properties: ...}, {$ref: Base}]` as a subclass. None when anything
        else takes part (`additionalProperties`, a combination...), whose meaning depends on the split."""
        if self.merging > 16:  # a schema whose allOf refers back to itself
            return None
        own = {k: v for k, v in node.items() if k != "allOf" and k not in ANNOTATIONS}
        merged: dict[str, Any] = {}
        self.merging += 1
        try:
            for branch in [*node["allOf"], own]:
                branch, _ = self.normalize(branch)
                if not set(branch) <= _MERGEABLE:
                    return None
                for key, value in branch.items():
                    if key == "type":
                        if merged.setdefault("type", value) != value:
                            return None
                    elif key == "required" and isinstance(value, list):
                        merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
                    elif key == "properties" and isinstance(value, dict):
                        properties = dict(merged.get("properties", {}))
                        for name, schema in value.items():
                            known = properties.get(name)
                            properties[name] = schema if known is None or known == schema else {"allOf": [known, schema]}
                        merged["properties"] = properties
                    elif key not in ANNOTATIONS:
                        return None
        finally:
            self.merging -= 1
        return {**{k: v for k, v in node.items() if k in ANNOTATIONS}, **merged}

    def typed_union(self, node: dict[str, Any]) -> dict[str, Any]:
        """An `anyOf`/`oneOf` whose branches all have one `type` has that type (`type: object` beside the
        `oneOf` or not, the same values match)."""
        for keyword in ("oneOf", "anyOf"):
            branches = node.get(keyword)
            if isinstance(branches, list) and len(branches) > 1:
                self.merging += 1
                try:
                    types = [self.normalize(b)[0].get("type") for b in branches]
                finally:
                    self.merging -= 1
                if types[0] is not None and all(t == types[0] for t in types):
                    return {**node, "type": types[0]}
        return node

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


#: String formats that no empty string satisfies (pydantic writes `minLength: 1` beside `format: uri`).
NON_EMPTY_FORMATS = frozenset({"uri", "iri", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6",
                               "date-time", "date", "time", "uuid"})


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

    def __init__(self, old: Any, new: Any, rules: str, sides: tuple[_Side, _Side] | None = None) -> None:
        self.old_root, self.new_root = old, new
        self.old_side, self.new_side = sides or (_Side(old), _Side(new))
        self.rules = rules
        self.changes: list[Change] = []

    def run(self, path: str = "$", stack: tuple[Any, ...] = ()) -> list[Change]:
        self.node(self.old_root, self.new_root, path, stack)
        return self.changes

    def add(self, path: str, kind: str, description: str, verdict: tuple[bool, bool], old: Any = None,
            new: Any = None, judged: bool = True) -> None:
        self.changes.append(Change(path, kind, description, old, new, verdict[0], verdict[1], judged))

    def sub(self, old: Any, new: Any, path: str, stack: tuple[Any, ...], *, swapped: bool = False) -> list[Change]:
        """The changes from `old` to `new`, collected apart so the caller can weigh them first.
        `swapped`: `old` comes from the new document and `new` from the old one (`not` compares reversed)."""
        if swapped:
            return _Walk(old, new, self.rules, (self.new_side, self.old_side)).run(path, tuple((b, a) for a, b in stack))
        return _Walk(old, new, self.rules, (self.old_side, self.new_side)).run(path, stack)

    # --- one node ---------------------------------------------------------------------------------
    def node(self, old: Any, new: Any, path: str, stack: tuple[tuple[str | None, str | None], ...]) -> None:
        try:
            self.compare(old, new, path, stack)
        except SchemaCompareError:
            raise
        except Exception as exc:  # a bug: say where (the innermost path), never a traceback
            raise SchemaCompareError(path, exc) from exc

    def compare(self, old: Any, new: Any, path: str, stack: tuple[tuple[str | None, str | None], ...]) -> None:
        o, o_ref = self.old_side.normalize(old)
        n, n_ref = self.new_side.normalize(new)
        if o_ref or n_ref:
            pair = (o_ref, n_ref)
            if pair in stack:
                return  # a recursive schema: this pair is already being compared further up
            stack = (*stack, pair)
        if len(stack) > _MAX_DEPTH:
            raise RecursionError(f"schemas nested deeper than {_MAX_DEPTH} levels at {path}")
        self.annotations(o, n, path)
        if _is_false(o) or _is_false(n):
            if not (_is_false(o) and _is_false(n)):
                verdict = WIDEN if _is_false(o) else NARROW
                what = "accepted nothing, now accepts values" if _is_false(o) else "now accepts nothing (false)"
                self.add(path, "schema-false-changed", what, verdict, o, n)
            return
        if _types(o) != {"null"} and _types(n) != {"null"}:  # null -> X | null widens to a union
            o, o_null = _split_nullable(o, self.old_side)
            n, n_null = _split_nullable(n, self.new_side)
            if o_null != n_null:
                if n_null:
                    self.add(path, "nullable-added", "made nullable (null is now accepted)", WIDEN, False, True)
                else:
                    self.add(path, "nullable-removed", "no longer nullable (null is rejected)", NARROW, True, False)
        o_kw, n_kw = _combinator(o), _combinator(n)
        if o_kw or n_kw:
            self.combined(o, o_kw, n, n_kw, path, stack)
        else:
            self.body(o, n, path, stack)

    def body(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        """Everything but annotations, nullability and combinations: those are settled by `node`."""
        if not self.types(o, n, path):
            return  # unrelated types: every other keyword difference would be noise
        self.values(o, n, path)
        self.bounds(o, n, path)
        self.objects(o, n, path, stack)
        self.arrays(o, n, path, stack)
        self.negation(o, n, path, stack)
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
            old_enum = [o["const"]] if "const" in o else _list(o.get("enum"))
            new_enum = [n["const"]] if "const" in n else _list(n.get("enum"))
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
            if key == "minLength" and o.get("format") == n.get("format") in NON_EMPTY_FORMATS:
                old, new = max(old or Decimal(0), Decimal(1)), max(new or Decimal(0), Decimal(1))  # no empty ones
            if old == new:
                if o.get(key) != n.get(key) and key != "minLength":  # draft-4 boolean exclusiveMinimum/Maximum
                    self.add(path, f"{key}-changed", f"{key} changed", NARROW if n.get(key) else WIDEN, o.get(key), n.get(key))
                continue
            before, after = o.get(key, old), n.get(key, new)
            if old is None:
                self.add(path, f"{key}-added", f"{key} {after} added", NARROW, None, after)
            elif new is None:
                self.add(path, f"{key}-removed", f"{key} {before} removed", WIDEN, before, None)
            else:
                tighter = new > old if key in LOWER_BOUNDS else new < old
                verb = "tightened" if tighter else "loosened"
                self.add(path, f"{key}-{verb}", f"{key} {verb} from {before} to {after}",
                         NARROW if tighter else WIDEN, before, after)
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
        o_props, n_props = _mapping(o.get("properties")), _mapping(n.get("properties"))
        o_req, n_req = set(_names(o.get("required"))), set(_names(n.get("required")))
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
                self.property_added(name, here, name in n_req, for_property(o, name), n_props.get(name, {}), stack)
            else:
                self.property_removed(name, here, name in o_req, for_property(n, name), o_props.get(name, {}), stack)
        self.patterns(o, n, json_path(path, "patternProperties"), stack)
        self.schema_map(_mapping(o.get("dependentSchemas")), _mapping(n.get("dependentSchemas")),
                        json_path(path, "dependentSchemas"), stack)
        self.dependencies(o, n, path, stack)
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            self.tail(o.get(keyword), n.get(keyword), json_path(path, keyword), stack)
        if "propertyNames" in o or "propertyNames" in n:
            self.node(o.get("propertyNames", {}), n.get("propertyNames", {}), json_path(path, "propertyNames"), stack)

    def property_added(self, name: str, path: str, required: bool, model: Any, schema: Any,
                       stack: tuple[Any, ...]) -> None:
        """`name` is new; old data may already carry it as the old content model allowed."""
        if isinstance(model, dict):  # partially open: old data's value was checked against that schema
            self.node(model, schema, path, stack)
        if required:
            verdict = (False, model != CLOSED)
            why = "old data lacks it (a default does not make it optional to a validator)"
            if model == CLOSED:
                why += "; old readers reject it (closed content model)"
            self.add(path, "property-added-required", f"required property '{name}' added: {why}", verdict, None, name)
        elif model == CLOSED and not _is_false(self.new_side.normalize(schema)[0]):  # `false`: still absent
            self.add(path, "property-added-optional-closed",
                     f"optional property '{name}' added to a closed schema: old readers reject it "
                     "(additionalProperties: false)", WIDEN, None, name)
        elif model == OPEN and self.rules == "confluent" and not self.empty(schema, self.new_side):
            self.add(path, "property-added-optional-open",
                     f"optional property '{name}' added to an open schema: old data may already carry '{name}' "
                     "with any type (Schema Registry: OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL)", NARROW, None, name)
        else:
            self.add(path, "property-added-optional", f"optional property '{name}' added", BOTH, None, name)

    def property_removed(self, name: str, path: str, required: bool, model: Any, schema: Any,
                         stack: tuple[Any, ...]) -> None:
        """`name` is gone; new data may carry it as the new content model allows."""
        if isinstance(model, dict):  # partially open: new readers check old data's value against that schema
            self.node(schema, model, path, stack)
        never = _is_false(self.old_side.normalize(schema)[0])  # the old schema already forbade it
        if required:
            why = "old readers still require it"
            if model == CLOSED and not never:
                why += "; new readers reject old data carrying it (closed content model)"
            self.add(path, "property-removed-required", f"required property '{name}' removed: {why}",
                     (model != CLOSED or never, False), name, None)
        elif model == CLOSED and not never:
            self.add(path, "property-removed-optional-closed",
                     f"optional property '{name}' removed from a closed schema: new readers reject old data "
                     "carrying it (additionalProperties: false)", NARROW, name, None)
        elif model == OPEN and self.rules == "confluent" and not self.empty(schema, self.old_side):
            self.add(path, "property-removed-optional-open",
                     f"optional property '{name}' removed from an open schema: new data may carry '{name}' with any "
                     "type, which old readers check (Schema Registry: PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL)",
                     WIDEN, name, None)
        else:
            self.add(path, "property-removed-optional", f"optional property '{name}' removed", BOTH, name, None)

    def empty(self, schema: Any, side: _Side) -> bool:
        """A schema that accepts anything (`{}`, `true`, annotations only)."""
        node = side.normalize(schema)[0]
        return not any(k not in ANNOTATIONS and not k.startswith("x-") for k in node)

    def tail(self, old: Any, new: Any, path: str, stack: tuple[Any, ...]) -> None:
        """additionalProperties, additionalItems, unevaluated*: open (true/absent), closed (false) or a
        schema (partially open)."""
        if isinstance(old, dict) and isinstance(new, dict):
            self.node(old, new, path, stack)
            return
        old_rank, new_rank = rank(old), rank(new)
        if old_rank != new_rank:
            keyword = path.rsplit(".", 1)[-1]
            self.add(path, f"{keyword}-changed", f"{keyword} {_content_model(old)} -> {_content_model(new)}",
                     WIDEN if new_rank > old_rank else NARROW, old, new)

    def patterns(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        """patternProperties: a pattern added constrains the undeclared properties old data may carry (none
        when the old schema was closed); a pattern removed leaves them to the new content model."""
        old, new = _mapping(o.get("patternProperties")), _mapping(n.get("patternProperties"))
        for key in sorted(set(old) | set(new)):
            here = json_path(path, key)
            if key in old and key in new:
                self.node(old[key], new[key], here, stack)
                continue
            added = key in new
            model = for_undeclared(o if added else n)
            schema = new[key] if added else old[key]
            if isinstance(model, dict):  # partially open: old and new values meet in that schema
                before, after = (model, schema) if added else (schema, model)
                self.node(before, after, here, stack)
                continue
            anything = self.empty(schema, self.new_side if added else self.old_side)
            if added:
                verdict = (model == CLOSED or anything, model == OPEN)
                what = f"patternProperties '{key}' added: the {model} schema's other properties must now meet it"
            else:
                verdict = (model == OPEN, model == CLOSED or anything)
                what = f"patternProperties '{key}' removed: such properties now fall to the {model} content model"
            self.add(here, f"patternProperties-{'added' if added else 'removed'}", what, verdict, old.get(key),
                     new.get(key))

    def schema_map(self, old: dict[str, Any], new: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        """patternProperties and dependentSchemas: a schema per key, each one more condition to meet."""
        keyword = path.rsplit(".", 1)[-1]
        for key in sorted(set(old) | set(new)):
            here = json_path(path, key)
            if key in old and key in new:
                self.node(old[key], new[key], here, stack)
            elif key in new:
                self.add(here, f"{keyword}-added", f"{keyword} '{key}' added (old data may not meet it)", NARROW,
                         None, new[key])
            else:
                self.add(here, f"{keyword}-removed", f"{keyword} '{key}' removed", WIDEN, old[key], None)

    def dependencies(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        """Draft 4-7 `dependencies` (a list of names or a schema per property) and 2019's `dependentRequired`."""
        o_deps, n_deps = _mapping(o.get("dependencies")), _mapping(n.get("dependencies"))
        lists = {k for k, v in [*o_deps.items(), *n_deps.items()] if isinstance(v, list)}
        self.schema_map({k: v for k, v in o_deps.items() if k not in lists},
                        {k: v for k, v in n_deps.items() if k not in lists}, json_path(path, "dependencies"), stack)
        for keyword, old, new in (("dependencies", {k: o_deps.get(k) for k in lists}, {k: n_deps.get(k) for k in lists}),
                                  ("dependentRequired", _mapping(o.get("dependentRequired")),
                                   _mapping(n.get("dependentRequired")))):
            for key in sorted(k for k in set(old) | set(new) if old.get(k) is not None or new.get(k) is not None):
                before, after = set(_names(old.get(key))), set(_names(new.get(key)))
                if before == after and key in old and key in new:
                    continue
                if key not in new or new.get(key) is None or before > after:
                    verdict, what = WIDEN, "fewer properties required with it"
                elif key not in old or old.get(key) is None or after > before:
                    verdict, what = NARROW, "more properties required with it"
                else:
                    verdict, what = NEITHER, "other properties required with it"
                self.add(json_path(path, keyword, key), f"{keyword}-changed", f"{keyword} of '{key}': {what}", verdict,
                         old.get(key), new.get(key))

    # --- arrays -----------------------------------------------------------------------------------
    def arrays(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        old_tuple, old_key, old_tail = tuple_of(o)
        new_tuple, new_key, new_tail = tuple_of(n)
        positional = "prefixItems" if "prefixItems" in n or "prefixItems" in o else "items"
        for i in range(max(len(old_tuple), len(new_tuple))):
            here = json_path(path, positional, i)
            if i < len(old_tuple) and i < len(new_tuple):
                self.node(old_tuple[i], new_tuple[i], here, stack)
            elif i < len(new_tuple):
                self.item_added(here, i, for_item(o), new_tuple[i], stack)
            else:
                self.item_removed(here, i, for_item(n), old_tuple[i], stack)
        tail_key = new_key if new_tuple or not old_tuple else old_key
        self.tail(old_tail, new_tail, json_path(path, tail_key), stack)
        if tail_key != "additionalItems":  # without a tuple it means nothing, but it is still a change
            self.tail(o.get("additionalItems"), n.get("additionalItems"), json_path(path, "additionalItems"), stack)
        self.tail(o.get("unevaluatedItems"), n.get("unevaluatedItems"), json_path(path, "unevaluatedItems"), stack)
        if "contains" in o and "contains" in n:
            self.node(o["contains"], n["contains"], json_path(path, "contains"), stack)
        elif "contains" in o or "contains" in n:
            verdict, what = (NARROW, "added") if "contains" in n else (WIDEN, "removed")
            self.add(json_path(path, "contains"), f"contains-{what}", f"contains {what}", verdict,
                     o.get("contains"), n.get("contains"))

    def item_added(self, path: str, index: int, model: Any, schema: Any, stack: tuple[Any, ...]) -> None:
        """Tuple position `index` is new; old data may already have an item there as the old tail allowed."""
        if isinstance(model, dict):
            self.node(model, schema, path, stack)
            return
        if model == OPEN:
            verdict = (self.empty(schema, self.new_side), True)
            why = "old data may already have any item there" if not verdict[0] else "it accepts anything"
        else:
            verdict = (True, _is_false(self.new_side.normalize(schema)[0]))
            why = "old readers reject arrays that long (closed tuple)"
        self.add(path, "item-added", f"tuple position {index} added: {why}", verdict, None, schema)

    def item_removed(self, path: str, index: int, model: Any, schema: Any, stack: tuple[Any, ...]) -> None:
        """Tuple position `index` is gone; new data may have an item there as the new tail allows."""
        if isinstance(model, dict):
            self.node(schema, model, path, stack)
            return
        if model == OPEN:
            verdict = (True, self.empty(schema, self.old_side))
            why = "new data may have any item there, which old readers check"
        else:
            verdict = (_is_false(self.old_side.normalize(schema)[0]), True)
            why = "new readers reject old data that long (closed tuple)"
        self.add(path, "item-removed", f"tuple position {index} removed: {why}", verdict, schema, None)

    def negation(self, o: dict[str, Any], n: dict[str, Any], path: str, stack: tuple[Any, ...]) -> None:
        """`not`: what it rejects compared the other way round (rejecting more is narrowing)."""
        if "not" in o and "not" in n:
            self.changes.extend(
                replace(c, description=f"what 'not' rejects, read the other way round: {c.description}",
                        old=c.new, new=c.old)
                for c in self.sub(n["not"], o["not"], json_path(path, "not"), stack, swapped=True))
        elif "not" in o or "not" in n:
            verdict, what = (NARROW, "added") if "not" in n else (WIDEN, "removed")
            self.add(json_path(path, "not"), f"not-{what}", f"'not' {what}", verdict, o.get("not"), n.get("not"))

    # --- combinations -----------------------------------------------------------------------------
    def combined(self, o: dict[str, Any], o_kw: str | None, n: dict[str, Any], n_kw: str | None, path: str,
                 stack: tuple[Any, ...]) -> None:
        """anyOf/oneOf/allOf on either side, matched branch by branch as Schema Registry does: each side's
        branches deduplicated, every pair compared, and a matching of compatible pairs (bipartite) decides."""
        if o_kw and n_kw:  # keywords beside the combination apply to every branch: compare them as a node
            self.body(_without(o, o_kw), _without(n, n_kw), path, stack)
        old = _branches(o, o_kw, self.old_side)
        new = _branches(n, n_kw, self.new_side)
        shown = n_kw or o_kw or "anyOf"
        pairs = {(i, j): self.sub(a, b, json_path(path, n_kw, j) if n_kw else path, stack)  # paths in NEW
                 for i, a in enumerate(old) for j, b in enumerate(new)}
        backward = {k: all(c.backward for c in v) for k, v in pairs.items()}
        forward = {(j, i): all(c.forward for c in v) for (i, j), v in pairs.items()}
        b_ok = holds(o_kw, len(old), n_kw, len(new), backward)
        f_ok = holds(n_kw, len(new), o_kw, len(old), forward)
        shown_pairs = self.pairing(backward, forward, b_ok, f_ok, len(old), len(new))
        structural: list[Change] = []
        if o_kw != n_kw and o_kw and n_kw:
            structural.append(Change(path, "combination-keyword-changed", f"{o_kw} became {n_kw}", o_kw, n_kw))
        matched_old, matched_new = {i for i, _ in shown_pairs}, {j for _, j in shown_pairs}
        for i in sorted(set(range(len(old))) - matched_old):
            structural.append(Change(json_path(path, o_kw or shown, i), f"{o_kw or shown}-branch-removed",
                                     f"{o_kw or shown} branch removed", old[i], None))
        for j in sorted(set(range(len(new))) - matched_new):
            structural.append(Change(json_path(path, shown, j), f"{shown}-branch-added", f"{shown} branch added",
                                     None, new[j]))
        start = len(self.changes)
        for i, j in shown_pairs:  # the matching decides; a matched branch's own changes say where
            self.changes.extend(replace(c, backward=c.backward or b_ok, forward=c.forward or f_ok) for c in pairs[i, j])
        self.changes.extend(replace(c, backward=b_ok, forward=f_ok) for c in structural)
        for direction, fine in (("BACKWARD", b_ok), ("FORWARD", f_ok)):
            if not fine and all(c.allowed(direction) for c in self.changes[start:]):
                self.add(path, "combination-changed", f"the {shown} branches no longer match up ({direction})",
                         (direction != "BACKWARD", direction == "BACKWARD"), o_kw, n_kw)

    @staticmethod
    def pairing(backward: dict[tuple[int, int], bool], forward: dict[tuple[int, int], bool], b_ok: bool, f_ok: bool,
                n_old: int, n_new: int) -> list[tuple[int, int]]:
        """Which old branch is shown as which new one: a matching that holds, else compatible pairs in either
        direction, else the one branch left on each side."""
        if b_ok or not f_ok:
            pairs = matching({k: v or (not b_ok and forward[k[1], k[0]]) for k, v in backward.items()}, n_old, n_new)
        else:
            pairs = [(i, j) for j, i in matching(forward, n_new, n_old)]
        left_old = set(range(n_old)) - {i for i, _ in pairs}
        left_new = set(range(n_new)) - {j for _, j in pairs}
        if len(left_old) == len(left_new) == 1:
            pairs.append((left_old.pop(), left_new.pop()))
        return sorted(pairs)

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
    return ("false (closed)", "a schema (partially open)", "open")[rank(value)]


def _list(value: Any) -> list[Any] | None:
    return value if isinstance(value, list) else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _names(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _without(node: dict[str, Any], keyword: str) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k != keyword}


def _is_false(node: Any) -> bool:
    """The `false` schema (normalized to `{"not": {}}`): accepts nothing."""
    return isinstance(node, dict) and set(node) - ANNOTATIONS == {"not"} and node["not"] in ({}, True)


def _combinator(node: dict[str, Any]) -> str | None:
    return next((k for k in COMBINATORS if isinstance(node.get(k), list) and node[k]), None)


def _branches(node: dict[str, Any], keyword: str | None, side: _Side) -> list[Any]:
    """A side's branches, duplicates dropped; a plain schema is one branch. Keywords beside a combination
    (when only this side has one) go into every branch, which is what they mean."""
    if keyword is None:
        return [node]
    siblings = {k: v for k, v in _without(node, keyword).items() if k not in ANNOTATIONS and not k.startswith("x-")}
    out, seen = [], set()
    for branch in node[keyword]:
        if siblings:
            inner = side.normalize(branch)[0]
            branch = {**siblings, **inner} if not set(siblings) & set(inner) else {"allOf": [siblings, branch]}
        text = _dump(side.canonical(branch, ()))
        if text not in seen:
            seen.add(text)
            out.append(branch)
    return out
