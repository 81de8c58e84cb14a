"""What the user calls a model object: the variable their file bound it to, for hints that show code.

A hint such as "declare payments.publishes(...)" helps only when `payments` is a name the user wrote.
Each element records where it was made (`origin`); when that line is a top-level `name = ...` of the
model file, the name is the user's. Otherwise (made in a loop or a function) the element's id stands in.
"""

from __future__ import annotations

import ast
import os
from typing import Any

#: file -> (its stat signature, {line: name} of its top-level single-name assignments); files change in watch.
_assignments: dict[str, tuple[tuple[int, int], dict[int, str]]] = {}


def variable_name(obj: Any) -> str:
    """The model's variable for `obj` (an element or channel), else its id written as an identifier."""
    origin = getattr(obj, "origin", None)
    if origin is not None:
        name = _top_level_assignments(origin.file).get(origin.line)
        if name is not None:
            return name
    return str(obj.id).replace("-", "_")


def _top_level_assignments(file: str) -> dict[int, str]:
    try:
        stat = os.stat(file)
    except OSError:
        return {}
    signature = (stat.st_mtime_ns, stat.st_size)
    known = _assignments.get(file)
    if known is not None and known[0] == signature:
        return known[1]
    try:
        with open(file, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        tree = ast.Module(body=[], type_ignores=[])
    lines: dict[int, str] = {}
    for statement in tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else \
            [statement.target] if isinstance(statement, ast.AnnAssign) and statement.value is not None else []
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            for line in range(statement.lineno, (statement.end_lineno or statement.lineno) + 1):
                lines[line] = targets[0].id
    _assignments[file] = (signature, lines)
    return lines
