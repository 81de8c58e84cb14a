"""YAML text of plain data (dicts, lists, strings, numbers, booleans, None) in block style.

Why not `yaml.safe_dump`: its Python representer builds a node per value and resolves each scalar's
tag, which made AsyncAPI YAML the slowest output of a large estate (about 5 s for 900 documents at 1,000
containers). AsyncAPI documents are plain data, so this writer needs only a few rules: a string is
written plain when it cannot be read back as anything else, as a literal block when it is multi-line
printable text, and double-quoted with escapes otherwise. Nothing here can emit a tag, an anchor or a
directive; tests read every output back with PyYAML and compare it with the input.

A `Memo` keeps the lines of chosen mappings (say, each channel and message of an AsyncAPI document) by
content, for a process that writes much the same documents again and again: watch mode, where a save
that changes one event re-writes its broker's document of thousands of channels, all but a few of them
unchanged. A one-off render does not use one: looking an entry up costs more than a tenth of writing it.
It uses a `SameObjects` instead, which finds a mapping by identity: the documents of one render share
their servers, channels, operations and messages as objects, and each is written once.
"""

from __future__ import annotations

import marshal
import math
import re
from functools import lru_cache
from itertools import islice
from typing import Any

# Plain scalars: a conservative subset that PyYAML (YAML 1.1) reads back as the same string.
_PLAIN = re.compile(r"[A-Za-z_$][A-Za-z0-9_$.\-/]*(?: [A-Za-z0-9_$.\-/()]+)*")
_RESERVED = re.compile(r"(?i)(y|n|yes|no|true|false|on|off|null|~)")
# Text that may stand in a literal block: printable, no tabs, no trailing spaces on a line.
_UNSAFE_IN_BLOCK = re.compile(r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]| \n| $|^\s")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]')


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


@lru_cache(maxsize=1 << 16)
def _string(value: str) -> str:
    """A string scalar; cached, because keys and most values repeat across an estate's documents."""
    if _PLAIN.fullmatch(value) and not _RESERVED.fullmatch(value):
        return value
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


def scalar(value: Any) -> str:
    """One scalar on one line."""
    if type(value) is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "e" in text and "." not in text:  # YAML 1.1 reads 1e-05 as a string; 1.0e-05 is a float
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, str):  # a str subclass
        return _string(str(value))
    raise TypeError(f"cannot write {type(value).__name__} as YAML: only plain data")


#: The marshal format whose bytes depend only on the data: no references, every string alike.
CONTENT = 2

#: Where a memo applies: paths of keys from the document down to a mapping, "*" standing for any key.
Paths = tuple[tuple[str, ...], ...]


class Memo:
    """The lines of mappings written before, by content, in two generations of at most `limit` bytes each.

    Entries are kept in the new generation; when it outgrows `limit` it becomes the old one and the
    one before is dropped. An entry found in the old generation moves back to the new one. So what
    every build writes stays, while versions of sections an edit replaced (a broker's channels are
    megabytes at 1,000 containers) fall away: memory stays below twice `limit`.
    """

    def __init__(self, limit: int = 64 << 20) -> None:
        self.limit = limit
        self._new: dict[bytes, list[str]] = {}
        self._old: dict[bytes, list[str]] = {}
        self._new_bytes = 0

    def write(self, mapping: dict[str, Any], indent: str, out: list[str], paths: Paths) -> None:
        """`_mapping` of `mapping`, its lines taken from the memo when an equal mapping was written before.

        The key is the mapping's marshal bytes with the indent: they encode every value's exact type (1,
        1.0 and True differ), so equal keys mean equal text. A str subclass or anything but plain data
        cannot be marshalled: such a mapping is written, not remembered. Format 2 (`CONTENT`), because
        later formats mark objects referenced more than once, so the same data gave other bytes once
        some of its strings were also held elsewhere (say, by this module's caches).
        """
        try:
            key = indent.encode() + marshal.dumps(mapping, CONTENT)
        except ValueError:
            _mapping(mapping, indent, out, self, paths)
            return
        lines = self._new.get(key)
        if lines is None:
            lines = self._old.pop(key, None)
            if lines is None:
                lines = []
                _mapping(mapping, indent, lines, self, paths)
            self._keep(key, lines)
        out.extend(lines)

    def _keep(self, key: bytes, lines: list[str]) -> None:
        self._new[key] = lines
        self._new_bytes += len(key) + sum(map(len, lines))
        if self._new_bytes > self.limit:
            self._old, self._new, self._new_bytes = self._new, {}, 0

    @property
    def stored_bytes(self) -> int:
        """Bytes of keys and text held (both generations)."""
        return sum(len(k) + sum(map(len, v)) for d in (self._new, self._old) for k, v in d.items())

    def __len__(self) -> int:
        return len(self._new) + len(self._old)


class SameObjects(Memo):
    """The lines of mappings by identity, for one render: the AsyncAPI documents of a workspace share
    objects (read-only) among them, each written once. Only for objects nobody changes while the
    render runs: the memo keeps them alive, so an id is never reused for another mapping meanwhile.

    `prefixes`: id -> (a mapping, another whose entries are its first ones): such a mapping is that
    other's text (written once) and its own further entries (a broker's channel is the service view's
    and who sends and receives on it).
    """

    def __init__(self, prefixes: dict[int, tuple[dict[str, Any], dict[str, Any]]] | None = None) -> None:
        super().__init__()
        self._by_id: dict[tuple[int, str], tuple[Any, str]] = {}
        self._prefixes = prefixes if prefixes is not None else {}

    def write(self, mapping: dict[str, Any], indent: str, out: list[str], paths: Paths) -> None:
        """Kept as one string of lines: `dump` joins its lines with newlines, so it is the same text."""
        found = self._by_id.get((id(mapping), indent))
        if found is None:
            lines: list[str] = []
            prefix = self._prefixes.get(id(mapping))
            if prefix is not None and prefix[0] is mapping and prefix[1]:
                self.write(prefix[1], indent, lines, paths)
                _mapping(dict(islice(mapping.items(), len(prefix[1]), None)), indent, lines, self, paths)
            else:
                _mapping(mapping, indent, lines, self, paths)
            found = self._by_id[(id(mapping), indent)] = (mapping, "\n".join(lines))
        out.append(found[1])


def _below(paths: Paths, key: str) -> tuple[bool, Paths]:
    """Whether the value under `key` is remembered, and the paths that go on below it."""
    rest = tuple(path[1:] for path in paths if path[0] == "*" or path[0] == key)
    return () in rest, tuple(path for path in rest if path)


class _Lines(dict[str, str]):
    """What follows `key:` or `- ` for a one-line string (`" text"`), worked out once per string.

    Keys and most values repeat thousands of times across an estate's documents; a dict lookup that
    finds them is cheaper than any call. Emptied when it grows large (watch mode runs for hours).
    """

    def __missing__(self, value: str) -> str:
        if len(self) > 1 << 16:
            self.clear()
        text = self[value] = " " + _string(value)
        return text


class _Keys(dict[str, str]):
    """`<indent><key>:` of one indent, worked out once per key (emptied when it grows large); `inner`
    is the indent of what is nested in it."""

    def __init__(self, indent: str) -> None:
        super().__init__()
        self.indent, self.inner = indent, indent + "  "

    def __missing__(self, key: str) -> str:
        if len(self) > 1 << 14:
            self.clear()
        text = self[key] = f"{self.indent}{_string(key)}:"
        return text


class _Indents(dict[str, _Keys]):
    """The `_Keys` of each indent."""

    def __missing__(self, indent: str) -> _Keys:
        keys = self[indent] = _Keys(indent)
        return keys


_LINES = _Lines()
_KEYS = _Indents()


def _value(value: Any, indent: str, out: list[str], memo: Memo | None = None, paths: Paths = (),
           remember: bool = False) -> str:
    """The text after `key:` or `- `; nested collections are appended to `out` on lines of their own."""
    if isinstance(value, dict):
        if not value:
            return " {}"
        if remember and memo is not None:
            memo.write(value, indent + "  ", out, paths)
        else:
            _mapping(value, indent + "  ", out, memo, paths)
        return ""
    if isinstance(value, list):
        if not value:
            return " []"
        _sequence(value, indent + "  ", out)
        return ""
    if isinstance(value, str) and "\n" in value and not _UNSAFE_IN_BLOCK.search(value):
        body = value[:-1] if value.endswith("\n") else value
        if "\n\n" not in value[-2:] and body:
            lines = body.split("\n")
            out.extend(f"{indent}  {line}" if line else "" for line in lines)
            return " |" if value.endswith("\n") else " |-"
    return " " + scalar(value)


def _mapping(mapping: dict[str, Any], indent: str, out: list[str], memo: Memo | None = None,
             paths: Paths = ()) -> None:
    if paths:
        _mapping_at(mapping, indent, out, memo, paths)
        return
    # The hot loop of every document: exact types first, by lookups; anything else by `_value`.
    keys = _KEYS[indent]
    lines, inner = _LINES, keys.inner
    for key, value in mapping.items():
        head = keys[key] if type(key) is str else f"{indent}{scalar(key)}:"
        kind = type(value)
        if kind is str and "\n" not in value:
            out.append(head + lines[value])
        elif kind is dict and value:
            out.append(head)
            _mapping(value, inner, out)
        elif kind is list and value:
            out.append(head)
            _sequence(value, inner, out)
        elif kind is int:
            out.append(f"{head} {value}")
        else:
            line = len(out)
            out.append(head)
            out[line] = head + _value(value, indent, out)


def _mapping_at(mapping: dict[str, Any], indent: str, out: list[str], memo: Memo | None, paths: Paths) -> None:
    """`_mapping` of a mapping on the way to the paths a memo applies to."""
    named = {path[0] for path in paths if path[0] != "*"}
    anywhere = _below(paths, "*")  # what every key the paths do not name gets
    keys = _KEYS[indent]
    for key, value in mapping.items():
        head = keys[key] if type(key) is str else f"{indent}{scalar(key)}:"
        remember, below = _below(paths, key) if key in named else anywhere
        line = len(out)
        out.append(head)
        out[line] = head + _value(value, indent, out, memo, below, remember)


def _sequence(items: list[Any], indent: str, out: list[str]) -> None:
    lines, cut = _LINES, len(indent) + 2
    for item in items:
        if type(item) is str and "\n" not in item:
            out.append(indent + "-" + lines[item])
        elif isinstance(item, dict) and item:
            first = len(out)
            _mapping(item, indent + "  ", out)
            out[first] = indent + "- " + out[first][cut:]  # the first key on the dash's line
        else:
            line = len(out)
            out.append("")
            out[line] = f"{indent}-" + _value(item, indent, out)


def dump(data: dict[str, Any], memo: Memo | None = None, paths: Paths = ()) -> str:
    """The YAML text of a mapping of plain data, ending with a newline.

    `memo` with `paths`: the mappings at those paths are written once and then taken from the memo.
    """
    if not data:
        return "{}\n"
    out: list[str] = []
    _mapping(data, "", out, memo, paths if memo is not None else ())
    return "\n".join(out) + "\n"
