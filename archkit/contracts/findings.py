"""A lint finding: the one shape every checker produces and every report format reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from archkit.errors import SourceLocation

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """What a rule found. `location` points at the model line to fix (event class, channel, call).

    Contract findings fill event/channel/path/old/new/mode/affected; design findings may leave them empty
    and fill `element` instead. Reasoned ignores match on event, channel, element and path.
    """

    rule: str  # stable id, e.g. AK-C101 (contract) or AK-D101 (design)
    severity: Severity
    message: str
    breaking: bool = False
    event: str | None = None  # e.g. "OrderPlaced v1"
    channel: str | None = None
    element: str | None = None  # name of the person, system, container or component the finding is about
    path: str | None = None  # JSON path inside the payload schema, e.g. "$.properties.total"
    old: Any = None
    new: Any = None
    mode: str | None = None  # compatibility mode that makes it breaking, e.g. "FULL"
    affected: tuple[str, ...] = ()  # consumers (or producers) in the model it would break
    suggestion: str | None = None
    location: SourceLocation | None = None

    def sort_key(self) -> tuple[Any, ...]:
        return (
            SEVERITIES.index(self.severity), self.rule, self.event or "", self.channel or "", self.path or "",
            self.message,
        )
