"""The latest state of a watch session, published to every open preview page (server-sent events).

Each build bumps a generation number. A page's /events stream sends the current state on connect and
then waits on a Condition for the next generation, so a page that reconnects after a restart or a
dropped connection catches up at once, and a slow page only ever sees the newest state.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class PreviewState:
    """What a page needs to update itself: which files changed, and the model error if any."""

    generation: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    error: str | None = None
    listing: str = ""  # a digest of the diagram list: when it differs from the page's, reload the page

    def to_sse(self) -> bytes:
        return f"event: render\nid: {self.generation}\ndata: {json.dumps(asdict(self))}\n\n".encode()


class EventHub:
    """Holds the newest PreviewState; SSE handlers block in `next_after` until it moves on."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._state = PreviewState()
        self._closed = False

    @property
    def state(self) -> PreviewState:
        return self._state

    def publish(self, written: list[str], removed: list[str], error: str | None, listing: str) -> PreviewState:
        with self._cond:
            self._state = PreviewState(self._state.generation + 1, written, removed, error, listing)
            self._cond.notify_all()
            return self._state

    def next_after(self, generation: int, timeout: float) -> PreviewState | None:
        """The first state newer than `generation`; None on timeout (time for a keep-alive) or close."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._state.generation > generation, timeout)
            if self._closed or self._state.generation <= generation:
                return None
            return self._state

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """End every open stream so the server can stop without waiting for browsers."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
