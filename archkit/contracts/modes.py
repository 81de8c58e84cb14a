"""Compatibility modes in Schema Registry's vocabulary, and which one applies to a message or channel.

A mode is two facts: the directions that must hold (BACKWARD: new readers read old data; FORWARD: old
readers read new data) and whether they hold against the previous version only or every version ever
locked (_TRANSITIVE). Keeping it as data lets modes combine: an event on a BACKWARD channel and a FORWARD
channel must be both, i.e. FULL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from archkit.model.events import COMPATIBILITY_MODES

BACKWARD, FORWARD = "BACKWARD", "FORWARD"
DEFAULT_MODE = "FULL"


@dataclass(frozen=True)
class Mode:
    """A parsed compatibility mode."""

    directions: frozenset[str]
    transitive: bool = False

    @property
    def name(self) -> str:
        if not self.directions:
            return "NONE"
        base = "FULL" if len(self.directions) == 2 else next(iter(self.directions))
        return f"{base}_TRANSITIVE" if self.transitive else base


def parse_mode(text: str) -> Mode:
    """'full_transitive' -> Mode({BACKWARD, FORWARD}, transitive=True); ValueError names the valid modes."""
    name = str(text).strip().upper().replace("-", "_")
    if name not in COMPATIBILITY_MODES:
        raise ValueError(f"unknown compatibility mode {text!r} (one of: {', '.join(COMPATIBILITY_MODES)})")
    base, _, transitive = name.partition("_")
    directions = {"NONE": set(), "FULL": {BACKWARD, FORWARD}}.get(base, {base})
    return Mode(frozenset(directions), bool(transitive))


def combine(modes: Iterable[Mode]) -> Mode | None:
    """The mode satisfying all of `modes` (union of directions); None when there are none."""
    modes = list(modes)
    if not modes:
        return None
    return Mode(frozenset().union(*(m.directions for m in modes)), any(m.transitive for m in modes))


@dataclass
class ModeMap:
    """Modes the model sets, by message key and by channel address (absent: use the default)."""

    messages: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
