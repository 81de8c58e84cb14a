"""Every event's pydantic schema built while its model loads, so `check` refuses what `render` cannot draw.

Events defer pydantic's build (`defer_build`): a field typed with a name the model never imported, a
plain class or a misspelt forward reference (`list["OrderLines"]`) would surface only when a format
asked for the payload schema, as a pydantic traceback with no file or line. The loader therefore
rebuilds each event whose schema the cache does not already hold (`resolve`), while the model's
modules can still be seen, and any failure becomes a `ModelError` at the line of the field at fault,
naming the type, with Python's own "Did you mean ...?" where Python offers one.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import sys
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, PydanticUndefinedAnnotation, PydanticUserError, TypeAdapter

from archkit.errors import ModelError, ModelErrors, SourceLocation
from archkit.model.events import Event, event_info
from archkit.model.payloads import PayloadSchemas

#: How pydantic names the type it could not describe: "... schema for <class 'shop.Money'>. Set ...".
_UNKNOWN_TYPE = re.compile(r"schema for <class '(?:[\w.<>]+\.)?([\w<>]+)'>")


def resolve(events: Iterable[type[Event]], payloads: PayloadSchemas) -> None:
    """Build the pydantic schema of each event without a known payload schema; raise what fails.

    Must run while the model's modules are in `sys.modules`: pydantic resolves names in the module
    that defined the class. A schema the cache handed out (`payloads.known`) was built from these very
    classes before, so those events cost nothing.
    """
    errors: list[ModelError] = []
    for event in events:
        if payloads.known(event) is not None or event.__pydantic_complete__:
            continue
        try:
            event.model_rebuild(_parent_namespace_depth=0)  # the class's own module, none of our locals
        except Exception as exc:
            errors.append(schema_error(event, exc))
    _raise(errors)


def generate_schemas(events: Iterable[type[Event]], payloads: PayloadSchemas) -> None:
    """Generate (or take from the cache) every event's JSON Schema, as the formats will: a type pydantic
    can validate but not describe (`Callable`, an arbitrary class allowed by the model's config) fails
    only here. Costs what the first render would; the schema cache keeps the result for it."""
    errors: list[ModelError] = []
    for event in events:
        try:
            payloads.of(event)
        except ModelError as exc:
            errors.append(exc)
    _raise(errors)


def _raise(errors: list[ModelError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ModelErrors(errors)


def python_message(exc: BaseException) -> str:
    """`Type: message` as Python words it, with its "Did you mean: ...?" when it has one.

    Python 3.11 computes that suggestion only while printing an exception (3.12 also in `traceback`),
    so for the exceptions it suggests names for, the interpreter's own printer writes into a buffer
    and the suggestion is taken from there; the frames it suggests from are those the exception
    was raised in.
    """
    message = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, (NameError, AttributeError, ImportError)):
        first = message.split("\n", 1)[0]
        buffer = io.StringIO()
        with contextlib.redirect_stderr(buffer):
            sys.__excepthook__(type(exc), exc, exc.__traceback__)
        for line in buffer.getvalue().splitlines():
            if line.startswith(first) and len(line) > len(first):
                return message.replace(first, line, 1)
    return message


def schema_error(event: type[Event], exc: Exception) -> ModelError:
    """What pydantic's failure to build or describe `event` means, at the line of the field at fault."""
    name = f"event {event.__name__}"
    if isinstance(exc, PydanticUndefinedAnnotation):
        cause = exc.__cause__ if isinstance(exc.__cause__, NameError) else None
        message = python_message(cause) if cause is not None else f"NameError: name {exc.name!r} is not defined"
        field, location = _mentioning(event, exc.name)
        return ModelError(
            f"{name}{_field(field)}: {message}", location or event_info(event).origin,
            hint=f"import or define {exc.name} in the model file before the event needs it",
        )
    unknown = _UNKNOWN_TYPE.search(str(exc))
    if unknown is not None:
        type_name = unknown.group(1)
        field, location = _mentioning(event, type_name)
        if field is None:
            field, location = _mentioning(event, None, _failing_field(event))
        return ModelError(
            f"{name}{_field(field)}: pydantic cannot describe {type_name}, a plain class, as a payload schema",
            location or event_info(event).origin,
            hint=f"make {type_name} a pydantic BaseModel, a dataclass or an Enum, or use a type pydantic knows "
                 "(str, int, Decimal, UUID, datetime, ...)",
        )
    field, location = _mentioning(event, None, _failing_field(event))
    first_line = str(exc).strip().split("\n", 1)[0]
    return ModelError(f"{name}{_field(field)}: no payload schema: {first_line}", location or event_info(event).origin)


def _field(field: str | None) -> str:
    return f", field {field}" if field else ""


def _failing_field(event: type[Event]) -> str | None:
    """The first field whose type alone pydantic cannot turn into a JSON Schema (one it has resolved)."""
    for field_name, info in event.model_fields.items():
        try:
            TypeAdapter(info.annotation).json_schema()  # type: ignore[arg-type]  # None is a type here
        except PydanticUserError as exc:
            if exc.code != "class-not-fully-defined":  # a forward reference seen alone: not this field's fault
                return field_name
        except Exception:
            return field_name
    return None


def _mentioning(event: type[Event], type_name: str | None, field_name: str | None = None
                ) -> tuple[str | None, SourceLocation | None]:
    """The field (of the event, else of a model it refers to) whose annotation names `type_name`, or
    the field called `field_name` of the event: its name and line."""
    for cls in _classes_from(event):
        file = _file_of(cls)
        if file is None:
            continue
        for target, line in _annotated_fields(file, cls.__name__):
            if (field_name is not None and cls is event and target.id == field_name) or \
                    (type_name is not None and _names(target.annotation, type_name)):
                return target.id, SourceLocation(file, line)
    return None, None


def _classes_from(event: type[Event]) -> Iterator[type[BaseModel]]:
    """The event, then every pydantic model its fields refer to, each once."""
    seen: set[type] = set()
    pending: list[Any] = [event]
    while pending:
        value = pending.pop(0)
        if isinstance(value, type) and issubclass(value, BaseModel):
            if value in seen:
                continue
            seen.add(value)
            yield value
            pending += [f.annotation for f in value.model_fields.values()]
        else:
            pending += list(typing.get_args(value))


def _file_of(cls: type[BaseModel]) -> str | None:
    """The file that defines `cls`: an event's recorded origin, else its module's file (while loading)."""
    if issubclass(cls, Event) and cls is not Event and event_info(cls).origin is not None:
        return event_info(cls).origin.file  # type: ignore[union-attr]
    return getattr(sys.modules.get(cls.__module__), "__file__", None)


class _Target(typing.NamedTuple):
    id: str
    annotation: ast.expr


def _parsed(file: str) -> ast.Module | None:
    """The file as it is now (an error path, and watch mode edits files: never cached)."""
    try:
        return ast.parse(Path(file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


def _annotated_fields(file: str, class_name: str) -> list[tuple[_Target, int]]:
    """`name: annotation` lines of each class called `class_name` in `file`, in order."""
    tree = _parsed(file)
    if tree is None:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            found += [(_Target(s.target.id, s.annotation), s.lineno) for s in node.body
                      if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
    return found


def _names(annotation: ast.expr, name: str) -> bool:
    """Whether the annotation mentions `name`, also inside a quoted forward reference."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name) and node.id == name or isinstance(node, ast.Attribute) and node.attr == name:
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                if _names(ast.parse(node.value, mode="eval").body, name):
                    return True
            except SyntaxError:
                continue
    return False
