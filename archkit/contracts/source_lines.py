"""The model line a payload change belongs to: the field, the nested model's field, the enum member.

A finding at the event's `class` line lands on an unchanged line, so a pull request's diff does not
show it. The JSON path of a change (`$.properties.total.properties.amount`) is followed through the
pydantic fields (matched by JSON name: the alias, else the attribute), into the models and enums their
annotations name, and each field's line is read from its class's source with `ast` (own fields first,
then the bases'). Only findings pay for this; anything that cannot be read falls back to the class line.
"""

from __future__ import annotations

import ast
import enum
import inspect
import re
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from archkit.contracts.schema_compat import COMBINATORS, _Side
from archkit.errors import SourceLocation

_TOKEN = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\"(?:[^\"\\]|\\.)*\")\]|\[(\d+)\]")


def locate(event: type[BaseModel], origin: SourceLocation | None, path: str, kind: str, new: Any,
           old_schema: Any = None) -> SourceLocation | None:
    """Where in the model the change `kind` at JSON `path` is declared; None: use the class line.
    A property the model no longer has is placed where it was: at the field that followed it in
    `old_schema` (the baseline's field order) and still exists, else the one before it."""
    try:
        return _locate(event, origin, _tokens(path), kind, new, old_schema)
    except (OSError, SyntaxError, TypeError, ValueError, LookupError, AttributeError):  # the class line will do
        return None


def _locate(event: type[BaseModel], origin: SourceLocation | None, tokens: list[str | int], kind: str,
            new: Any, old_schema: Any) -> SourceLocation | None:
    types: list[type] = [event]
    found: SourceLocation | None = None
    for i, token in enumerate(tokens[:-1]):
        name = tokens[i + 1]
        if token != "properties" or not isinstance(name, str):
            continue
        match = _field(types, name)
        if match is None:
            neighbours = _neighbours(old_schema, tokens[:i], name) if i + 2 == len(tokens) else []
            return next((line for line in (_field_line(types, other, origin) for other in neighbours) if line), found)
        cls, attr, info = match
        found = _line_of(cls, attr, origin) or found
        types = _named_types(info.annotation)
    if found is not None and kind == "enum-value-added" and isinstance(new, list):
        for cls in types:
            if issubclass(cls, enum.Enum):
                member = next((m for m in cls if m.value in new), None)
                if member is not None:
                    return _line_of(cls, member.name, origin) or found
    return found


def _field(types: list[type], name: str) -> tuple[type, str, Any] | None:
    """(model, attribute, FieldInfo) of the field whose JSON name is `name` in the first model having one."""
    return next(((cls, attr, info) for cls in types if issubclass(cls, BaseModel)
                 for attr, info in cls.model_fields.items() if (info.alias or attr) == name), None)


def _field_line(types: list[type], name: str, origin: SourceLocation | None) -> SourceLocation | None:
    match = _field(types, name)
    return _line_of(match[0], match[1], origin) if match else None


def _neighbours(schema: Any, parent: list[str | int], name: str) -> list[str]:
    """The property names after `name` in the object at JSON path `parent` of `schema`, then those before
    it, nearest first: where a removed property used to be."""
    side = _Side(schema)
    node = side.normalize(schema)[0]
    for token in parent:
        node = _child(side, node, token)
    names = list(_child(side, node, "properties"))
    if name not in names:
        return []
    at = names.index(name)
    return [*names[at + 1:], *reversed(names[:at])]


def _child(side: _Side, node: Any, token: str | int) -> Any:
    """node[token] through `$ref`s and the branches of a union (pydantic's Optional is anyOf [X, null])."""
    for candidate in [node, *(b for k in COMBINATORS for b in (node.get(k) or []) if isinstance(node, dict))]:
        candidate = side.normalize(candidate)[0]
        if isinstance(token, str) and token in candidate:
            return side.normalize(candidate[token])[0] if token != "properties" else candidate[token]
        if isinstance(token, int) and isinstance(candidate, list) and token < len(candidate):
            return candidate[token]
    raise LookupError(token)


def _tokens(path: str) -> list[str | int]:
    out: list[str | int] = []
    for name, quoted, index in _TOKEN.findall(path[1:]):
        out.append(name or (ast.literal_eval(quoted) if quoted else int(index)))
    return out


def _named_types(annotation: Any) -> list[type]:
    """The classes an annotation names anywhere (`list[Line] | None` -> [Line, NoneType])."""
    out, pending = [], [annotation]
    while pending:
        item = pending.pop(0)
        if isinstance(item, type) and typing.get_origin(item) is None:
            out.append(item)
        pending.extend(typing.get_args(item))
    return out


def _line_of(cls: type, name: str, origin: SourceLocation | None) -> SourceLocation | None:
    """The line declaring `name` (a field or enum member) in `cls` or the nearest base that has it."""
    for owner in cls.__mro__:
        if owner in (object, BaseModel, enum.Enum) or owner.__module__.startswith(("pydantic", "archkit.model")):
            continue
        file = _source_file(owner, origin)
        if file is None:
            continue
        line = _declarations(file, _mtime(file)).get((owner.__qualname__.split(".")[-1], name))
        if line is not None:
            return SourceLocation(file, line)
    return None


def _source_file(cls: type, origin: SourceLocation | None) -> str | None:
    try:
        return inspect.getsourcefile(cls)
    except (TypeError, OSError):
        return origin.file if origin is not None else None  # a model module archkit has since forgotten


def _mtime(file: str) -> int:
    return Path(file).stat().st_mtime_ns


@lru_cache(maxsize=64)
def _declarations(file: str, mtime: int) -> dict[tuple[str, str], int]:
    """(class name, field or member) -> line, for every class of a file (the first class of a name wins)."""
    del mtime  # part of the cache key only: an edited file is read again
    tree = ast.parse(Path(file).read_text(encoding="utf-8"), filename=file)
    out: dict[tuple[str, str], int] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            targets = ([statement.target] if isinstance(statement, ast.AnnAssign) else
                       statement.targets if isinstance(statement, ast.Assign) else [])
            for target in targets:
                if isinstance(target, ast.Name):
                    out.setdefault((node.name, target.id), statement.lineno)
    return out
