"""The one error a broken or unsupported AsyncAPI document raises."""

from __future__ import annotations

from archkit.errors import ArchkitError


class AsyncApiError(ArchkitError):
    """An AsyncAPI document archkit cannot read: reported as ``file[:line]: error: message``."""

    def __init__(self, message: str, source: str = "<document>", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: error: {self.message}"
