"""Errors a user can cause, each carrying the model file and line it points at.

Every public model call records where in the user's file it was made (`call_site`), so that a
problem found later (during validation) can still be reported at the line that caused it.
"""

from __future__ import annotations

import sys
import sysconfig
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import FrameType

_ARCHKIT_DIR = str(Path(__file__).resolve().parent)
_INTERNAL_DIRS = tuple(
    {
        _ARCHKIT_DIR,
        str(Path(sysconfig.get_paths()["stdlib"]).resolve()),
        str(Path(str(__import__("pydantic").__file__)).resolve().parent),
        str(Path(str(__import__("pydantic_core").__file__)).resolve().parent),
    }
)


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a model file: what an error message points at."""

    file: str
    line: int
    #: The model file whose top-level code was running when the call was made (the file itself, or the
    #: module that called a function defined in it): what re-running that one file recreates (watch).
    module: str | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{shown_path(self.file)}:{self.line}"


def shown_path(file: str) -> str:
    """A path as messages show it: relative to the working directory when inside it, else as given."""
    try:
        return str(Path(file).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return file


@cache
def is_internal(filename: str) -> bool:
    if filename.startswith("<"):
        return filename.startswith("<frozen")
    try:
        resolved = str(Path(filename).resolve())
    except OSError:
        return False
    return resolved.startswith(_INTERNAL_DIRS)


def call_site() -> SourceLocation | None:
    """The first frame outside archkit, pydantic and the standard library: the user's line."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not is_internal(filename):
            return SourceLocation(filename, frame.f_lineno, _running_module(frame))
        frame = frame.f_back
    return None


def _running_module(frame: FrameType | None) -> str | None:
    """The file of the innermost model module whose top-level code is on the stack from `frame` up."""
    while frame is not None:
        code = frame.f_code
        if code.co_name == "<module>" and not is_internal(code.co_filename):
            return code.co_filename
        frame = frame.f_back
    return None


class ArchkitError(Exception):
    """Base of every error archkit reports to a user (exit code 2)."""


class ModelError(ArchkitError):
    """A mistake in a model, reported as ``file:line: error: message`` with an optional hint."""

    def __init__(self, message: str, location: SourceLocation | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        text = f"{prefix}error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ModelErrors(ArchkitError):
    """Several model errors found in one validation pass, reported together."""

    def __init__(self, errors: list[ModelError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class LoadError(ArchkitError):
    """A model file could not be read or run: missing path, syntax error, exception in the model."""

    def __init__(self, message: str, location: SourceLocation | None = None, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.detail = detail

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        text = f"{prefix}error: {self.message}"
        if self.detail:
            text += "\n" + self.detail
        return text
