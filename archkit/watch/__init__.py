"""`archkit watch`: live preview while editing a model.

Small parts, one job each: `watcher` (which files, watchdog), `changes` (debounce), `build` (reload and
render, never raising), `report` (terminal lines), `events` + `server` + `page` (the `--serve` preview),
and `session` (the loop that ties them together).
"""

from archkit.watch.build import Builder, BuildOutcome, BuildSettings
from archkit.watch.session import WatchSession

__all__ = ["BuildOutcome", "BuildSettings", "Builder", "WatchSession"]
