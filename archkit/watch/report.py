"""The terminal side of a watch session: one line per render, and the error text when there is one."""

from __future__ import annotations

import time
from pathlib import Path

import click

from archkit.watch.build import BuildOutcome

MAX_NAMES = 4


def trigger_text(changed: set[Path] | None) -> str:
    """'start', 'model.py' or 'model.py +2 more': what set this render off."""
    if not changed:
        return "start"
    names = sorted(p.name for p in changed)
    return names[0] + (f" +{len(names) - 1} more" if len(names) > 1 else "")


def outcome_line(outcome: BuildOutcome, changed: set[Path] | None) -> str:
    """`12:00:01 model.py -> 2 written (a.puml, b.svg), 40 unchanged in 84 ms`."""
    stamp = time.strftime("%H:%M:%S")
    head = f"{stamp} {trigger_text(changed)} ->"
    took = f"{outcome.millis:.0f} ms"
    if outcome.error is not None and not outcome.written:
        return f"{head} error, last good output kept ({took})"
    if not outcome.written and not outcome.removed:
        return f"{head} no output changed ({outcome.unchanged} unchanged) in {took}"
    names = ", ".join(outcome.written[:MAX_NAMES]) + (f", +{len(outcome.written) - MAX_NAMES} more"
                                                      if len(outcome.written) > MAX_NAMES else "")
    parts = [f"{len(outcome.written)} written ({names})" if outcome.written else "0 written"]
    if outcome.removed:
        parts.append(f"{len(outcome.removed)} removed")
    parts.append(f"{outcome.unchanged} unchanged")
    fast = " (changed views only; the full build follows)" if outcome.provisional else ""
    return f"{head} {', '.join(parts)} in {took}{fast}"


class Reporter:
    """Prints each outcome: the line on stdout, the error (with file:line) on stderr."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self._notes: list[str] = []  # said once, not on every save

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message)

    def outcome(self, outcome: BuildOutcome, changed: set[Path] | None) -> None:
        if outcome.notes != self._notes and not outcome.error:
            for note in outcome.notes:
                click.echo(note, err=True)
            self._notes = outcome.notes
        if outcome.error is not None:
            click.echo(outcome.error, err=True)
        self.info(outcome_line(outcome, changed))
