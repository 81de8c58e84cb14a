"""Missing payload schemas generated on every core before the stages that read them all.

pydantic's `model_json_schema` takes about a millisecond per event class, one class after another: at
2,100 events (a dense 1,000-container estate) that is 2 s, the largest cost of a run with an empty
schema cache (CI's usual case) and all of it on one core, inside the AsyncAPI formats or lint's
contract check. Each class's schema depends on that class alone, so the missing ones are dealt out,
interleaved, to forked workers and this process; the workers send the schemas back pickled (exact
types and order, unlike JSON) and this process adopts them, so the outputs and the cache file are the
same as when they are generated one by one.

A command that knows it will read every schema asks for this during the load (`Session.load`,
`SchemaCache.make`), while the model's modules are still seen: then each class's pydantic build, which
the load would otherwise do here alone to check the model, happens in the worker that makes its
schema, and so does the schema cache's walk for the files the schema depends on (`also`). The render
pipeline asks again before the text formats, for what the load did not make.

A class whose schema fails in a worker (a type with no JSON Schema) is simply left missing: the stage
that needs it generates it here and reports the error exactly as without this step (a class whose
build failed there is built again here by the load, which reports it). Few missing schemas, one job,
or a process that may not fork (engine/forking.py) generate nothing here: the stages generate what
they need as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from archkit.engine.forking import forking_allowed
from archkit.model.payloads import PayloadSchemas
from archkit.model.workspace import Workspace

#: Below this many missing schemas (~0.2 s of work) a fork costs more than it saves.
MIN_MISSING = 200

#: The slices and the `also` of the current call, read by the forked workers (nothing of it is pickled).
_state: tuple[list[list[type]], Callable[[type], Any] | None] | None = None


def generate_for(workspaces: Iterable[Workspace], jobs: int) -> None:
    """`generate_missing` for every event of the workspaces, per memo (a session's workspaces share one)."""
    by_memo: dict[int, tuple[PayloadSchemas, list[type]]] = {}
    for ws in workspaces:
        by_memo.setdefault(id(ws.payloads), (ws.payloads, []))[1].extend(ws.index.event_classes)
    for memo, events in by_memo.values():
        generate_missing(events, memo, jobs)


def generate_missing(events: Iterable[type], payloads: PayloadSchemas, jobs: int,
                     also: Callable[[type], Any] | None = None) -> dict[type, Any]:
    """Generate the schemas `payloads` lacks for `events` on `jobs` processes.

    `also`: more work on each event whose schema was made, done in the same process (the schema cache's
    walk for the files the schema depends on: engine/schema_cache.py); it must not raise. Returns each
    event made here with what `also` gave for it (None without `also`).
    """
    missing = [e for e in dict.fromkeys(events) if payloads.known(e) is None]
    if jobs < 2 or len(missing) < MIN_MISSING or not forking_allowed():
        return {}
    import multiprocessing  # only here: a command that forks nothing does without these imports
    from concurrent.futures import ProcessPoolExecutor

    global _state
    slices = [missing[n::jobs] for n in range(jobs)]
    _state = (slices, also)
    try:
        pool = ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork"))
    except (ImportError, OSError):  # no working semaphores: the stages generate them as before
        _state = None
        return {}
    made: dict[type, Any] = {}
    try:
        with pool:
            try:
                futures = [pool.submit(_work, n) for n in range(1, jobs)]
            except Exception:  # fork refused (process limit, memory)
                futures = []
            _adopt(slices[0], _generate(slices[0], PayloadSchemas(), also), payloads, made)
            for n, future in enumerate(futures, start=1):
                try:
                    _adopt(slices[n], future.result(), payloads, made)
                except Exception:  # a worker died or its schemas could not be pickled: generated when needed
                    continue
    finally:
        _state = None
    return made


def _generate(events: list[type], payloads: PayloadSchemas, also: Callable[[type], Any] | None
              ) -> list[tuple[dict[str, Any], Any] | None]:
    """Each event's schema and what `also` gives for it, None where generating the schema failed (the
    stage that needs it reports why)."""
    made: list[tuple[dict[str, Any], Any] | None] = []
    for event in events:
        try:
            schema = payloads.of(event)
        except Exception:
            made.append(None)
            continue
        made.append((schema, also(event) if also is not None else None))
    return made


def _work(share: int) -> list[tuple[dict[str, Any], Any] | None]:
    """In a worker: the schemas of one slice, from a memo of its own (the parent's holds none of them)."""
    assert _state is not None
    slices, also = _state
    return _generate(slices[share], PayloadSchemas(), also)


def _adopt(events: list[type], made: list[tuple[dict[str, Any], Any] | None], payloads: PayloadSchemas,
           into: dict[type, Any]) -> None:
    for event, result in zip(events, made, strict=True):
        if result is not None and payloads.known(event) is None:
            payloads.remember(event, result[0])
            into[event] = result[1]
