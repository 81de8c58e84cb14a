"""The common base of every model object: pydantic validation of user input, identity semantics.

Model objects form a graph with back-references (a container knows its system, the system its
workspace), so equality and hashing are by identity, and back-references are left out of repr and dumps.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from archkit.errors import ModelError, SourceLocation


class ModelObject(BaseModel):
    """A node of the model graph: validated on creation, compared by identity."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid", validate_default=True)

    origin: SourceLocation | None = None

    __eq__ = object.__eq__
    __hash__ = object.__hash__  # type: ignore[assignment]

    @classmethod
    def build(cls, what: str, origin: SourceLocation | None, **fields: Any) -> Any:
        """Construct and validate, turning pydantic's errors into one ModelError at the user's line."""
        try:
            return cls(origin=origin, **fields)
        except ValidationError as exc:
            problems = []
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "value"
                problems.append(f"{field}: {err['msg']} (got {err.get('input')!r})")
            raise ModelError(f"{what}: " + "; ".join(problems), origin) from None
