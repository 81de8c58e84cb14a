"""An event class's fingerprint: what its payload JSON Schema is made of, hashed without building it.

Two classes with equal fingerprints have equal schemas, so the schema cache (engine/schema_cache.py)
can hand out a stored schema, and watch's re-run of one module (model/rerun.py) can tell an event
that did not change from one that did, both far cheaper than pydantic's schema generator. Each is
worked out once per class by `PayloadSchemas.fingerprint` (model/payloads.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import re
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from archkit.model.events import Event, EventInfo, event_info

#: What differs between two loads of the same model: object addresses, the number in the loader's package name.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+|0x[0-9a-fA-F]{6,}")
_PACKAGE = re.compile(r"_archkit_model_\d+")

#: Every public setting of a pydantic field (annotation, default, alias, description, constraints, ...), in
#: one tuple: the same information as `repr(FieldInfo)` at a third of its cost (~1,800 events at L).
_field_settings = operator.attrgetter(*[name for name in FieldInfo.__slots__ if not name.startswith("_")])


#: Every field of an event's `EventInfo` but its line (an unrelated edit above the class moves it).
_info_settings = operator.attrgetter(*[f.name for f in dataclasses.fields(EventInfo) if f.name != "origin"])


class Describer:
    """Text of what a class's schema is made of, beyond its source file: docstring, fields, config, refs."""

    def __init__(self) -> None:
        self.seen: dict[type, str] = {}

    def event(self, event: type[Event]) -> str:
        return f"{_info_settings(event_info(event))!r}\n{self.model(event)}"

    def model(self, cls: type[BaseModel]) -> str:
        known = self.seen.get(cls)
        if known is not None:
            return known or f"<{cls.__qualname__}>"  # "": being described further up (a recursive model)
        self.seen[cls] = ""
        fields = _stable(repr([(name, _field_settings(f)) for name, f in cls.model_fields.items()]))
        parts = [cls.__qualname__, repr(cls.__doc__), fields, _stable(repr(dict(cls.model_config)))]
        parts += [self.annotation(f.annotation) for f in cls.model_fields.values()]
        text = self.seen[cls] = "\n".join(parts)
        return text

    def annotation(self, value: Any) -> str:
        if isinstance(value, type) and issubclass(value, BaseModel):
            return self.model(value)
        if isinstance(value, type) and issubclass(value, Enum):
            return f"{value.__qualname__} {value.__doc__!r} {[(m.name, m.value) for m in value]!r}"
        args = typing.get_args(value)
        return " ".join(self.annotation(a) for a in args) if args else ""


def _stable(text: str) -> str:
    """`text` without what differs between two loads of the same model. One regular expression of both
    alternatives tried its lookbehind at every digit of every description: half the fingerprint's cost."""
    if "0x" in text:
        text = _ADDRESS.sub("", text)
    if "_archkit_model_" in text:
        text = _PACKAGE.sub("_archkit_model_", text)
    return text



def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
