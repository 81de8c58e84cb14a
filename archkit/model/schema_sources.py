"""The source files an event's payload schema can depend on, so that the schema cache can keep the schemas
of the events an edit did not reach (engine/schema_cache.py).

The fingerprint (model/fingerprint.py) describes what a schema is made of as data: fields, settings,
docstrings, referenced models and enums. What it cannot see is code that runs while pydantic builds the
schema: a `json_schema_extra` function, a custom type's `__get_pydantic_json_schema__`, a validator
or serializer with its own schema, and whatever helpers those call. So an event's schema depends on
the file the event is written in and on every file whose code is reachable from it: its base classes,
the classes and functions in its fields' annotations, metadata and settings, the methods of those
classes, and, from each function, the functions, classes and modules its code names in its globals,
its closure and its defaults, followed further in the same way.

Only files in `local` (the model's own files) are followed: the rest is archkit's, pydantic's and
installed packages', versioned by the cache's key. A class's module is looked up in `modules` (the
model's own, which the loader keeps after it forgot them: the walk may run after the load), else in
`sys.modules`. When it cannot be found, or the walk fails or does not end, the answer is None: the
caller must then assume every file matters.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

#: FieldInfo settings that may hold code or objects of the model (not plain values).
_FIELD_PARTS = ("annotation", "default", "default_factory", "json_schema_extra", "metadata", "discriminator")
#: Attributes through which a wrapper reaches the function it runs (functools.partial, staticmethod,
#: classmethod, pydantic's AfterValidator / PlainSerializer / WithJsonSchema, property, ...).
_WRAPPED = ("func", "__func__", "__wrapped__", "wrapped", "function", "fget", "fset", "json_schema",
            "json_schema_input_type", "return_type")
#: Class attributes pydantic and archkit derive from the class body (followed through the fields instead).
_DERIVED = ("__pydantic_", "__archkit_", "model_fields", "model_computed_fields", "__signature__", "__abstractmethods__",
            "_abc_impl", "__annotations__", "__dict__", "__weakref__", "__doc__", "__module__", "__qualname__")


#: Objects visited for one event before giving up (then every model file counts): a default whose
#: `__getattr__` makes a new object for any name would otherwise never end.
_MOST = 50_000


class _Unknown(Exception):
    """A model class whose file cannot be told, or a walk that does not end."""


def schema_files(event: type, local: set[str], modules: Mapping[str, types.ModuleType] | None = None) -> set[str] | None:
    """The files of `local` (absolute paths, as the loader resolves them) the event's schema depends on;
    `modules`: the model's modules by name, when they may have left `sys.modules`."""
    walk = _Walk(local, modules or {})
    try:
        walk.visit(event)
    except Exception:  # a model class whose file cannot be told, an object that fails when asked, too much
        return None
    return walk.files


class _Walk:
    def __init__(self, local: set[str], modules: Mapping[str, types.ModuleType]) -> None:
        self.local = local
        self.modules = modules
        self.files: set[str] = set()
        self.seen: set[int] = set()

    def visit(self, root: Any) -> None:
        stack = [root]
        while stack:
            obj = stack.pop()
            if id(obj) in self.seen or obj is None or isinstance(obj, (str, bytes, int, float, bool)):
                continue
            self.seen.add(id(obj))
            if len(self.seen) > _MOST:
                raise _Unknown("more objects than any payload's code names: an object that makes new ones")
            stack.extend(self._parts(obj))

    def _keep(self, file: str | None) -> bool:
        """Note `file` when it is the model's; True when what it defines is to be followed."""
        if file in self.local:
            self.files.add(file)  # type: ignore[arg-type]
            return True
        return False

    def _parts(self, obj: Any) -> Iterator[Any]:
        if isinstance(obj, type):
            yield from self._class(obj)
        elif isinstance(obj, types.FunctionType):
            if self._keep(obj.__code__.co_filename):
                yield from _named_by(obj.__code__, obj.__globals__)
                yield from (cell.cell_contents for cell in obj.__closure__ or () if _filled(cell))
                yield from obj.__defaults__ or ()
                yield from (obj.__kwdefaults__ or {}).values()
        elif isinstance(obj, types.ModuleType):
            self._keep(getattr(obj, "__file__", None))  # a module's own names are followed from the code naming them
        elif isinstance(obj, FieldInfo):
            yield from (getattr(obj, name, None) for name in _FIELD_PARTS)
        elif isinstance(obj, (list, tuple, set, frozenset)):
            yield from obj
        elif isinstance(obj, dict):
            yield from obj.keys()
            yield from obj.values()
        else:
            yield from typing.get_args(obj)  # list[X], Annotated[X, ...], X | None
            yield from getattr(obj, "__metadata__", ())
            yield type(obj)
            yield from (getattr(obj, name, None) for name in _WRAPPED)
            if hasattr(obj, "__dict__") and not isinstance(obj, types.BuiltinFunctionType):
                yield from vars(obj).values()

    def _class(self, cls: type) -> Iterator[Any]:
        module = self.modules.get(cls.__module__) or sys.modules.get(cls.__module__)
        file = getattr(module, "__file__", None)
        if module is None and cls.__module__.startswith("_archkit_model_"):
            raise _Unknown(cls)  # a model class whose module was already forgotten
        if not self._keep(file):
            return
        yield from cls.__bases__
        if issubclass(cls, BaseModel):
            yield from cls.model_fields.values()
            yield dict(cls.model_config)
        if not issubclass(cls, Enum):
            yield from (value for name, value in vars(cls).items() if not name.startswith(_DERIVED))


def _named_by(code: types.CodeType, namespace: dict[str, Any]) -> Iterator[Any]:
    """The objects of `namespace` that `code` (and the code nested in it) names, modules' attributes too."""
    for name in code.co_names:
        if name in namespace:
            value = namespace[name]
            yield value
            if isinstance(value, types.ModuleType):
                yield from (getattr(value, attr) for attr in code.co_names if hasattr(value, attr))
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _named_by(const, namespace)


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:
        return False
    return True
