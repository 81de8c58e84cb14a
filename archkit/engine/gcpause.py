"""Python's cyclic garbage collector paused around work that builds much data and little garbage.

Loading a model and rendering its views create hundreds of thousands of container objects that stay
alive (classes, elements, views, documents). Each full collection rescans every one of them, and
their number grows with the model, so the collector's share grew faster than the work: at 5,000
containers it was 30 % of rendering AsyncAPI (1.9 s of 6.4 s), against 14 % at 1,000. Reference
counting still frees everything acyclic at once; the little cyclic garbage waits for the next
collection after the pause (or, frozen, for the next load).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """No cyclic collection inside; the collector's previous state after (pauses nest).

    `freeze`: then set everything alive aside (`gc.freeze()`), or the first collections after the pause
    would rescan all that it allocated. The next model load frees it (`loader.release_frozen`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
