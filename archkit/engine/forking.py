"""Whether and on how many cores a command may fork workers (text formats, payload schemas).

Its own small module so that commands which never import the formats (`lint`, `lock`) can ask too.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading


def default_jobs() -> int:
    """The cores this process may run on (`--jobs` default)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def forking_allowed() -> bool:
    """Whether this process may fork workers: a platform with a safe `fork`, and no other thread running
    (watch mode's observer: a fork next to threads is unsafe)."""
    return (sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)
