"""`OneOf()`: a union whose JSON Schema says `oneOf` (exactly one branch matches), as AsyncAPI documents often do.

pydantic writes every plain union as `anyOf`; a payload `oneOf` imported as `anyOf` would read as a
looser contract (a value matching both branches becomes valid), which the contract check rightly calls
breaking. Validation stays pydantic's: the first (smart) match wins, exclusivity is the schema's promise.
"""

from __future__ import annotations

from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic_core import CoreSchema


class OneOf:
    """Marker for ``Annotated[A | B, OneOf()]``: the union's schema is ``oneOf`` instead of ``anyOf``."""

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        schema = handler(core_schema)
        if "anyOf" in schema:
            schema["oneOf"] = schema.pop("anyOf")
        return schema

    def __repr__(self) -> str:
        return "OneOf()"
