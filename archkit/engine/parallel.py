"""Text formats rendered on every core: forked workers, each drawing whole format families.

A large estate's text formats take seconds in one process, and the formats are independent of each
other except for the views they share (the three C4 formats draw the same computed C4 views, YAML and
JSON the same AsyncAPI documents). So the work is cut into units of one workspace and one *family* of
formats (`Format.family`), dealt out to the workers largest first by the families' weights, and the
files are put back in the order one process would have made them: the output is byte for byte the same.

Workers are forked, not spawned: a loaded model is a graph of the user's classes, which cannot be
pickled (their modules leave sys.modules after the load) and would cost as much to load again as
rendering saves. A forked worker starts with the loaded model as it is; only plain data travels back:
the files' bytes, and the payload schemas the worker generated, which the parent adopts so that
the session still saves them (engine/session.py). This process renders the first share itself (the C4 views it
computes serve the pictures drawn next). Small models, a single family, platforms without `fork`, and
a process already running other threads (watch mode) render in one process: forking costs ~50-100 ms
and is unsafe next to threads.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from archkit.engine.forking import forking_allowed
from archkit.formats import RenderOptions, text_formats
from archkit.model.workspace import Workspace
from archkit.output import OutputFile

#: Below this many elements and channels in all workspaces together, forking gains little or nothing:
#: measured on 2 cores with benchmarks/generate.py estates, 500 of them render in 280 ms in one process
#: and 220 ms in two (the benchmark's M row has seen two slower than one), 1,000 in 570 vs 380 ms,
#: 2,000 in 1,090 vs 720 ms.
MIN_PARALLEL_SIZE = 1_000

Unit = tuple[int, tuple[str, ...]]  # (workspace position, the formats of one family)
Files = dict[tuple[int, str], list[OutputFile]]  # (workspace position, format) -> its files


def render_formats(workspaces: list[Workspace], formats: list[str], options: RenderOptions, jobs: int = 1) -> Files:
    """Every text format's files per workspace, on up to `jobs` processes."""
    shares = _shares(workspaces, formats, jobs) if _can_fork(workspaces, jobs) else []
    text = text_formats()
    everything = [(w, tuple(f for f in formats if f in text)) for w in range(len(workspaces))]
    if len(shares) < 2:
        return _render(everything, workspaces, options)
    try:
        pool = ProcessPoolExecutor(len(shares) - 1, mp_context=multiprocessing.get_context("fork"))
    except (ImportError, OSError):  # no working semaphores (some sandboxes and serverless hosts)
        return _render(everything, workspaces, options)
    with _forked_state(workspaces, options, shares), pool:
        try:
            futures = [pool.submit(_work, n) for n in range(1, len(shares))]
        except (OSError, BrokenProcessPool):  # fork refused (process limit, memory): all in this process
            return _render(everything, workspaces, options)
        files = _render(shares[0], workspaces, options)
        for share, future in zip(shares[1:], futures, strict=True):
            files.update(_collect(future, share, workspaces, options))
    return files


def _can_fork(workspaces: list[Workspace], jobs: int) -> bool:
    size = sum(len(ws.elements) + len(ws.channels) for ws in workspaces)
    return jobs > 1 and size >= MIN_PARALLEL_SIZE and forking_allowed()


def _shares(workspaces: list[Workspace], formats: list[str], jobs: int) -> list[list[Unit]]:
    """Units dealt out largest first, each to the lightest share (empty shares dropped)."""
    text = text_formats()
    families: dict[str, list[str]] = {}
    for name in formats:
        if name in text:
            families.setdefault(text[name].family or name, []).append(name)
    units: list[tuple[float, Unit]] = []
    for w, ws in enumerate(workspaces):
        size = len(ws.elements) + len(ws.channels)
        for family in families.values():
            units.append((size * sum(text[f].weight for f in family), (w, tuple(family))))
    # Twice as many shares as cores: families are few and unequal (at L, the C4 family ~1.4 s, AsyncAPI
    # ~1.3 s, flows ~0.65 s), and with more processes than cores the OS keeps every core busy to the end.
    shares: list[list[Unit]] = [[] for _ in range(2 * max(1, jobs))]
    loads = [0.0] * len(shares)
    for weight, unit in sorted(units, key=lambda u: -u[0]):  # stable: ties keep the registry's order
        lightest = loads.index(min(loads))
        shares[lightest].append(unit)
        loads[lightest] += weight
    return [share for share in shares if share]


def _render(units: list[Unit], workspaces: list[Workspace], options: RenderOptions) -> Files:
    text = text_formats()
    return {(w, name): text[name].render(workspaces[w], options)  # type: ignore[misc]
            for w, family in units for name in family}


# --- the forked side ------------------------------------------------------------------------------------
_state: tuple[list[Workspace], RenderOptions, list[list[Unit]]] | None = None


@contextmanager
def _forked_state(workspaces: list[Workspace], options: RenderOptions, shares: list[list[Unit]]) -> Iterator[None]:
    """What the workers read once forked (nothing of it is pickled)."""
    global _state
    _state = (workspaces, options, shares)
    try:
        yield
    finally:
        _state = None


def _work(share: int) -> tuple[dict[tuple[int, str], list[tuple[str, bytes]]], list[tuple[int, int, Any]]] | None:
    """In a worker: render one share; None on any error (the parent renders it again and reports it)."""
    assert _state is not None
    workspaces, options, shares = _state
    try:
        events = [ws.index.event_classes for ws in workspaces]
        memos = [ws.payloads for ws in workspaces]
        had = [[memos[w].known(e) is not None for e in classes] for w, classes in enumerate(events)]
        files = _render(shares[share], workspaces, options)
        generated = [(w, i, memos[w].known(e)) for w, classes in enumerate(events) for i, e in enumerate(classes)
                     if not had[w][i] and memos[w].known(e) is not None]
        return {key: [(f.path, f.content) for f in found] for key, found in files.items()}, generated
    except Exception:
        return None


def _collect(future: Future[Any], share: list[Unit], workspaces: list[Workspace], options: RenderOptions) -> Files:
    """A worker's files, and its schemas adopted here; a failed worker's share is rendered here again,
    so an error surfaces exactly as it would in one process."""
    try:
        done = future.result()
    except Exception:  # the worker died (killed, out of memory): nothing of it is trusted
        done = None
    if done is None:
        return _render(share, workspaces, options)
    files, generated = done
    events = [ws.index.event_classes for ws in workspaces]
    for w, i, schema in generated:
        event = events[w][i]
        memo = workspaces[w].payloads
        if memo.known(event) is None:
            memo.remember(event, schema)
    return {key: [OutputFile(path, content) for path, content in found] for key, found in files.items()}
