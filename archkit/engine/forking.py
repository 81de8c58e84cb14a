"""Whether and on how many cores a command may fork workers (text formats, payload schemas, diff's reads).

Its own small module so that commands which never import the formats (`lint`, `lock`) can ask too;
`multiprocessing` is imported only by what forks.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
U = TypeVar("U")


def default_jobs() -> int:
    """The cores this process may run on (`--jobs` default)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def forking_allowed() -> bool:
    """Whether this process may fork workers: a platform with a safe `fork`, and no other thread running
    (watch mode's observer: a fork next to threads is unsafe)."""
    return sys.platform != "darwin" and hasattr(os, "fork") and threading.active_count() == 1


def side_by_side(there: Callable[[], T], here: Callable[[], U]) -> tuple[T, U]:
    """`(there(), here())`, `there` in a forked worker while this process runs `here` (its result comes
    back pickled). For two independent reads that take seconds each (`archkit diff`'s two documents).

    Whatever goes wrong in the worker (an error, a result that cannot be pickled, a refused fork),
    `there` runs again here, so its errors surface exactly as without a worker, and before `here`'s:
    the order one process would report them in.
    """
    global _there
    future = None
    if forking_allowed() and default_jobs() > 1:
        try:
            import multiprocessing  # here: ~20 ms of imports a command that never forks does without
            from concurrent.futures import ProcessPoolExecutor

            _there = there  # the forked worker finds it here: a closure cannot be pickled, a module function can
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            future = pool.submit(_run_there)
        except Exception:  # no semaphores, fork refused: one after the other
            future = None
    try:
        try:
            second: U | None = here()
            failure: BaseException | None = None
        except Exception as exc:
            second, failure = None, exc
        try:
            first = future.result() if future is not None else there()
        except Exception:
            first = there()
    finally:
        _there = None
        if future is not None:
            pool.shutdown()
    if failure is not None:
        raise failure
    return first, second  # type: ignore[return-value]


_there: Callable[[], Any] | None = None  # what `side_by_side` runs in its worker


def _run_there() -> Any:
    assert _there is not None
    return _there()
