"""Every row of the payload classification table (issue 6), with pydantic-generated and hand-written schemas.

Each case states whether the change is allowed under BACKWARD (new readers, old data) and FORWARD (old
readers, new data). The same pair read the other way round must give the mirrored answer, which checks
each row "in both directions".
"""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from archkit.contracts.schema_compat import _Walk, compare_schemas, identical

YES, NO = True, False


def obj(props: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(required), **extra}


S, I, N = {"type": "string"}, {"type": "integer"}, {"type": "number"}


def verdict(old: Any, new: Any, rules: str = "default") -> tuple[bool, bool]:
    changes = compare_schemas(old, new, rules=rules)
    assert changes, "expected the classifier to see a change"
    return all(c.backward for c in changes), all(c.forward for c in changes)


# --- pydantic pairs -----------------------------------------------------------------------------------
class Base(BaseModel):
    a: str


class AddOptional(BaseModel):
    a: str
    b: int | None = None


class ClosedBase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: str


class ClosedAddOptional(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: str
    b: int = 0


class AddRequired(BaseModel):
    a: str
    b: int


class Renamed(BaseModel):
    c: str


class OptionalA(BaseModel):
    a: str = ""


class IntA(BaseModel):
    a: int


class FloatA(BaseModel):
    a: float


class NullableA(BaseModel):
    a: str | None


class Choice2(BaseModel):
    a: Literal["sms", "push"]


class Choice3(BaseModel):
    a: Literal["sms", "push", "email"]


class ConstX(BaseModel):
    a: Literal["x"]


class ConstY(BaseModel):
    a: Literal["y"]


class Patterned(BaseModel):
    a: str = Field(pattern="^[A-Z]{3}$")


class PatternedOther(BaseModel):
    a: str = Field(pattern="^[A-Z]{2}$")


class Bounded(BaseModel):
    a: int = Field(ge=0, le=10)
    s: str = Field(min_length=1, max_length=5)
    items: list[int] = Field(min_length=1, max_length=3)


class BoundedTighter(BaseModel):
    a: int = Field(ge=1, le=9)
    s: str = Field(min_length=2, max_length=4)
    items: list[int] = Field(min_length=2, max_length=2)


class Unbounded(BaseModel):
    a: int
    s: str
    items: list[int]


class Union2(BaseModel):
    a: int | str


class Union3(BaseModel):
    a: int | str | bool


class Documented(BaseModel):
    """Old text."""

    a: str = Field(title="A", description="the a", examples=["x"])


class Redocumented(BaseModel):
    """New text."""

    a: str = Field(title="Alpha", description="the alpha", examples=["y"])


def js(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


# (row of the table, old, new, allowed under BACKWARD, allowed under FORWARD)
ROWS = [
    # add optional property (old schema open)
    ("add optional, open (pydantic)", js(Base), js(AddOptional), YES, YES),
    ("add optional, open", obj({"a": S}, ("a",)), obj({"a": S, "b": I}, ("a",)), YES, YES),
    # add optional property (old schema additionalProperties: false)
    ("add optional, closed (pydantic)", js(ClosedBase), js(ClosedAddOptional), YES, NO),
    ("add optional, closed", obj({"a": S}, additionalProperties=False),
     obj({"a": S, "b": I}, additionalProperties=False), YES, NO),
    # add required property (with or without default)
    ("add required (pydantic)", js(Base), js(AddRequired), NO, YES),
    ("add required", obj({"a": S}), obj({"a": S, "b": I}, ("b",)), NO, YES),
    ("add required with default", obj({"a": S}), obj({"a": S, "b": {**I, "default": 0}}, ("b",)), NO, YES),
    # remove optional property
    ("remove optional (pydantic)", js(AddOptional), js(Base), YES, YES),
    ("remove optional", obj({"a": S, "b": I}), obj({"a": S}), YES, YES),
    # remove required property
    ("remove required (pydantic)", js(AddRequired), js(Base), YES, NO),
    ("remove required", obj({"a": S, "b": I}, ("a", "b")), obj({"a": S}, ("a",)), YES, NO),
    # rename a property (= remove + add)
    ("rename (pydantic)", js(Base), js(Renamed), NO, NO),
    ("rename", obj({"a": S}, ("a",)), obj({"c": S}, ("c",)), NO, NO),
    # required -> optional / optional -> required
    ("required -> optional (pydantic)", js(Base), js(OptionalA), YES, NO),
    ("required -> optional", obj({"a": S}, ("a",)), obj({"a": S}), YES, NO),
    ("optional -> required (pydantic)", js(OptionalA), js(Base), NO, YES),
    ("optional -> required", obj({"a": S}), obj({"a": S}, ("a",)), NO, YES),
    # type changed to an unrelated type
    ("unrelated type (pydantic)", js(Base), js(IntA), NO, NO),
    ("unrelated type", obj({"a": S}), obj({"a": {"type": "object"}}), NO, NO),
    # integer -> number (widen), number -> integer (narrow)
    ("integer -> number (pydantic)", js(IntA), js(FloatA), YES, NO),
    ("integer -> number", obj({"a": I}), obj({"a": N}), YES, NO),
    ("number -> integer (pydantic)", js(FloatA), js(IntA), NO, YES),
    ("number -> integer", obj({"a": N}), obj({"a": I}), NO, YES),
    # make nullable / remove nullable
    ("make nullable (pydantic)", js(Base), js(NullableA), YES, NO),
    ("make nullable (type list)", obj({"a": S}), obj({"a": {"type": ["string", "null"]}}), YES, NO),
    ("remove nullable (pydantic)", js(NullableA), js(Base), NO, YES),
    ("remove nullable (type list)", obj({"a": {"type": ["null", "string"]}}), obj({"a": S}), NO, YES),
    # enum value added / removed
    ("enum value added (pydantic)", js(Choice2), js(Choice3), YES, NO),
    ("enum value added", obj({"a": {"enum": [1, 2]}}), obj({"a": {"enum": [2, 1, 3]}}), YES, NO),
    ("enum value removed (pydantic)", js(Choice3), js(Choice2), NO, YES),
    ("enum value removed", obj({"a": {"enum": [1, 2, 3]}}), obj({"a": {"enum": [3, 1]}}), NO, YES),
    # const changed
    ("const changed (pydantic)", js(ConstX), js(ConstY), NO, NO),
    ("const changed", obj({"a": {"const": 1}}), obj({"a": {"const": 2}}), NO, NO),
    # format or pattern added / changed / removed
    ("pattern added (pydantic)", js(Base), js(Patterned), NO, YES),
    ("pattern changed (pydantic)", js(Patterned), js(PatternedOther), NO, NO),
    ("pattern removed (pydantic)", js(Patterned), js(Base), YES, NO),
    ("format added", obj({"a": S}), obj({"a": {**S, "format": "uuid"}}), NO, YES),
    ("format changed", obj({"a": {**S, "format": "date"}}), obj({"a": {**S, "format": "date-time"}}), NO, NO),
    ("format removed", obj({"a": {**S, "format": "email"}}), obj({"a": S}), YES, NO),
    # min/max, minLength/maxLength, minItems/maxItems tightened or added; loosened or removed
    ("bounds tightened (pydantic)", js(Bounded), js(BoundedTighter), NO, YES),
    ("bounds added (pydantic)", js(Unbounded), js(Bounded), NO, YES),
    ("bounds loosened (pydantic)", js(BoundedTighter), js(Bounded), YES, NO),
    ("bounds removed (pydantic)", js(Bounded), js(Unbounded), YES, NO),
    # additionalProperties true -> false / false -> true
    ("additionalProperties true -> false", obj({"a": S}, additionalProperties=True),
     obj({"a": S}, additionalProperties=False), NO, YES),
    ("additionalProperties false -> true", obj({"a": S}, additionalProperties=False),
     obj({"a": S}, additionalProperties=True), YES, NO),
    # oneOf/anyOf branch added / removed
    ("anyOf branch added (pydantic)", js(Union2), js(Union3), YES, NO),
    ("anyOf branch removed (pydantic)", js(Union3), js(Union2), NO, YES),
    ("oneOf branch added", obj({"a": {"oneOf": [S, I]}}), obj({"a": {"oneOf": [I, S, {"type": "boolean"}]}}), YES, NO),
    ("oneOf branch removed", obj({"a": {"oneOf": [S, I]}}), obj({"a": {"oneOf": [I]}}), NO, YES),
    # allOf branch added
    ("allOf branch added", obj({"a": {"allOf": [{"minLength": 1}, {"maxLength": 9}]}}),
     obj({"a": {"allOf": [{"minLength": 1}, {"maxLength": 9}, {"pattern": "^x"}]}}), NO, YES),
    ("allOf branch removed", obj({"a": {"allOf": [{"minLength": 1}, {"maxLength": 9}, {"pattern": "^x"}]}}),
     obj({"a": {"allOf": [{"minLength": 1}, {"maxLength": 9}]}}), YES, NO),
    # default, title, description, examples changed
    ("documentation changed (pydantic)", js(Documented), js(Redocumented), YES, YES),
    ("default changed", obj({"a": {**S, "default": "x"}}), obj({"a": {**S, "default": "y"}}), YES, YES),
]

BOUND_KEYWORDS = [("minimum", 1, 2), ("maximum", 9, 8), ("exclusiveMinimum", 0, 1), ("exclusiveMaximum", 9, 8),
                  ("minLength", 1, 2), ("maxLength", 9, 8), ("minItems", 1, 2), ("maxItems", 9, 8)]


@pytest.mark.parametrize(("old", "new", "backward", "forward"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_table_row(old, new, backward, forward):
    assert verdict(old, new) == (backward, forward)


@pytest.mark.parametrize(("old", "new", "backward", "forward"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_table_row_read_the_other_way_round_mirrors_the_directions(old, new, backward, forward):
    # new -> old: what a new reader could read an old reader can read, and the reverse
    assert verdict(new, old) == (forward, backward)


@pytest.mark.parametrize(("keyword", "loose", "tight"), BOUND_KEYWORDS, ids=[b[0] for b in BOUND_KEYWORDS])
def test_each_bound_keyword_tightened_added_loosened_removed(keyword, loose, tight):
    kind = "array" if "Items" in keyword else "string" if "Length" in keyword else "number"
    bare = {"type": kind}
    assert verdict({**bare, keyword: loose}, {**bare, keyword: tight}) == (NO, YES)
    assert verdict(bare, {**bare, keyword: tight}) == (NO, YES)
    assert verdict({**bare, keyword: tight}, {**bare, keyword: loose}) == (YES, NO)
    assert verdict({**bare, keyword: tight}, bare) == (YES, NO)


def test_multiple_of_tightened_is_a_multiple_of_the_old_step():
    assert verdict({"type": "number", "multipleOf": 2}, {"type": "number", "multipleOf": 4}) == (NO, YES)
    assert verdict({"type": "number", "multipleOf": 4}, {"type": "number", "multipleOf": 2}) == (YES, NO)
    assert verdict({"type": "number", "multipleOf": 2}, {"type": "number", "multipleOf": 3}) == (NO, NO)


# --- structure: nesting, $refs, sets --------------------------------------------------------------
class Money(BaseModel):
    amount: float
    currency: str


class MoneyInt(BaseModel):
    amount: int
    currency: str


class Line(BaseModel):
    sku: str
    qty: int


class LineNoQty(BaseModel):
    sku: str


class Order(BaseModel):
    total: Money
    lines: list[Line]


class OrderNarrowed(BaseModel):
    total: MoneyInt
    lines: list[LineNoQty]


def test_changes_deep_in_refs_and_array_items_carry_their_json_path():
    changes = [c for c in compare_schemas(js(Order), js(OrderNarrowed)) if c.breaking]
    by_path = {c.path: c for c in changes}
    assert set(by_path) == {"$.properties.total.properties.amount", "$.properties.lines.items.properties.qty"}
    amount = by_path["$.properties.total.properties.amount"]
    assert (amount.kind, amount.old, amount.new, amount.backward, amount.forward) == ("type-narrowed", "number",
                                                                                     "integer", NO, YES)
    assert by_path["$.properties.lines.items.properties.qty"].kind == "property-removed-required"


def test_moving_a_definition_into_a_ref_is_no_change():
    inline = obj({"total": obj({"amount": N, "currency": S}, ("amount", "currency"))}, ("total",))
    by_ref = {**obj({"total": {"$ref": "#/$defs/Money"}}, ("total",)),
              "$defs": {"Money": obj({"amount": N, "currency": S}, ("currency", "amount"))}}
    legacy_wrapped = {**obj({"total": {"allOf": [{"$ref": "#/definitions/Money"}]}}, ("total",)),
                      "definitions": {"Money": obj({"amount": N, "currency": S}, ("amount", "currency"))}}
    assert compare_schemas(inline, by_ref) == []
    assert compare_schemas(by_ref, legacy_wrapped) == []
    assert compare_schemas(js(Order), js(Order)) == []


def test_enums_required_types_and_branches_are_sets_not_sequences():
    old = obj({"a": {"enum": ["x", "y"]}, "b": {"type": ["string", "integer"]}, "c": {"anyOf": [S, I]}}, ("a", "b"))
    new = obj({"a": {"enum": ["y", "x"]}, "b": {"type": ["integer", "string"]}, "c": {"anyOf": [I, S]}}, ("b", "a"))
    assert compare_schemas(old, new) == []


def test_a_changed_union_branch_is_compared_inside_the_branch():
    old = obj({"a": {"anyOf": [obj({"x": I}), S]}})
    new = obj({"a": {"anyOf": [S, obj({"x": N})]}})
    [change] = compare_schemas(old, new)
    assert (change.path, change.kind) == ("$.properties.a.anyOf[1].properties.x", "type-widened")


def test_optional_model_becoming_required_and_not_nullable_reports_both():
    class Holder(BaseModel):
        total: Money | None = None

    class StrictHolder(BaseModel):
        total: Money

    kinds = {c.kind for c in compare_schemas(js(Holder), js(StrictHolder))}
    assert {"required-added", "nullable-removed"} <= kinds
    assert verdict(js(Holder), js(StrictHolder)) == (NO, YES)


def test_recursive_schemas_terminate():
    class Node(BaseModel):
        name: str
        children: list[Node] = []

    class Node2(BaseModel):
        name: int
        children: list[Node2] = []

    Node.model_rebuild()
    Node2.model_rebuild()
    changes = compare_schemas(js(Node), js(Node2))
    assert [c.path for c in changes if c.breaking] == ["$.properties.name"]


# --- keywords archkit does not judge ----------------------------------------------------------------
UNJUDGED = [
    ("if/then", obj({"a": S}), {**obj({"a": S}), "if": obj({"a": {"const": "x"}}), "then": {"required": ["b"]}}),
    ("unknown keyword", obj({"a": {**S, "sillyKeyword": 1}}), obj({"a": {**S, "sillyKeyword": 2}})),
]

# --- keywords judged since issue 17 (B = allowed under BACKWARD, F = under FORWARD) -------------------
STR_ARRAY = {"type": "array", "items": S}
JUDGED = [
    ("not rejects more", {**S, "not": {"enum": ["x"]}}, {**S, "not": {"enum": ["x", "y"]}}, NO, YES),
    ("not rejects less", {**S, "not": {"enum": ["x", "y"]}}, {**S, "not": {"enum": ["x"]}}, YES, NO),
    ("not swapped value", {**S, "not": {"const": "x"}}, {**S, "not": {"const": "y"}}, NO, NO),
    ("patternProperties narrowed", {"type": "object", "patternProperties": {"^x": N}},
     {"type": "object", "patternProperties": {"^x": I}}, NO, YES),
    ("patternProperties added to a closed schema", obj({"a": S}, additionalProperties=False),
     {**obj({"a": S}, additionalProperties=False), "patternProperties": {"^x": I}}, YES, NO),
    ("patternProperties added to an open schema", obj({"a": S}), {**obj({"a": S}), "patternProperties": {"^x": I}},
     NO, YES),
    ("dependentSchemas added", obj({"a": S}), {**obj({"a": S}), "dependentSchemas": {"a": {"required": ["b"]}}},
     NO, YES),
    ("dependentRequired removed", {**obj({"a": S}), "dependentRequired": {"a": ["b"]}}, obj({"a": S}), YES, NO),
    ("draft-7 dependencies extended", {**obj({"a": S}), "dependencies": {"a": ["b"]}},
     {**obj({"a": S}), "dependencies": {"a": ["b", "c"]}}, NO, YES),
    ("minContains raised", {**STR_ARRAY, "contains": S, "minContains": 1}, {**STR_ARRAY, "contains": S, "minContains": 2},
     NO, YES),
    ("maxContains raised", {**STR_ARRAY, "contains": S, "maxContains": 1}, {**STR_ARRAY, "contains": S, "maxContains": 2},
     YES, NO),
    ("propertyNames added", obj({}), {**obj({}), "propertyNames": {"pattern": "^[a-z]+$"}}, NO, YES),
    ("unevaluatedProperties closed", obj({"a": S}), {**obj({"a": S}), "unevaluatedProperties": False}, NO, YES),
    ("property added under unevaluatedProperties schema", {**obj({"a": S}), "unevaluatedProperties": S},
     {**obj({"a": S, "b": I}), "unevaluatedProperties": S}, NO, NO),
    ("property added under a covering patternProperties", {**obj({"a": S}), "patternProperties": {"^b": S}},
     {**obj({"a": S, "b": I}), "patternProperties": {"^b": S}}, NO, NO),
    ("dict -> dict[str, str]", obj({"meta": {"type": "object", "additionalProperties": True}}),
     obj({"meta": {"type": "object", "additionalProperties": S}}), NO, YES),
    ("tuple grows into a closed tail", {"type": "array", "prefixItems": [S], "items": False},
     {"type": "array", "prefixItems": [S, I], "items": False}, YES, NO),
    ("tuple grows over an open tail", {"type": "array", "prefixItems": [S]}, {"type": "array", "prefixItems": [S, I]},
     NO, YES),
    ("draft-4 tuple shrinks into its tail", {"type": "array", "items": [S, I], "additionalItems": N},
     {"type": "array", "items": [S], "additionalItems": N}, YES, NO),
    ("allOf narrowed to one of its branches", {"allOf": [S, {"maxLength": 3}]}, S, YES, NO),
    ("allOf became anyOf", {"allOf": [S, {"maxLength": 3}]}, {"anyOf": [S, {"maxLength": 3}]}, YES, NO),
    ("plain -> oneOf whose branch widened", {**S, "maxLength": 3}, {"oneOf": [S, I]}, YES, NO),
    ("null -> oneOf[number, null]", {"type": "null"}, {"oneOf": [N, {"type": "null"}]}, YES, NO),
]


@pytest.mark.parametrize(("old", "new", "backward", "forward"), [j[1:] for j in JUDGED], ids=[j[0] for j in JUDGED])
def test_keywords_confluent_judges_are_judged(old, new, backward, forward):
    changes = compare_schemas(old, new)
    assert all(c.judged for c in changes), changes
    assert verdict(old, new) == (backward, forward)
    assert verdict(new, old) == (forward, backward)


@pytest.mark.parametrize(("old", "new"), [u[1:] for u in UNJUDGED], ids=[u[0] for u in UNJUDGED])
def test_unjudged_keywords_changed_are_breaking_both_ways_with_a_note(old, new):
    changes = compare_schemas(old, new)
    unjudged = [c for c in changes if not c.judged]
    assert unjudged, changes
    assert all(not c.backward and not c.forward and "does not" in c.description for c in unjudged)
    assert compare_schemas(new, new) == []


# --- --rules confluent ------------------------------------------------------------------------------
def test_confluent_rules_follow_the_content_model():
    open_old, open_new = obj({"a": S}), obj({"a": S, "b": I})
    closed_old = obj({"a": S}, additionalProperties=False)
    closed_new = obj({"a": S, "b": I}, additionalProperties=False)
    # open content model: adding is not BACKWARD (old data may carry 'b' of any type), removing not FORWARD
    assert verdict(open_old, open_new) == (YES, YES)
    assert verdict(open_old, open_new, "confluent") == (NO, YES)
    assert verdict(open_new, open_old, "confluent") == (YES, NO)
    # closed content model: both rule sets agree
    assert verdict(closed_old, closed_new, "confluent") == verdict(closed_old, closed_new) == (YES, NO)
    assert verdict(closed_new, closed_old, "confluent") == verdict(closed_new, closed_old) == (NO, YES)


def test_unknown_rules_are_refused():
    with pytest.raises(ValueError, match="confluent"):
        compare_schemas({}, {}, rules="avro")


@pytest.mark.parametrize(("old", "new", "backward", "forward"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_a_schema_compared_with_an_identical_copy_has_no_change(old, new, backward, forward):
    for schema in (old, new):
        assert compare_schemas(schema, json.loads(json.dumps(schema))) == []
        assert _Walk(schema, json.loads(json.dumps(schema)), "default").run() == []  # the walk agrees


def test_values_python_calls_equal_but_json_does_not_are_still_compared():
    """`1 == 1.0 == True` in Python: the shortcut for identical schemas must not hide such a change."""
    assert {"const": 1} == {"const": True}
    assert not identical({"const": 1}, {"const": True})
    assert [c.kind for c in compare_schemas({"const": 1}, {"const": True})] == ["const-changed"]
    assert identical({"a": 1, "b": [1.5]}, {"b": [1.5], "a": 1})  # key order does not matter
