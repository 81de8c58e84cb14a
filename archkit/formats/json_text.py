"""Indented JSON text, fast: AsyncAPI documents and lint reports of a large estate are megabytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson


def indented(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)` plus a final newline, by orjson.

    orjson writes the same text about ten times faster (the standard library drops to pure Python as
    soon as it indents); floats may be spelled differently (`1e16` for `1e+16`), the same number. What
    orjson refuses (an integer beyond 64 bits, a key that is not a string) the standard library writes.
    """
    return indented_bytes(value, default).decode("utf-8")


def indented_bytes(value: Any, default: Callable[[Any], Any] | None = None) -> bytes:
    """`indented` as UTF-8, for a file: orjson's bytes as they are, not decoded and encoded again (the
    AsyncAPI JSON of a large estate is tens of megabytes)."""
    try:
        return orjson.dumps(value, default=default, option=orjson.OPT_INDENT_2) + b"\n"
    except orjson.JSONEncodeError:
        return (json.dumps(value, indent=2, ensure_ascii=False, default=default) + "\n").encode("utf-8")
